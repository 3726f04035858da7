"""Writes cf/cf_classic.nc, cf/cf_nc4.nc and cf/expected.json: CF decoding cases
(issue 22) and what netCDF4-python reads from them in its default
mask-and-scale mode (masked values as null, the result's dtype).

Committed (a few KB), so tests/netcdf/netcdf_cf_test.ts runs without Python;
with ICOSCP_PYTHON it also re-reads the files with netCDF4-python and checks
expected.json still holds. Run again with `python gen_cf.py cf` (then `deno fmt cf/expected.json`) after changing it.
"""

import json
import math
import os
import sys
import warnings

import netCDF4
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "cf")
os.makedirs(out, exist_ok=True)

# name: (dtype, raw values, attributes); attribute values are numpy-typed
CASES = {
    # _Unsigned
    "short_unsigned_scaled": ("i2", [-25536, 0, 1, -1, 32767, -32768],
                              {"_Unsigned": "true", "scale_factor": np.float32(0.01)}),
    "short_unsigned_fill": ("i2", [-25536, -1, 5, -2],
                            {"_Unsigned": "true", "_FillValue": np.int16(-1)}),
    "short_unsigned_True": ("i2", [-2, 3], {"_Unsigned": "True"}),
    "short_unsigned_false": ("i2", [-2, 3], {"_Unsigned": "false"}),
    "byte_unsigned_valid": ("i1", [-1, -56, -55, 0, 10, 127],
                            {"_Unsigned": "true", "_FillValue": np.int8(-1), "valid_min": np.int8(5),
                             "valid_max": np.int8(-56)}),
    "byte_unsigned_offset": ("i1", [-128, -1, 0, 1],
                             {"_Unsigned": "true", "add_offset": np.float64(1000.0),
                              "scale_factor": np.float64(0.5)}),
    "int_unsigned_missing": ("i4", [-1, 7, -7],
                             {"_Unsigned": "true", "missing_value": np.int32(-7)}),
    # valid_min / valid_max / valid_range
    "short_valid_range": ("i2", [-5, 0, 5, 10, 11, -32767],
                          {"valid_range": np.array([0, 10], "i2"), "valid_min": np.int16(-100)}),
    "short_valid_min": ("i2", [-5, 0, 5], {"valid_min": np.int16(0)}),
    "short_valid_max": ("i2", [-5, 0, 5], {"valid_max": np.int16(0)}),
    "short_valid_max_not_castable": ("i2", [-5, 0, 5, 200], {"valid_max": np.float64(100.5)}),
    "float_valid_range_double": ("f4", [0.5, 1.5, 2.5, -1.0],
                                 {"valid_range": np.array([0.0, 2.0], "f8")}),
    "double_valid_range_bad_size": ("f8", [0.5, 5.0, -3.0],
                                    {"valid_range": np.array([0.0, 2.0, 3.0], "f8"),
                                     "valid_max": np.float64(4.0)}),
    # missing_value lists, _FillValue
    "int_missing_list": ("i4", [-999, -888, 0, 1, -1],
                         {"missing_value": np.array([-999, -888], "i4")}),
    "short_fill_and_missing": ("i2", [-1, -2, 3, -32767],
                               {"_FillValue": np.int16(-1), "missing_value": np.int16(-2)}),
    "short_default_fill": ("i2", [-32767, 0, 32767], {}),
    "byte_no_default_fill": ("i1", [-127, 0, 1], {}),
    "float_default_fill": ("f4", [9.969209968386869e36, 1.0, float("nan")], {}),
    "double_fill_nan": ("f8", [float("nan"), 1.0], {"_FillValue": np.float64(float("nan"))}),
    "double_missing_nan": ("f8", [float("nan"), 2.0, -1.0],
                           {"missing_value": np.array([float("nan"), -1.0], "f8")}),
    "float_fill_double_attr": ("f4", [1.0e20, 2.0], {"missing_value": np.float64(1.0e20)}),
    # scale_factor / add_offset types
    "short_scale_f4": ("i2", [100, -100, 12345], {"scale_factor": np.float32(0.1)}),
    "short_scale_f8": ("i2", [100, -100, 12345], {"scale_factor": np.float64(0.1)}),
    "short_scale_f4_offset_f4": ("i2", [100, -100, 12345],
                                 {"scale_factor": np.float32(0.1), "add_offset": np.float32(273.15)}),
    "short_scale_f4_offset_f8": ("i2", [100, -100, 12345],
                                 {"scale_factor": np.float32(0.1), "add_offset": np.float64(273.15)}),
    "int_scale_f4": ("i4", [100000, -7, 16777217], {"scale_factor": np.float32(0.25)}),
    "short_offset_only": ("i2", [1, 2], {"add_offset": np.float32(0.5)}),
    "short_scale_one_offset_zero": ("i2", [1, 2],
                                    {"scale_factor": np.float32(1.0), "add_offset": np.float32(0.0)}),
    "float_scale_f8": ("f4", [0.1, 3.0], {"scale_factor": np.float64(2.0)}),
    "double_scale_f4": ("f8", [0.1, 3.0], {"scale_factor": np.float32(0.1)}),
    "short_scaled_masked": ("i2", [-1, 10, 20, 30],
                            {"_FillValue": np.int16(-1), "valid_max": np.int16(25),
                             "scale_factor": np.float32(2.5), "add_offset": np.float32(-1.0)}),
}
NC4_ONLY = {
    "ushort_scaled": ("u2", [65535, 40000, 1], {"scale_factor": np.float32(0.01)}),
    "uint_default_fill": ("u4", [4294967295, 3], {}),
    "ubyte_fill": ("u1", [255, 254, 0], {"_FillValue": np.uint8(254)}),
    "int64_missing": ("i8", [-9223372036854775806, 5, -5], {"missing_value": np.int64(-5)}),
}


def write(path, fmt, cases):
    with netCDF4.Dataset(path, "w", format=fmt) as ds:
        for name, (dtype, values, attrs) in cases.items():
            ds.createDimension(f"n_{name}", len(values))
            fill = attrs.get("_FillValue")
            v = ds.createVariable(name, dtype, (f"n_{name}",), fill_value=fill)
            v.set_auto_maskandscale(False)
            for k, a in attrs.items():
                if k != "_FillValue":
                    v.setncattr(k, a)
            v[:] = np.array(values, dtype)


def expected(path):
    res = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with netCDF4.Dataset(path) as ds:
            for name, v in ds.variables.items():
                d = v[:]
                filled = np.ma.filled(np.ma.asarray(d).astype("f8"), np.nan)
                mask = np.ma.getmaskarray(d)
                vals = [None if m or math.isnan(x) else float(x) for x, m in zip(filled, mask)]
                res[name] = {"dtype": str(np.ma.asarray(d).dtype), "values": vals}
    return res


files = {"cf_classic.nc": ("NETCDF3_CLASSIC", CASES), "cf_nc4.nc": ("NETCDF4", {**CASES, **NC4_ONLY})}
result = {"netCDF4": netCDF4.__version__, "numpy": np.__version__, "files": {}}
for f, (fmt, cases) in files.items():
    p = os.path.join(out, f)
    write(p, fmt, cases)
    result["files"][f] = expected(p)
if len(sys.argv) > 2 and sys.argv[2] == "--print":
    print(json.dumps(result["files"]))
else:
    with open(os.path.join(out, "expected.json"), "w") as fh:
        json.dump(result, fh, indent=1)
