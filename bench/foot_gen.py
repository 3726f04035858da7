"""Synthetic 240-step STILT footprint files for bench/foot_peer.ts, adapted
from the team's performance brief (its gen_foot.py appendix, not in this
repository; docs/performance.md reports what the benchmarks measure).

Usage: python3 foot_gen.py REAL_FOOT.nc OUTDIR [NT] [--plain]

Writes OUTDIR/foot240_sample.nc (the real sample's blocky field shifted and
scaled per step: compresses like the sample) and OUTDIR/foot240_smooth.nc
(smooth full-precision plumes, ~30 % nonzero: the worst case for deflate),
both like libnetcdf writes STILT output: lon(400) lat(480) time(unlimited),
foot(time, lat, lon) double, chunks (1, 480, 400), zlib level 9, no
shuffle, _FillValue -1e30, lon/lat contiguous; and the same two fields as
netCDF4-python writes them with zlib=True (level 4 and the shuffle filter):
OUTDIR/foot240_sample_shuffle.nc and OUTDIR/foot240_smooth_shuffle.nc.
Deterministic (seed 7). With --plain only the first two (no shuffle), as
tests/netcdf/http_byte_source_test.ts needs them; they are the same bytes.
"""

import sys

import netCDF4
import numpy as np

PLAIN = "--plain" in sys.argv[1:]
args = [a for a in sys.argv[1:] if a != "--plain"]
real, out = args[0], args[1]
NT = int(args[2]) if len(args) > 2 else 240
rng = np.random.default_rng(7)
src = netCDF4.Dataset(real)
lon = src["lon"][:].data
lat = src["lat"][:].data
sample = np.asarray(src["foot"][:])[0]
src.close()
Y, X = np.meshgrid(np.arange(480, dtype=float), np.arange(400, dtype=float), indexing="ij")


def smooth_field(t):
    ang = rng.uniform(0, 2 * np.pi)
    cy, cx = 162.6, 183.8
    dy, dx = Y - cy, X - cx
    along = dx * np.cos(ang) + dy * np.sin(ang)
    across = -dx * np.sin(ang) + dy * np.cos(ang)
    plume = (np.exp(-np.hypot(dx, dy) / 60.0)
             * np.exp(-(across ** 2) / (2 * (25 + 0.3 * np.abs(along)) ** 2)) * (1 + 2 * (along > 0)))
    noise = np.zeros_like(X)
    for _ in range(8):
        k = rng.normal(0, 0.05, 2)
        noise += rng.normal(0, 0.25) * np.cos(k[0] * X + k[1] * Y + rng.uniform(0, 2 * np.pi))
    f = 1.2e-4 * plume * np.exp(noise)
    f[f < np.quantile(f, 0.70)] = 0.0
    return f


def sample_field(t):
    return np.roll(sample, (rng.integers(-20, 21), rng.integers(-20, 21)), axis=(0, 1)) * (1 + 0.01 * t)


def write(path, gen, shuffle=False):
    ds = netCDF4.Dataset(path, "w", format="NETCDF4")
    ds.createDimension("lon", 400)
    ds.createDimension("lat", 480)
    ds.createDimension("time", None)
    vlon = ds.createVariable("lon", "f8", ("lon",), contiguous=True)
    vlon.units = "degrees_east"
    vlon[:] = lon
    vlat = ds.createVariable("lat", "f8", ("lat",), contiguous=True)
    vlat.units = "degrees_north"
    vlat[:] = lat
    vt = ds.createVariable("time", "f8", ("time",), chunksizes=(512,))
    vt.units = "days since 2000-01-01 00:00:00 UTC"
    # libnetcdf's STILT output: level 9, no shuffle; with `shuffle`,
    # netCDF4-python's default for zlib=True (level 4, shuffle).
    vf = ds.createVariable("foot", "f8", ("time", "lat", "lon"), zlib=True,
                           complevel=4 if shuffle else 9, shuffle=shuffle,
                           chunksizes=(1, 480, 400), fill_value=-1.e30)
    vf.units = "ppm per (micromol m-2 s-1)"
    ds.backtime = "240 hours"
    for t in range(NT):
        vt[t] = 4725.75 + t * 0.125
        vf[t, :, :] = gen(t)
    ds.close()


write(f"{out}/foot240_sample.nc", sample_field)
write(f"{out}/foot240_smooth.nc", smooth_field)
if not PLAIN:
    write(f"{out}/foot240_sample_shuffle.nc", sample_field, shuffle=True)
    write(f"{out}/foot240_smooth_shuffle.nc", smooth_field, shuffle=True)
print("written", out)
