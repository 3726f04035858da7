// Test helper (a separate process): downloads one object into one folder
// `rounds` times against the emulator, its body in small pieces with pauses
// so that another process doing the same overlaps; after each download the
// file at the returned path must have the expected SHA-256. Prints one line
// per failure and exits 1 on any.
//
// Usage: deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-env
//   _download_child.ts <config JSON: {endpoints, user, password, id, dir, sha, rounds}>

import { createHash } from "node:crypto";
import { CarbonPortal } from "../../mod.ts";

const cfg = JSON.parse(Deno.args[0]);
const slow: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!String(input instanceof Request ? input.url : input).includes("/objects/") || !res.body) {
    return res;
  }
  const all = new Uint8Array(await res.arrayBuffer());
  let o = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      if (o >= all.length) return c.close();
      c.enqueue(all.slice(o, o + 8192));
      o += 8192;
    },
  });
  return new Response(body, { status: res.status, headers: res.headers });
};
const cp = new CarbonPortal({
  portal: cfg.endpoints,
  auth: { user: cfg.user, password: cfg.password },
  retry: { minDelay: 1 },
  fetch: slow,
});
const dobj = await cp.dobj(cfg.id);
let failures = 0;
for (let round = 0; round < cfg.rounds; round++) {
  try {
    const path = await dobj.download(cfg.dir);
    const sha = createHash("sha256").update(await Deno.readFile(path)).digest("hex");
    if (sha !== cfg.sha) {
      console.log(`round ${round}: ${path} has SHA-256 ${sha}, not ${cfg.sha}`);
      failures++;
    }
  } catch (e) {
    console.log(`round ${round}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    failures++;
  }
}
Deno.exit(failures ? 1 : 0);
