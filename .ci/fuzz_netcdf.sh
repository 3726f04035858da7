#!/usr/bin/env bash
# Bounded fuzz of the production NetCDF/HDF5 read path (tests/netcdf/fuzz_netcdf.ts)
# over the generated conformance corpus, the real fixtures of ../shared (when
# present) and the real-world corpus under .ci/.tools/corpus (when built).
# Fails (exit 1) on any untyped error, hang or memory blow-up; the failing
# input is kept in tests/testdata/netcdf/fuzz_regressions/ to commit.
# Env: FUZZ_ITERATIONS (default 3000), FUZZ_SECONDS (default 240), FUZZ_SEED
# (default: the day of the year, so CI explores new mutants every day and a
# failure is reproducible with the printed seed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python="${ICOSCP_PYTHON:-python3}"
deno="${DENO:-deno}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" tests/testdata/netcdf/gen_corpus.py "$work/generated" >/dev/null
# sequences, compounds with strings, arrays of strings, reduced precision
"$python" tests/testdata/netcdf/gen_vlen.py "$work/vlen" >/dev/null
folders=("$work/generated" "$work/vlen")
[[ -d ../shared/fixtures/real ]] && folders+=("../shared/fixtures/real")
[[ -d .ci/.tools/corpus ]] && folders+=(".ci/.tools/corpus")
"$deno" run -A tests/netcdf/fuzz_netcdf.ts \
  --iterations "${FUZZ_ITERATIONS:-3000}" --seconds "${FUZZ_SECONDS:-240}" \
  --seed "${FUZZ_SEED:-$((10#$(date +%j)))}" "${folders[@]}"
