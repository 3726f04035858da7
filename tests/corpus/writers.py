"""Writes corpus files with the Python writers: netCDF4-python, xarray (each
engine), h5netcdf and h5py (libver 'earliest' and 'latest').

Usage: python writers.py DIR

The data is deterministic (no clock, no random state without a seed).
"""

import os
import sys
import warnings

import h5netcdf
import h5py
import netCDF4
import numpy as np
import xarray as xr

warnings.filterwarnings("ignore")
OUT = sys.argv[1]


def path(name):
    return os.path.join(OUT, name)


def same_names(name, compress, fmt="NETCDF4"):
    """The same variable name at several group depths: v, g1/v, g2/v, g2/g1/v."""
    with netCDF4.Dataset(path(name), "w", format=fmt) as ds:
        ds.createDimension("x", 6)
        kw = {"zlib": True, "complevel": 4, "shuffle": True} if compress else {}
        for depth, grp in enumerate([ds, ds.createGroup("g1"), ds.createGroup("g2")]):
            v = grp.createVariable("v", "i4", ("x",), **kw)
            v[:] = np.arange(6) + 100 * depth
        sub = ds["g2"].createGroup("g1")
        v = sub.createVariable("v", "f8", ("x",), **kw)
        v[:] = np.arange(6) * 0.5 + 300
        w = sub.createVariable("w", "i2", ("x",), **kw)
        w[:] = -np.arange(6)


def netcdf4_python():
    same_names("nc4_same_names.nc", False)
    same_names("nc4_same_names_deflate.nc", True)

    # a long attribute in dense storage (netCDF-C makes it a "huge" fractal heap object)
    with netCDF4.Dataset(path("nc4_huge_attribute.nc"), "w") as ds:
        ds.createDimension("x", 3)
        for i in range(12):
            ds.setncattr(f"attr{i:02d}", f"value {i}")
        ds.history = "x" * 6000
        v = ds.createVariable("v", "f4", ("x",))
        v[:] = [1, 2, 3]
        for i in range(10):
            v.setncattr(f"a{i}", i)
        v.comment = "y" * 5000

    # many types, an unlimited dimension with variables of different lengths, strings
    with netCDF4.Dataset(path("nc4_types.nc"), "w") as ds:
        ds.createDimension("t", None)
        ds.createDimension("x", 5)
        ds.createDimension("n", 3)
        for t in ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"]:
            v = ds.createVariable(f"v_{t}", t, ("x",))
            v[:] = np.array([0, 1, 2, 100, 7]).astype(t)
        s = ds.createVariable("names", str, ("n",))
        s[:] = np.array(["a", "bc", "déf"], dtype=object)
        c = ds.createVariable("chars", "S1", ("n", "x"))
        c[:] = netCDF4.stringtochar(np.array(["abcde", "fg", ""], dtype="S5"))
        a = ds.createVariable("rec_a", "f4", ("t",), fill_value=-999.0)
        b = ds.createVariable("rec_b", "i4", ("t", "x"))
        a[0:7] = np.arange(7)
        b[0:3] = np.arange(15).reshape(3, 5)
        f = ds.createVariable("with_nan", "f8", ("x",))
        f[:] = [1.0, np.nan, np.inf, -np.inf, -0.0]
        sc = ds.createVariable("scalar", "f8")
        sc.assignValue(3.25)
        p = ds.createVariable("packed", "i2", ("x",))
        p.scale_factor = 0.5
        p.add_offset = 10.0
        p.set_auto_maskandscale(False)
        p[:] = [1, 2, 3, -32767, 5]

    # user-defined types: compound, enum, vlen
    with netCDF4.Dataset(path("nc4_user_types.nc"), "w") as ds:
        ds.createDimension("x", 3)
        cmp = ds.createCompoundType(np.dtype([("a", "i4"), ("b", "f8")]), "pair")
        v = ds.createVariable("compound", cmp, ("x",))
        data = np.zeros(3, dtype=[("a", "i4"), ("b", "f8")])
        data["a"] = [1, 2, 3]
        data["b"] = [0.5, 1.5, 2.5]
        v[:] = data
        en = ds.createEnumType("u1", "cloud", {"clear": 0, "cumulus": 1, "stratus": 2})
        e = ds.createVariable("enum", en, ("x",))
        e[:] = np.array([0, 2, 1], dtype="u1")
        vl = ds.createVLType("i4", "ragged")
        r = ds.createVariable("vlen", vl, ("x",))
        r[0] = np.array([1], dtype="i4")
        r[1] = np.array([2, 3], dtype="i4")
        r[2] = np.array([4, 5, 6], dtype="i4")

    # every filter netCDF-C offers
    filters = {
        "zlib": dict(compression="zlib", complevel=5),
        "shuffle_zlib": dict(compression="zlib", shuffle=True),
        "fletcher32": dict(compression="zlib", fletcher32=True),
        "szip": dict(compression="szip", szip_coding="nn", szip_pixels_per_block=8),
        "zstd": dict(compression="zstd", complevel=4),
        "bzip2": dict(compression="bzip2", complevel=4),
        "blosc_lz4": dict(compression="blosc_lz4", blosc_shuffle=1),
        "blosc_zlib": dict(compression="blosc_zlib", blosc_shuffle=2),
        "blosc_zstd": dict(compression="blosc_zstd", blosc_shuffle=0),
        "blosc_lz": dict(compression="blosc_lz"),
        "quantize": dict(compression="zlib", significant_digits=3),
    }
    base = np.round(np.sin(np.arange(4000).reshape(40, 100) / 37.0) * 100) / 4
    for name, kw in filters.items():
        # one file per filter: a filter missing from this build spoils only its file
        try:
            with netCDF4.Dataset(path(f"nc4_filter_{name}.nc"), "w") as ds:
                ds.createDimension("y", 40)
                ds.createDimension("x", 100)
                v = ds.createVariable("f4", "f4", ("y", "x"), chunksizes=(20, 100), **kw)
                v[:] = base
                if name != "quantize":  # quantization is for floats only
                    w = ds.createVariable("i4", "i4", ("y", "x"), chunksizes=(40, 50), **kw)
                    w[:] = (base * 4).astype("i4")
        except Exception as e:
            print(f"  netCDF4 filter {name} left out: {e}", file=sys.stderr)
            os.remove(path(f"nc4_filter_{name}.nc"))

    for fmt, suffix in [("NETCDF4_CLASSIC", "nc4classic"), ("NETCDF3_64BIT_OFFSET", "cdf2"),
                        ("NETCDF3_64BIT_DATA", "cdf5"), ("NETCDF3_CLASSIC", "cdf1")]:
        with netCDF4.Dataset(path(f"netcdf4py_{suffix}.nc"), "w", format=fmt) as ds:
            ds.createDimension("time", None)
            ds.createDimension("x", 4)
            t = ds.createVariable("time", "f8", ("time",))
            t.units = "days since 2000-01-01"
            t[:] = np.arange(5)
            v = ds.createVariable("temp", "f4", ("time", "x"), fill_value=np.float32(-1e30))
            v[0:4] = np.arange(16).reshape(4, 4)
            s = ds.createVariable("short_rec", "i2", ("time",))
            s[:] = np.arange(5) * -3
            b = ds.createVariable("bytes", "i1", ("x",))
            b[:] = [-128, -1, 0, 127]
            b2 = ds.createVariable("unsigned_bytes", "i1", ("x",))
            b2._Unsigned = "true"
            b2.set_auto_maskandscale(False)
            b2[:] = np.array([-128, -1, 0, 127], dtype="i1")
            if fmt == "NETCDF3_64BIT_DATA":
                for t in ["u1", "u2", "u4", "i8", "u8"]:
                    u = ds.createVariable(f"v_{t}", t, ("x",))
                    u[:] = np.array([0, 1, 2, 3]).astype(t)


