// Private: bytes and the Thrift compact protocol, as much of them as a
// Parquet page header and footer need (the mirror writes its parts' pages and
// footers itself: see _pages.ts, _footer.ts).

/** A growable byte buffer. */
export class Bytes {
  buf: Uint8Array;
  view: DataView;
  length = 0;
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  /** Unsigned LEB128 of a non-negative safe integer. */
  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** The bytes so far (a view: copy it before the next write). */
  get data(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const BOOL_TRUE = 1, BOOL_FALSE = 2, I32 = 5, I64 = 6, BINARY = 8, LIST = 9, STRUCT = 12;
const enc = new TextEncoder();

/** Zigzag of a safe integer (as a non-negative number). */
function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

/** A Thrift compact-protocol writer: fields, structs and lists. */
export class Thrift {
  readonly out: Bytes;
  #last: number[] = [0];
  constructor(out: Bytes = new Bytes()) {
    this.out = out;
  }
  #field(id: number, type: number): void {
    const delta = id - this.#last[this.#last.length - 1];
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.varint(zigzag(id));
    }
    this.#last[this.#last.length - 1] = id;
  }
  i32(id: number, v: number): void {
    this.#field(id, I32);
    this.out.varint(zigzag(v));
  }
  i64(id: number, v: number | bigint): void {
    this.#field(id, I64);
    this.out.varint(zigzag(Number(v)));
  }
  bool(id: number, v: boolean): void {
    this.#field(id, v ? BOOL_TRUE : BOOL_FALSE);
  }
  binary(id: number, b: Uint8Array): void {
    this.#field(id, BINARY);
    this.out.varint(b.length);
    this.out.bytes(b);
  }
  string(id: number, s: string): void {
    this.binary(id, enc.encode(s));
  }
  /** Begins a struct field (end it with `end()`). */
  begin(id: number): void {
    this.#field(id, STRUCT);
    this.#last.push(0);
  }
  /** Ends a struct (or the top-level one). */
  end(): void {
    this.out.byte(0);
    this.#last.pop();
  }
  #listHeader(id: number, n: number, type: number): void {
    this.#field(id, LIST);
    if (n < 15) this.out.byte((n << 4) | type);
    else {
      this.out.byte(0xf0 | type);
      this.out.varint(n);
    }
  }
  listI32(id: number, values: readonly number[]): void {
    this.#listHeader(id, values.length, I32);
    for (const v of values) this.out.varint(zigzag(v));
  }
  listString(id: number, values: readonly string[]): void {
    this.#listHeader(id, values.length, BINARY);
    for (const s of values) {
      const b = enc.encode(s);
      this.out.varint(b.length);
      this.out.bytes(b);
    }
  }
  /** A list of structs: `each` writes one element's fields (the struct is begun and ended here). */
  listStruct<T>(id: number, items: readonly T[], each: (item: T) => void): void {
    this.#listHeader(id, items.length, STRUCT);
    for (const item of items) {
      this.#last.push(0);
      each(item);
      this.end();
    }
  }
}
