// Private: reading a response body up to a bound, then cancelling the rest.

/**
 * Up to `max` bytes of a body (fewer when it ends sooner); the rest is
 * cancelled unread, so a body of any length costs at most `max` bytes.
 */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < max) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.byteLength > max - n ? value.subarray(0, max - n) : value;
      parts.push(take);
      n += take.byteLength;
    }
  } finally {
    if (n >= max) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  return all;
}

/** The start of a body as text: at most `maxBytes` bytes read (the 500 characters an error keeps). */
export async function textStart(
  response: Response,
  maxBytes = 2000,
): Promise<string> {
  try {
    return new TextDecoder().decode(await readAtMost(response.body, maxBytes));
  } catch {
    return "";
  }
}