def xarray_engines():
    time = np.array(["2020-01-01T00", "2020-01-01T06", "2020-01-01T12"], dtype="datetime64[ns]")
    ds = xr.Dataset(
        {
            "temp": (("time", "lat", "lon"), np.arange(24, dtype="f4").reshape(3, 2, 4)),
            "mask": (("lat", "lon"), np.array([[1, 0, 1, 0], [0, 1, 0, 1]], dtype="i1")),
            "gappy": (("time",), np.array([1.0, np.nan, 3.0])),
            "count": (("time",), np.array([1, 2, 3], dtype="i4")),
        },
        coords={"time": time, "lat": [10.0, 20.0], "lon": [0.0, 1.0, 2.0, 3.0]},
        attrs={"title": "xarray corpus sample"},
    )
    ds.to_netcdf(path("xarray_netcdf4.nc"), engine="netcdf4")
    ds.to_netcdf(path("xarray_netcdf4_classic.nc"), engine="netcdf4", format="NETCDF4_CLASSIC")
    ds.to_netcdf(path("xarray_netcdf3.nc"), engine="netcdf4", format="NETCDF3_CLASSIC")
    ds.to_netcdf(path("xarray_h5netcdf.nc"), engine="h5netcdf")
    ds.to_netcdf(path("xarray_scipy.nc"), engine="scipy")
    enc = {v: {"zlib": True, "complevel": 6} for v in ds.data_vars}
    ds.to_netcdf(path("xarray_netcdf4_zlib.nc"), engine="netcdf4", encoding=enc)
    ds.to_netcdf(path("xarray_h5netcdf_zlib.nc"), engine="h5netcdf", encoding=enc)
    ds.to_netcdf(path("xarray_unlimited.nc"), engine="netcdf4", unlimited_dims=["time"])
    ds.to_netcdf(path("xarray_group.nc"), engine="netcdf4", group="sub/deeper")
    ds.to_netcdf(path("xarray_group_h5netcdf.nc"), engine="h5netcdf", group="sub")
    packed = {"temp": {"dtype": "i2", "scale_factor": 0.1, "add_offset": 5.0, "_FillValue": -9999}}
    ds.to_netcdf(path("xarray_packed.nc"), engine="netcdf4", encoding=packed)


