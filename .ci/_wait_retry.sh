# Sourced by the CI scripts (.ci/run, .ci/corpus.sh, .ci/notebook.sh,
# decoder-rs/install-tools.sh): apt-get waits for the dpkg lock another
# process holds instead of failing at once, and a registry download that
# fails (a dropped connection, a registry hiccup) is tried once more.

# apt-get that waits up to APT_LOCK_TIMEOUT seconds (default 600) for the dpkg lock.
apt_get() {
  apt-get -o "DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT:-600}" "$@"
}

# Runs a command; when it fails, waits RETRY_DELAY seconds (default 10) and runs it once more.
retry_once() {
  "$@" && return 0
  echo "retrying once after a failure: $*" >&2
  sleep "${RETRY_DELAY:-10}"
  "$@"
}
