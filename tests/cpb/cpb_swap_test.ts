// The simd128 swap kernel where it runs: the built cpb wasm (src/_wasm/). The
// crate's native tests can only reach the scalar kernel; here the wasm
// `swap` export is called on every element width, every tail length (0 to
// 15 bytes past the last whole 16-byte block) and every misalignment of the
// start, against an independent reference: reversing each element.

import assert from "node:assert/strict";
import { simdEnabled, swap } from "../../src/_wasm/gen/icoscp_core.js";
import { callWasm, init, STAGE_BYTES } from "../../src/_wasm/decoder.ts";

function reversedElements(src: Uint8Array, width: number): Uint8Array {
  const out = src.slice();
  for (let i = 0; i < out.length; i += width) out.subarray(i, i + width).reverse();
  return out;
}

Deno.test("wasm swap (simd128 kernel) reverses each element at every width, tail and alignment", () => {
  init();
  assert.equal(simdEnabled(), true, "the committed wasm is built with simd128");
  let cases = 0;
  for (const width of [2, 4, 8]) {
    for (let misalign = 0; misalign < 16; misalign++) {
      for (let n = 0; n <= 80; n++) {
        const len = n * width;
        const src = Uint8Array.from(
          { length: len },
          (_, i) => (i * 31 + misalign * 7 + width) % 251,
        );
        const st = init();
        // Guard bytes either side of the region must stay untouched.
        st.view.fill(0xa5, 0, misalign + len + 16);
        st.view.set(src, misalign);
        callWasm(() => swap(st.ptr + misalign, len, width));
        const view = init().view;
        assert.deepEqual(
          view.slice(misalign, misalign + len),
          reversedElements(src, width),
          `w${width} n${n} +${misalign}`,
        );
        assert.ok(view.subarray(0, misalign).every((b) => b === 0xa5), "bytes before the region");
        assert.ok(
          view.subarray(misalign + len, misalign + len + 16).every((b) => b === 0xa5),
          "bytes after",
        );
        cases++;
      }
    }
  }
  assert.ok(cases === 3 * 16 * 81 && 16 + 80 * 8 + 16 < STAGE_BYTES);
});
