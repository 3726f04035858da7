// Private: line decimation for plots. A line of more points than the plot
// has pixel columns is reduced to the first, lowest, highest and last point
// of each column (M4, Jugel et al. 2014): the rasterized line is the same,
// and any size renders in a bounded time. NaN gaps stay gaps.

/**
 * The points of a line (times in ms, sorted or not) kept for a plot `width`
 * pixels wide: all of them when there are few, else per pixel column the
 * first, lowest, highest and last finite point in time order, with a NaN
 * where the column held a gap.
 */
export function decimate(
  time: ArrayLike<number>,
  values: ArrayLike<number>,
  width: number,
): { time: number[]; values: number[] } {
  const n = time.length;
  const columns = Math.max(1, Math.round(width));
  if (n <= 4 * columns) return { time: Array.from(time), values: Array.from(values) };
  let t0 = Infinity, t1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (t < t0) t0 = t;
    if (t > t1) t1 = t;
    if (i > 0 && t < time[i - 1]) return { time: Array.from(time), values: Array.from(values) };
  }
  const span = t1 - t0 || 1;
  const outT: number[] = [], outV: number[] = [];
  let col = -1;
  let first = -1, lo = -1, hi = -1, last = -1, gap = false;
  const flush = () => {
    const keep = [first, lo, hi, last].filter((k) => k >= 0).sort((a, b) => a - b);
    let prev = -1;
    for (const k of keep) {
      if (k === prev) continue;
      outT.push(time[k]);
      outV.push(values[k]);
      prev = k;
    }
    if (gap) {
      outT.push(last >= 0 ? time[last] : time[n - 1]);
      outV.push(NaN);
    }
    first =
      lo =
      hi =
      last =
        -1;
    gap = false;
  };
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.floor(((time[i] - t0) / span) * columns));
    if (c !== col) {
      if (col >= 0) flush();
      col = c;
    }
    const v = values[i];
    if (!Number.isFinite(v)) {
      // a gap: what came before in this column ends here
      if (first >= 0) {
        flush();
        outT.push(time[i]);
        outV.push(NaN);
      } else gap = true;
      continue;
    }
    if (first < 0) first = i;
    if (lo < 0 || v < values[lo]) lo = i;
    if (hi < 0 || v > values[hi]) hi = i;
    last = i;
  }
  flush();
  return { time: outT, values: outV };
}
