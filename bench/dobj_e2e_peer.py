"""icoscp_core peer of bench/dobj_e2e_peer.ts: times get_columns_as_arrays,
and the same plus a pandas DataFrame (what icoscp's Dobj.get does), for the
given objects of the emulator. Prints one JSON line per case.

Usage: python3 dobj_e2e_peer.py <emulator.json> <reps>
       python3 dobj_e2e_peer.py <emulator.json> rss <uri>
The second form prints the peak RSS growth (bytes) of one
get_columns_as_arrays call, arrays held, in this fresh process.
"""

import json
import os
import re
import sys
import time

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


def status(key):
    with open("/proc/self/status") as f:
        return int(re.search(key + r":\s+(\d+) kB", f.read()).group(1)) * 1024


def rss(data, dm):
    base = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak (VmHWM) to the current RSS
    cols = data.get_columns_as_arrays(dm)
    peak = status("VmHWM")
    print(json.dumps({"rss_growth": peak - base, "array_bytes": sum(a.nbytes for a in cols.values())}))


def main():
    with open(sys.argv[1]) as f:
        emu = json.load(f)
    meta, data = connect(emu)
    if sys.argv[2] == "rss":
        rss(data, meta.get_dobj_meta(sys.argv[3]))
        return
    import pandas as pd

    reps = int(sys.argv[2])
    for o in emu["objects"]:
        dm = meta.get_dobj_meta(o["uri"])
        for name, f in [
            ("icoscp_core get_columns_as_arrays", lambda: data.get_columns_as_arrays(dm)),
            ("icoscp_core + pandas DataFrame", lambda: pd.DataFrame(data.get_columns_as_arrays(dm))),
        ]:
            median, best = timed(f, reps)
            print(json.dumps({"rows": o["rows"], "bytes": o["bytes"], "case": name, "median_s": median, "min_s": best}), flush=True)


main()