def h5netcdf_api():
    with h5netcdf.File(path("h5netcdf_groups.nc"), "w") as f:
        f.dimensions = {"x": 5, "t": None}
        v = f.create_variable("v", ("x",), "f8")
        v[:] = np.arange(5) / 3
        g = f.create_group("g1")
        g.dimensions = {"y": 3}
        w = g.create_variable("v", ("y",), "i4", compression="gzip", chunks=(2,))
        w[:] = [7, 8, 9]
        h = g.create_group("g2")
        u = h.create_variable("v", ("x",), "i2", compression="gzip", shuffle=True)
        u[:] = np.arange(5) * 11
        r = f.create_variable("rec", ("t",), "f4")
        r.resize = None
        f.resize_dimension("t", 4)
        r[:] = [1, 2, 3, 4]
        s = f.create_variable("label", ("x",), dtype=h5py.string_dtype())
        s[:] = np.array(["one", "two", "three", "four", "five"], dtype=object)


def h5py_libver():
    for libver in ["earliest", "latest"]:
        with h5py.File(path(f"h5py_{libver}.h5"), "w", libver=libver) as f:
            f.attrs["title"] = "h5py " + libver
            f["contiguous"] = np.arange(12, dtype="<i4").reshape(3, 4)
            f["big_endian"] = np.arange(6, dtype=">f8")
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_layout(h5py.h5d.COMPACT)
            sid = h5py.h5s.create_simple((5,))
            dsid = h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_I16LE, sid, dcpl=dcpl)
            h5py.Dataset(dsid)[...] = np.arange(5, dtype="<i2")
            f.create_dataset("gzip", data=np.arange(1000, dtype="f4").reshape(10, 100),
                             chunks=(5, 30), compression="gzip", shuffle=True)
            f.create_dataset("lzf", data=np.arange(500, dtype="i8"), chunks=(64,),
                             compression="lzf")
            f.create_dataset("fletcher", data=np.arange(100, dtype="u2"), chunks=(16,),
                             fletcher32=True)
            f.create_dataset("scaleoffset_int", data=np.arange(200, dtype="i4") * 3,
                             chunks=(50,), scaleoffset=0)
            f.create_dataset("scaleoffset_float", data=np.linspace(0, 1, 100),
                             chunks=(50,), scaleoffset=3)
            ext = f.create_dataset("extendable1", shape=(3, 4), maxshape=(None, 4),
                                   dtype="f4", chunks=(2, 4))
            ext[:] = np.arange(12).reshape(3, 4)
            ext2 = f.create_dataset("extendable2", shape=(5, 6), maxshape=(None, None),
                                    dtype="i4", chunks=(2, 2))
            ext2[:] = np.arange(30).reshape(5, 6)
            f.create_dataset("fill_only", shape=(7,), dtype="f8", fillvalue=-5.5)
            f.create_dataset("partial", shape=(10,), dtype="i4", chunks=(3,), fillvalue=42)[0:4] = 1
            f.create_dataset("scalar", data=np.float64(2.5))
            f.create_dataset("empty", shape=(0, 3), dtype="f4")
            f.create_dataset("null", data=h5py.Empty("f4"))
            f.create_dataset("float16", data=np.array([0.5, -1.0, 65504.0, np.nan], dtype="f2"))
            f.create_dataset("complex", data=np.array([1 + 2j, 3 - 4j], dtype="c16"))
            f.create_dataset("compound", data=np.array(
                [(1, 2.0), (3, 4.0)], dtype=[("i", "<i4"), ("f", "<f8")]))
            f.create_dataset("enum", data=np.array([0, 1, 1], dtype="u1"),
                             dtype=h5py.enum_dtype({"A": 0, "B": 1}, basetype="u1"))
            f.create_dataset("vlen_str", data=np.array(["x", "yy", "zzz"], dtype=object),
                             dtype=h5py.string_dtype())
            f.create_dataset("fixed_str", data=np.array([b"ab", b"cde"], dtype="S3"))
            tid = h5py.h5t.array_create(h5py.h5t.STD_I32LE, (2,))
            arr = h5py.h5d.create(f.id, b"array_type", tid, h5py.h5s.create_simple((3,)))
            h5py.Dataset(arr)[...] = np.arange(6, dtype="i4").reshape(3, 2)
            vl = f.create_dataset("vlen_int", shape=(2,), dtype=h5py.vlen_dtype("i4"))
            vl[0] = [1, 2]
            vl[1] = [3]
            g = f.create_group("many")
            for i in range(20):  # dense link storage in the new format
                g[f"d{i:02d}"] = np.full(3, i, dtype="i4")
            d = g["d00"]
            for i in range(30):  # dense attribute storage
                d.attrs[f"a{i:02d}"] = i
            d.attrs["long"] = "y" * 70000
            f["deep/er/still"] = np.arange(4.0)
            f["soft"] = h5py.SoftLink("/contiguous")


def main():
    os.makedirs(OUT, exist_ok=True)
    for step in [netcdf4_python, xarray_engines, h5netcdf_api, h5py_libver]:
        try:
            step()
        except Exception as e:
            print(f"  writer {step.__name__} failed: {e!r}", file=sys.stderr)
            raise


if __name__ == "__main__":
    main()
