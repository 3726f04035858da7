#!/usr/bin/env bash
# CI step: the real-world NetCDF/HDF5 conformance check. Builds (or finds
# cached) the corpus under .ci/.tools/corpus, compares every variable of
# every file with netCDF4-python / h5py, prints the score and fails when
# the result differs from tests/corpus/expected.json (a variable that was
# correct is not, a listed failure now passes, the corpus shrank).
# Regenerate the expected file after a fix: bash .ci/corpus.sh --update
# Needs what .ci/run installs (Deno, the venv) plus nco and libhdf5-dev,
# installed here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
tools="$root/.ci/.tools"
export PATH="$tools/node_modules/.bin:$PATH"
export ICOSCP_PYTHON="${ICOSCP_PYTHON:-$tools/venv/bin/python}"
cache="${ICOSCP_CORPUS:-$tools/corpus}"
mkdir -p "$cache"
source .ci/_wait_retry.sh
log="$cache/build.log"

if ! command -v ncks >/dev/null; then
  DEBIAN_FRONTEND=noninteractive retry_once apt_get install -y -qq nco >"$cache/apt.log" 2>&1 ||
    { tail -20 "$cache/apt.log"; exit 1; }
fi
# the HDF5 C library's headers: tests/testdata/netcdf/gen_vlen_c.c writes
# what h5py will not (arrays of strings, N-bit of reduced precision)
if [[ ! -f /usr/include/hdf5/serial/hdf5.h ]]; then
  DEBIAN_FRONTEND=noninteractive retry_once apt_get install -y -qq gcc libhdf5-dev \
    >>"$cache/apt.log" 2>&1 || { tail -20 "$cache/apt.log"; exit 1; }
fi
start=$SECONDS
bash tests/corpus/build.sh "$cache" >"$log" 2>&1 || { tail -30 "$log"; exit 1; }
grep '^corpus:' "$log" | tail -1
echo "corpus built in $((SECONDS - start)) s"
# a hang in a reader must fail the step, not stall CI
timeout 900 deno run --allow-read --allow-write --allow-run --allow-env tests/corpus/compare.ts \
  --cache "$cache" "$@"
