// examples/tour.ipynb on the Deno Jupyter kernel (through .ci/notebook.sh and
// jupyter_client): every code cell runs without error and carries the MIME
// type its metadata expects (maps and plots as PNG and SVG, tables and summaries
// as HTML); rendered untrusted by nbconvert (SVG dropped, HTML sanitized, as
// GitHub, nbviewer and an untrusted JupyterLab do), every picture is an image.

import assert from "node:assert/strict";
import { peerTest, python } from "./_peers.ts";

Deno.test(peerTest(
  "examples/tour.ipynb executes on the Deno kernel with rich outputs; untrusted, its pictures are images",
  { python: ["jupyter_client", "nbformat", "nbconvert"], tools: ["bash"] },
  async () => {
    const out = await new Deno.Command("bash", {
      args: [".ci/notebook.sh", "examples/tour.ipynb"],
      cwd: new URL("..", import.meta.url).pathname,
      env: { ICOSCP_PYTHON: python },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(out.success, `${text}\n${new TextDecoder().decode(out.stderr)}`);
    const m = /notebook: (\d+) passed, (\d+) failed/.exec(text);
    assert.ok(m, text);
    assert.equal(m[2], "0");
    assert.ok(Number(m[1]) >= 10, text);
    assert.match(text, /ok +cell \d+ `await plotDobj\(co2\);`: image\/png, image\/svg\+xml/);
    const pictures = /untrusted: (\d+) pictures shown as images, (\d+) not/.exec(text);
    assert.ok(pictures, text);
    assert.equal(pictures[2], "0", text);
    assert.ok(Number(pictures[1]) >= 4, text);
  },
));
