// What `deno task test` runs: `deno test` with the arguments given, its
// output passed through unchanged, then one last line that says how many
// tests were skipped and why (the reasons tests/_peers.ts prints, grouped),
// e.g. "536 passed, 0 failed, 11 skipped: 11 ../shared/fixtures/real is
// absent (fresh clone)". Exits with deno test's code.
//
//   deno run --allow-run --allow-read --allow-env tests/_run.ts <deno test arguments>

/** The last line, from deno test's whole output. */
export function lastLine(output: string): string {
  // deno-lint-ignore no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, "");
  const summary = [
    ...text.matchAll(/^(ok|FAILED) \| (\d+) passed.*?\| (\d+) failed(?:.*?\| (\d+) ignored)?/gm),
  ]
    .at(-1);
  const passed = summary ? Number(summary[2]) : 0;
  const failed = summary ? Number(summary[3]) : 0;
  const ignored = summary?.[4] ? Number(summary[4]) : 0;
  const reasons = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^skipping "(.+)": (.+)$/gm)) {
    // one reason per missing peer; the interpreter's path is not part of it
    for (const r of m[2].split("; ")) {
      const reason = r.replace(/^\S*python\S* cannot import/, "Python cannot import").replace(
        /: real-sample tests skipped$/,
        "",
      );
      if (!reasons.has(reason)) reasons.set(reason, new Set());
      reasons.get(reason)!.add(m[1]);
    }
  }
  const head = summary
    ? `${passed} passed, ${failed} failed, ${ignored} skipped`
    : "no test summary (deno test did not finish)";
  if (!ignored) return head;
  const known = new Set([...reasons.values()].flatMap((s) => [...s]));
  const parts = [...reasons].sort((a, b) => b[1].size - a[1].size).map(([r, s]) =>
    `${s.size} ${r}`
  );
  if (ignored > known.size) parts.push(`${ignored - known.size} ignored by the test itself`);
  return `${head}: ${parts.join("; ")}`;
}

if (import.meta.main) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...Deno.args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let all = "";
  const pass = async (
    from: ReadableStream<Uint8Array>,
    to: { write(b: Uint8Array): Promise<number> },
  ) => {
    for await (const chunk of from) {
      all += decoder.decode(chunk, { stream: true });
      let off = 0;
      while (off < chunk.length) off += await to.write(chunk.subarray(off));
    }
  };
  await Promise.all([pass(child.stdout, Deno.stdout), pass(child.stderr, Deno.stderr)]);
  const { code } = await child.status;
  console.log(lastLine(all));
  Deno.exit(code);
}
