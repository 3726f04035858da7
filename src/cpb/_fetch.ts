// Private: a `/cpb` read that survives dropped connections. The response is
// column-major, so the bytes that did arrive tell which columns are complete
// and how many rows of the next one: only the rest is asked for again, by
// row offset (`slice`), and decoded straight into its place.

import type { CarbonPortal } from "../client/client.ts";
import { type CpbColumn, type CpbSchema, type CpbSlice, decodeCpbCounted } from "./cpb.ts";
import { BYTE_SIZE } from "./_layout.ts";
import { isBrokenBody, Retry } from "../client/_retry.ts";
import { setOwn } from "../_util/own.ts";

/** One table read: the request fields and where the values go. */
export interface CpbRead {
  /** `tableId` and `subFolder` of the request. */
  tableId: string;
  subFolder: string;
  /** The full schema (all columns, all rows) with labels. */
  schema: CpbSchema & { labels: readonly string[] };
  /** Indices of the columns wanted, ascending. */
  columnNumbers: readonly number[];
  /** The rows wanted; undefined: the whole table, without a `slice` field. */
  slice: CpbSlice | undefined;
  /** Arrays of `slice.length` (or all) rows, by label, to decode into. */
  into: Readonly<Record<string, CpbColumn>>;
  signal?: AbortSignal;
  /** Called when a response (or a failure) comes back, before its body is read. */
  onResponse?: () => void;
  /** Called with the number of body bytes that just arrived (resumed reads count only new bytes). */
  onBytes?: (bytes: number) => void;
}

interface Task {
  cols: readonly number[];
  /** Rows [start, end), relative to the read's first row. */
  start: number;
  end: number;
}

/** Largest number of resumptions of one read, progress or not. */
const MAX_RESUMES = 64;

/** Fetches and decodes a table read, resuming after broken bodies. */
export async function fetchCpb(cp: CarbonPortal, read: CpbRead): Promise<void> {
  const first = read.slice?.offset ?? 0;
  const rows = read.slice?.length ?? read.schema.size;
  const tasks: Task[] = [{ cols: read.columnNumbers, start: 0, end: rows }];
  // Failures in a row without a whole row of progress count against the
  // client's retry policy; progress starts the count afresh.
  const retry = new Retry(cp.retry, read.signal ? [read.signal] : []);
  let resumes = 0;
  let owed = 0; // bytes counted once already that a resumed read brings again
  while (tasks.length) {
    const task = tasks.shift()!;
    const whole = task.start === 0 && task.end === rows && read.slice === undefined;
    const slice = whole ? undefined : { offset: first + task.start, length: task.end - task.start };
    const res = await cp.request(`${cp.endpoints.data}/cpb`, {
      method: "POST",
      hint: "Fetching binary",
      idempotent: true,
      auth: true,
      signal: read.signal,
      headers: { accept: "application/octet-stream", "content-type": "application/json" },
      body: JSON.stringify({
        tableId: read.tableId,
        subFolder: read.subFolder,
        schema: { columns: read.schema.columns, size: read.schema.size },
        columnNumbers: task.cols,
        ...(slice ? { slice } : {}),
      }),
    }).finally(read.onResponse);
    const into: Record<string, CpbColumn> = {};
    for (const n of task.cols) {
      const label = read.schema.labels[n];
      setOwn(into, label, (read.into[label] as Float64Array).subarray(task.start, task.end));
    }
    let arrived = 0;
    const received = {
      get bytes() {
        return arrived;
      },
      set bytes(n: number) {
        const fresh = n - arrived;
        arrived = n;
        const skipped = Math.min(owed, fresh); // bytes of a broken value, asked again
        owed -= skipped;
        if (fresh > skipped) read.onBytes?.(fresh - skipped);
      },
    };
    try {
      await decodeCpbCounted(res, read.schema, { columnNumbers: task.cols, slice, into }, received);
      retry.reset();
    } catch (e) {
      read.signal?.throwIfAborted();
      if (!isBrokenBody(e)) throw e;
      // which columns arrived whole, and how many rows of the next one
      // (the decoder consumes each chunk whole before it reads the next)
      let bytes = received.bytes;
      const n = task.end - task.start;
      let k = 0;
      while (k < task.cols.length && bytes >= BYTE_SIZE[read.schema.columns[task.cols[k]]] * n) {
        bytes -= BYTE_SIZE[read.schema.columns[task.cols[k]]] * n;
        k++;
      }
      const r = k < task.cols.length
        ? Math.floor(bytes / BYTE_SIZE[read.schema.columns[task.cols[k]]])
        : n;
      if (k < task.cols.length) owed += bytes - r * BYTE_SIZE[read.schema.columns[task.cols[k]]];
      if (k > 0 || r > 0) retry.reset();
      else if (!retry.another()) throw e;
      if (++resumes > MAX_RESUMES) throw e;
      if (k < task.cols.length) {
        tasks.unshift({ cols: task.cols.slice(k), start: task.start + r, end: task.end });
        if (r > 0 && k + 1 < task.cols.length) {
          tasks.push({ cols: task.cols.slice(k + 1), start: task.start, end: task.start + r });
        }
      }
      await retry.wait();
    }
  }
}
