// Known-answer tests of the hand-written SHA-256 (src/dobj/_sha256.ts) with the
// FIPS 180-2 / NIST CAVS example messages, whole and fed in uneven pieces
// (the way streamed downloads feed it).

import assert from "node:assert/strict";
import { Sha256 } from "../../src/dobj/_sha256.ts";

const text = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hashes `data` in pieces of the given sizes (cycled), then the rest. */
function digestInPieces(data: Uint8Array, sizes: number[]): string {
  const h = new Sha256();
  let p = 0;
  for (let i = 0; p < data.length; i++) {
    const n = sizes[i % sizes.length];
    h.update(data.subarray(p, p + n));
    p += n;
  }
  return hex(h.digest());
}

const VECTORS: [string, Uint8Array, string][] = [
  ["empty", new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", text.encode("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "448-bit message",
    text.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  [
    "896-bit message",
    text.encode(
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    ),
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
  ],
  [
    "one million 'a'",
    new Uint8Array(1_000_000).fill(0x61),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  ],
];

for (const [name, data, expected] of VECTORS) {
  Deno.test(`SHA-256 known answer: ${name}`, () => {
    assert.equal(hex(new Sha256().update(data).digest()), expected);
  });
  Deno.test(`SHA-256 known answer, fed in uneven pieces: ${name}`, () => {
    assert.equal(digestInPieces(data, [1, 63, 64, 65, 7, 4096, 0, 3]), expected);
  });
}
