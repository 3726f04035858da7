"""Writes NetCDF-4 / HDF5 files compressed with every HDF5 filter the
reference tools write beyond deflate, and what netCDF4-python (or h5py)
reads from each.

Usage: python3 gen_filters.py OUTDIR

Writers: netCDF4-python (netCDF-C with its bundled plugins: zstd 32015,
bzip2 307, Blosc 32001 with blosclz/lz4/zlib/zstd and its shuffle modes,
szip 4), h5repack from Debian's hdf5-tools (szip NN/EC via libaec, N-bit 5,
scale-offset 6 in integer and D-scaling modes) and h5py (LZF 32000, read
back with h5py as netCDF-C has no LZF; N-bit on types of reduced precision).
For every file it writes OUTDIR/<name>.json:
`{"file", "vars": [{"path", "dtype", "shape", "filters", "values"}]}` with
values read with auto mask/scale off (NaN as null, 64-bit integers as
strings). Deterministic: fixed seeds. A writer that is missing (h5repack)
is reported in OUTDIR/skipped.txt, not silently dropped.
"""

import json
import os
import shutil
import subprocess
import sys

import h5py
import netCDF4
import numpy as np

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261201)
SKIPPED = []

SHAPE = (5, 13, 11)
CHUNK = (2, 5, 4)  # partial edge chunks in every dimension

TYPES = ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"]


def p(name):
    return os.path.join(OUT, name)


def field(dtype, shape=SHAPE, noise=3.0):
    """A smooth field with noise: what compressors meet in real files."""
    z, y, x = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    smooth = np.sin(x / 3.0) * 40 + np.cos(y / 4.0) * 30 + z * 5
    v = smooth + rng.normal(0, noise, shape)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        # Blosc (noise < 1) gets quarter steps: mantissas it can shrink.
        return (v * 1.37 + 0.001 if noise >= 1 else np.round(v * 4) / 4).astype(dt)
    info = np.iinfo(dt)
    if dt.kind == "u":
        v = v + 80
    v = np.clip(np.round(v), info.min, info.max).astype(dt)
    if noise == 0:
        return v
    # Extremes too: the full range must survive.
    flat = v.reshape(-1)
    flat[3] = info.min
    flat[7] = info.max
    return v


def base_nc(name, types=TYPES, shape=SHAPE, chunk=CHUNK, noise=3.0, **kw):
    """A NetCDF-4 file with one chunked variable per type; `kw` go to
    createVariable (compression options). The last time step of `holes`
    is never written: its chunks show the fill value."""
    ds = netCDF4.Dataset(p(name), "w", format="NETCDF4")
    ds.createDimension("t", shape[0])
    ds.createDimension("y", shape[1])
    ds.createDimension("x", shape[2])
    for t in types:
        v = ds.createVariable("v_" + t, t, ("t", "y", "x"), chunksizes=chunk, **kw)
        v.set_auto_maskandscale(False)
        try:
            v[:] = field(t, shape, noise)
        except RuntimeError as e:
            raise RuntimeError(f"{name}: writing {t}: {e}") from e
    h = ds.createVariable("holes", "f4", ("t", "y", "x"), chunksizes=chunk, fill_value=-7.5, **kw)
    h.set_auto_maskandscale(False)
    h[:3] = field("f4", shape, noise)[:3]
    ds.close()


