"""Writes the NetCDF / HDF5 conformance corpus and what netCDF4-python reads
from each file.

Usage: python3 gen_corpus.py OUTDIR

For every file OUTDIR/<name>.nc (or .h5) it writes OUTDIR/<name>.json with
the format, dimensions, attributes and every variable's values as read by
netCDF4-python with auto mask/scale and char-to-string conversion off.
Needs numpy, netCDF4 and h5py (PyPI). Deterministic: fixed seeds, no time.
"""

import json
import os
import sys

import h5py
import netCDF4
import numpy as np

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240601)


def p(name):
    return os.path.join(OUT, name)


# ---------------------------------------------------------------- classic
def classic(name, fmt):
    ds = netCDF4.Dataset(p(name), "w", format=fmt)
    ds.createDimension("time", None)
    ds.createDimension("y", 3)
    ds.createDimension("x", 5)
    ds.createDimension("nchar", 7)
    ds.title = "classic corpus " + fmt
    ds.version = np.int32(3)
    ds.scales = np.array([1.5, -2.25], "f8")
    ds.shorts = np.array([1, -2, 3], "i2")
    ds.bytes_ = np.array([1, -2], "i1")
    ds.empty = ""
    t = ds.createVariable("time", "f8", ("time",))
    t.units = "days since 2000-01-01"
    v = ds.createVariable("temp", "f4", ("time", "y", "x"), fill_value=-999.0)
    v.scale_factor = np.float32(0.5)
    v.add_offset = np.float32(10.0)
    v.valid_range = np.array([-100, 100], "f4")
    s = ds.createVariable("flag", "i2", ("time",))
    c = ds.createVariable("label", "S1", ("y", "nchar"))
    b = ds.createVariable("counts", "i1", ("time", "x"))
    g = ds.createVariable("grid", "f8", ("y", "x"))
    i = ds.createVariable("ids", "i4", ("x",))
    n = 4
    t[:] = np.arange(n) * 0.25
    temp = rng.normal(size=(n, 3, 5)).astype("f4")
    temp[1, 1, 1] = -999.0
    v.set_auto_maskandscale(False)
    v[:] = temp
    s[:] = np.arange(n, dtype="i2") * 7 - 3
    c[:] = netCDF4.stringtochar(np.array(["alpha", "beta", "gamma"], "S7"))
    b[:] = (np.arange(n * 5).reshape(n, 5) % 200 - 100).astype("i1")
    g[:] = rng.normal(size=(3, 5))
    i[:] = np.array([1, -1, 2**31 - 1, -(2**31), 0], "i4")
    if fmt == "NETCDF3_64BIT_DATA":
        ds.createDimension("z", 4)
        for tname, dt in [("ub", "u1"), ("us", "u2"), ("ui", "u4"), ("i8", "i8"), ("u8", "u8")]:
            w = ds.createVariable(tname, dt, ("z",))
            info = np.iinfo(dt)
            w[:] = np.array([info.min, info.max, 1, 2], dt)
        ds.big = np.array([2**40, -(2**40)], "i8")
    ds.close()


classic("cdf1.nc", "NETCDF3_CLASSIC")
classic("cdf2.nc", "NETCDF3_64BIT_OFFSET")
classic("cdf5.nc", "NETCDF3_64BIT_DATA")

# A single record variable of type short: records are not padded.
ds = netCDF4.Dataset(p("cdf1_onerec.nc"), "w", format="NETCDF3_CLASSIC")
ds.createDimension("t", None)
ds.createDimension("k", 3)
r = ds.createVariable("r", "i2", ("t", "k"))
r[:] = np.arange(15, dtype="i2").reshape(5, 3)
ds.close()

