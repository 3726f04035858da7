"""icoscp_core peer of bench/dobj_e2e_peer.ts: times get_columns_as_arrays,
and the same plus a pandas DataFrame (what icoscp's Dobj.get does), for the
given objects of the emulator.

Usage: python3 dobj_e2e_peer.py <emulator.json> rss <uri>
       python3 dobj_e2e_peer.py <emulator.json> serve
The first form prints the peak RSS growth (bytes) of one
get_columns_as_arrays call, arrays held, in this fresh process. The second
times one call per request line ({"uri", "case": "arrays" | "pandas"}) and
answers {"s": seconds} on a line, so that the TypeScript side can let the
two libraries take turns in every round.
"""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests"))
from _icoscp_core_emulator import connect  # noqa: E402


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

    if sys.argv[2] == "serve":
        metas = {}
        for line in sys.stdin:
            req = json.loads(line)
            dm = metas.get(req["uri"]) or metas.setdefault(req["uri"], meta.get_dobj_meta(req["uri"]))
            s = time.perf_counter()
            if req["case"] == "pandas":
                pd.DataFrame(data.get_columns_as_arrays(dm))
            else:
                data.get_columns_as_arrays(dm)
            print(json.dumps({"s": time.perf_counter() - s}), flush=True)
        return
    raise SystemExit(__doc__)


main()
