# Sourced by build.sh and lint.sh: prepares Debian's cargo 1.65 / rustc 1.63
# (the toolchain with a wasm32 standard library) to build offline from crates
# vendored by the host cargo. Debian's cargo only speaks crates.io's git
# index, which is unreachable here, so a private CARGO_HOME replaces
# crates.io with the vendored folder.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
host_cargo="${HOST_CARGO:-$HOME/.cargo/bin/cargo}"
for tool in /usr/bin/rustc /usr/bin/cargo; do
  [[ -x $tool ]] || { echo "$tool missing: run decoder-rs/install-tools.sh" >&2; exit 2; }
done
[[ -d /usr/lib/rustlib/wasm32-unknown-unknown ]] ||
  { echo "wasm32 std missing: run decoder-rs/install-tools.sh" >&2; exit 2; }
mkdir -p "$here/target/debian-cargo-home"
"$host_cargo" vendor --manifest-path "$here/Cargo.toml" --locked --versioned-dirs \
  "$here/target/vendor" >/dev/null 2>"$here/target/vendor.log" ||
  { cat "$here/target/vendor.log" >&2; exit 1; }
cat >"$here/target/debian-cargo-home/config.toml" <<CONFIG
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$here/target/vendor"
[net]
offline = true
CONFIG
export CARGO_HOME="$here/target/debian-cargo-home"
export RUSTC=/usr/bin/rustc
# Debian's tools first; rustup's (first on a developer's PATH) have no wasm32 std.
export PATH="/usr/bin:$PATH"
