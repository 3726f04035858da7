"""icoscp_core peer of bench/dobj_e2e_peer.ts: times get_columns_as_arrays,
and the same plus a pandas DataFrame (what icoscp's Dobj.get does), for the
given objects of the emulator. Prints one JSON line per case.

Usage: python3 dobj_e2e_peer.py <emulator.json> <reps>
"""

import json
import sys
import time

import pandas as pd
from icoscp_core.bootstrap import Bootstrap
from icoscp_core.envri import EnvriConfig


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
    ep = emu["endpoints"]
    conf = EnvriConfig(
        envri="ICOS", sparql_endpoint=ep["sparql"], meta_instance_prefix=ep["metaInstancePrefix"],
        auth_service_base_url=ep["auth"] + "/", data_service_base_url=ep["data"],
        default_station_type_url=ep["defaultStationClass"], token_name=ep["tokenName"], site_used=False,
    )
    meta, data = Bootstrap(conf).fromCredentials(emu["user"], emu["password"])
    for o in emu["objects"]:
        dm = meta.get_dobj_meta(o["uri"])
        for name, f in [
            ("icoscp_core get_columns_as_arrays", lambda: data.get_columns_as_arrays(dm)),
            ("icoscp_core + pandas DataFrame", lambda: pd.DataFrame(data.get_columns_as_arrays(dm))),
        ]:
            median, best = timed(f, reps)
            print(json.dumps({"rows": o["rows"], "bytes": o["bytes"], "case": name, "median_s": median, "min_s": best}), flush=True)


main()
