// Private: SHA-256 hashes and the portal's identifiers derived from them
// (docs/protocol.md §3): the 24-character id is the base64url of the first
// 18 bytes of the SHA-256 of the file.

import { base64url, hashToId } from "@icoscp/icoscp/codecs";

export { base64url };

/** SHA-256 of some bytes. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 without padding. */
export function base64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63];
  }
  return out;
}

/** Standard base64 with padding. */
export function base64Padded(bytes: Uint8Array): string {
  const s = base64(bytes);
  return s + "=".repeat((4 - (s.length % 4)) % 4);
}

/** Decodes base64 or base64url, padded or not; undefined when malformed (the library's one decoder). */
export { decodeBase64 } from "@icoscp/icoscp/codecs";

/** The 24-character object id of a full SHA-256 hash. */
export function idOfHash(hash: Uint8Array): string {
  return base64url(hash.subarray(0, 18));
}

/**
 * Normalises any hash spelling the portal accepts in a URL (24-char id,
 * 43-char base64url, base64, hex; full or truncated to 18 bytes) to the
 * 24-character id; undefined when it is none of those.
 */
export function normaliseId(text: string): string | undefined {
  try {
    return hashToId(decodeURIComponent(text));
  } catch {
    return undefined; // not a hash: the caller answers 404
  }
}
