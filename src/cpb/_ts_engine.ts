// Private: the plain TypeScript cpb engine, the reference for the wasm engine
// in differential tests and the fallback where WebAssembly is unavailable.

/** Copies `src` (big-endian elements of `width` bytes) into `dst` in native order. */
export function swapIntoTs(src: Uint8Array, dst: Uint8Array, width: number): void {
  const n = src.length / width;
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (width === 8) {
    const o = new Uint32Array(dst.buffer, dst.byteOffset, n * 2);
    for (let i = 0, j = 0; i < n; i++, j += 8) {
      o[2 * i] = dv.getUint32(j + 4);
      o[2 * i + 1] = dv.getUint32(j);
    }
  } else if (width === 4) {
    const o = new Uint32Array(dst.buffer, dst.byteOffset, n);
    for (let i = 0; i < n; i++) o[i] = dv.getUint32(i * 4);
  } else if (width === 2) {
    const o = new Uint16Array(dst.buffer, dst.byteOffset, n);
    for (let i = 0; i < n; i++) o[i] = dv.getUint16(i * 2);
  } else {
    dst.set(src);
  }
}
