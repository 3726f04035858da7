"""Executes a notebook with a given kernel (jupyter_client) and checks each code cell's outputs.

Usage: notebook_check.py NOTEBOOK KERNEL [EXECUTED.ipynb] [RENDERED.html]
A code cell fails when it has an error output or lacks a MIME type listed in
its metadata `icoscp.expect`. Prints one line per cell, then 'N passed, N failed'.
"""

import os
import sys

import queue
import time

import nbformat
from jupyter_client.manager import start_new_kernel
from nbformat.v4 import output_from_msg


def render(nb, path):
    """The executed notebook as HTML, rendered by nbconvert (as Jupyter's own tools do)."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)


def untrusted_pictures(nb):
    """Renders each picture cell (one that expects image/png) as an untrusted notebook:
    nbconvert's SanitizeHTML keeps only the output types safe without trust (text,
    PNG, JPEG: no SVG, no script) and escapes unsafe HTML, as JupyterLab, GitHub and
    VS Code show a notebook nobody trusted. Returns (ok, failures)."""
    import copy
    import re

    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.sanitize_html = True
    config.HTMLExporter.preprocessors = ["nbconvert.preprocessors.sanitize.SanitizeHTML"]
    config.SanitizeHTML.enabled = True
    exporter = HTMLExporter(config=config, template_name="basic")
    image = re.compile(r'<img[^>]+src="data:image/png;base64,')
    ok, failures = 0, []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "image/png" not in cell.metadata.get("icoscp", {}).get("expect", []):
            continue
        one = copy.deepcopy(nb)
        one.cells = [copy.deepcopy(cell)]
        body, _ = exporter.from_notebook_node(one)
        if image.search(body):
            ok += 1
        else:
            failures.append(f"cell {i}: no image in its untrusted rendering")
    return ok, failures


def execute(nb, kernel, cwd, settle=60.0):
    """Runs the code cells in order and records their outputs.

    The Deno kernel may publish a cell's result after reporting the kernel idle
    (its rich display is formatted asynchronously), which nbclient drops; here
    every IOPub message is attributed to its cell by its parent message id, and
    after the last cell the channel is drained until each cell has what it
    expects or `settle` seconds pass without a message.
    """
    km, kc = start_new_kernel(kernel_name=kernel, cwd=cwd)
    try:
        by_id = {}
        pending_idle = set()

        def handle(msg):
            cell = by_id.get(msg["parent_header"].get("msg_id"))
            if cell is None:
                return
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                pending_idle.discard(msg["parent_header"]["msg_id"])
            elif kind in ("stream", "display_data", "execute_result", "error"):
                cell.outputs.append(output_from_msg(msg))
                if kind == "execute_result":
                    cell.execution_count = msg["content"].get("execution_count")

        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            mid = kc.execute(cell.source)
            by_id[mid] = cell
            pending_idle.add(mid)
            while mid in pending_idle:
                handle(kc.get_iopub_msg(timeout=600))

        def satisfied():
            for cell in by_id.values():
                mimes = {k for o in cell.outputs for k in o.get("data", {})}
                if any(o.output_type == "error" for o in cell.outputs):
                    continue
                if not set(cell.metadata.get("icoscp", {}).get("expect", [])) <= mimes:
                    return False
            return True

        quiet_until = time.time() + settle
        while not satisfied() and time.time() < quiet_until:
            try:
                handle(kc.get_iopub_msg(timeout=1))
                quiet_until = time.time() + settle
            except queue.Empty:
                pass
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    path, kernel = sys.argv[1], sys.argv[2]
    executed = sys.argv[3] if len(sys.argv) > 3 else ""
    rendered = sys.argv[4] if len(sys.argv) > 4 else ""
    nb = nbformat.read(path, as_version=4)
    execute(nb, kernel, os.path.dirname(os.path.abspath(path)))
    passed = failed = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expect = cell.metadata.get("icoscp", {}).get("expect", [])
        outs = cell.get("outputs", [])
        errors = [f"{o.ename}: {o.evalue}" for o in outs if o.output_type == "error"]
        mimes = set()
        for o in outs:
            mimes.update(o.get("data", {}).keys())
        missing = [m for m in expect if m not in mimes]
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if errors or missing or not expect:
            failed += 1
            why = "; ".join(errors + [f"no {m} output (has {sorted(mimes)})" for m in missing]
                            + ([] if expect else ["no expected MIME type in metadata"]))
            print(f"FAIL cell {i} `{first}`: {why}")
        else:
            passed += 1
            print(f"ok   cell {i} `{first}`: {', '.join(expect)}")
    if executed:
        nbformat.write(nb, executed)
    if rendered:
        render(nb, rendered)
    try:
        import nbconvert  # noqa: F401
    except ImportError:
        print("untrusted: skipped (nbconvert is not installed)")
    else:
        shown, missing = untrusted_pictures(nb)
        for why in missing:
            print(f"FAIL {why}")
        failed += len(missing)
        print(f"untrusted: {shown} pictures shown as images, {len(missing)} not")
    print(f"notebook: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
