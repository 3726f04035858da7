// The last line of `deno task test` (tests/_run.ts) says how many tests were
// skipped and why: from a real run of the wrapper on a test file whose peers
// are missing, and from the output of a whole run.

import assert from "node:assert/strict";
import { join } from "node:path";
import { lastLine } from "./_run.ts";

const here = new URL(".", import.meta.url).pathname;

Deno.test("tests/_run.ts passes deno test's output through and ends with the skips and their reasons", async () => {
  const dir = await Deno.makeTempDir({ dir: here, prefix: "_run_report_" });
  try {
    await Deno.writeTextFile(
      join(dir, "some_test.ts"),
      `import { peerTest } from "../_peers.ts";
Deno.test("runs", () => {});
Deno.test(peerTest("needs a tool", { tools: ["no-such-tool-icoscp"] }, () => {}));
Deno.test(peerTest("needs it too", { tools: ["no-such-tool-icoscp"] }, () => {}));
Deno.test({ name: "ignored by itself", ignore: true, fn: () => {} });
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(here, "_run.ts"), "-A", join(dir, "some_test.ts")],
      env: { ICOSCP_REQUIRE_PEERS: "0", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
    assert.match(text, /^ok \| 1 passed \| 0 failed \| 3 ignored/m, "deno test's own summary");
    assert.equal(
      text.trim().split("\n").at(-1),
      "1 passed, 0 failed, 3 skipped: 2 no-such-tool-icoscp is not installed; 1 ignored by the test itself",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the last line groups skip reasons by count and drops the interpreter's path", () => {
  const output = [
    'skipping "a": ../shared/fixtures/real is absent (fresh clone): real-sample tests skipped',
    'skipping "b": ../shared/fixtures/real is absent (fresh clone): real-sample tests skipped',
    'skipping "c": /opt/venv/bin/python cannot import netCDF4: ModuleNotFoundError; ncdump is not installed',
    "\x1b[0m\x1b[31mFAILED\x1b[0m | 530 passed (55 steps) | 2 failed | 3 ignored \x1b[0m(2m24s)",
  ].join("\n");
  assert.equal(
    lastLine(output),
    "530 passed, 2 failed, 3 skipped: 2 ../shared/fixtures/real is absent (fresh clone); " +
      "1 Python cannot import netCDF4: ModuleNotFoundError; 1 ncdump is not installed",
  );
  assert.equal(lastLine("ok | 4 passed | 0 failed (1s)"), "4 passed, 0 failed, 0 skipped");
  assert.match(lastLine("error: Module not found"), /no test summary/);
});
