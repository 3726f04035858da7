#!/usr/bin/env bash
# Builds the two wasm decoders with wasm-pack and writes the committed glue to
# src/_wasm/gen/. `build.sh --check` rebuilds into a temporary folder and fails
# when src/_wasm/gen/ differs (stale generated code).
#
# Toolchain (README "Building the wasm decoder"): Debian's rustc 1.63 with
# libstd-rust-dev-wasm32 compiles the wasm32 target (rustup's host toolchain
# has no wasm32 standard library and cannot download one here); wasm-pack
# and wasm-bindgen-cli =0.2.92 (the crate's pinned version) are built from
# crates.io with the host toolchain by install-tools.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_debian_cargo.sh"
root="$(dirname "$here")"
check=0
[[ "${1:-}" == "--check" ]] && check=1

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
for tool in wasm-pack wasm-bindgen; do
  path="$(command -v "$tool" || echo "$HOME/.cargo/bin/$tool")"
  [[ -x $path ]] || { echo "build.sh: $tool missing: run decoder-rs/install-tools.sh" >&2; exit 2; }
  ln -s "$path" "$tools/$tool"
done

# Two builds: the full decoder (default features: NetCDF, HDF5 and every
# filter), loaded on the first NetCDF read, and the small cpb kernel (no
# default features) that every import of the library loads.
out="$here/target/pkg"
rm -rf "$out" "$out-core"
build() { # <out dir> <out name> [cargo arguments]
  PATH="$tools:$PATH" \
    CARGO_TARGET_DIR="$here/target" \
    RUSTFLAGS="-C target-feature=+simd128 --remap-path-prefix=$here=/decoder-rs --remap-path-prefix=$CARGO_HOME=/cargo" \
    wasm-pack --quiet build --target web --release --no-pack \
    --out-dir "$1" --out-name "$2" "$here" -- "${@:3}" >&2
}
build "$out" icoscp_decoder
build "$out-core" icoscp_core --no-default-features
cp "$out-core"/icoscp_core* "$out/"

dest="$root/src/_wasm/gen"
[[ $check == 1 ]] && dest="$(mktemp -d)"
"${DENO:-deno}" run --allow-read --allow-write "$here/inline_wasm.ts" "$out" "$dest"

if [[ $check == 1 ]]; then
  if ! diff -r "$dest" "$root/src/_wasm/gen" >/dev/null; then
    echo "build.sh --check: src/_wasm/gen/ is stale; run 'deno task build:wasm' and commit" >&2
    diff -r "$dest" "$root/src/_wasm/gen" | head -20 >&2
    exit 1
  fi
  echo "src/_wasm/gen/ is up to date"
fi