def jsonable(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        return [None if np.isnan(x) else float(x) for x in a.reshape(-1)]
    if a.dtype.itemsize == 8:
        return [str(int(x)) for x in a.reshape(-1)]
    return [int(x) for x in a.reshape(-1)]


def expect_nc(name):
    """What netCDF4-python reads from every variable of `name`."""
    ds = netCDF4.Dataset(p(name))
    ds.set_auto_maskandscale(False)
    out = []
    for k, v in ds.variables.items():
        if k in ds.dimensions:
            continue
        out.append({
            "path": "/" + k,
            "dtype": v.dtype.str[1:],
            "shape": list(v.shape),
            "filters": describe_filters(name, k),
            "values": jsonable(v[:]),
        })
    ds.close()
    save(name, out, "netCDF4")


def expect_h5(name):
    """What h5py reads (for types netCDF-C does not map)."""
    out = []
    with h5py.File(p(name), "r") as f:
        for k, d in f.items():
            if not isinstance(d, h5py.Dataset) or d.ndim == 0 or k in ("t", "y", "x"):
                continue
            out.append({
                "path": "/" + k,
                "dtype": d.dtype.str[1:],
                "shape": list(d.shape),
                "filters": describe_filters(name, k),
                "values": jsonable(d[()]),
            })
    save(name, out, "h5py")


def describe_filters(name, var):
    with h5py.File(p(name), "r") as f:
        plist = f[var].id.get_create_plist()
        return [
            [plist.get_filter(i)[0], list(plist.get_filter(i)[2])]
            for i in range(plist.get_nfilters())
        ]


def save(name, out, reader):
    with open(p(os.path.splitext(name)[0] + ".json"), "w") as fh:
        json.dump({"file": name, "reader": reader, "vars": out}, fh)


# ------------------------------------------------ netCDF-C plugin filters
# netCDF-C's Blosc filter fails on a chunk it cannot shrink (its output
# buffer is the input's size), so Blosc gets larger chunks of smoother data.
BLOSC = dict(shape=(3, 40, 36), chunk=(2, 20, 18), noise=0.0)
# blosclz gives up on these small byte chunks: no 1-byte types there.
WIDE = [t for t in TYPES if t not in ("i1", "u1")]
for comp in ["zstd", "bzip2"]:
    base_nc(f"{comp}.nc", compression=comp, complevel=4)
    expect_nc(f"{comp}.nc")
def blosc_nc(name, **kw):
    types = WIDE if kw["compression"] == "blosc_lz" else TYPES
    try:
        base_nc(name, types=types, **kw, **BLOSC)
        expect_nc(name)
    except RuntimeError as e:
        SKIPPED.append(f"{name}: netCDF-C could not write it: {e}")


for comp in ["blosc_lz", "blosc_lz4", "blosc_lz4hc", "blosc_zlib", "blosc_zstd"]:
    blosc_nc(f"{comp}.nc", compression=comp, complevel=9)
# Filter shuffle before the compressor, and Blosc's own shuffle modes
# (0 none, 1 byte, 2 bit).
base_nc("zstd_shuffle.nc", compression="zstd", complevel=9, shuffle=True)
expect_nc("zstd_shuffle.nc")
base_nc("bzip2_shuffle.nc", compression="bzip2", complevel=9, shuffle=True)
expect_nc("bzip2_shuffle.nc")
for comp in ["blosc_lz", "blosc_lz4", "blosc_zlib", "blosc_zstd"]:
    for bs in (0, 2):
        blosc_nc(f"{comp}_bs{bs}.nc", compression=comp, blosc_shuffle=bs, complevel=9)
# szip through netCDF-C (types up to 32 bits: libaec's limit).
SZ_TYPES = ["i1", "u1", "i2", "u2", "i4", "u4", "f4", "f8"]
for coding, ppb in [("nn", 8), ("ec", 32)]:
    base_nc(f"nc_szip_{coding}.nc", types=SZ_TYPES, compression="szip", szip_coding=coding,
            szip_pixels_per_block=ppb)
    expect_nc(f"nc_szip_{coding}.nc")

# ------------------------------------------------ h5repack: szip, N-bit, scale-offset
base_nc("plain.nc")
h5repack = shutil.which("h5repack")
if h5repack is None:
    SKIPPED.append("h5repack (apt hdf5-tools) not installed: szip/nbit/soff via h5repack")
else:
    ints = ["v_" + t for t in ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8"]]
    floats = ["v_f4", "v_f8", "holes"]
    runs = {
        "szip_nn": ["-f", "SZIP=8,NN"],
        "szip_ec": ["-f", "SZIP=16,EC"],
        "szip_nn_shuf": ["-f", "SHUF", "-f", "SZIP=32,NN"],
        "nbit": ["-f", "NBIT"],
        "soff_int": ["-f", ",".join(ints) + ":SOFF=0,IN"],
        "soff_int4": ["-f", ",".join(ints) + ":SOFF=6,IN"],
        "soff_ds": ["-f", ",".join(floats) + ":SOFF=3,DS"],
        "soff_ds0": ["-f", ",".join(floats) + ":SOFF=0,DS"],
    }
    for name, args in runs.items():
        r = subprocess.run([h5repack, *args, p("plain.nc"), p(name + ".nc")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"h5repack {args} failed: {r.stderr}")
        expect_nc(name + ".nc")

# ------------------------------------------------ h5py: N-bit of reduced precision
def nbit_file(name):
    with h5py.File(p(name), "w", libver="earliest") as f:
        for base, prec, off, vals in [
            (h5py.h5t.STD_I32LE, 12, 0, rng.integers(-2048, 2047, (40, 9))),
            (h5py.h5t.STD_U16BE, 11, 3, rng.integers(0, 2047, (40, 9))),
            (h5py.h5t.STD_I8LE, 5, 2, rng.integers(-16, 15, (40, 9))),
            (h5py.h5t.STD_U64LE, 41, 7, rng.integers(0, 2**41 - 1, (40, 9), dtype="u8")),
        ]:
            tid = base.copy()
            tid.set_precision(prec)
            tid.set_offset(off)
            space = h5py.h5s.create_simple((40, 9))
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_chunk((16, 4))
            dcpl.set_filter(h5py.h5z.FILTER_NBIT, 0, ())
            nm = f"n_{base.dtype.str[1:]}_{prec}".encode()
            d = h5py.h5d.create(f.id, nm, tid, space, dcpl)
            arr = np.asarray(vals, dtype=base.dtype)
            d.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)
        # Float with reduced mantissa (the documented N-bit float example).
        tid = h5py.h5t.IEEE_F32LE.copy()
        tid.set_fields(26, 20, 6, 7, 13)
        tid.set_offset(7)
        tid.set_precision(20)
        tid.set_size(4)
        tid.set_ebias(31)
        space = h5py.h5s.create_simple((40, 9))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((16, 4))
        dcpl.set_filter(h5py.h5z.FILTER_NBIT, 0, ())
        d = h5py.h5d.create(f.id, b"n_f4_20", tid, space, dcpl)
        d.write(h5py.h5s.ALL, h5py.h5s.ALL,
                np.round(rng.normal(0, 50, (40, 9)), 2).astype("f4"))
    expect_h5(name)


# ------------------------------------------------ h5py: LZF (32000, h5py's own)
with h5py.File(p("h5_lzf.h5"), "w") as f:
    for t in TYPES:
        f.create_dataset("lzf_" + t, data=field(t), chunks=CHUNK, compression="lzf")
        f.create_dataset("lzf_shuf_" + t, data=field(t), chunks=CHUNK, compression="lzf",
                         shuffle=True)
expect_h5("h5_lzf.h5")

try:
    nbit_file("h5_nbit.h5")
except ValueError as e:  # HDF5 2.0 refuses "unusual" datatypes by default
    SKIPPED.append(f"h5_nbit.h5: h5py could not write it: {e}")
    os.remove(p("h5_nbit.h5"))

with open(p("skipped.txt"), "w") as fh:
    fh.write("\n".join(SKIPPED))
