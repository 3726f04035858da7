// Private: preparing fresh output memory while a response is awaited. A new
// large ArrayBuffer is mapped lazily by the operating system: the first write
// to each 4 KiB page costs a page fault (one to three microseconds each, some
// 35,000 for 140 MB of columns). Paying them while the server prepares its
// answer, instead of while the answer streams in, takes them off the
// transfer's critical path. The work goes in short bursts between turns of
// the event loop and stops as soon as the answer is there.

const PAGE = 4096;
/** Pages touched between two looks at the clock. */
const PAGES_PER_CHECK = 256;

/**
 * A piece of preparation that can be done in bursts: does some work, at
 * least one unit, until `deadline` (a `performance.now()` time); true when
 * it is finished.
 */
export type PrepJob = (deadline: number) => boolean;

/**
 * A job that touches every page of freshly allocated (all-zero) arrays by
 * writing the zero each page holds.
 */
export function touchJob(arrays: readonly ArrayBufferView[]): PrepJob {
  const pages = arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  let k = 0;
  let at = 0;
  return (deadline) => {
    while (k < pages.length) {
      const bytes = pages[k];
      const end = Math.min(bytes.length, at + PAGE * PAGES_PER_CHECK);
      for (; at < end; at += PAGE) bytes[at] = 0;
      if (at >= bytes.length) {
        k++;
        at = 0;
      }
      if (performance.now() >= deadline) break;
    }
    return k >= pages.length;
  };
}

/**
 * A turn of the event loop that polls I/O. A timer, not a MessageChannel:
 * Deno delivers channel messages without polling sockets, so a loop of them
 * would hold the request back until it ends.
 */
function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `jobs` in order, in bursts between turns of the event loop (so a
 * request started just before goes out first), until `done()` is true. A
 * burst lasts a quarter of the time waited so far (1–8 ms): a quick answer
 * is noticed quickly, a slow one leaves longer bursts. Resolves when the
 * jobs are finished or cut short; never rejects.
 */
export async function runWhileWaiting(
  jobs: readonly PrepJob[],
  done: () => boolean,
): Promise<void> {
  const start = performance.now();
  for (const job of jobs) {
    while (true) {
      await turn();
      if (done()) return;
      const now = performance.now();
      if (job(now + Math.min(8, Math.max(1, (now - start) / 4)))) break;
    }
  }
}
