"""Runs icoscp_core's list_data_objects, unmodified, against the emulator for
each case of a JSON file and prints the object URIs of each answer, in order.

Usage: python icoscp_core_search.py cases.json
The file holds the emulator's `endpoints`, `user`, `password` and `cases`, each
{name, datatype: [uri] | null, station: [uri] | null, filters: [[kind, …]],
include_deprecated, order_by, limit, offset}.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from _icoscp_core_emulator import connect  # noqa: E402
from icoscp_core.queries.dataobjlist import (  # noqa: E402
    GeoIntersectFilter, SamplingHeightFilter, SizeFilter, TimeFilter)
from icoscp_core.geofeaturemeta import Point  # noqa: E402


def filt(f):
    kind = f[0]
    if kind == "time":
        return TimeFilter(f[1], f[2], f[3])
    if kind == "size":
        return SizeFilter(f[1], f[2])
    if kind == "height":
        return SamplingHeightFilter(f[1], f[2])
    if kind == "geo":
        return GeoIntersectFilter([Point(lat, lon) for lat, lon in f[1]])
    raise ValueError(kind)


emu = json.load(open(sys.argv[1]))
meta, _ = connect(emu)
out = {}
for c in emu["cases"]:
    objs = meta.list_data_objects(
        datatype=c["datatype"], station=c["station"],
        filters=[filt(f) for f in c["filters"]],
        include_deprecated=c["include_deprecated"],
        order_by=c["order_by"], limit=c["limit"], offset=c["offset"])
    out[c["name"]] = [o.uri for o in objs]
print(json.dumps(out))