# ---------------------------------------------------------------- netCDF-4 (netCDF-C)
ds = netCDF4.Dataset(p("nc4.nc"), "w", format="NETCDF4")
ds.createDimension("time", None)
ds.createDimension("lat", 7)
ds.createDimension("lon", 9)
ds.createDimension("n", 4)
ds.history = "corpus"
ds.numbers = np.arange(5, dtype="f4")
ds.i64 = np.array([2**40, -3], "i8")
ds.setncattr_string("strattr", ["one", "two", "three"])
lat = ds.createVariable("lat", "f8", ("lat",))
lat[:] = np.linspace(-30, 30, 7)
lon = ds.createVariable("lon", "f4", ("lon",), contiguous=True)
lon[:] = np.linspace(0, 40, 9)
time = ds.createVariable("time", "i4", ("time",))
time[:] = np.arange(5)
foot = ds.createVariable(
    "foot", "f8", ("time", "lat", "lon"), zlib=True, complevel=6, shuffle=True,
    chunksizes=(2, 4, 4), fill_value=-1e30, fletcher32=True,
)
foot[:] = rng.random((5, 7, 9))
part = ds.createVariable("partial", "i2", ("lat", "lon"), chunksizes=(3, 3), fill_value=-7)
part[0:3, 0:3] = np.arange(9, dtype="i2").reshape(3, 3)
be = ds.createVariable("bigendian", "f4", ("lat", "lon"), endian="big", zlib=True)
be[:] = rng.normal(size=(7, 9)).astype("f4")
bei = ds.createVariable("bigendian_i8", "i8", ("n",), endian="big")
bei[:] = np.array([1, -2, 2**50, -(2**50)], "i8")
u = ds.createVariable("unsigned", "u2", ("n",))
u[:] = np.array([0, 1, 65535, 300], "u2")
ub = ds.createVariable("ubytes", "u1", ("n",))
ub[:] = np.array([0, 1, 255, 128], "u1")
u4 = ds.createVariable("uints", "u4", ("n",))
u4[:] = np.array([0, 1, 2**32 - 1, 7], "u4")
u8 = ds.createVariable("uint64s", "u8", ("n",))
u8[:] = np.array([0, 1, 2**64 - 1, 7], "u8")
s = ds.createVariable("names", str, ("n",))
s[:] = np.array(["a", "bb", "", "ünïcode"], dtype=object)
ch = ds.createVariable("chars", "S1", ("n", "lon"))
ch[:] = netCDF4.stringtochar(np.array(["abc", "defghijkl", "", "x"], "S9"))
sc = ds.createVariable("scalar", "f8")
sc[...] = 3.25
cp = ds.createVariable("compact", "i4", ("n",), contiguous=True)
cp[:] = np.array([4, 3, 2, 1], "i4")
unw = ds.createVariable("unwritten", "f4", ("lat",), fill_value=np.float32(1.5))
for k in range(12):
    setattr(lat, f"attr{k:02d}", np.float64(k))  # more than 8: dense attributes
g = ds.createGroup("grp")
g.createDimension("inner", 3)
gv = g.createVariable("gvar", "f4", ("inner", "lat"))
gv[:] = np.arange(21, dtype="f4").reshape(3, 7)
gv.note = "in a group"
sub = g.createGroup("sub")
sv = sub.createVariable("deep", "i8", ("inner",))
sv[:] = np.array([-1, 0, 2**62], "i8")
ds.close()

# Same variable name at several depths (paths must never collide), each
# group with its own values; deflated and not.
def same_names(name, **comp):
    ds = netCDF4.Dataset(p(name), "w", format="NETCDF4")
    ds.createDimension("x", 4)
    groups = {"": ds}
    groups["g1/"] = ds.createGroup("g1")
    groups["g2/"] = ds.createGroup("g2")
    groups["g2/g1/"] = groups["g2/"].createGroup("g1")
    for k, (path, g) in enumerate(groups.items()):
        v = g.createVariable("v", "i4", ("x",), **comp)
        v[:] = np.arange(4, dtype="i4") + 100 * (k + 1)
        v.where = path + "v"
        w = g.createVariable("w" if k % 2 else "v2", "f8", ("x",), **comp)
        w[:] = np.linspace(0, 1, 4) + k
    ds.close()


same_names("groups.nc")
same_names("groups_deflate.nc", zlib=True, complevel=4, shuffle=True)

