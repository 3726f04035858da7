#!/usr/bin/env bash
# Installs what decoder-rs/build.sh needs on a fresh Debian machine: Debian's
# rustc 1.63 with the wasm32 standard library, and wasm-pack plus the
# wasm-bindgen CLI matching the crate's pinned wasm-bindgen (built from
# crates.io with the rustup host toolchain). Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/_wait_retry.sh"
if [[ ! -d /usr/lib/rustlib/wasm32-unknown-unknown || ! -x /usr/bin/cargo-clippy ]]; then
  retry_once apt_get update -qq
  retry_once apt_get install -y -qq rustc cargo libstd-rust-dev-wasm32 rust-clippy >/dev/null
fi
host_cargo="${HOST_CARGO:-$HOME/.cargo/bin/cargo}"
want_bindgen="0.2.92"
if ! "$HOME/.cargo/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $want_bindgen"; then
  retry_once "$host_cargo" install --quiet --locked wasm-bindgen-cli --version "=$want_bindgen"
fi
if ! command -v wasm-pack >/dev/null && [[ ! -x "$HOME/.cargo/bin/wasm-pack" ]]; then
  retry_once "$host_cargo" install --quiet --locked wasm-pack --version "=0.15.1"
fi
