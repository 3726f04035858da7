// Private: what the commands share: usage errors, option parsing, tables as
// CSV, the progress bar.

import { MIRROR_FLAGS } from "./_mirror.ts";
import { SEARCH_FLAGS } from "./_search.ts";
import type { CliIo } from "./cli.ts";
import { tableCsv, type TimeKind } from "../export/_table_text.ts";

export class UsageError extends Error {}

export const enc = new TextEncoder();

export function choice<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const v = String(value).toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === v);
  if (hit === undefined) {
    throw new UsageError(`--${name} ${value} is not one of ${allowed.join(", ")}`);
  }
  return hit;
}

export function count(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === "" || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${name} expects a non-negative integer, not ${value}`);
  }
  return n;
}

export function list(v: unknown): string[] | undefined {
  return typeof v === "string" && v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
}

export function csvOf(
  t: Parameters<typeof tableCsv>[0],
  times: Readonly<Record<string, TimeKind>> = {},
): string {
  return tableCsv(t, times);
}

/** Time columns of a station listing, a STILT table and similar. */
export const LISTING_TIMES: Record<string, TimeKind> = {
  timeStart: "dateTime",
  timeEnd: "dateTime",
  isodate: "dateTime",
};

/** A progress line on stderr: a bar when it is a terminal, plain lines otherwise. */
export function progress(
  io: Required<Pick<CliIo, "stderr">> & { isTerminal: boolean },
  label: string,
) {
  let last = -1;
  return (done: number, total: number | undefined) => {
    if (io.isTerminal) {
      const frac = total ? Math.min(1, done / total) : 0;
      const width = 30;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      const pct = total ? `${Math.round(frac * 100)}%`.padStart(4) : "";
      io.stderr(`\r${label} [${bar}] ${pct} ${done}${total ? `/${total}` : ""}`);
      if (total && done >= total) io.stderr("\n");
    } else {
      const step = total ? Math.floor((done / total) * 10) : done;
      if (step !== last) {
        last = step;
        io.stderr(`${label}: ${done}${total ? ` of ${total}` : ""}\n`);
      }
    }
  };
}

export interface Out {
  here: (file: string) => string;
  out: (s: string) => void;
  err: (s: string) => void;
  json: (v: unknown) => void;
  bar: (label: string) => (done: number, total: number | undefined) => void;
  /** Whether stderr is a terminal (progress only there for reads that print their result). */
  isTerminal?: boolean;
  /** A table as the terminal or a pipe wants it. */
  shown: (t: Parameters<typeof tableCsv>[0], times?: Record<string, TimeKind>) => string;
}

/** The flags of every command (parseArgs strings and booleans). */
export const FLAGS = {
  portal: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  theme: { type: "string" },
  project: { type: "string" },
  country: { type: "string" },
  level: { type: "string" },
  style: { type: "string" },
  columns: { type: "string" },
  offset: { type: "string" },
  length: { type: "string" },
  "keep-bad-data": { type: "boolean" },
  "no-time": { type: "boolean" },
  out: { type: "string" },
  dir: { type: "string" },
  cache: { type: "string" },
  "accept-licence": { type: "boolean" },
  file: { type: "string" },
  format: { type: "string" },
  id: { type: "string" },
  icos: { type: "boolean" },
  sdate: { type: "string" },
  edate: { type: "string" },
  search: { type: "string" },
  hours: { type: "string" },
  png: { type: "string" },
  nc: { type: "string" },
  via: { type: "string" },
  user: { type: "string" },
  "password-stdin": { type: "boolean" },
  "fix-permissions": { type: "boolean" },
  port: { type: "string" },
  ...SEARCH_FLAGS,
  ...MIRROR_FLAGS,
} as const;

/** The parsed flags. */
export type Flags = {
  [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]["type"] extends "boolean" ? boolean : string;
};
