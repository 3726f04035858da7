"""Downloads pinned packages that ship NetCDF/HDF5 files as test or sample
data (PyPI, npm, Debian) and extracts those files into the corpus cache.

Usage: python fetch.py CACHE

Every package is pinned to one version, so the corpus is reproducible; a
package already in CACHE/downloads is not fetched again, and its files are
not extracted again (CACHE/files/<source>/<package>/.done marks it).
Files larger than MAX_BYTES are left out to keep the check fast.
"""

import glob
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile

MAX_BYTES = 16 * 1024 * 1024
EXTENSIONS = (".nc", ".nc4", ".cdf", ".h5", ".hdf5", ".he5")

# (source, name, version, kind). kind: "wheel" or "sdist" for PyPI.
PACKAGES = [
    ("pypi", "scipy", "1.17.1", "wheel"),
    ("pypi", "h5py", "3.16.0", "wheel"),
    ("pypi", "tables", "3.11.1", "wheel"),
    ("pypi", "xarray", "2026.9.0", "wheel"),
    ("pypi", "pyfive", "1.3.0", "sdist"),
    ("pypi", "cfdm", "1.13.3.0", "sdist"),
    ("npm", "h5wasm", "0.10.3", None),
    ("npm", "hdf5", "0.3.5", None),
    ("npm", "jsfive", "0.4.2", None),
    ("debian", "r-cran-stars", "0.6-0-4", None),
    ("debian", "r-cran-ncmeta", "0.3.5-1", None),
    ("debian", "r-cran-ncdfgeom", "1.1.4+dfsg-1", None),
    ("debian", "r-cran-hdf5r", "1.3.8+dfsg-1", None),
    ("debian", "python-tables-data", "3.7.0-5", None),
    ("debian", "libncarg-data", "6.6.2.dfsg.1-1", None),  # NCL's example data
    ("debian", "gmt-gshhg-low", "2.3.7-6", None),  # GMT's coastlines, netCDF-4
]


def run(args, cwd):
    out = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {out.stderr.strip()[-500:]}")


def fetch_run(args, cwd):
    """`run` for a registry download: a failure (a dropped connection) is tried once more."""
    try:
        run(args, cwd)
    except RuntimeError:
        time.sleep(10)
        run(args, cwd)


def download(source, name, version, kind, into):
    """Downloads one package into `into` (once) and returns its archive path."""
    os.makedirs(into, exist_ok=True)
    pattern = {
        "pypi": f"{name.replace('-', '_')}-{version}*",
        "npm": f"{name}-{version}.tgz",
        "debian": f"{name}_{version.replace(':', '%3a')}_*.deb",
    }[source]
    found = glob.glob(os.path.join(into, pattern)) + glob.glob(
        os.path.join(into, pattern.replace("_", "-", 1))
    )
    if found:
        return found[0]
    tmp = os.path.join(into, ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    if source == "pypi":
        binary = ["--only-binary", ":all:"] if kind == "wheel" else ["--no-binary", ":all:"]
        fetch_run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             "--no-deps", *binary, f"{name}=={version}", "-d", tmp], tmp)
    elif source == "npm":
        fetch_run(["npm", "pack", "--silent", f"{name}@{version}"], tmp)
    else:
        fetch_run(["apt-get", "download", "-q", f"{name}={version}"], tmp)
    (archive,) = os.listdir(tmp)
    shutil.move(os.path.join(tmp, archive), os.path.join(into, archive))
    os.rmdir(tmp)
    return os.path.join(into, archive)


def members(archive):
    """(name, read) of every data file in an archive."""
    if archive.endswith(".whl") or archive.endswith(".zip"):
        z = zipfile.ZipFile(archive)
        for info in z.infolist():
            yield info.filename, info.file_size, lambda i=info: z.read(i)
    elif archive.endswith(".deb"):
        tmp = archive + ".x"
        shutil.rmtree(tmp, ignore_errors=True)
        run(["dpkg-deb", "-x", archive, tmp], ".")
        for dirpath, _, names in os.walk(tmp):
            for n in names:
                p = os.path.join(dirpath, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    rel = os.path.relpath(p, tmp)
                    yield rel, os.path.getsize(p), lambda p=p: open(p, "rb").read()
        # the tree is removed by the caller after extraction
    else:
        t = tarfile.open(archive)
        for info in t.getmembers():
            if info.isfile():
                yield info.name, info.size, lambda i=info: t.extractfile(i).read()


def main():
    cache = sys.argv[1]
    downloads = os.path.join(cache, "downloads")
    for source, name, version, kind in PACKAGES:
        dest = os.path.join(cache, "files", source, f"{name}-{version}")
        if os.path.exists(os.path.join(dest, ".done")):
            continue
        archive = download(source, name, version, kind, os.path.join(downloads, source))
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        count = 0
        for member, size, read in members(archive):
            if not member.lower().endswith(EXTENSIONS) or size > MAX_BYTES:
                continue
            # flatten the member path so that every file has a short, stable key
            flat = member.lstrip("./").replace("/", "__")
            with open(os.path.join(dest, flat), "wb") as f:
                f.write(read())
            count += 1
        shutil.rmtree(archive + ".x", ignore_errors=True)
        with open(os.path.join(dest, ".done"), "w") as f:
            f.write(f"{count}\n")
        print(f"  {source}/{name}-{version}: {count} files", flush=True)


if __name__ == "__main__":
    main()