f = h5py.File(p("groups_h5py.h5"), "w", libver="latest")
for k, path in enumerate(["v", "g1/v", "g2/v", "g2/g1/v", "g2/g1/g1/v"]):
    f.create_dataset(path, data=np.arange(3, dtype="i2") + 10 * k,
                     **({"compression": "gzip", "chunks": (2,)} if k % 2 else {}))
f.close()

# What real writers produce: attributes over 4 KB in dense storage (9+
# attributes) are "huge" fractal heap objects; a variable shorter than its
# unlimited dimension reads padded with its fill value; attributes keep their
# creation order (not alphabetical).
ds = netCDF4.Dataset(p("nc4_real_writers.nc"), "w", format="NETCDF4")
ds.createDimension("time", None)
ds.createDimension("x", 3)
for k in range(10):
    ds.setncattr(f"z{9 - k}", np.float64(k))
ds.history = "".join(f"{k:05d}: regridded, masked and renamed\n" for k in range(400))
ds.setncattr_string("long_strings", ["s" * 5000, "t" * 6000])
t = ds.createVariable("time", "f8", ("time",))
t[:] = np.arange(6)
short = ds.createVariable("short_rec", "i4", ("time", "x"), fill_value=-5)
short[0:2, :] = np.arange(6, dtype="i4").reshape(2, 3)
nofill = ds.createVariable("short_default_fill", "f4", ("time",))
nofill[0:4] = np.arange(4, dtype="f4")
for k in range(12):
    short.setncattr(f"b{11 - k}", np.int32(k))
short.comment = "c" * 9000
short.values = np.arange(3000, dtype="f8")
ds.close()

# ---------------------------------------------------------------- h5py
def h5(name, libver):
    f = h5py.File(p(name), "w", libver=libver)
    f.attrs["title"] = "h5py " + str(libver)
    f.attrs["ints"] = np.arange(3, dtype="<i4")
    f.attrs["beints"] = np.arange(3, dtype=">i4")
    f.attrs.create("vstr", "variable length", dtype=h5py.string_dtype())
    f.attrs.create("fstr", np.bytes_("fixed"))
    for k in range(10):
        f.attrs[f"dense{k}"] = np.float32(k)
    f.create_dataset("contig", data=np.arange(24, dtype="<f8").reshape(4, 6))
    f.create_dataset("be", data=np.arange(12, dtype=">i4").reshape(3, 4))
    f.create_dataset("be16", data=np.arange(5, dtype=">u2"))
    f.create_dataset("chunked", data=rng.random((10, 7)), chunks=(3, 4), compression="gzip",
                     shuffle=True, fletcher32=True)
    f.create_dataset("single", data=np.arange(20, dtype="i2").reshape(4, 5), chunks=(4, 5),
                     compression="gzip")
    f.create_dataset("single_raw", data=np.arange(6, dtype="i8"), chunks=(6,))
    e = f.create_dataset("extensible", shape=(5, 3), maxshape=(None, 3), chunks=(2, 3),
                         dtype="f4", compression="gzip")
    e[:] = np.arange(15, dtype="f4").reshape(5, 3)
    e2 = f.create_dataset("extensible_raw", shape=(40,), maxshape=(None,), chunks=(2,),
                          dtype="i4")
    e2[:] = np.arange(40, dtype="i4")
    b2 = f.create_dataset("btree2", shape=(4, 5), maxshape=(None, None), chunks=(2, 2),
                          dtype="u1", compression="gzip")
    b2[:] = np.arange(20, dtype="u1").reshape(4, 5)
    b3 = f.create_dataset("btree2_raw", shape=(4, 5), maxshape=(None, None), chunks=(3, 3),
                          dtype="i2")
    b3[:] = np.arange(20, dtype="i2").reshape(4, 5)
    fa = f.create_dataset("fixed_paged", shape=(3000,), chunks=(2,), dtype="u1")
    fa[:] = np.arange(3000) % 251
    fil = f.create_dataset("fill", shape=(6, 6), chunks=(3, 3), dtype="f8", fillvalue=42.0)
    fil[0:3, 0:3] = 1.0
    f.create_dataset("vstrings", data=np.array(["x", "yy", "zzz"], dtype=object),
                     dtype=h5py.string_dtype())
    f.create_dataset("fstrings", data=np.array([b"ab", b"cde", b""], dtype="S4"))
    f.create_dataset("scalar", data=np.float32(2.5))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    sid = h5py.h5s.create_simple((4,))
    did = h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_I32LE, sid, dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([9, 8, 7, 6], "i4"))
    g = f.create_group("many")
    for k in range(20):  # more than 8 links: dense group in 'latest'
        g.create_dataset(f"d{k:02d}", data=np.array([k, k + 1], "i2"))
    f.close()


