/**
 * Verified downloads of original files to disk, with resume and a
 * content-addressed cache (Deno and Node: needs a file system). Reached
 * through {@linkcode Dobj.download}.
 *
 * The file is streamed to `<name>.part` beside the target while its SHA-256
 * is computed; only when the hash equals the object's hash (and so its PID)
 * is it renamed to the target. On a mismatch the partial file is deleted and
 * an {@linkcode IntegrityError} thrown; an interrupted transfer leaves the
 * `.part` file, and the next call resumes it with an HTTP Range request (or
 * finishes it, when it is complete). An existing file at the target is
 * replaced.
 *
 * @module
 */

import { createHash, type Hash, randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { CarbonPortal } from "../client/client.ts";
import { CarbonPortalError, HttpError, IntegrityError, InvalidArgumentError } from "../errors.ts";
import { checkOptions, integer, type OptionKeys } from "../_util/args.ts";
import { base64url, decodeHash } from "../client/ids.ts";
import { dispositionName, objectBytes, type Progress } from "../client/_object_body.ts";

/** Options of {@linkcode downloadObject} (and `Dobj.download`). */
export interface DownloadOptions {
  /**
   * File name in the folder (a path is cut to its last part). Default: the
   * name the portal gives (`Content-Disposition`), else the metadata's. An
   * existing file of that name is replaced once the download is verified.
   */
  fileName?: string;
  /** A content-addressed cache folder: a second download of the same object is a local copy. */
  cacheDir?: string;
  /** Called as bytes arrive. */
  onProgress?: (progress: Progress) => void;
  /** Aborts the transfer (the `.part` file stays for a later resume). */
  signal?: AbortSignal;
  /** Resumptions after a dropped connection before giving up. Default 5. */
  retries?: number;
  /**
   * Accept the object's data licence for this file at the portal (the
   * user's explicit consent), so that it downloads without a login. Default
   * false: the download needs a login that accepted the licence.
   */
  acceptLicence?: boolean;
}

const DOWNLOAD_KEYS: OptionKeys<DownloadOptions> = {
  acceptLicence: true,
  fileName: true,
  cacheDir: true,
  onProgress: true,
  signal: true,
  retries: true,
};

/** What {@linkcode downloadObject} needs to know about the object. */
export interface DownloadTarget {
  /** The 24-character id. */
  id: string;
  /** The full SHA-256, in any encoding the portal uses. */
  hash: string;
  /** The metadata's file name. */
  fileName: string;
  /** Size in bytes, when known. */
  size?: number;
  /** The data licence's page, named when consent is missing. */
  licenceUrl?: string;
}

/** Size of a regular file at `path` (not following a symlink), else undefined. */
async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await lstat(path);
    if (s.isSymbolicLink()) {
      // never write through a link planted at our own name: remove the link
      await rm(path, { force: true });
      return undefined;
    }
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Opens for writing without following a symlink (ELOOP) and, for "new", only if absent. */
function openForWrite(path: string, mode: "new" | "append") {
  const flags = constants.O_WRONLY | constants.O_NOFOLLOW |
    (mode === "new" ? constants.O_CREAT | constants.O_EXCL : constants.O_APPEND);
  return open(path, flags, 0o644);
}

/** The SHA-256 of a file (read without following a symlink). */
async function hashFile(path: string): Promise<{ hash: Hash; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = new Uint8Array(1 << 20);
    while (true) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { hash, size };
}

/** A file name that stays in the folder: no `.`, `..`, empty name or NUL. */
function safeName(name: string, from: string): string {
  const base = basename(name.replace(/\\/g, "/"));
  if (base === "" || base === "." || base === ".." || base.includes("\0")) {
    throw new CarbonPortalError(
      `Unsafe file name ${JSON.stringify(name)} (${from}): it must name a file in the folder`,
    );
  }
  return base;
}

/**
 * Downloads an object's original file into `dir`, verifying its SHA-256.
 *
 * The file goes to a temporary `.<id>.<random>.part` in `dir` first (each
 * transfer its own, so several processes downloading the same object into
 * one folder never write into one file) and gets its name only once its
 * hash matches; after the rename the file at the target is checked again
 * (it is the one written, or another transfer's verified copy). **An
 * existing file of that name is replaced** (by an atomic rename, so it is
 * never seen half-written). An interrupted transfer leaves `.<id>.part`:
 * the next call takes it over (one process only) and resumes it, or — when
 * it is already complete — verifies and finishes it without a request; a
 * symlink in its place is removed, never followed. A cache entry is re-hashed before it is used, and replaced when
 * it no longer matches.
 *
 * @param cp The client (endpoints, auth, retries).
 * @param target The object's id, hash, file name and size.
 * @param dir The destination folder (created if missing).
 * @param options File name, cache, progress, signal, retries.
 * @returns The path of the verified file.
 * @throws {InvalidArgumentError} When `options.fileName` is empty, `.` or `..`.
 * @throws {CarbonPortalError} When the portal's file name is empty, `.` or `..`.
 * @throws {IntegrityError} When the bytes do not match the hash (nothing is left at the target).
 * @throws {LicenceError} When the data licence must be accepted first.
 * @throws {NetworkError} When the connection kept failing.
 */
export async function downloadObject(
  cp: CarbonPortal,
  target: DownloadTarget,
  dir: string,
  options: DownloadOptions = {},
): Promise<string> {
  options = checkOptions("download", options, DOWNLOAD_KEYS);
  for (const key of ["fileName", "cacheDir"] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== "string" || v === "")) {
      throw new InvalidArgumentError("download", key, v, "a non-empty string");
    }
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new InvalidArgumentError("download", "onProgress", options.onProgress, "a function");
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("download", "signal", options.signal, "an AbortSignal");
  }
  if (options.retries !== undefined) {
    options = { ...options, retries: integer("download", "retries", options.retries) };
  }
  // One transfer per `.part` file at a time in this process: calls for the
  // same object, folder, name and cache share it; others wait their turn.
  const part = `${resolve(dir)}\0${target.id}`;
  const shareKey = `${part}\0${options.fileName ?? ""}\0${options.cacheDir ?? ""}`;
  const shared = inflight.get(shareKey);
  if (shared) {
    try {
      return await untilAborted(shared, options.signal);
    } catch {
      // the sharer's abort or failure: this call tries on its own
      options.signal?.throwIfAborted();
    }
  }
  const opts = options;
  const run = serialized(part, () => downloadOnce(cp, target, dir, opts));
  inflight.set(shareKey, run);
  const forget = () => {
    if (inflight.get(shareKey) === run) inflight.delete(shareKey);
  };
  run.then(forget, forget);
  return await untilAborted(run, options.signal);
}

