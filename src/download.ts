/**
 * Verified downloads of original files to disk, with resume and a
 * content-addressed cache (Deno and Node: needs a file system). Reached
 * through {@linkcode Dobj.download}.
 *
 * The file is streamed to `<name>.part` beside the target while its SHA-256
 * is computed; only when the hash equals the object's hash (and so its PID)
 * is it renamed to the target. On a mismatch the partial file is deleted and
 * an {@linkcode IntegrityError} thrown; an interrupted transfer leaves the
 * `.part` file, and the next call resumes it with an HTTP Range request.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { copyFile, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { CarbonPortal } from "./client.ts";
import { IntegrityError } from "./errors.ts";
import { base64url, decodeHash } from "./ids.ts";
import { dispositionName, objectBytes, type Progress } from "./_object_body.ts";

/** Options of {@linkcode downloadObject} (and `Dobj.download`). */
export interface DownloadOptions {
  /** File name in the folder. Default: the name the portal gives (`Content-Disposition`), else the metadata's. */
  fileName?: string;
  /** A content-addressed cache folder: a second download of the same object is a local copy. */
  cacheDir?: string;
  /** Called as bytes arrive. */
  onProgress?: (progress: Progress) => void;
  /** Aborts the transfer (the `.part` file stays for a later resume). */
  signal?: AbortSignal;
  /** Resumptions after a dropped connection before giving up. Default 5. */
  retries?: number;
}

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
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/**
 * Downloads an object's original file into `dir`, verifying its SHA-256.
 *
 * @param cp The client (endpoints, auth, retries).
 * @param target The object's id, hash, file name and size.
 * @param dir The destination folder (created if missing).
 * @param options File name, cache, progress, signal, retries.
 * @returns The path of the verified file.
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
  const expected = decodeHash(target.hash);
  const expectedHash = base64url(expected);
  await mkdir(dir, { recursive: true });
  const cached = options.cacheDir ? join(options.cacheDir, expectedHash) : undefined;
  if (cached && (await sizeOf(cached)) !== undefined) {
    const path = join(dir, basename(options.fileName ?? target.fileName));
    await copyFile(cached, path);
    options.onProgress?.({ received: (await sizeOf(path))!, total: target.size });
    return path;
  }

  let name = options.fileName ? basename(options.fileName) : undefined;
  const part = join(dir, `.${target.id}.part`);
  let hash = createHash("sha256");
  let pos = 0;
  const existing = await sizeOf(part);
  if (existing !== undefined && target.size !== undefined && existing <= target.size) {
    // resume: the bytes on disk go into the hash first
    const fh = await open(part, "r");
    try {
      const buf = new Uint8Array(1 << 20);
      while (true) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } else if (existing !== undefined) {
    await rm(part);
  }

  let fh = await open(part, pos > 0 ? "a" : "w", 0o644);
  try {
    for await (
      const piece of objectBytes(cp, target.id, {
        start: pos,
        total: target.size,
        signal: options.signal,
        retries: options.retries ?? 5,
        minDelay: cp.retry.minDelay,
        onResponse(res) {
          name ??= dispositionName(res.headers.get("content-disposition"));
        },
      })
    ) {
      if (piece.offset < pos) {
        // the server ignored the range: start the file and the hash over
        await fh.close();
        fh = await open(part, "w", 0o644);
        hash = createHash("sha256");
        pos = 0;
      }
      await fh.write(piece.bytes);
      hash.update(piece.bytes);
      pos += piece.bytes.length;
      options.onProgress?.({ received: pos, total: target.size });
    }
  } finally {
    await fh.close();
  }

  const actual = new Uint8Array(hash.digest());
  const actualHash = base64url(actual);
  const matches = expected.length === 32
    ? actualHash === expectedHash
    : base64url(actual.subarray(0, 18)) === target.id;
  if (!matches || base64url(actual.subarray(0, 18)) !== target.id) {
    await rm(part, { force: true });
    throw new IntegrityError(
      `Download of ${target.id} does not match its hash: the file was deleted`,
      { expected: expectedHash, actual: actualHash },
    );
  }
  const path = join(dir, basename(name ?? target.fileName));
  await rename(part, path);
  if (cached) {
    await mkdir(options.cacheDir!, { recursive: true });
    await copyFile(path, `${cached}.tmp`);
    await rename(`${cached}.tmp`, cached);
  }
  return path;
}
