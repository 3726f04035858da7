// The CI scripts wait for the dpkg lock instead of failing at once, and try a
// failed registry download once more (issue 22, item 10). The scripts are run
// for real with stub commands first on PATH.

import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;
const scripts = [
  ".ci/run",
  ".ci/corpus.sh",
  ".ci/notebook.sh",
  "decoder-rs/install-tools.sh",
];

async function bash(script: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    cwd: root,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("every apt-get of the CI scripts waits for the dpkg lock", async () => {
  for (const s of scripts) {
    const text = await Deno.readTextFile(root + s);
    for (const line of text.split("\n")) {
      if (/^\s*#/.test(line)) continue;
      // apt-get itself only inside the helper; scripts call apt_get
      assert(
        !/\bapt-get\s+(update|install)/.test(line),
        `${s}: ${line.trim()} does not wait for the lock`,
      );
    }
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/apt-get`, `#!/bin/sh\necho "$@"\n`);
    await Deno.chmod(`${dir}/apt-get`, 0o755);
    const r = await bash(`source .ci/_wait_retry.sh && apt_get install -y nco`, {
      PATH: `${dir}:/usr/bin:/bin`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /-o DPkg::Lock::Timeout=\d+ install -y nco/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every registry install of the CI scripts is tried once more after a failure", async () => {
  for (const s of scripts) {
    const text = await Deno.readTextFile(root + s);
    for (const line of text.split("\n")) {
      if (/^\s*#/.test(line)) continue;
      if (/\b(npm|pip|cargo"?|apt_get)\s+install\b|apt_get update/.test(line)) {
        assert.match(line, /\bretry_once\b/, `${s}: ${line.trim()} is not retried`);
      }
    }
  }
  const dir = await Deno.makeTempDir();
  try {
    // fails the first time, succeeds the second
    await Deno.writeTextFile(
      `${dir}/flaky`,
      `#!/bin/sh\nif [ -e "${dir}/seen" ]; then echo ok; exit 0; fi\ntouch "${dir}/seen"; exit 1\n`,
    );
    await Deno.chmod(`${dir}/flaky`, 0o755);
    const r = await bash(`source .ci/_wait_retry.sh && retry_once flaky`, {
      PATH: `${dir}:/usr/bin:/bin`,
      RETRY_DELAY: "0",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "ok\n");
    // always failing: two tries, then the failure
    const r2 = await bash(
      `source .ci/_wait_retry.sh && n=0; f() { n=$((n+1)); return 7; }; retry_once f; s=$?; echo "$n $s"`,
      { PATH: "/usr/bin:/bin", RETRY_DELAY: "0" },
    );
    assert.equal(r2.stdout.trim(), "2 7");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
