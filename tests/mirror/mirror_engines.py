"""Reads an icoscp mirror with another engine and prints one JSON answer.

Usage: mirror_engines.py <engine> <dir or, for icoscp_core, emulator.json>

engine: duckdb | spark | geopandas | icoscp_core | types
The answer of duckdb, spark and icoscp_core is the per-station, per-height,
per-month mean and count of co2 over the spec atcCo2L2DataObject, as
[[station, height, "YYYY-MM", mean, count], ...] sorted. icoscp_core computes
it from get_columns_as_arrays of the objects listed in the emulator's JSON
(endpoints, user, password, objects: URIs), not from the mirror.
"""

import json
import sys


def duckdb_answer(d):
    import duckdb

    rows = duckdb.sql(
        f"""select station, samplingHeight, strftime(TIMESTAMP at time zone 'UTC', '%Y-%m') m,
               avg(co2), count(co2)
            from read_parquet('{d}/spec=*/year=*/*.parquet', hive_partitioning=true,
                              union_by_name=true)
            where spec = 'atcCo2L2DataObject' and co2 is not null
            group by all order by all"""
    ).fetchall()
    return [[s, h, m, float(a), int(c)] for s, h, m, a, c in rows]


def types_answer(d):
    import duckdb

    rows = duckdb.sql(
        f"""select column_name, column_type from (describe select * from
            read_parquet('{d}/spec=*/year=*/*.parquet', hive_partitioning=true, union_by_name=true))"""
    ).fetchall()
    return dict(rows)


def spark_answer(d):
    import os

    # a small JVM that starts fast (client compiler, serial GC) and one shuffle
    # partition: the default 200 tasks per aggregation dominate a 1 MB dataset
    os.environ.setdefault(
        "PYSPARK_SUBMIT_ARGS",
        "--master local[1] --driver-memory 512m --driver-java-options"
        " '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto' pyspark-shell",
    )
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("icoscp-mirror-check")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.parquet.mergeSchema", "true")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.option("mergeSchema", "true").parquet(d + "/spec=atcCo2L2DataObject")
    tstype = dict(df.dtypes)["TIMESTAMP"]
    df.createOrReplaceTempView("t")
    rows = spark.sql(
        """select station, samplingHeight, date_format(TIMESTAMP, 'yyyy-MM') m,
                  avg(co2), count(co2) from t where co2 is not null
           group by station, samplingHeight, m order by station, samplingHeight, m"""
    ).collect()
    spark.stop()
    return {"timestampType": tstype, "rows": [[r[0], r[1], r[2], float(r[3]), int(r[4])] for r in rows]}


def geopandas_answer(d):
    import geopandas

    out = {}
    for name in ("objects", "stations"):
        g = geopandas.read_parquet(f"{d}/index/{name}.parquet")
        out[name] = {
            "rows": len(g),
            "geomType": sorted(set(g.geometry.geom_type.dropna())),
            "crs": str(g.crs),
            "first": [round(g.geometry.iloc[0].x, 6), round(g.geometry.iloc[0].y, 6)],
            "columns": list(g.columns),
        }
    return out


def icoscp_core_answer(emu_json):
    import os
    from collections import defaultdict

    import numpy as np

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from _icoscp_core_emulator import connect

    with open(emu_json) as f:
        emu = json.load(f)
    meta, data = connect(emu)
    sums = defaultdict(lambda: [0.0, 0])
    for uri in emu["objects"]:
        dobj = meta.get_dobj_meta(uri)
        spec = dobj.specification.self.uri.split("/")[-1]
        if spec != "atcCo2L2DataObject":
            continue
        st = dobj.specificInfo.acquisition.station.id
        h = dobj.specificInfo.acquisition.samplingHeight
        arrs = data.get_columns_as_arrays(dobj, ["TIMESTAMP", "co2"])
        ts = arrs["TIMESTAMP"].astype("datetime64[M]").astype(str)
        co2 = arrs["co2"]
        for m, v in zip(ts, co2):
            if not np.isnan(v):
                s = sums[(st, float(h), m)]
                s[0] += float(v)
                s[1] += 1
    return [[k[0], k[1], k[2], v[0] / v[1], v[1]] for k, v in sorted(sums.items())]


if __name__ == "__main__":
    engine, d = sys.argv[1], sys.argv[2]
    if engine == "duckdb":
        ans = duckdb_answer(d)
    elif engine == "types":
        ans = types_answer(d)
    elif engine == "spark":
        ans = spark_answer(d)
    elif engine == "geopandas":
        ans = geopandas_answer(d)
    elif engine == "icoscp_core":
        ans = icoscp_core_answer(d)
    else:
        raise SystemExit(f"unknown engine {engine}")
    print(json.dumps(ans))
