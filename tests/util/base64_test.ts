// The one base64 decoder (src/_util/base64.ts): native `Uint8Array.fromBase64`
// and the `atob` fallback agree with each other and with known answers.

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeBase64 } from "../../src/_util/base64.ts";
import { wasmBase64 } from "../../src/_wasm/gen/icoscp_decoder_bytes.js";

const bytes = (...b: number[]) => new Uint8Array(b);

for (const native of [true, false]) {
  const how = native ? "native" : "atob fallback";

  Deno.test(`decodeBase64 (${how}) decodes the RFC 4648 test vectors, padded or not`, () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      const expected = new TextEncoder().encode(plain);
      assert.deepEqual(decodeBase64(encoded, native), expected, encoded);
      assert.deepEqual(decodeBase64(encoded.replace(/=+$/, ""), native), expected, encoded);
    }
  });

  Deno.test(`decodeBase64 (${how}) reads the standard and the URL alphabet`, () => {
    assert.deepEqual(decodeBase64("+/8=", native), bytes(0xfb, 0xff));
    assert.deepEqual(decodeBase64("-_8", native), bytes(0xfb, 0xff));
    const hash = "8KgcKLxNMRE-AtEEEFH6e_ydfuOojWOnujDmNHp5HGw";
    assert.deepEqual(decodeBase64(hash, native), new Uint8Array(Buffer.from(hash, "base64url")));
  });

  Deno.test(`decodeBase64 (${how}) answers undefined for what is not base64`, () => {
    for (const bad of ["a", "abcde", "ab cd", "ab$d", "YW=J", "é"]) {
      assert.equal(decodeBase64(bad, native), undefined, bad);
    }
  });

  Deno.test(`decodeBase64 (${how}) decodes the inlined wasm module`, () => {
    const wasm = decodeBase64(wasmBase64, native);
    assert.ok(wasm);
    assert.deepEqual(wasm.subarray(0, 4), bytes(0, 0x61, 0x73, 0x6d));
    assert.deepEqual(wasm, new Uint8Array(Buffer.from(wasmBase64, "base64")));
  });
}
