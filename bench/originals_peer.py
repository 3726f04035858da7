"""Times Python's readers of the emulator's original files (the peer of bench/originals_peer.ts).

Usage: originals_peer.py REPS ATC_CSV OBSPACK_NC ETC_CSV
Prints JSON: {"atc": median_s, "obspack": median_s, "etc": median_s}.
"""
import json
import statistics
import sys
import time

import netCDF4
import numpy as np
import pandas as pd


def timed(reps, f):
    f()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        t.append(time.perf_counter() - s)
    return statistics.median(t)


def atc(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# HEADER LINES:"):
                n = int(line.split(":")[1])
                break
    df = pd.read_csv(path, sep=";", skiprows=n - 1)
    df["TIMESTAMP"] = pd.to_datetime(dict(year=df.Year, month=df.Month, day=df.Day,
                                          hour=df.Hour, minute=df.Minute), utc=True)
    return df


def obspack(path):
    ds = netCDF4.Dataset(path)
    out = {k: v[:] for k, v in ds.variables.items() if v.dimensions and v.dimensions[0] == "time"}
    out["time"] = netCDF4.num2date(out["time"], ds["time"].units)
    ds.close()
    return out


def etc(path):
    df = pd.read_csv(path, na_values=[-9999])
    for c in ("TIMESTAMP_START", "TIMESTAMP_END"):
        df[c] = pd.to_datetime(df[c].astype(str), format="%Y%m%d%H%M")
    return df


reps = int(sys.argv[1])
print(json.dumps({
    "atc": timed(reps, lambda: atc(sys.argv[2])),
    "obspack": timed(reps, lambda: obspack(sys.argv[3])),
    "etc": timed(reps, lambda: etc(sys.argv[4])),
}))
