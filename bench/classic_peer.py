"""netCDF4-python side of bench/classic_peer.ts: open + read every variable
(no masking/scaling) + close, per file, and reading the file's bytes into a
fresh numpy array ("raw:" + file); prints JSON {file: [median, min] seconds}.

Usage: python3 classic_peer.py REPS FILE...
"""

import json
import os
import sys
import time

import netCDF4
import numpy as np

reps = int(sys.argv[1])
out = {}
for path in sys.argv[2:]:

    def once():
        with netCDF4.Dataset(path) as d:
            d.set_auto_maskandscale(False)
            for v in d.variables.values():
                v[:]

    once()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        once()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    out[path] = [ts[len(ts) // 2], ts[0]]

    # The limit: the file's bytes read into a fresh array (numpy's huge pages).
    def raw():
        with open(path, "rb", buffering=0) as f:
            b = np.empty(os.fstat(f.fileno()).st_size, np.uint8)
            f.readinto(b)

    raw()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        raw()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    out["raw:" + path] = [ts[len(ts) // 2], ts[0]]
print(json.dumps(out))
