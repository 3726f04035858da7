"""Reads an original file the way Python users do and prints its columns as JSON.

Usage: originals_peer.py atc|etc|eddy|netcdf PATH

atc:    pandas.read_csv with the documented header (HEADER LINES), ';' separated,
        -999.99 missing everywhere and -9.99 in Stdev columns (the file's own comments).
etc:    pandas.read_csv, -9999 missing.
eddy:   pandas.read_csv skipping the units row, latin-1.
netcdf: netCDF4-python, the variables along `time` (masked values as null, char as text,
        CF time as epoch milliseconds).
Numbers are printed with repr precision; NaN and masked values as null.
"""
import json
import math
import sys


def clean(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return clean(v.item())
    return v


def frame_columns(df):
    out = {}
    for c in df.columns:
        out[str(c)] = [clean(v) for v in df[c].tolist()]
    return out


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "netcdf":
        import netCDF4
        import numpy as np

        ds = netCDF4.Dataset(path)
        ds.set_auto_mask(True)
        cols = {}
        dim = "time" if "time" in ds.dimensions else list(ds.dimensions)[0]
        for name, v in ds.variables.items():
            if not v.dimensions or v.dimensions[0] != dim:
                continue
            if v.dtype == "S1" or str(v.dtype) == "|S1":
                ds.set_auto_chartostring(False)
                raw = v[:]
                if raw.ndim == 1:
                    vals = [None if (x is np.ma.masked or x in (b"", b"\x00")) else x.decode() for x in raw.tolist()]
                else:
                    vals = [b"".join(r).rstrip(b"\x00").decode().rstrip() or None
                            for r in np.ma.filled(raw, b"").tolist()]
                cols[name] = vals
                continue
            if len(v.dimensions) != 1:
                continue
            data = v[:]
            units = getattr(v, "units", "")
            if " since " in units:
                dates = netCDF4.num2date(np.ma.filled(data.astype("f8"), np.nan), units,
                                         only_use_cftime_datetimes=False,
                                         only_use_python_datetimes=True)
                import calendar
                cols[name] = [None if d is None or d is np.ma.masked else
                              calendar.timegm(d.timetuple()) * 1000 + d.microsecond // 1000
                              for d in np.ma.filled(dates, None).tolist()]
                continue
            filled = np.ma.filled(data.astype("f8"), np.nan)
            cols[name] = [clean(float(x)) for x in filled.tolist()]
        print(json.dumps({"columns": cols, "attributes": {k: clean(getattr(ds, k)) if not isinstance(getattr(ds, k), str) else getattr(ds, k) for k in ds.ncattrs() if not hasattr(getattr(ds, k), "__len__") or isinstance(getattr(ds, k), str)}}))
        return
    import pandas as pd

    if kind == "atc":
        header_lines = None
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f):
                if line.startswith("# HEADER LINES:"):
                    header_lines = int(line.split(":")[1])
                if not line.startswith("#"):
                    first_data = i
                    break
        if header_lines is None:
            header_lines = first_data
        df = pd.read_csv(path, sep=";", skiprows=header_lines - 1, encoding="utf-8",
                         encoding_errors="replace", dtype={"Flag": str, "#Site": str})
        df = df.rename(columns={"#Site": "Site"})
        for c in df.columns:
            if df[c].dtype.kind == "f":
                bad = [-999.99] + ([-9.99] if c.startswith("Stdev") else [])
                df[c] = df[c].where(~df[c].isin(bad))
        df.insert(0, "TIMESTAMP", pd.to_datetime(dict(year=df.Year, month=df.Month, day=df.Day,
                                                      hour=df.Hour, minute=df.Minute), utc=True))
        df["TIMESTAMP"] = (df["TIMESTAMP"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    elif kind == "etc":
        df = pd.read_csv(path, na_values=[-9999])
        for c in df.columns:
            if c.startswith("TIMESTAMP"):
                t = pd.to_datetime(df[c].astype("Int64").astype(str), format="%Y%m%d%H%M", utc=True)
                df[c] = (t - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    elif kind == "eddy":
        df = pd.read_csv(path, skiprows=[1], encoding="latin-1", na_values=[-9999])
    else:
        raise SystemExit(f"unknown kind {kind}")
    print(json.dumps({"columns": frame_columns(df)}))


main()
