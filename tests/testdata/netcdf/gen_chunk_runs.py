"""Writes deflated NetCDF-4 variables whose chunks map to the result in
different ways, for the in-place inflate test (tests/netcdf/netcdf_inflate_test.ts).

Usage: python3 gen_chunk_runs.py OUTDIR

runs.nc holds, for T = 7 steps of a 12 x 10 grid of doubles whose value is
exact (t * 10000 + y * 100 + x) / 2, zero where (t + y + x) % 5 == 0:
- step: chunks (1, 12, 10) (one time step, as STILT writes), deflate
- two: chunks (2, 12, 10): the last chunk reaches past the 7 steps
- rows: chunks (1, 6, 10): several chunks per step, each one run
- cols: chunks (1, 12, 5): a chunk is not one run of the result
- shuf: chunks (1, 12, 10), shuffle + deflate
- fl32: chunks (1, 12, 10), deflate + Fletcher-32
- shortc / longc: 4 doubles in one chunk whose zlib stream inflates to 31
  and to 33 bytes (declared 32); trail: the 32 bytes 0., 1., 2., 3., then
  3 bytes after the end of the zlib stream (ignored, as zlib does).

Needs numpy and h5py (PyPI). Deterministic.
"""

import os
import sys
import zlib

import h5py
import numpy as np

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
T, Y, X = 7, 12, 10
t, y, x = np.meshgrid(np.arange(T), np.arange(Y), np.arange(X), indexing="ij")
data = (t * 10000 + y * 100 + x) / 2.0
data[(t + y + x) % 5 == 0] = 0.0

with h5py.File(os.path.join(OUT, "runs.nc"), "w") as f:
    opts = {
        "step": dict(chunks=(1, Y, X)),
        "two": dict(chunks=(2, Y, X)),
        "rows": dict(chunks=(1, 6, X)),
        "cols": dict(chunks=(1, Y, 5)),
        "shuf": dict(chunks=(1, Y, X), shuffle=True),
        "fl32": dict(chunks=(1, Y, X), fletcher32=True),
    }
    for name, o in opts.items():
        f.create_dataset(name, data=data, compression="gzip", compression_opts=9, **o)
    four = np.arange(4, dtype="<f8").tobytes()
    for name, stream in (
        ("shortc", zlib.compress(four[:-1], 9)),
        ("longc", zlib.compress(four + b"\0", 9)),
        ("trail", zlib.compress(four, 9) + b"\1\2\3"),
    ):
        d = f.create_dataset(name, shape=(4,), chunks=(4,), dtype="<f8", compression="gzip")
        d.id.write_direct_chunk((0,), stream)
print("written", OUT)
