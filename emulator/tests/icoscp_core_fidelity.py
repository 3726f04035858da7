"""Fidelity check: the unmodified icoscp_core (from PyPI) against the local emulator.

Run by emulator/tests/icoscp_core_fidelity_test.ts, which starts the emulator
and writes a JSON file with its endpoints, users and the values it generated.
Usage: python3 icoscp_core_fidelity.py <expected.json>
Prints one JSON line with the checks that passed; exits 1 on the first failure.
"""

import hashlib
import json
import math
import os
import sys
import tempfile

import numpy as np
from icoscp_core.metaclient import GeoIntersectFilter, SizeFilter, TimeFilter
from icoscp_core.geofeaturemeta import Point

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from _icoscp_core_emulator import connect  # noqa: E402

ONTO = "http://meta.icos-cp.eu/ontologies/cpmeta/"
passed = []


def check(name, condition, detail=""):
    if not condition:
        print(json.dumps({"failed": name, "detail": str(detail), "passed": passed}))
        sys.exit(1)
    passed.append(name)


def main():
    with open(sys.argv[1]) as f:
        exp = json.load(f)
    ep = exp["endpoints"]
    meta, data = connect(exp)
    prefix = ep["metaInstancePrefix"]

    # Stations (Q2), with the strict datatype checks of icoscp_core.
    stations = meta.list_stations()
    check("list_stations ids", sorted(s.id for s in stations) == sorted(exp["stationIds"]), [s.id for s in stations])
    gat = next(s for s in stations if s.id == "GAT")
    check("GAT facts", (gat.name, gat.lat, gat.lon, gat.elevation, gat.country_code)
          == ("Gartow", 53.0657, 11.4429, 70.0, "DE"), gat)
    check("GAT uri", gat.uri == prefix + "resources/stations/AS_GAT", gat.uri)
    atmo = meta.list_stations(ONTO + "AS")
    check("list_stations(AS)", sorted(s.id for s in atmo) == ["GAT", "HTM", "NOR", "ZSF"], [s.id for s in atmo])

    # Data types (Q1).
    types = meta.list_datatypes()
    labels = sorted(t.label for t in types)
    check("list_datatypes", labels == sorted(exp["specLabels"]), labels)
    co2spec = next(t for t in types if t.uri.endswith("/atcCo2L2DataObject"))
    check("datatype fields", co2spec.data_level == 2 and co2spec.has_data_access
          and co2spec.format.uri == ONTO + "asciiAtcProductTimeSer", co2spec)

    # Data objects (Q3), deprecation, filters, ordering.
    gat_objs = meta.list_data_objects(datatype=co2spec, station=gat)
    check("list_data_objects GAT CO2 L2", [o.uri for o in gat_objs] == [exp["main"]["uri"]], gat_objs)
    o = gat_objs[0]
    check("dobj lite fields", (o.filename, o.size_bytes, o.sampling_height, o.time_start.isoformat(), o.time_end.isoformat())
          == (exp["main"]["fileName"], exp["main"]["size"], 341.0, "2022-01-01T00:00:00+00:00", "2022-12-31T23:00:00+00:00"), o)
    with_old = meta.list_data_objects(datatype=co2spec, station=gat, include_deprecated=True)
    check("include_deprecated", len(with_old) == 2, with_old)
    all_objs = meta.list_data_objects(limit=1000)
    check("all non-deprecated objects", len(all_objs) == exp["latestDataObjects"], len(all_objs))
    big = meta.list_data_objects(filters=[SizeFilter(">", 540000)], order_by="size")
    check("SizeFilter + order", [x.size_bytes for x in big] == sorted(x.size_bytes for x in big) and all(x.size_bytes > 540000 for x in big) and len(big) > 0, big)
    recent = meta.list_data_objects(filters=[TimeFilter("timeStart", ">", "2023-06-01T00:00:00Z")])
    check("TimeFilter", [x.filename for x in recent] == [exp["nrtFileName"]], recent)
    sweden = meta.list_data_objects(
        station=None,
        filters=[GeoIntersectFilter([Point(55.0, 12.0), Point(61.0, 12.0), Point(61.0, 19.0), Point(55.0, 19.0)])],
    )
    check("GeoIntersectFilter", sorted({x.station_uri.split("/")[-1] for x in sweden if x.station_uri})
          == ["AS_HTM", "AS_NOR", "ES_SE-Htm"], sweden)

    # Landing-page metadata (DataObject, StaticCollection).
    dm = meta.get_dobj_meta(exp["main"]["uri"])
    check("dobj hash", dm.hash == exp["main"]["hash"], dm.hash)
    check("dobj citation", dm.references.citationString == exp["main"]["citation"], dm.references.citationString)
    check("dobj nRows", dm.specificInfo.nRows == exp["main"]["nRows"], dm.specificInfo.nRows)
    check("dobj columns", sorted(c.label for c in dm.specificInfo.columns) == ["Flag", "NbPoints", "Stdev", "TIMESTAMP", "co2"],
          dm.specificInfo.columns)
    check("dobj station", dm.specificInfo.acquisition.station.id == "GAT"
          and dm.specificInfo.acquisition.station.specificInfo.stationClass == "1", dm.specificInfo.acquisition.station)
    check("dobj previous version", dm.previousVersion == exp["main"]["previousVersion"], dm.previousVersion)
    check("dobj licence", dm.references.licence.name == "ICOS CCBY4 Data Licence", dm.references.licence)
    check("dobj coverageGeo", tuple(dm.coverageGeo["geometry"]["coordinates"]) == (11.4429, 53.0657, 70.0), dm.coverageGeo)
    spatial = meta.get_dobj_meta(exp["spatialUri"])
    check("spatio-temporal meta", spatial.specificInfo.spatial.min.lat == 34 and spatial.specificInfo.temporal.resolution == "monthly",
          spatial.specificInfo)
    coll = meta.get_collection_meta(exp["collection"]["uri"])
    check("collection meta", (coll.doi, len(coll.members), coll.references.citationString)
          == (exp["collection"]["doi"], exp["collection"]["members"], exp["collection"]["citation"]), coll)

    # Authentication.
    token = data.auth.get_token()
    check("login", token.user_id == exp["user"] and token.auth_source == "Password" and not token.is_expired(), token)
    check("cookie with trailing semicolon", token.cookie_value.startswith("cpauthToken=") and token.cookie_value.endswith(";"),
          token.cookie_value)

    # Binary data, single object: values, flags masking, slices.
    cols = data.get_columns_as_arrays(dm)
    co2 = cols["co2"]
    expected_co2 = np.array([math.nan if v is None else v for v in exp["main"]["co2Masked"]], dtype=np.float32)
    check("co2 values (masked by flags)", np.array_equal(co2, expected_co2, equal_nan=True),
          (co2[:10], expected_co2[:10]))
    ts = cols["TIMESTAMP"]
    check("TIMESTAMP", str(ts[0]) == "2022-01-01T00:00:00.000" and str(ts[-1]) == "2022-12-31T23:00:00.000", (ts[0], ts[-1]))
    check("Flag chars", "".join(cols["Flag"][:50]) == exp["main"]["flags50"], cols["Flag"][:50])
    check("Stdev unmasked", int(np.sum(cols["Stdev"] == np.float32(-9.99))) == exp["main"]["gapRows"], None)
    raw = data.get_columns_as_arrays(dm, keep_bad_data=True)
    check("keep_bad_data", int(np.isnan(raw["co2"]).sum()) == exp["main"]["gapRows"], int(np.isnan(raw["co2"]).sum()))
    part = data.get_columns_as_arrays(dm, columns=["co2"], offset=100, length=50)
    check("slice + auto flag column", sorted(part.keys()) == ["Flag", "co2"] and len(part["co2"]) == 50
          and np.array_equal(part["co2"], expected_co2[100:150], equal_nan=True), part)

    # Batch (Q5-Q7 + /cpb per object).
    batch = dict(data.batch_get_columns_as_arrays(exp["co2Uris"], ["co2"]))
    check("batch objects", sorted(batch.keys()) == sorted(exp["co2Uris"]), batch.keys())
    for uri, arrs in batch.items():
        check(f"batch rows {uri[-24:]}", len(arrs["co2"]) == exp["rows"][uri], len(arrs["co2"]))
    # Quirk of icoscp_core 0.3.13: the batch path looks good flags up by spec URI
    # in a map keyed by format URI, so it never masks bad values.
    check("batch values equal unmasked single", np.array_equal(batch[exp["main"]["uri"]]["co2"], raw["co2"], equal_nan=True))

    # Ecosystem object: QC flags 0/1 are good, actual column names.
    eco = meta.get_dobj_meta(exp["etcUri"])
    nee = data.get_columns_as_arrays(eco, columns=["NEE_VUT_REF"])
    check("ETC flag column added", sorted(nee.keys()) == ["NEE_VUT_REF", "NEE_VUT_REF_QC"], nee.keys())
    bad = ~np.isin(nee["NEE_VUT_REF_QC"], ["0", "1"])
    check("ETC bad flags masked", bool(np.all(np.isnan(nee["NEE_VUT_REF"][bad]))) and int(bad.sum()) == exp["etcBadNee"],
          int(bad.sum()))
    eco_batch = dict(data.batch_get_columns_as_arrays([exp["etcUri"]], ["TA_F"]))
    check("ETC batch with actual column names", sorted(eco_batch[exp["etcUri"]].keys()) == ["TA_F", "TA_F_QC"], eco_batch)

    # CSV and original downloads (object ids verified against the bytes).
    csv = data.get_csv_byte_stream(exp["main"]["uri"]).read().decode()
    lines = csv.strip().split("\n")
    check("csv rows", len(lines) == exp["main"]["nRows"] + 1 and lines[0] == exp["csvHeader"], lines[:2])
    with tempfile.TemporaryDirectory() as folder:
        name = data.save_to_folder(exp["main"]["uri"], folder)
        with open(os.path.join(folder, name), "rb") as f:
            digest = hashlib.sha256(f.read()).digest()
    import base64
    check("download file name", name == exp["main"]["fileName"], name)
    check("download hash = id", base64.urlsafe_b64encode(digest[:18]).decode() == exp["main"]["uri"].split("/")[-1])

    # The user who has not accepted the licence.
    meta2, data2 = connect(exp, exp["unlicensedUser"], exp["unlicensedPassword"])
    try:
        data2.get_columns_as_arrays(dm)
        check("licence required for cpb", False, "no error")
    except Exception as e:
        check("licence required for cpb", "403" in str(e) and "Accepting data licence" in str(e), e)
    try:
        data2.get_file_stream(exp["main"]["uri"])
        check("licence redirect for download", False, "no error")
    except Exception as e:
        check("licence redirect for download",
              "302" in str(e) and "Accepting data licence in your user profile is required for data downloads" in str(e), e)
    try:
        connect(exp, password="wrong")[1].auth.get_token()
        check("wrong password", False, "no error")
    except Exception as e:
        check("wrong password", "403" in str(e) and "Incorrect user name or password" in str(e), e)

    print(json.dumps({"passed": passed}))


main()
