"""netCDF4-python anchor for bench/foot_peer.ts: median seconds to read all
of `foot` (default auto-mask), one JSON line per file.
Usage: python3 foot_peer.py REPS FILE..."""

import json
import sys
import time

import netCDF4
import numpy as np

reps = int(sys.argv[1])
for path in sys.argv[2:]:
    ts = []
    cs = []
    for _ in range(reps + 1):
        c0 = time.process_time()
        t0 = time.perf_counter()
        with netCDF4.Dataset(path) as d:
            v = d["foot"][:]
        ts.append(time.perf_counter() - t0)
        cs.append(time.process_time() - c0)
        chk = float(np.asarray(v).ravel()[::97].sum())
        del v
    ts = sorted(ts[1:])
    cs = sorted(cs[1:])
    print(
        json.dumps(
            {
                "file": path,
                "median_s": ts[len(ts) // 2],
                "min_s": ts[0],
                "median_cpu_s": cs[len(cs) // 2],
                "checksum": chk,
            }
        )
    )
