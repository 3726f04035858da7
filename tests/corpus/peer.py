"""The reference side of the corpus comparison: reads every variable of a
file with netCDF4-python (h5py for HDF5 files netCDF-C cannot open) and
dumps the raw values for tests/corpus/compare.ts.

Usage: python peer.py netCDF4|h5py < jobs   (one "FILE<TAB>OUTDIR" per line)

One process runs one reader: netCDF4-python and h5py each bring their own
libhdf5, and the two in one process crash. In netCDF4 mode, an HDF5 file
netCDF-C cannot open gets a manifest with "retry": true, for an h5py pass;
one it opens gets "hdf5": true, and an h5py pass adds the datasets netCDF-C
leaves out of its listing (compare.ts merges them; "scale": true marks the
dimension scales, which are not added).

For each file it writes OUTDIR/manifest.json (last, atomically, so a crash
leaves no manifest) and one OUTDIR/<n>.bin per numeric variable:

  {"peer": "netCDF4" | "h5py" | null, "error": file-level error or null,
   "variables": [{"path": "g1/v", "kind": ..., "dtype": "<f4", "shape": [..],
                  "bin": "0.bin", "strings": [...], "members": [...],
                  "error": peer error reading this variable or null}]}

Values are raw, as stored: netCDF4-python with auto mask/scale, always-mask
and char-to-string all off (so no _FillValue masking, no scale_factor /
add_offset, no _Unsigned), h5py as read. Variables shorter than their
unlimited dimension come back padded with the fill value, as netCDF-C does.

kind: "numeric" (bin: little-endian values of dtype; float16 widened to
float32, bool stored as int8), "char" (netCDF char: one byte per value, bin
of dtype |u1), "string" (strings: vlen or fixed-length strings, decoded as
UTF-8, fixed ones stripped of trailing NULs; fixed ones also have a bin of
the raw bytes, dtype "|S<n>"), "compound" (members: one {name, kind, dtype,
shape, bin} per field, complex numbers as fields r and i), "vlen" (lists:
one list of numbers per element), "null" (HDF5 null dataspace: no values),
"other" (error says which type is not compared).
"""

import json
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
MAX_BYTES = 256 * 1024 * 1024


def little(a):
    if a.dtype.byteorder == ">" or (a.dtype.byteorder == "=" and sys.byteorder == "big"):
        a = a.astype(a.dtype.newbyteorder("<"))
    return np.ascontiguousarray(a)


class Dumper:
    def __init__(self, out):
        self.out = out
        self.n = 0

    def bin(self, arr):
        name = f"{self.n}.bin"
        self.n += 1
        with open(os.path.join(self.out, name), "wb") as f:
            f.write(arr.tobytes())
        return name

    def numeric(self, a, entry):
        """Fills entry with a numeric/char/string dump of ndarray a."""
        dt = a.dtype
        if dt.kind == "S" and dt.itemsize == 1:
            entry.update(kind="char", dtype="|u1", bin=self.bin(a.view("u1")))
        elif dt.kind in "SU":
            raw = a.astype(f"S{dt.itemsize}") if dt.kind == "S" else None
            entry.update(kind="string", strings=[
                (s.decode("utf-8", "replace") if isinstance(s, bytes) else str(s)).rstrip("\0")
                for s in a.ravel().tolist()
            ])
            if raw is not None:
                entry.update(dtype=f"|S{dt.itemsize}", bin=self.bin(raw))
        elif dt.kind == "O":
            flat = a.ravel().tolist()
            if all(isinstance(s, (str, bytes)) for s in flat):
                entry.update(kind="string", strings=[
                    s.decode("utf-8", "replace") if isinstance(s, bytes) else s for s in flat
                ])
            else:
                entry.update(kind="vlen", lists=[
                    [x.item() if hasattr(x, "item") else x for x in np.asarray(e).ravel()]
                    if e is not None else [] for e in flat
                ])
        elif dt.kind == "b":
            entry.update(kind="numeric", dtype="|i1", bin=self.bin(a.astype("i1")))
        elif dt.kind == "f" and dt.itemsize == 2:
            entry.update(kind="numeric", dtype="<f4", stored="float16",
                         bin=self.bin(little(a.astype("f4"))))
        elif dt.kind == "c":
            part = "<f4" if dt.itemsize == 8 else "<f8"
            entry.update(kind="compound", members=[
                {"name": "r", "kind": "numeric", "dtype": part, "shape": [],
                 "bin": self.bin(little(a.real.astype(part)))},
                {"name": "i", "kind": "numeric", "dtype": part, "shape": [],
                 "bin": self.bin(little(a.imag.astype(part)))},
            ])
        elif dt.kind == "V" and dt.names:
            members = []
            for name in dt.names:
                field = a[name]
                sub = {"name": name, "shape": list(field.shape[a.ndim:])}
                self.numeric(field, sub)
                members.append(sub)
            entry.update(kind="compound", members=members)
        elif dt.kind in "iuf":
            la = little(a)
            entry.update(kind="numeric", dtype=la.dtype.str, bin=self.bin(la))
        else:
            entry.update(kind="other", error=f"peer: type {dt} not compared")