/** Transfers under way, by folder, id, file name and cache. */
const inflight = new Map<string, Promise<string>>();
/** The last transfer queued for each folder and id (one `.part` writer at a time). */
const queues = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task of `key` has settled. */
function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(task, task);
  const settled = run.then(() => {}, () => {});
  queues.set(key, settled);
  settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/** `p`, or the signal's reason as soon as it aborts (`p` goes on for others). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((res, rej) => {
    const abort = () => rej(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    p.then(res, rej).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** A name no other transfer uses, for a temporary file. */
function unique(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Renames `from` to `to` and checks that `to` is then the very file written
 * (same inode and size) or, when another program renamed its own copy there
 * meanwhile (another process downloading the same object), that the file now
 * there has the expected hash (`verify`).
 */
async function renameVerified(
  from: string,
  to: string,
  verify: (path: string) => Promise<boolean>,
): Promise<void> {
  const before = await lstat(from);
  await rename(from, to);
  const after = await lstat(to);
  if (after.ino === before.ino && after.size === before.size && after.isFile()) return;
  if (after.isFile() && await verify(to).catch(() => false)) return;
  throw new CarbonPortalError(
    `${to} was replaced by another program while the download was being finished`,
  );
}

/**
 * Takes the `.part` file an earlier transfer left for resuming (`rest`) as
 * this transfer's own (`mine`), by an atomic rename: of several processes
 * only one gets it. A symlink in its place is removed, never followed.
 */
async function claim(rest: string, mine: string): Promise<boolean> {
  try {
    await rename(rest, mine);
  } catch {
    return false; // none left, or another transfer took it
  }
  return (await fileSize(mine)) !== undefined;
}

/** One transfer (see {@linkcode downloadObject}); options already checked. */
async function downloadOnce(
  cp: CarbonPortal,
  target: DownloadTarget,
  dir: string,
  options: DownloadOptions,
): Promise<string> {
  const expected = decodeHash(target.hash);
  const expectedHash = base64url(expected);
  let name: string | undefined;
  if (options.fileName !== undefined) {
    try {
      name = safeName(options.fileName, "options.fileName");
    } catch (e) {
      throw new InvalidArgumentError(
        "download",
        "fileName",
        options.fileName,
        "a file name in the folder (not empty, . or ..)",
        { cause: e },
      );
    }
  }
  const matches = (hash: Hash) => {
    const actual = new Uint8Array(hash.digest());
    const actualHash = base64url(actual);
    const ok =
      (expected.length === 32
        ? actualHash === expectedHash
        : base64url(actual.subarray(0, 18)) === target.id) &&
      base64url(actual.subarray(0, 18)) === target.id;
    return { ok, actualHash };
  };
  const verifyFile = async (path: string) => matches((await hashFile(path)).hash).ok;
  await mkdir(dir, { recursive: true });
  const cached = options.cacheDir ? join(options.cacheDir, expectedHash) : undefined;
  if (cached && (await fileSize(cached)) !== undefined) {
    const { hash, size } = await hashFile(cached);
    if (matches(hash).ok) {
      const path = join(dir, name ?? safeName(target.fileName, "metadata fileName"));
      const tmp = join(dir, `.${target.id}.${unique()}.cache.part`);
      try {
        await copyFile(cached, tmp, constants.COPYFILE_EXCL);
        await renameVerified(tmp, path, verifyFile);
      } finally {
        await rm(tmp, { force: true });
      }
      options.onProgress?.({ received: size, total: target.size });
      return path;
    }
    await rm(cached, { force: true }); // a damaged cache entry: fetch again
  }

  // This transfer writes its own file (`part`): other processes downloading
  // the same object into this folder never write into it. A `.part` left
  // for resuming (`rest`) is taken over, and one left unfinished goes back.
  const rest = join(dir, `.${target.id}.part`);
  const part = join(dir, `.${target.id}.${unique()}.part`);
  let hash = createHash("sha256");
  let pos = 0;
  if (await claim(rest, part)) {
    const done = await hashFile(part);
    if (matches(done.hash.copy()).ok) {
      // complete but never renamed (a crash before the rename, a wrong size
      // or Content-Length): finish it
      return await complete();
    }
    if (target.size !== undefined && done.size < target.size) {
      // resume: the bytes on disk are in the hash
      hash = done.hash;
      pos = done.size;
    } else await rm(part, { force: true });
  }

  const fetchInto = async () => {
    if (pos === 0) await rm(part, { force: true }); // an empty one left behind
    let fh = await openForWrite(part, pos > 0 ? "append" : "new");
    try {
      for await (
        const piece of objectBytes(cp, target.id, {
          start: pos,
          total: target.size,
          signal: options.signal,
          retries: options.retries ?? 5,
          acceptLicenceFor: options.acceptLicence ? target.hash : undefined,
          licenceUrl: target.licenceUrl,
          onResponse(res) {
            if (name !== undefined) return;
            const given = dispositionName(res.headers.get("content-disposition"));
            if (given !== undefined) name = safeName(given, "Content-Disposition");
          },
        })
      ) {
        if (piece.offset < pos) {
          // the server ignored the range: start the file and the hash over
          await fh.close();
          await rm(part, { force: true });
          fh = await openForWrite(part, "new");
          hash = createHash("sha256");
          pos = 0;
        }
        // never past the object's known size: a longer body is cut (and
        // the hash decides whether what came is the object)
        const room = target.size === undefined ? Infinity : target.size - pos;
        const bytes = piece.bytes.length > room ? piece.bytes.subarray(0, room) : piece.bytes;
        await fh.write(bytes);
        hash.update(bytes);
        pos += bytes.length;
        options.onProgress?.({ received: pos, total: target.size });
        if (bytes.length < piece.bytes.length) break;
      }
    } finally {
      await fh.close();
    }
  };
  try {
    await fetchInto();
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 416 && pos > 0)) {
      await putBack();
      throw e;
    }
    // the range starts at or past the end: the size in the metadata is
    // wrong, and the file may be complete
    if (matches(hash.copy()).ok) return await complete();
    await rm(part, { force: true });
    hash = createHash("sha256");
    pos = 0;
    try {
      await fetchInto();
    } catch (e) {
      await putBack();
      throw e;
    }
  }

  const { ok, actualHash } = matches(hash);
  if (!ok) {
    await rm(part, { force: true });
    throw new IntegrityError(
      `Download of ${target.id} does not match its hash: the file was deleted`,
      { expected: expectedHash, actual: actualHash },
    );
  }
  return await complete();

  /** Leaves an unfinished transfer as `rest` for a later call to resume. */
  async function putBack(): Promise<void> {
    const size = await fileSize(part);
    if (size !== undefined && size > 0) await rename(part, rest).catch(() => {});
    await rm(part, { force: true });
  }

  /** Gives the verified `.part` its name and copies it into the cache. */
  async function complete(): Promise<string> {
    const path = join(dir, name ?? safeName(target.fileName, "metadata fileName"));
    await renameVerified(part, path, verifyFile);
    if (cached) {
      await mkdir(options.cacheDir!, { recursive: true });
      const tmp = `${cached}.${unique()}.tmp`;
      try {
        await copyFile(path, tmp, constants.COPYFILE_EXCL);
        await rename(tmp, cached);
      } finally {
        await rm(tmp, { force: true });
      }
    }
    return path;
  }
}
