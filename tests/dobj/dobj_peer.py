"""The Python peer for tests/dobj/dobj_peer_test.ts: icoscp_core (unmodified, from
PyPI) fetches columns of the given objects from the emulator and prints them
as JSON, so the test can compare them with this library's arrays.

Usage: python3 dobj_peer.py <emulator.json>
Values: datetime64 as epoch milliseconds, one-character strings as strings,
NaN and NaT as null.
"""

import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from _icoscp_core_emulator import connect  # noqa: E402


def plain(arr):
    if np.issubdtype(arr.dtype, np.datetime64):
        ms = arr.astype("datetime64[ms]").astype("int64")
        return [None if np.isnat(t) else int(m) for t, m in zip(arr, ms)]
    if arr.dtype.kind == "U":
        return [str(v) for v in arr]
    if arr.dtype.kind == "f":
        return [None if math.isnan(v) else float(v) for v in arr.tolist()]
    return [int(v) for v in arr.tolist()]


def main():
    with open(sys.argv[1]) as f:
        emu = json.load(f)
    meta, data = connect(emu)
    out = {}
    for uri in emu["objects"]:
        dm = meta.get_dobj_meta(uri)
        for keep in (False, True):
            cols = data.get_columns_as_arrays(dm, keep_bad_data=keep)
            out[f"{uri}|{str(keep).lower()}"] = {name: plain(np.asarray(arr)) for name, arr in cols.items()}
    print(json.dumps(out))


main()
