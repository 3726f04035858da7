"""icoscp_core peer of bench/dobj_e2e_peer.ts: times get_columns_as_arrays,
and the same plus a pandas DataFrame (what icoscp's Dobj.get does), for the
given objects of the emulator. Prints one JSON line per case.

Usage: python3 dobj_e2e_peer.py <emulator.json> <reps>
"""

import json
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests"))
from _icoscp_core_emulator import connect  # noqa: E402


def timed(f, reps):
    f()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        t.append(time.perf_counter() - s)
    t.sort()
    return t[len(t) // 2], t[0]


def main():
    with open(sys.argv[1]) as f:
        emu = json.load(f)
    reps = int(sys.argv[2])
    meta, data = connect(emu)
    for o in emu["objects"]:
        dm = meta.get_dobj_meta(o["uri"])
        for name, f in [
            ("icoscp_core get_columns_as_arrays", lambda: data.get_columns_as_arrays(dm)),
            ("icoscp_core + pandas DataFrame", lambda: pd.DataFrame(data.get_columns_as_arrays(dm))),
        ]:
            median, best = timed(f, reps)
            print(json.dumps({"rows": o["rows"], "bytes": o["bytes"], "case": name, "median_s": median, "min_s": best}), flush=True)


main()
