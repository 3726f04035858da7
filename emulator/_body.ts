// Private: request bodies read with a cap decided before reading. The
// emulator runs inside users' own test processes: an unauthenticated POST of
// any size must not be buffered whole.

/** Thrown by {@linkcode cappedText} for a body over its cap. */
export class BodyTooLarge extends Error {}

/**
 * The request body as text, reading at most `max` bytes: a larger
 * Content-Length is refused unread, a longer body is cancelled as soon as it
 * passes `max`.
 *
 * @throws {BodyTooLarge} Over `max` bytes.
 */
export async function cappedText(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await req.body?.cancel().catch(() => {});
    throw new BodyTooLarge(`${declared} bytes, more than ${max}`);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(`more than ${max} bytes`);
    }
    parts.push(value);
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** Caps of the request bodies the emulator reads, in bytes. */
export const BODY_CAPS = {
  /** `POST /auth/logs/portaluse`: one usage event. */
  portalUse: 50_000,
  /** `POST /password/login`: a form with mail and password. */
  login: 16_384,
  /** `POST /sparql`: one query. */
  sparql: 1 << 20,
  /** `POST /cpb`: one table request. */
  cpb: 1 << 20,
  /** `POST /stiltresult`: one results request. */
  stilt: 65_536,
} as const;

/** The answer to a body over its cap. */
export function tooLarge(): Response {
  return new Response("Payload too large", {
    status: 413,
    headers: { "content-type": "text/plain; charset=utf-8", connection: "close" },
  });
}