h5("h5_earliest.h5", "earliest")
h5("h5_v108.h5", "v108")
h5("h5_latest.h5", "latest")

# Dimension scales made with h5py (netCDF-C resolves them to names).
f = h5py.File(p("h5_dimscales.h5"), "w")
x = f.create_dataset("x", data=np.arange(4, dtype="f8"))
x.make_scale("x")
y = f.create_dataset("y", data=np.arange(3, dtype="f8"))
y.make_scale("y")
d = f.create_dataset("data", data=np.arange(12, dtype="f4").reshape(3, 4))
d.dims[0].attach_scale(y)
d.dims[1].attach_scale(x)
f.close()


# HDF5 datatypes netCDF-C cannot read (it fails to open such files): what
# h5py reads is the reference (<name>.h5py.json). Extension .hdf5: not in the
# netCDF4-python comparison below.
def h5py_types(name):
    f = h5py.File(p(name), "w", libver="latest")
    f.create_dataset("null", data=h5py.Empty("f4"))
    f.create_dataset("half", data=np.array([1.5, -2.25, 65504, 6e-8, -0.0, 2**-14], "f2"))
    f.create_dataset("half_be", data=np.array([[1.5, -2.25], [3, 4]], ">f2"), chunks=(1, 2),
                     compression="gzip")
    f.create_dataset("cplx", data=np.array([1 + 2j, -3.5j, 7], "c16"))
    f.create_dataset("cplx64", data=np.array([1 + 2j, -3.5j], "c8"))
    rec = np.dtype([("a", "<i4"), ("b", ">f8"), ("c", "<u2", (3,)), ("h", "<f2")])
    comp = np.zeros(5, rec)
    comp["a"] = np.arange(5) - 2
    comp["b"] = np.linspace(-1, 1, 5)
    comp["c"] = np.arange(15).reshape(5, 3)
    comp["h"] = np.arange(5) / 4
    f.create_dataset("compound", data=comp, chunks=(2,), compression="gzip", shuffle=True)
    a = f.create_dataset("array", shape=(4,), dtype=np.dtype(("<i2", (3,))))
    a[...] = np.arange(12, dtype="i2").reshape(4, 3)
    a2 = f.create_dataset("array2d", shape=(2, 2), dtype=np.dtype((">f4", (2, 3))), chunks=(1, 2))
    a2[...] = np.arange(24, dtype="f4").reshape(2, 2, 2, 3)
    f.create_dataset("vlen", data=np.array([np.arange(2, dtype="i4"), np.arange(3, dtype="i4")],
                                           dtype=object), dtype=h5py.vlen_dtype("i4"))
    f.create_dataset("opaque", data=np.array([b"ab", b"cd"], dtype="V2"))
    f.create_dataset("ref", data=np.array([f["half"].ref], dtype=h5py.ref_dtype))
    nested = np.dtype([("x", "<i4"), ("inner", [("y", "<f4")])])
    f.create_dataset("nested", data=np.zeros(2, nested))
    f.create_dataset("plain", data=np.arange(3, dtype="f4"))
    f.close()
    doc = {}
    with h5py.File(p(name)) as f:
        for k, d in f.items():
            e = {"shape": list(d.shape) if d.shape is not None else None, "kind": d.dtype.kind}
            if d.shape is None:
                e["values"] = []
            elif d.dtype.names and all(d.dtype[m].base.kind in "iuf" and not d.dtype[m].fields
                                       for m in d.dtype.names):
                e["members"] = {m: jsonable(d[m]) for m in d.dtype.names}
            elif d.dtype.kind == "c":
                v = d[...]
                e["members"] = {"r": jsonable(v.real), "i": jsonable(v.imag)}
            elif d.dtype.base.kind in "iuf":
                v = d[...]
                e["shape"] = list(v.shape)
                e["values"] = jsonable(v)
            doc[k] = e
    with open(p(name.rsplit(".", 1)[0] + ".h5py.json"), "w") as fh:
        json.dump(doc, fh)


