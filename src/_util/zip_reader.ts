// Private: reads the entries of a ZIP archive (stored or deflated), as the
// STILT results packages are. Inflate uses DecompressionStream, available
// in Deno, Node 18+, browsers and edge runtimes.

import { CorruptDataError, UnsupportedFormatError } from "../errors.ts";

/** One file of an archive. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataOffset: number;
}

/** Lists the entries of a ZIP archive from its central directory. */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new CorruptDataError("Not a ZIP archive: no end of central directory", {
      byteOffset: zip.length,
    });
  }
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > zip.length || dv.getUint32(p, true) !== 0x02014b50) {
      throw new CorruptDataError("ZIP central directory entry is broken", { byteOffset: p });
    }
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    if (local + 30 > zip.length || dv.getUint32(local, true) !== 0x04034b50) {
      throw new CorruptDataError(`ZIP local header of ${name} is broken`, { byteOffset: local });
    }
    const dataOffset = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (dataOffset + compressedSize > zip.length) {
      throw new CorruptDataError(`ZIP entry ${name} runs past the archive`, {
        byteOffset: dataOffset,
      });
    }
    entries.push({ name, method, compressedSize, size, dataOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The bytes of one entry. */
export async function zipRead(zip: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  const data = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return data.slice();
  if (entry.method !== 8) {
    throw new UnsupportedFormatError(
      `ZIP entry ${entry.name} uses compression method ${entry.method}`,
      {
        byteOffset: entry.dataOffset,
      },
    );
  }
  // Deflate expands at most ~1032 times: fed in pieces of about the
  // declared size / 1032, no output chunk is much larger than the entry.
  const step = Math.max(1024, Math.ceil(entry.size / 1032));
  let fed = 0;
  const stream = new ReadableStream<BufferSource>({
    pull(controller) {
      if (fed >= data.length) return controller.close();
      controller.enqueue(data.slice(fed, fed + step));
      fed += step;
    },
  }, { highWaterMark: 0 }).pipeThrough<Uint8Array>(new DecompressionStream("deflate-raw"));
  // read at most the declared size: a bomb stops at its first chunk past it
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > entry.size) {
        await reader.cancel().catch(() => {});
        throw new CorruptDataError(
          `ZIP entry ${entry.name} inflates past its declared ${entry.size} bytes`,
          { byteOffset: entry.dataOffset },
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof CorruptDataError) throw e;
    throw new CorruptDataError(`ZIP entry ${entry.name} does not inflate`, {
      byteOffset: entry.dataOffset,
      cause: e,
    });
  } finally {
    reader.releaseLock();
  }
  if (length !== entry.size) {
    throw new CorruptDataError(
      `ZIP entry ${entry.name} inflates to ${length} bytes, not ${entry.size}`,
      {
        byteOffset: entry.dataOffset,
      },
    );
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
