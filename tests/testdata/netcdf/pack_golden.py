"""Writes the committed golden copies of what the generators of this folder
write, so that the NetCDF tests run without Python.

Usage: python3 pack_golden.py [gen_x.py ...]   (default: every generator)

For each gen_<name>.py it runs the generator into a temporary folder and
writes golden/<name>/: every file gzipped (<file>.gz, mtime 0: the same
input gives the same bytes). JSON files of expected values keep their form,
except that arrays of values seen before are replaced by {"$ref": "<sha1>"}
and stored once in values-*.txt (tests/_peers.ts puts them back). For the
filter files it also writes chunks.json: the byte offset and size of every
chunk of every chunked variable, as h5py reports them (the hostile-chunk
tests mangle those bytes). Needs what the generators need (numpy, netCDF4,
h5py, h5repack).
"""

import glob
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATORS = sys.argv[1:] or sorted(
    os.path.basename(p) for p in glob.glob(os.path.join(HERE, "gen_*.py"))
)


def write_gz(path, data):
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=fh, mtime=0) as gz:
            gz.write(data)


def dedupe(doc, pool):
    """Replaces every `values` array of `doc` by a reference into `pool`."""
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k == "values" and isinstance(v, list) and len(v) > 16:
                text = json.dumps(v, separators=(",", ":"))
                key = hashlib.sha1(text.encode()).hexdigest()
                pool[key] = v
                out[k] = {"$ref": key}
            else:
                out[k] = dedupe(v, pool)
        return out
    if isinstance(doc, list):
        return [dedupe(v, pool) for v in doc]
    return doc


def chunk_table(folder):
    import h5py

    table = {}
    for path in sorted(glob.glob(os.path.join(folder, "*"))):
        name = os.path.basename(path)
        if name.endswith((".json", ".txt")):
            continue
        entries = {}
        with h5py.File(path, "r") as f:
            def visit(key, obj):
                if isinstance(obj, h5py.Dataset) and obj.chunks is not None:
                    d = obj.id
                    entries["/" + key] = [
                        [d.get_chunk_info(i).byte_offset, d.get_chunk_info(i).size]
                        for i in range(d.get_num_chunks())
                    ]
            f.visititems(visit)
        table[name] = entries
    return table


for gen in GENERATORS:
    name = gen[len("gen_"):-len(".py")]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, gen), tmp], check=True,
                       stdout=subprocess.DEVNULL)
        dest = os.path.join(HERE, "golden", name)
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        pool = {}
        for path in sorted(glob.glob(os.path.join(tmp, "*"))):
            base = os.path.basename(path)
            with open(path, "rb") as fh:
                data = fh.read()
            if base.endswith(".json"):
                doc = dedupe(json.loads(data), pool)
                data = json.dumps(doc, separators=(",", ":")).encode()
            write_gz(os.path.join(dest, base + ".gz"), data)
        # values-<hex digit>.txt: one "<sha1> <JSON array>" a line (the JSON text as
        # Python wrote it: -0.0 stays -0.0), in four parts by the key's first digit
        # (each < 200 KB)
        for part in ["0123", "4567", "89ab", "cdef"] if pool else []:
            lines = [f"{k} {json.dumps(pool[k], separators=(',', ':'))}\n"
                     for k in sorted(pool) if k[0] in part]
            write_gz(os.path.join(dest, f"values-{part[0]}.txt.gz"), "".join(lines).encode())
        if name == "filters":
            write_gz(os.path.join(dest, "chunks.json.gz"),
                     json.dumps(chunk_table(tmp), separators=(",", ":")).encode())
        total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(dest, "*")))
        print(f"golden/{name}: {len(os.listdir(dest))} files, {total} bytes")
