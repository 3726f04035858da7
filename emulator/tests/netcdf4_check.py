"""Reads a NetCDF-4 file with netCDF4-python and h5py and prints a JSON summary.

Usage: netcdf4_check.py FILE.nc [NAME=EXPECTED.f64 ...]

Each NAME=PATH pair compares every value of variable NAME with the
little-endian float64 values stored in PATH. Used by the Deno tests of the
emulator's NetCDF-4 writer (emulator/tests/netcdf4_writer_test.ts).
"""

import json
import sys

import h5py
import netCDF4
import numpy as np


def attr_value(v):
    if isinstance(v, (str, bytes)):
        return v.decode() if isinstance(v, bytes) else v
    arr = np.asarray(v)
    return {"dtype": str(arr.dtype), "values": arr.ravel().tolist()}


def main():
    path = sys.argv[1]
    out = {"dimensions": {}, "variables": {}, "attributes": {}, "compare": {}, "h5py": {}}
    with netCDF4.Dataset(path) as ds:
        out["format"] = ds.data_model
        for name, dim in ds.dimensions.items():
            out["dimensions"][name] = {"size": len(dim), "unlimited": dim.isunlimited()}
        for name in ds.ncattrs():
            out["attributes"][name] = attr_value(ds.getncattr(name))
        for name, var in ds.variables.items():
            var.set_auto_mask(False)
            filters = var.filters() or {}
            out["variables"][name] = {
                "dimensions": list(var.dimensions),
                "dtype": str(var.dtype),
                "attributes": {a: attr_value(var.getncattr(a)) for a in var.ncattrs()},
                "chunking": var.chunking() if var.chunking() == "contiguous" else list(var.chunking()),
                "zlib": bool(filters.get("zlib")),
                "complevel": filters.get("complevel"),
            }
        for pair in sys.argv[2:]:
            name, expected_path = pair.split("=", 1)
            expected = np.fromfile(expected_path, dtype="<f8")
            actual = np.asarray(ds.variables[name][:], dtype="<f8").ravel()
            out["compare"][name] = {
                "equal": bool(actual.shape == expected.shape and np.array_equal(actual, expected)),
                "count": int(actual.size),
                "sum": float(actual.sum()),
            }
    with h5py.File(path, "r") as f:
        for name, obj in f.items():
            out["h5py"][name] = {
                "scales": [[s.name for s in d.values()] for d in obj.dims],
                "maxshape": [m for m in obj.maxshape],
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
