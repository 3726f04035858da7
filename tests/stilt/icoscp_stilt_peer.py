"""The Python peer for tests/stilt/icoscp_stilt_peer_test.ts: icoscp_stilt
(unmodified, from PyPI) lists stations, fetches a time series and lists
footprints from the emulator. Its viewer URL is a module constant; it is
pointed at the emulator at run time. Prints one JSON object.

Usage: python3 icoscp_stilt_peer.py <viewer base URL ending in />
"""

import json
import math
import sys

import icoscp_stilt.stilt as stilt

base = sys.argv[1]
stilt.STILT_VIEWER = base
stilt.STILTINFO = base + "stationinfo"
stilt.STILTTS = base + "stiltresult"
stilt.STILTRAW = base + "stiltrawresult"

columns = ["isodate", "co2.stilt", "co2.bio", "co2.fuel", "co2.cement", "co2.non_fuel", "co2.background"]
stations = [
    {"id": s.id, "lat": s.lat, "lon": s.lon, "alt": s.alt, "icosId": s.icosId, "icosHeight": s.icosHeight,
     "countryCode": s.countryCode, "years": list(s.years)}
    for s in stilt.list_stations()
]
ts = stilt.fetch_result_ts("GAT344", "2016-05-10", "2016-05-12", columns)
series = {c: [None if (isinstance(v, float) and math.isnan(v)) else float(v) for v in ts[c].tolist()] for c in columns if c != "isodate"}
series["isodate"] = [int(t.timestamp() * 1000) for t in ts["isodate"]]
footprints = [d.isoformat() for d in stilt.list_footprints("GAT344", "2016-05-10", "2016-05-11")]
print(json.dumps({"stations": stations, "series": series, "footprints": footprints}))
