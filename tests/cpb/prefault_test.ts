// The preparation getColumns does while it waits for the server
// (src/cpb/_prefault.ts): it must stop the moment the answer is there, since a
// page touched after that would overwrite decoded values with zeros.

import assert from "node:assert/strict";
import { runWhileWaiting, touchJob } from "../../src/cpb/_prefault.ts";

Deno.test("runWhileWaiting runs no burst once done() is true", async () => {
  const calls: string[] = [];
  let done = false;
  let bBursts = 0;
  const jobs = [
    () => (calls.push("a"), true),
    () => {
      calls.push("b");
      done = true; // the answer arrived during this burst …
      return ++bBursts === 2; // … with work left for one more burst
    },
    () => (calls.push("c"), true),
  ];
  await runWhileWaiting(jobs, () => done);
  assert.deepEqual(calls, ["a", "b"]);
  // nothing at all when the answer is there before the first turn
  const none: string[] = [];
  await runWhileWaiting([() => (none.push("x"), true)], () => true);
  assert.deepEqual(none, []);
});

Deno.test("touchJob writes only the zeros fresh pages hold, a burst at a time", async () => {
  const a = new Float64Array(300_000); // 2.4 MB: 586 pages
  const b = new Uint16Array(5000);
  const job = touchJob([a, b]);
  let bursts = 0;
  while (!job(0)) bursts++; // a deadline already past: one slice of 256 pages a burst
  assert.equal(bursts, Math.ceil(a.byteLength / 4096 / 256));
  assert.ok(a.every((x) => x === 0) && b.every((x) => x === 0));
  // run through runWhileWaiting to the end
  const c = new Float32Array(1_000_000);
  let finished = false;
  await runWhileWaiting([touchJob([c]), () => (finished = true)], () => false);
  assert.ok(finished);
});
