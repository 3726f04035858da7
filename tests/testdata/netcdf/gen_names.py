"""Writes names/names.nc: names that are not safe object keys (issue 22).

A global attribute `__proto__`, a variable attribute `__proto__` and
`constructor`, and a compound variable whose members are `__proto__` and
`toString`. Committed (about 10 KB); run again with
`python gen_names.py names` after changing it.
"""

import os
import sys

import netCDF4
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "names")
os.makedirs(out, exist_ok=True)
with netCDF4.Dataset(os.path.join(out, "names.nc"), "w", format="NETCDF4") as ds:
    ds.setncattr("__proto__", "global")
    ds.setncattr("title", "names that are not keys")
    ds.createDimension("x", 3)
    v = ds.createVariable("v", "f8", ("x",))
    v[:] = [1.5, 2.5, 3.5]
    v.setncattr("__proto__", np.float64(7.25))
    v.setncattr("constructor", "c")
    dt = np.dtype([("__proto__", "<i4"), ("toString", "<f8")])
    ct = ds.createCompoundType(dt, "pair")
    c = ds.createVariable("c", ct, ("x",))
    c[:] = np.array([(1, 0.5), (2, 1.5), (3, 2.5)], dtype=dt)
