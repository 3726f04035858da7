// Bench helper: timing of repeated runs (run with --v8-flags=--expose-gc to
// collect garbage before each run).

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median and minimum seconds of `reps` runs of `f`, after `warmup` runs, with a GC before each. */
export async function time(
  reps: number,
  f: () => unknown,
  warmup = 1,
): Promise<{ median: number; min: number }> {
  for (let w = 0; w < warmup; w++) await f();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    gc();
    const s = performance.now();
    await f();
    t.push((performance.now() - s) / 1000);
  }
  t.sort((a, b) => a - b);
  return { median: t[t.length >> 1], min: t[0] };
}