# A chunk dimension far larger than the dataset may ever be (patched into an
# HDF5 1.8 file: layout message v3 stores chunk dimensions as u32), and a
# dimension above 2^53 (HDF5 allows it; JavaScript cannot index it).
def hostile_chunk(name):
    f = h5py.File(p(name), "w", libver="earliest")
    f.create_dataset("v", data=np.arange(12345, dtype="u1") % 7, maxshape=(None,),
                     chunks=(12345,), compression="gzip")
    f.create_dataset("ok", data=np.arange(4, dtype="i4"))
    f.create_dataset("huge_dim", shape=(2**60,), chunks=(1024,), dtype="u1")  # never written
    f.close()
    b = bytearray(open(p(name), "rb").read())
    key = (12345).to_bytes(4, "little") + (1).to_bytes(4, "little")
    at = b.index(key)
    b[at:at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
    open(p(name), "wb").write(bytes(b))


# ---------------------------------------------------------------- expectations
def jsonable(a):
    a = np.asarray(a)
    if a.dtype.kind in "SO" or a.dtype.kind == "U":
        return [x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)
                for x in a.ravel().tolist()]
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8:
        return [str(int(x)) for x in a.ravel().tolist()]
    if a.dtype.kind == "f":
        return [None if np.isnan(x) else float(x) for x in a.ravel().tolist()]
    return a.ravel().tolist()


def attr_json(v):
    if isinstance(v, str):
        return {"text": v}
    if isinstance(v, bytes):
        return {"text": v.decode("utf-8", "replace")}
    a = np.asarray(v)
    if a.dtype.kind in "OUS":
        return {"strings": jsonable(a)}
    return {"dtype": a.dtype.str[1:], "values": jsonable(a)}


def group_json(g, prefix):
    out = {
        "dimensions": {k: {"size": len(d), "unlimited": d.isunlimited()}
                       for k, d in g.dimensions.items()},
        "attributes": {k: attr_json(g.getncattr(k)) for k in g.ncattrs()},
        "variables": {},
        "groups": {},
    }
    for name, v in g.variables.items():
        v.set_auto_maskandscale(False)
        v.set_auto_chartostring(False)
        data = v[...]
        dt = "string" if v.dtype is str else np.dtype(v.dtype).str[1:]
        out["variables"][name] = {
            "path": prefix + name,
            "dtype": dt,
            "dimensions": list(v.dimensions),
            "shape": list(v.shape),
            "attributes": {k: attr_json(v.getncattr(k)) for k in v.ncattrs()},
            "values": jsonable(data),
        }
    for name, s in g.groups.items():
        out["groups"][name] = group_json(s, prefix + name + "/")
    return out


h5py_types("types_h5py.hdf5")
hostile_chunk("hostile_chunkdim.hdf5")

for name in sorted(os.listdir(OUT)):
    if not name.endswith((".nc", ".h5")):
        continue
    with netCDF4.Dataset(p(name)) as ds:
        fmt = ds.data_model
        doc = {"file": name, "data_model": fmt, "root": group_json(ds, "")}
    with open(p(name.rsplit(".", 1)[0] + ".json"), "w") as fh:
        json.dump(doc, fh)
print("corpus written to", OUT)
