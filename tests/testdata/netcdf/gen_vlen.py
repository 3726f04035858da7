"""Writes files of what real files hold besides plain numbers: variable-length
sequences, compounds with string and sequence members, HDF5 arrays of
strings, attributes of compound and variable-length types, and N-bit data of
reduced precision, each with what netCDF4-python or h5py reads from it.

Usage: python3 gen_vlen.py OUTDIR

Writes, in OUTDIR:
  vlen_h5py.h5  (h5py) sequences of int32, big-endian uint16 and float64
                (contiguous, and 2-D chunked + gzip), compounds with fixed and
                variable-length string, sequence, array and char members, a
                nested compound, and compound / sequence attributes;
  vlen_nc4.nc   (netCDF4-python) sequences of short and float (2-D along an
                unlimited dimension), a compound with a char-array member,
                compound attributes (group and variable);
  strings_c.h5, nbit_c.h5  (the HDF5 C library: gen_vlen_c.c, compiled
                here with gcc and libhdf5-dev) arrays of fixed and
                variable-length strings (datasets and attributes), a sequence
                of sequences, and N-bit of reduced precision;
  <file>.json   what the peer reads: {"variables": {path: value},
                "attributes": {"path@name": value}} with value one of
                {"type": "i4", "values": [...]} (64-bit integers as strings,
                NaN as null, float16 as "f4", char as "u1"),
                {"strings": [...]}, {"vlen": [value, ...]} or
                {"members": {name: value}}; variables of .nc files as
                netCDF4-python reads them (auto mask/scale off), everything
                else as h5py reads it; attributes only of the types above.

When gcc or libhdf5-dev is missing, the C files are left out (listed in
OUTDIR/skipped.txt).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import netCDF4
import numpy as np

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
HERE = os.path.dirname(os.path.abspath(__file__))


def p(name):
    return os.path.join(OUT, name)


# ------------------------------------------------------------------ writers
def h5py_file(name):
    f = h5py.File(p(name), "w")
    vi = np.empty(4, dtype=object)
    vi[:] = [np.arange(3, dtype="i4"), np.array([], "i4"), np.array([-7], "i4"),
             np.arange(10, dtype="i4") * 1000]
    f.create_dataset("seq_i4", data=vi, dtype=h5py.vlen_dtype("i4"))
    vu = np.empty(3, dtype=object)
    vu[:] = [np.array([1, 65535], ">u2"), np.array([256], ">u2"), np.array([], ">u2")]
    f.create_dataset("seq_u2_be", data=vu, dtype=h5py.vlen_dtype(np.dtype(">u2")))
    vf = np.empty((2, 3), dtype=object)
    for i in range(2):
        for j in range(3):
            vf[i, j] = np.linspace(0, 1, i * 3 + j) * (j - 1.5)
    f.create_dataset("seq_f8_2d", data=vf, dtype=h5py.vlen_dtype("f8"), chunks=(1, 2),
                     compression="gzip")
    rec = np.dtype([
        ("a", "<i4"),
        ("s", "S5"),
        ("vs", h5py.string_dtype()),
        ("seq", h5py.vlen_dtype("f8")),
        ("arr", "<i2", (2,)),
        ("c", "S1"),
    ])
    data = np.empty(3, rec)
    data[0] = (1, b"ab", "h\u00e9llo", np.array([1.5, 2.5]), [1, -1], b"x")
    data[1] = (2, b"abcde", "", np.array([]), [3, 4], b"")
    data[2] = (-3, b"", "a rather longer string", np.array([-0.0, 1e300]), [0, 9], b"z")
    f.create_dataset("records", data=data)
    f.create_dataset("records_gz", data=np.concatenate([data] * 4), chunks=(5,),
                     compression="gzip", shuffle=True)
    nested = np.dtype([("x", "<i4"), ("inner", [("y", "<f4"), ("t", h5py.string_dtype())])])
    nd = np.empty(2, nested)
    nd[0] = (1, (0.5, "first"))
    nd[1] = (2, (-1.0, "second"))
    f.create_dataset("nested", data=nd)
    f.attrs["compound_attr"] = data[:2]
    f.attrs["compound_scalar"] = data[0]
    va = np.empty(2, dtype=object)
    va[:] = [np.arange(2, dtype="i2"), np.arange(3, dtype="i2") - 5]
    f.attrs.create("seq_attr", va, dtype=h5py.vlen_dtype("i2"))
    f["seq_i4"].attrs.create("seq_attr_f4", np.array([np.array([0.25, 4.0], "f4")] * 1 +
                                                     [np.array([], "f4")], dtype=object),
                             dtype=h5py.vlen_dtype("f4"))
    # CF attributes of a type CF decoding cannot use: ignored, not applied
    odd = f.create_dataset("odd_cf_attrs", data=np.array([1, 2, 3], "f4"))
    odd.attrs["scale_factor"] = data[0]
    odd.attrs.create("add_offset", va, dtype=h5py.vlen_dtype("i2"))
    f.close()


def netcdf4_file(name):
    d = netCDF4.Dataset(p(name), "w", format="NETCDF4")
    d.createDimension("x", 3)
    d.createDimension("t", None)
    vs = d.createVLType(np.int16, "seq_short")
    v = d.createVariable("seq", vs, ("x",))
    v[0] = np.array([1, 2], "i2")
    v[1] = np.array([], "i2")
    v[2] = np.arange(5, dtype="i2") - 2
    vf = d.createVLType(np.float32, "seq_float")
    w = d.createVariable("seq_t", vf, ("t", "x"))
    for i in range(2):
        for j in range(3):
            w[i, j] = np.arange(i + j, dtype="f4") / 4
    ct = d.createCompoundType(
        np.dtype([("id", "<i4"), ("name", "S1", (4,)), ("w", "<f8")]), "rec_t")
    c = d.createVariable("rec", ct, ("x",))
    a = np.zeros(3, ct.dtype)
    a["id"] = [1, 2, 3]
    a["name"] = [np.array(list(s), "S1") for s in ([b"a", b"b", b"", b""],
                                                   [b"w", b"x", b"y", b"z"],
                                                   [b"", b"", b"", b""])]
    a["w"] = [0.5, 1.5, -2]
    c[:] = a
    d.setncattr("rec_attr", a[:2])
    c.setncattr("one_rec", a[1:2])
    d.close()


def c_files():
    gcc = shutil.which("gcc")
    inc = "/usr/include/hdf5/serial"
    lib = "/usr/lib/x86_64-linux-gnu/hdf5/serial"
    if not gcc or not os.path.exists(os.path.join(inc, "hdf5.h")):
        return "gcc or libhdf5-dev (hdf5.h) missing"
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "gen_vlen_c")
        subprocess.run([gcc, "-O1", "-o", exe, os.path.join(HERE, "gen_vlen_c.c"), f"-I{inc}",
                        f"-L{lib}", "-lhdf5"], check=True)
        subprocess.run([exe, OUT], check=True)
    return None


# ------------------------------------------------------------- expectations
def numbers(a):
    a = np.asarray(a)
    if a.dtype.kind == "b":
        a = a.astype("i1")
    if a.dtype.kind == "f" and a.dtype.itemsize == 2:
        a = a.astype("f4")
    code = a.dtype.kind + str(a.dtype.itemsize)
    flat = a.ravel().tolist()
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8:
        flat = [str(int(x)) for x in flat]
    elif a.dtype.kind == "f":
        flat = [None if x != x else float(x) for x in flat]
    return {"type": code, "values": flat}


def text(x):
    if isinstance(x, bytes):
        x = x.split(b"\0")[0].decode("utf-8", "replace")
    return x


def describe(a, strings=None):
    """What one of our values must equal, as JSON (see the module doc)."""
    a = np.asarray(a)
    dt = a.dtype
    if dt.names:
        return {"members": {n: describe(a[n], h5py.check_string_dtype(dt[n].base)) for n in
                            dt.names}}
    if dt.kind == "c":
        return {"members": {"r": numbers(a.real), "i": numbers(a.imag)}}
    if dt.kind == "O":
        flat = a.ravel().tolist()
        if strings is not None or h5py.check_string_dtype(dt) is not None or (
                flat and all(isinstance(x, (str, bytes)) for x in flat)):
            return {"strings": [text(x) for x in flat]}
        if not all(isinstance(e, np.ndarray) for e in flat):
            raise TypeError(f"not a sequence: {flat[:1]}")
        return {"vlen": [describe(e) for e in flat]}
    if dt.kind == "S" and dt.itemsize == 1:
        return {"type": "u1", "values": a.view("u1").ravel().tolist()}
    if dt.kind in "SU":
        return {"strings": [text(x) for x in a.ravel().tolist()]}
    return numbers(a)


def new_kind(dt):
    """Whether values of dt are of the kinds this file covers."""
    dt = np.dtype(dt)
    return bool(dt.names) or dt.subdtype is not None or (
        dt.kind == "O" and h5py.check_string_dtype(dt) is None)


def expect_h5py(name):
    doc = {"variables": {}, "attributes": {}}
    with h5py.File(p(name)) as f:
        def attrs(path, obj):
            for k in obj.attrs:
                if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    continue  # references, not values
                t = obj.attrs.get_id(k).dtype
                if new_kind(t):
                    doc["attributes"][f"{path}@{k}"] = describe(obj.attrs[k])

        attrs("", f)

        def visit(key, obj):
            if isinstance(obj, h5py.Dataset):
                doc["variables"][key] = describe(obj[()])
                attrs(key, obj)

        f.visititems(visit)
    if "seq_u2_be" in doc["variables"]:
        # h5py reads a sequence of big-endian numbers without swapping them
        # (256 for 1): libhdf5's h5dump shows what the file holds, as written
        doc["variables"]["seq_u2_be"] = {"vlen": [
            {"type": "u2", "values": [1, 65535]}, {"type": "u2", "values": [256]},
            {"type": "u2", "values": []}]}
    return doc


def expect_netcdf4(name):
    doc = expect_h5py(name)  # attributes as h5py reads them
    doc["variables"] = {}
    with netCDF4.Dataset(p(name)) as d:
        for k, v in d.variables.items():
            v.set_auto_maskandscale(False)
            v.set_auto_chartostring(False)
            doc["variables"][k] = describe(v[...])
    return doc


h5py_file("vlen_h5py.h5")
netcdf4_file("vlen_nc4.nc")
skipped = c_files()
expected = {"vlen_h5py.h5": expect_h5py, "vlen_nc4.nc": expect_netcdf4}
if skipped is None:
    expected.update({"strings_c.h5": expect_h5py, "nbit_c.h5": expect_h5py})
else:
    with open(p("skipped.txt"), "w") as fh:
        fh.write(f"strings_c.h5 nbit_c.h5: {skipped}\n")
for name, fn in expected.items():
    with open(p(name.rsplit(".", 1)[0] + ".json"), "w") as fh:
        json.dump(fn(name), fh, indent=None, sort_keys=True)
