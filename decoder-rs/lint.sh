#!/usr/bin/env bash
# cargo test, and cargo clippy with warnings denied on both targets: the
# native build (host toolchain) and the wasm32 build with the wasm boundary
# (Debian's clippy 1.63, package rust-clippy).
set -euo pipefail
host="${HOST_CARGO:-$HOME/.cargo/bin/cargo}"
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$host" fmt --manifest-path "$dir/Cargo.toml" --check
"$host" test --manifest-path "$dir/Cargo.toml" --locked
"$host" clippy --manifest-path "$dir/Cargo.toml" --locked --all-targets -- -D warnings
source "$dir/_debian_cargo.sh"
/usr/bin/cargo clippy --manifest-path "$here/Cargo.toml" --locked --target wasm32-unknown-unknown \
  --target-dir "$here/target/clippy-wasm" -- -D warnings
# the small cpb build (no default features) that every import of the library loads
/usr/bin/cargo clippy --manifest-path "$here/Cargo.toml" --locked --target wasm32-unknown-unknown \
  --target-dir "$here/target/clippy-wasm" --no-default-features -- -D warnings
