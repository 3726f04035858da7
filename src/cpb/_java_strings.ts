// Private: the Java-serialised string dictionary that ends a `.cpb` file
// (docs/protocol.md §4.3), in plain TypeScript: the reference for the wasm
// parser and the encoder used by `encodeCpb`.

import {
  CorruptDataError,
  InvalidArgumentError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "../errors.ts";
import { LimitExceededError } from "../errors.ts";

const MAGIC = [0xac, 0xed, 0x00, 0x05];

/** Parses a dictionary occupying all of `bytes`; `base` is its offset in the file. */
export function parseDictionaryTs(bytes: Uint8Array, base: number): string[] {
  if (bytes.length < 4) {
    throw new TruncatedDataError(
      `Truncated string dictionary header: expected 4 bytes, got ${bytes.length}`,
      { byteOffset: base },
    );
  }
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new CorruptDataError("String dictionary does not start with AC ED 00 05", {
      byteOffset: base,
    });
  }
  const pieces: Uint8Array[] = [];
  const origins: [number, number][] = []; // [payload offset, file offset]
  let total = 0;
  let pos = 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (pos < bytes.length) {
    const tag = bytes[pos];
    let len: number;
    let header: number;
    if (tag === 0x77) {
      if (pos + 2 > bytes.length) throw cut("block-data length", base + pos, 2, bytes.length - pos);
      len = bytes[pos + 1];
      header = 2;
    } else if (tag === 0x7a) {
      if (pos + 5 > bytes.length) throw cut("block-data length", base + pos, 5, bytes.length - pos);
      len = view.getInt32(pos + 1);
      header = 5;
      if (len < 0) {
        throw new CorruptDataError(`Negative block-data length ${len}`, { byteOffset: base + pos });
      }
    } else if (tag === 0x79) {
      len = 0;
      header = 1;
    } else {
      throw new UnsupportedFormatError(
        `Serialisation record 0x${
          tag.toString(16).toUpperCase().padStart(2, "0")
        } in a string dictionary`,
        { byteOffset: base + pos },
      );
    }
    if (pos + header + len > bytes.length) {
      throw cut("block-data record", base + pos, header + len, bytes.length - pos);
    }
    origins.push([total, base + pos + header]);
    pieces.push(bytes.subarray(pos + header, pos + header + len));
    total += len;
    pos += header + len;
  }
  const payload = new Uint8Array(total);
  let o = 0;
  for (const p of pieces) {
    payload.set(p, o);
    o += p.length;
  }
  const at = (p: number): number => {
    let k = 0;
    while (k + 1 < origins.length && origins[k + 1][0] <= p) k++;
    return origins.length ? origins[k][1] + (p - origins[k][0]) : base + bytes.length;
  };
  if (payload.length < 4) {
    throw new TruncatedDataError(
      `Truncated string count: expected 4 bytes, got ${payload.length}`,
      { byteOffset: at(0) },
    );
  }
  const pv = new DataView(payload.buffer);
  const count = pv.getInt32(0);
  if (count < 0) {
    throw new CorruptDataError(`Negative string count ${count}`, { byteOffset: at(0) });
  }
  if (count > (payload.length - 4) / 2) {
    throw new LimitExceededError(
      `Dictionary declares ${count} strings but holds only ${payload.length - 4} bytes`,
      { byteOffset: at(0) },
    );
  }
  const out: string[] = new Array(count);
  let p = 4;
  for (let i = 0; i < count; i++) {
    if (p + 2 > payload.length) {
      throw new TruncatedDataError(
        `Truncated string length: expected 2 bytes, got ${payload.length - p}`,
        { byteOffset: at(p) },
      );
    }
    const len = pv.getUint16(p);
    if (p + 2 + len > payload.length) {
      throw new TruncatedDataError(
        `Truncated string: expected ${2 + len} bytes, got ${payload.length - p}`,
        { byteOffset: at(p) },
      );
    }
    out[i] = decodeModifiedUtf8(payload, p + 2, p + 2 + len, i, at);
    p += 2 + len;
  }
  if (p !== payload.length) {
    throw new CorruptDataError(`${payload.length - p} bytes follow the last string`, {
      byteOffset: at(p),
    });
  }
  return out;
}

function cut(what: string, byteOffset: number, expected: number, actual: number) {
  return new TruncatedDataError(
    `Truncated ${what}: expected ${expected} bytes, got ${actual}`,
    { byteOffset },
  );
}

function decodeModifiedUtf8(
  b: Uint8Array,
  start: number,
  end: number,
  index: number,
  at: (p: number) => number,
): string {
  const units: number[] = [];
  let i = start;
  const cont = (k: number): number => {
    const c = i + k < end ? b[i + k] : -1;
    if (c < 0 || (c & 0xc0) !== 0x80) {
      throw new CorruptDataError(`String ${index} is not modified UTF-8`, {
        byteOffset: at(i + k),
      });
    }
    return c & 0x3f;
  };
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      units.push(c);
      i += 1;
    } else if ((c & 0xe0) === 0xc0) {
      units.push(((c & 0x1f) << 6) | cont(1));
      i += 2;
    } else if ((c & 0xf0) === 0xe0) {
      units.push(((c & 0x0f) << 12) | (cont(1) << 6) | cont(2));
      i += 3;
    } else {
      throw new CorruptDataError(`String ${index} is not modified UTF-8`, { byteOffset: at(i) });
    }
  }
  let s = "";
  for (let k = 0; k < units.length; k += 4096) {
    s += String.fromCharCode(...units.slice(k, k + 4096));
  }
  // Lone surrogates become U+FFFD, as in the wasm decoder.
  return s.toWellFormed();
}

/** Encodes strings as the portal's dictionary trailer. */
export function encodeDictionary(strings: readonly string[]): Uint8Array {
  const parts: number[] = [];
  const pushInt = (v: number) =>
    parts.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  pushInt(strings.length);
  for (const s of strings) {
    const enc: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      if (u >= 1 && u <= 0x7f) enc.push(u);
      else if (u <= 0x7ff) enc.push(0xc0 | (u >> 6), 0x80 | (u & 0x3f));
      else enc.push(0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f));
    }
    if (enc.length > 0xffff) {
      throw new InvalidArgumentError(`String ${s.slice(0, 20)}… is longer than 65535 bytes`);
    }
    parts.push(enc.length >> 8, enc.length & 255, ...enc);
  }
  const out: number[] = [...MAGIC];
  for (let i = 0; i < parts.length; i += 1024) {
    const chunk = parts.slice(i, i + 1024);
    if (chunk.length <= 255) out.push(0x77, chunk.length);
    else out.push(0x7a, 0, 0, chunk.length >> 8, chunk.length & 255);
    for (const b of chunk) out.push(b);
  }
  return new Uint8Array(out);
}
