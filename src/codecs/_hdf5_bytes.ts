// Private: the bytes of the HDF5 writer: a growing little-endian buffer and
// Jenkins' lookup3 checksum of HDF5 metadata.

export const UNDEF = -1; // written as 0xFFFFFFFFFFFFFFFF

export class ByteWriter {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  length = 0;

  #ensure(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.#ensure(1);
    this.#buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.#ensure(2);
    this.#view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.#ensure(4);
    this.#view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  u64(v: number): this {
    if (v === UNDEF) return this.u32(0xffffffff).u32(0xffffffff);
    return this.u32(v % 0x100000000).u32(Math.floor(v / 0x100000000));
  }
  bytes(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  zeros(n: number): this {
    this.#ensure(n);
    this.#buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }
  /** Pads with zeros to a multiple of `m`. */
  align(m: number): this {
    return this.zeros((m - (this.length % m)) % m);
  }
  result(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}

/** Jenkins' lookup3 `hashlittle`, the checksum of HDF5 metadata (H5_checksum_lookup3). */
export function lookup3(data: Uint8Array, initval = 0): number {
  let length = data.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  let k = 0;
  while (length > 12) {
    a = (a + (data[k] | (data[k + 1] << 8) | (data[k + 2] << 16) | (data[k + 3] << 24))) >>> 0;
    b = (b + (data[k + 4] | (data[k + 5] << 8) | (data[k + 6] << 16) | (data[k + 7] << 24))) >>>
      0;
    c = (c + (data[k + 8] | (data[k + 9] << 8) | (data[k + 10] << 16) | (data[k + 11] << 24))) >>>
      0;
    // mix(a, b, c)
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c;
  const tail = (i: number, shift: number) => (data[k + i] << shift) >>> 0;
  /* falls through by design: each case adds one byte */
  switch (length) {
    case 12:
      c = (c + tail(11, 24)) >>> 0;
    // falls through
    case 11:
      c = (c + tail(10, 16)) >>> 0;
    // falls through
    case 10:
      c = (c + tail(9, 8)) >>> 0;
    // falls through
    case 9:
      c = (c + data[k + 8]) >>> 0;
    // falls through
    case 8:
      b = (b + tail(7, 24)) >>> 0;
    // falls through
    case 7:
      b = (b + tail(6, 16)) >>> 0;
    // falls through
    case 6:
      b = (b + tail(5, 8)) >>> 0;
    // falls through
    case 5:
      b = (b + data[k + 4]) >>> 0;
    // falls through
    case 4:
      a = (a + tail(3, 24)) >>> 0;
    // falls through
    case 3:
      a = (a + tail(2, 16)) >>> 0;
    // falls through
    case 2:
      a = (a + tail(1, 8)) >>> 0;
    // falls through
    case 1:
      a = (a + data[k]) >>> 0;
  }
  // final(a, b, c)
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return c;
}

export const utf8 = new TextEncoder();