def nc_variables(ds):
    yield from ds.variables.values()
    for g in ds.groups.values():
        yield from nc_variables(g)


def dump_netcdf4(path, d):
    import netCDF4

    ds = netCDF4.Dataset(path)
    try:
        ds.set_auto_maskandscale(False)
        ds.set_always_mask(False)
        ds.set_auto_chartostring(False)
        variables = []
        for v in nc_variables(ds):
            group = v.group().path.strip("/")
            entry = {"path": f"{group}/{v.name}" if group else v.name,
                     "shape": list(v.shape), "error": None}
            try:
                size = int(np.prod(v.shape)) * getattr(v.dtype, "itemsize", 8)
                if size > MAX_BYTES:
                    raise ValueError(f"{size} bytes: too large to compare")
                a = v[...] if v.ndim else v.getValue()
                if isinstance(a, str) or not isinstance(a, np.ndarray):
                    a = np.array(a, dtype=object if isinstance(a, str) else None)
                if np.ma.isMaskedArray(a):
                    a = a.data
                if v.datatype.__class__.__name__ == "VLType" and v.dtype != str:
                    if v.ndim == 0:  # one sequence, not an array of its numbers
                        one, a = a, np.empty((), dtype=object)
                        a[()] = one
                    a = np.asarray(a, dtype=object)
                d.numeric(a, entry)
            except Exception as e:
                entry.update(kind="other", error=f"peer: {type(e).__name__}: {e}")
            variables.append(entry)
        return variables
    finally:
        ds.close()


def dump_h5py(path, d):
    import h5py

    variables = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            entry = {"path": name, "shape": list(obj.shape) if obj.shape is not None else [],
                     "error": None}
            if obj.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE"):
                entry["scale"] = True
            try:
                if obj.shape is None:
                    entry.update(kind="null")
                elif obj.size * obj.dtype.itemsize > MAX_BYTES:
                    raise ValueError("too large to compare")
                else:
                    dt = obj.dtype
                    if h5py.check_string_dtype(dt) is not None and dt.kind == "O":
                        a = obj.asstr()[()]
                    else:
                        a = obj[()]
                    a = np.asarray(a) if not isinstance(a, np.ndarray) else a
                    if dt.subdtype is not None:  # HDF5 array type: an extra trailing dimension
                        entry["shape"] = list(a.shape)
                    d.numeric(a, entry)
            except Exception as e:
                entry.update(kind="other", error=f"peer: {type(e).__name__}: {e}")
            variables.append(entry)

        f.visititems(visit)
    return variables


def text(o):
    """JSON for what json cannot write (bytes in vlen data, numpy scalars)."""
    if isinstance(o, bytes):
        return o.decode("utf-8", "replace")
    return o.item() if hasattr(o, "item") else str(o)


def main():
    mode = sys.argv[1]
    reader = {"netCDF4": dump_netcdf4, "h5py": dump_h5py}[mode]
    for line in sys.stdin:
        path, out = line.rstrip("\n").split("\t")
        os.makedirs(out, exist_ok=True)
        d = Dumper(out)
        result = {"peer": None, "error": None, "variables": []}
        try:
            result["variables"] = reader(path, d)
            result["peer"] = mode
            with open(path, "rb") as f:
                result["hdf5"] = f.read(4) == b"\x89HDF"
        except Exception as e:
            result["error"] = f"{mode}: {type(e).__name__}: {e}"
            with open(path, "rb") as f:
                result["retry"] = mode == "netCDF4" and f.read(4) == b"\x89HDF"
        try:
            body = json.dumps(result, default=text)
        except Exception as e:  # never lose the file: record why
            body = json.dumps({"peer": None, "error": f"peer.py: {type(e).__name__}: {e}",
                               "variables": []})
        tmp = os.path.join(out, "manifest.json.tmp")
        with open(tmp, "w") as f:
            f.write(body)
        os.replace(tmp, os.path.join(out, "manifest.json"))
        print(out, flush=True)


if __name__ == "__main__":
    main()
