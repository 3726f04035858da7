"""Opens a STILT result package (zip) with Python's zipfile and prints a JSON summary.

Usage: stilt_package_check.py PACKAGE.zip EXTRACTED.nc

Checks every CRC (ZipFile.testzip), lists the entries, returns the CSV and
JSON entries as text, and writes the NetCDF entry to EXTRACTED.nc for
netcdf4_check.py. Used by emulator/tests/stilt_service_test.ts.
"""

import json
import sys
import zipfile


def main():
    path, nc_out = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        entries = [
            {"name": i.filename, "method": i.compress_type, "size": i.file_size,
             "date_time": list(i.date_time)}
            for i in z.infolist()
        ]
        out = {"bad": bad, "entries": entries, "texts": {}}
        for i in z.infolist():
            data = z.read(i.filename)
            if i.filename.endswith(".nc"):
                with open(nc_out, "wb") as f:
                    f.write(data)
            else:
                out["texts"][i.filename] = data.decode("utf-8")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
