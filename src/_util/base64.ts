// Private: the one base64 decoder of the library. Standard or URL alphabet,
// padded or not, via the native `Uint8Array.fromBase64` where the runtime has
// it (about 20× faster on the inlined wasm), else `atob`.

type FromBase64 = (text: string, options?: { lastChunkHandling?: "loose" }) => Uint8Array;

const NATIVE = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

import { InvalidArgumentError } from "../errors.ts";

/**
 * Decodes base64 or base64url, padded or not; `undefined` when `text` is
 * neither (a character outside both alphabets, or a length no encoding has).
 * `native: false` forces the `atob` fallback (tests compare the two).
 */
export function decodeBase64(text: string, native = true): Uint8Array | undefined {
  if (typeof text !== "string") {
    throw new InvalidArgumentError("decodeBase64", "text", text, "a string");
  }
  const s = text.replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(s) || s.length % 4 === 1) return undefined;
  if (native && typeof NATIVE === "function") return NATIVE(s, { lastChunkHandling: "loose" });
  const bin = atob(s + "=".repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes as standard base64 (for notebook images and data URLs). */
export function encodeBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (typeof native === "function") return native.call(bytes);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
