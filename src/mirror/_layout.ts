// Private: the mirror's layout on disk, as pure functions: which shard an
// object belongs to, where its rows go (spec and year), how parts are named.
// Everything here is deterministic so that reruns, resumed runs and shards
// agree on every name.

import { Sha256 } from "../dobj/_sha256.ts";
import { decodeHash } from "../client/ids.ts";

const enc = new TextEncoder();

/** Hex SHA-256 of some strings joined by newlines (the first `n` hex digits). */
export function digestOf(parts: readonly string[], n = 16): string {
  const h = new Sha256().update(enc.encode(parts.join("\n"))).digest();
  return Array.from(h.subarray(0, Math.ceil(n / 2)), (b) => b.toString(16).padStart(2, "0"))
    .join("").slice(0, n);
}

/** The id part of a pid (`11676/<id>` or a bare id). */
export function idOf(pid: string): string {
  return pid.slice(pid.lastIndexOf("/") + 1);
}

/**
 * The shard (0 … n-1) of an object: its id is already the base64url of the
 * first bytes of the file's SHA-256, so its first four bytes spread evenly.
 */
export function shardOf(pid: string, n: number): number {
  let bytes: Uint8Array;
  try {
    bytes = decodeHash(idOf(pid));
  } catch {
    bytes = new Sha256().update(enc.encode(pid)).digest();
  }
  const v = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  return v % n;
}

/** The short name of a spec URI (`…/cpmeta/atcCo2L2DataObject` → `atcCo2L2DataObject`). */
export function specShortName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf("/") + 1);
  return name.replace(/[^\w.-]/g, "_") || "unknown";
}

/** The UTC year of a time in ms. */
export function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** The folder of a spec's year: `spec=<name>/year=<YYYY>`. */
export function partitionDir(spec: string, year: number): string {
  return `spec=${spec}/year=${year}`;
}

/**
 * The path of a part: named by what it holds (spec, year, sequence and the
 * pids whose rows it holds), so the same content gets the same name on every
 * machine and a changed content a new name.
 */
export function partPath(
  spec: string,
  year: number,
  seq: number,
  pids: readonly string[],
  compression: string,
): string {
  const hash = digestOf([spec, String(year), String(seq), compression, ...[...pids].sort()]);
  return `${partitionDir(spec, year)}/part-${hash}.parquet`;
}

/** The manifest's file name: one per shard, so machines sharing a folder never collide. */
export function manifestName(shard: readonly [number, number] | undefined): string {
  return shard && shard[1] > 1 ? `_manifest-${shard[0]}-of-${shard[1]}.json` : "_manifest.json";
}

/** The index files' suffix for a shard (`""` when unsharded). */
export function indexSuffix(shard: readonly [number, number] | undefined): string {
  return shard && shard[1] > 1 ? `-${shard[0]}-of-${shard[1]}` : "";
}
