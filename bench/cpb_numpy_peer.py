"""numpy peer for the cpb decode benchmark (run by cpb_numpy_peer.ts).

Decodes the same big-endian column-major bytes the way icoscp_core does
(np.frombuffer with a big-endian dtype per column, then byteswap into a
native array: one fresh array per column), and also into preallocated native
arrays (np.copyto), the like-for-like counterpart of decoding into reused
buffers. Prints one JSON object per case.

Usage: python3 cpb_numpy_peer.py FILE ROWS REPS
"""
import json
import sys
import time

import numpy as np

TYPES = [">f8", ">f8", ">f4", ">f4", ">i4", ">u2"]


def columns(buf, rows):
    off = 0
    for t in TYPES:
        dt = np.dtype(t)
        yield dt, off
        off += dt.itemsize * rows


def plain(buf, rows):
    out = []
    for dt, off in columns(buf, rows):
        a = np.frombuffer(buf, dtype=dt, count=rows, offset=off)
        out.append(a.byteswap().view(dt.newbyteorder("=")))
    return out


def prealloc(buf, rows, dest):
    for (dt, off), d in zip(columns(buf, rows), dest):
        np.copyto(d, np.frombuffer(buf, dtype=dt, count=rows, offset=off))
    return dest


def timed(f, reps):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    path, rows, reps = sys.argv[1], int(float(sys.argv[2])), int(sys.argv[3])
    with open(path, "rb") as f:
        buf = f.read()
    assert len(buf) == rows * 30, "unexpected file size"
    check = plain(buf, rows)
    dest = [np.empty(rows, dtype=np.dtype(t).newbyteorder("=")) for t in TYPES]
    for name, f in [
        ("numpy plain (frombuffer + byteswap, as icoscp_core)", lambda: plain(buf, rows)),
        ("numpy into preallocated (np.copyto)", lambda: prealloc(buf, rows, dest)),
    ]:
        median, best = timed(f, reps)
        print(json.dumps({
            "case": name, "rows": rows, "bytes": len(buf), "median_s": median, "min_s": best,
            "numpy": np.__version__,
            "checksum": [float(check[1][0]), float(check[1][-1]), int(check[4][-1])],
        }))


main()
