"""Large classic NetCDF files for bench/classic_peer.ts (tens of MB each).

Usage: python3 classic_gen.py OUTDIR

Writes, with netCDF4-python (libnetcdf), deterministic (seed 11):
  grid.nc     CDF-1 like etopo5: lat(2160) lon(4320), float z(lat, lon)
              (37 MB), short mask(lat, lon), no record dimension.
  records.nc  CDF-2 like an ObsPack file, time unlimited with 600,000
              records of seven small variables (double time, float value,
              float lat, float lon, float alt, short flag, char id(time, 4)):
              every record variable interleaved with the others.
  slabs.nc    CDF-1, time unlimited with 120 records of two float
              (time, 180, 360) fields (62 MB): big records.
"""

import os
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)


def fresh(name, fmt):
    path = os.path.join(out, name)
    if os.path.exists(path):
        os.remove(path)
    return netCDF4.Dataset(path, "w", format=fmt)


with fresh("grid.nc", "NETCDF3_CLASSIC") as d:
    d.createDimension("lat", 2160)
    d.createDimension("lon", 4320)
    d.createVariable("lat", "f8", ("lat",))[:] = np.linspace(-90, 90, 2160)
    d.createVariable("lon", "f8", ("lon",))[:] = np.linspace(-180, 180, 4320)
    y, x = np.meshgrid(np.linspace(0, 9, 2160), np.linspace(0, 17, 4320), indexing="ij")
    z = (np.sin(x) * np.cos(y) * 4000).astype("f4")
    d.createVariable("z", "f4", ("lat", "lon"))[:] = z
    d.createVariable("mask", "i2", ("lat", "lon"))[:] = (z > 0).astype("i2")

N = 600_000
with fresh("records.nc", "NETCDF3_64BIT_OFFSET") as d:
    d.createDimension("time", None)
    d.createDimension("nchar", 4)
    d.set_fill_off()
    d.createVariable("time", "f8", ("time",))[:] = np.arange(N, dtype="f8") * 3600.0
    d.createVariable("value", "f4", ("time",))[:] = rng.normal(410, 5, N).astype("f4")
    d.createVariable("lat", "f4", ("time",))[:] = rng.uniform(-90, 90, N).astype("f4")
    d.createVariable("lon", "f4", ("time",))[:] = rng.uniform(-180, 180, N).astype("f4")
    d.createVariable("alt", "f4", ("time",))[:] = rng.uniform(0, 9000, N).astype("f4")
    d.createVariable("flag", "i2", ("time",))[:] = rng.integers(0, 3, N).astype("i2")
    ids = np.frombuffer(b"".join(b"S%03d" % (i % 1000) for i in range(N)), dtype="S1")
    d.createVariable("id", "S1", ("time", "nchar"))[:] = ids.reshape(N, 4)

with fresh("slabs.nc", "NETCDF3_CLASSIC") as d:
    d.createDimension("time", None)
    d.createDimension("lat", 180)
    d.createDimension("lon", 360)
    d.set_fill_off()
    d.createVariable("time", "f8", ("time",))[:] = np.arange(120, dtype="f8")
    for name in ("u", "v"):
        v = d.createVariable(name, "f4", ("time", "lat", "lon"))
        for t in range(120):
            v[t] = rng.normal(0, 10, (180, 360)).astype("f4")
