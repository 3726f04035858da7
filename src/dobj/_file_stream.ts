// Private: `Dobj.fileStream`: the original file streamed, resumed and
// verified against its SHA-256.

import { checkOptions, integer } from "../_util/args.ts";
import { objectBytes } from "../client/_object_body.ts";
import type { CarbonPortal } from "../client/client.ts";
import { base64url, decodeHash as decodeHashOf, hashToId } from "../client/ids.ts";
import { callback, FILE_STREAM_KEYS, type FileStreamOptions, signalOption } from "./_options.ts";
import { Sha256 } from "./_sha256.ts";
import type { Dobj } from "./dobj.ts";
import { IntegrityError } from "../errors.ts";

export function decodeHashSafe(hash: string): Uint8Array {
  try {
    return decodeHashOf(hash);
  } catch {
    return new Uint8Array(0);
  }
}

/** The original file of `d`, verified (implementation of `Dobj.fileStream`). */
export function verifiedFileStream(
  cp: CarbonPortal,
  d: Dobj,
  options: FileStreamOptions,
): ReadableStream<Uint8Array> {
  options = checkOptions("fileStream", options, FILE_STREAM_KEYS);
  options = {
    ...options,
    signal: signalOption("fileStream", options.signal),
    retries: integer("fileStream", "retries", options.retries ?? 5),
    onProgress: callback("fileStream", "onProgress", options.onProgress),
  };
  const hash = new Sha256();
  let pos = 0;
  const it = objectBytes(cp, d.id, {
    start: 0,
    total: d.size,
    signal: options.signal,
    retries: options.retries ?? 5,
    acceptLicenceFor: options.acceptLicence ? d.meta.hash : undefined,
    licenceUrl: d.licence?.webpage ?? d.licence?.url,
  });
  const expected = d.meta.hash;
  const id = d.id;
  const total = d.size;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) {
        const actual = base64url(hash.digest());
        if (actual !== base64url(decodeHashSafe(expected)) || hashToId(actual) !== id) {
          controller.error(
            new IntegrityError(`Download of ${id} does not match its hash`, {
              expected,
              actual,
            }),
          );
        } else controller.close();
        return;
      }
      const { offset, bytes } = next.value;
      if (offset < pos) {
        controller.error(
          new IntegrityError(`Download of ${id} restarted from byte ${offset} after ${pos}`, {
            expected,
            actual: "",
          }),
        );
        return;
      }
      hash.update(bytes);
      pos += bytes.length;
      options.onProgress?.({ received: pos, total });
      controller.enqueue(bytes);
    },
    cancel(reason) {
      return it.throw(reason).then(() => {}, () => {});
    },
  }, { highWaterMark: 0 });
}
