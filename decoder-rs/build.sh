#!/usr/bin/env bash
# Builds the wasm decoder with wasm-pack and writes the committed glue to
# src/_wasm/. `build.sh --check` rebuilds into a temporary folder and fails
# when src/_wasm/ differs (stale generated code).
#
# Toolchain (see README "Building the wasm decoder"): Debian's rustc 1.63 with
# libstd-rust-dev-wasm32 compiles the wasm32 target; rustup's host toolchain
# has no wasm32 standard library and cannot download one here. Debian's
# cargo 1.65 only speaks crates.io's git index, which is unreachable, so the
# host cargo vendors the locked crates first and Debian's cargo builds
# offline from that folder. wasm-pack and wasm-bindgen-cli (=0.2.92, the
# crate's pinned version) are built from crates.io with the host toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
host_cargo="${HOST_CARGO:-$HOME/.cargo/bin/cargo}"
check=0
[[ "${1:-}" == "--check" ]] && check=1

for tool in /usr/bin/rustc /usr/bin/cargo; do
  [[ -x $tool ]] || { echo "build.sh: $tool missing: apt-get install rustc cargo libstd-rust-dev-wasm32" >&2; exit 2; }
done
[[ -d /usr/lib/rustlib/wasm32-unknown-unknown ]] || { echo "build.sh: apt-get install libstd-rust-dev-wasm32" >&2; exit 2; }
for tool in wasm-pack wasm-bindgen; do
  command -v "$tool" >/dev/null || [[ -x "$HOME/.cargo/bin/$tool" ]] || {
    echo "build.sh: $tool missing: see decoder-rs/install-tools.sh" >&2; exit 2; }
done

cd "$here"
mkdir -p target
"$host_cargo" vendor --locked --versioned-dirs target/vendor >/dev/null 2>"$here/target/vendor.log" ||
  { cat "$here/target/vendor.log" >&2; exit 1; }

shim="$(mktemp -d)"
trap 'rm -rf "$shim"' EXIT
cat >"$shim/cargo" <<SHIM
#!/bin/sh
exec /usr/bin/cargo --offline --config 'source.crates-io.replace-with="vendored"' \
  --config 'source.vendored.directory="$here/target/vendor"' "\$@"
SHIM
chmod +x "$shim/cargo"
ln -s /usr/bin/rustc "$shim/rustc"
for tool in wasm-pack wasm-bindgen; do
  ln -s "$(command -v "$tool" || echo "$HOME/.cargo/bin/$tool")" "$shim/$tool"
done

out="$here/target/pkg"
rm -rf "$out"
PATH="$shim:/usr/bin:$PATH" \
  CARGO_TARGET_DIR="$here/target" \
  RUSTFLAGS="-C target-feature=+simd128 --remap-path-prefix=$here=/decoder-rs --remap-path-prefix=$HOME=/home" \
  wasm-pack --quiet build --target web --release --no-pack \
  --out-dir "$out" --out-name icoscp_decoder "$here" >&2

dest="$root/src/_wasm"
if [[ $check == 1 ]]; then
  dest="$(mktemp -d)"
fi
"${DENO:-deno}" run --allow-read --allow-write "$here/inline_wasm.ts" "$out" "$dest"

if [[ $check == 1 ]]; then
  if ! diff -r "$dest" "$root/src/_wasm" >/dev/null; then
    echo "build.sh --check: src/_wasm/ is stale; run deno task build:wasm and commit" >&2
    diff -r "$dest" "$root/src/_wasm" | head -20 >&2
    exit 1
  fi
  echo "src/_wasm/ is up to date"
fi
