/**
 * Identifiers of portal objects (docs/protocol.md §3): every data object,
 * document and collection is named by the SHA-256 of its content. The id in
 * URLs is the base64url form of the hash's first 18 bytes (24 characters);
 * the persistent identifier (PID) is the handle `11676/<id>`.
 *
 * @module
 */

import { decodeBase64 } from "../_util/base64.ts";
import { InvalidArgumentError } from "../errors.ts";
import { bytes as checkBytes, text } from "../_util/args.ts";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The handle prefix of the portal's persistent identifiers. */
export const HANDLE_PREFIX = "11676";

/**
 * Encodes bytes as base64url without padding.
 *
 * @param bytes The bytes.
 * @returns Their base64url form.
 *
 * @example
 * ```ts
 * import { base64url } from "./ids.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(base64url(new Uint8Array([0xfb, 0xff])), "-_8");
 * ```
 */
export function base64url(bytes: Uint8Array): string {
  bytes = checkBytes("base64url", "bytes", bytes);
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63] + B64URL[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64URL[(n >> 6) & 63];
  }
  return out;
}

/**
 * Decodes a hash given as hex (64 or 36 characters), base64url or standard
 * base64 (with or without padding) of 32 or 18 bytes, as the portal accepts.
 *
 * @param hash The encoded hash.
 * @returns Its bytes (32, or 18 for a truncated hash).
 * @throws {InvalidArgumentError} When the string is none of these forms.
 *
 * @example
 * ```ts
 * import { decodeHash } from "./ids.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(decodeHash("8KgcKLxNMRE+AtEEEFH6e/ydfuOojWOnujDmNHp5HGw").length, 32);
 * assert.equal(decodeHash("8KgcKLxNMRE-AtEEEFH6e_yd").length, 18);
 * ```
 */
export function decodeHash(hash: string): Uint8Array {
  if (/^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{36}$/.test(hash)) {
    return Uint8Array.from(hash.match(/../g)!, (h) => parseInt(h, 16));
  }
  const s = hash.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  if (!/^[A-Za-z0-9_-]+$/.test(s) || (s.length !== 43 && s.length !== 24)) {
    throw new InvalidArgumentError(`Not a SHA-256 hash or object id: ${hash}`);
  }
  return decodeBase64(s)!;
}

/**
 * The 24-character object id of a hash in any accepted encoding.
 *
 * @param hash A hash or id (hex, base64url or base64; 32 or 18 bytes).
 * @returns The id: base64url of the first 18 bytes.
 * @throws {InvalidArgumentError} When `hash` is not a hash.
 *
 * @example
 * ```ts
 * import { hashToId } from "@icoscp/icoscp/codecs";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hashToId("8KgcKLxNMRE+AtEEEFH6e/ydfuOojWOnujDmNHp5HGw"), "8KgcKLxNMRE-AtEEEFH6e_yd");
 * ```
 */
export function hashToId(hash: string): string {
  text("hashToId", "hash", hash);
  return base64url(decodeHash(hash).subarray(0, 18));
}

/**
 * Computes the SHA-256 of bytes and the object id the portal mints from it.
 *
 * @param bytes The object's file content.
 * @returns The full hash (base64url, 43 characters) and the 24-character id.
 *
 * @example
 * ```ts
 * import { objectIdOf } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const { hash, id } = await objectIdOf(new TextEncoder().encode("abc"));
 * assert.equal(hash, "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
 * assert.equal(id, "ungWv48Bz-pBQUDeXa4iI7AD");
 * ```
 */
export async function objectIdOf(bytes: Uint8Array): Promise<{ hash: string; id: string }> {
  bytes = checkBytes("objectIdOf", "bytes", bytes);
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return { hash: base64url(digest), id: base64url(digest.subarray(0, 18)) };
}

/**
 * Extracts the object id from what users pass around: a bare id or hash, a
 * PID (`11676/<id>`), a landing-page URI (`https://meta.icos-cp.eu/objects/<id>`,
 * also of an emulator or sister portal) or a handle URL
 * (`https://hdl.handle.net/11676/<id>`).
 *
 * @param ref The reference.
 * @returns The 24-character id.
 * @throws {InvalidArgumentError} When no object id can be found in `ref`.
 *
 * @example
 * ```ts
 * import { objectId } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const id = "IM7PJYcuhiBpHtvEVuLhVk2M";
 * for (const ref of [id, `11676/${id}`, `https://meta.icos-cp.eu/objects/${id}`, `https://hdl.handle.net/11676/${id}`]) {
 *   assert.equal(objectId(ref), id);
 * }
 * ```
 */
export function objectId(ref: string): string {
  if (typeof ref !== "string") {
    throw new InvalidArgumentError("An object reference must be a string");
  }
  let s = ref.trim();
  const url = /^[a-z]+:\/\//i.test(s) ? new URL(s) : undefined;
  if (url) {
    const parts = url.pathname.split("/").filter(Boolean);
    const at = parts.findIndex((p) => p === "objects" || p === HANDLE_PREFIX);
    s = at >= 0 && parts[at + 1] ? parts[at + 1] : parts[parts.length - 1] ?? "";
  } else if (s.startsWith(`${HANDLE_PREFIX}/`)) {
    s = s.slice(HANDLE_PREFIX.length + 1);
  }
  try {
    return hashToId(decodeURIComponent(s));
  } catch (cause) {
    throw new InvalidArgumentError(`Not a data object id, PID or landing page URI: ${ref}`, {
      cause,
    });
  }
}
