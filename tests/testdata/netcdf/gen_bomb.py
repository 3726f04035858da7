"""Writes hostile NetCDF-4 files for the decompression bounds tests.

Usage: python3 gen_bomb.py OUTDIR

- bomb.nc: variable `v` of 8 ubytes in one deflated chunk (declared size
  8 bytes) whose stored zlib stream inflates to 1 GiB of zeros (about 1 MB
  on disk). A reader must stop inflating at the declared size.
- bomb_small.nc: the same with 64 MiB (fast enough for every backend).

Needs numpy and h5py (PyPI). Deterministic.
"""

import os
import sys
import zlib

import h5py
import numpy as np

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def bomb(name, inflated):
    z = zlib.compressobj(9)
    block = bytes(1 << 20)
    parts = [z.compress(block) for _ in range(inflated >> 20)]
    parts.append(z.flush())
    stream = b"".join(parts)
    with h5py.File(os.path.join(OUT, name), "w") as f:
        d = f.create_dataset("v", shape=(8,), chunks=(8,), dtype="u1", compression="gzip")
        d.id.write_direct_chunk((0,), stream)
        f.create_dataset("ok", data=np.arange(4, dtype="i4"))


bomb("bomb.nc", 1 << 30)
bomb("bomb_small.nc", 64 << 20)
print("bombs written to", OUT)
