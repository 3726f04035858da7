"""The loop a Python user writes today to copy objects into Parquet files:
icoscp_core's get_columns_as_arrays per object, then pandas to_parquet.

Usage: mirror_peer.py <emulator.json> <uris.json> <out dir>
Prints one JSON line: seconds, objects, rows.
"""

import json
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from _icoscp_core_emulator import connect  # noqa: E402

emu = json.load(open(sys.argv[1]))
uris = json.load(open(sys.argv[2]))
out = sys.argv[3]
os.makedirs(out, exist_ok=True)
t0 = time.perf_counter()
c0 = time.process_time()
meta, data = connect(emu)
rows = 0
for i, uri in enumerate(uris):
    dobj = meta.get_dobj_meta(uri)
    arrays = data.get_columns_as_arrays(dobj)
    df = pd.DataFrame(arrays)
    df.to_parquet(os.path.join(out, f"{i}.parquet"))
    rows += len(df)
cpu = time.process_time() - c0
print(json.dumps({"seconds": time.perf_counter() - t0, "objects": len(uris), "rows": rows, "cpu": cpu}))
