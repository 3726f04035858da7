#!/usr/bin/env bash
# Executes examples/tour.ipynb with the Deno Jupyter kernel (jupyter_client
# from PyPI) and checks that every code cell ran without error and carries the
# MIME types its metadata expects (`icoscp.expect`). Exits non-zero otherwise.
# Usage: bash .ci/notebook.sh [notebook] [executed-copy.ipynb] [rendered.html]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
tools="$root/.ci/.tools"
mkdir -p "$tools"
source .ci/_wait_retry.sh
export PATH="$tools/node_modules/.bin:$PATH"
py="${ICOSCP_PYTHON:-$tools/venv/bin/python}"
if ! command -v "$py" >/dev/null 2>&1; then
  python3 -m venv "$tools/venv"
  py="$tools/venv/bin/python"
fi
if ! "$py" -c "import nbformat, jupyter_client, nbconvert" 2>/dev/null; then
  retry_once "$py" -m pip install -q --disable-pip-version-check \
    $(grep -E '^(nbformat|jupyter-client|nbconvert)==' .ci/requirements.txt)
fi
# The kernelspec goes into a throw-away Jupyter path (deno installs it under $HOME).
jhome="$(mktemp -d "${TMPDIR:-/tmp}/icoscp-jupyter-XXXXXX")"
trap 'rm -rf "$jhome"' EXIT
HOME="$jhome" \
  deno jupyter --install --force --name icoscp-deno --display "Deno (icoscp)" >/dev/null 2>&1
export JUPYTER_PATH="$jhome/.local/share/jupyter"
export JUPYTER_RUNTIME_DIR="$jhome/runtime"
export JUPYTER_DATA_DIR="$jhome/data"
"$py" .ci/notebook_check.py "${1:-examples/tour.ipynb}" icoscp-deno "${2:-}" "${3:-}"
