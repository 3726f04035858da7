// Private: response helpers mimicking the akka-http server behind the STILT
// viewer: plain-text error bodies, akka's default messages, content
// negotiation over the Accept header.

/** akka-http's body for unhandled server errors. */
export const INTERNAL_ERROR = "There was an internal server error.";
/** akka-http's body for unmatched routes. */
export const NOT_FOUND = "The requested resource could not be found.";

/** A plain-text response (`text/plain; charset=UTF-8`). */
export function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=UTF-8" },
  });
}

/** A JSON response from already serialised text. */
export function jsonText(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string | null): MediaRange[] {
  if (header === null || header.trim() === "") return [{ type: "*", subtype: "*", q: 1 }];
  return header.split(",").flatMap((part) => {
    const [range, ...params] = part.trim().split(";").map((s) => s.trim());
    const [type, subtype] = range.toLowerCase().split("/");
    if (!type || !subtype) return [];
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    return [{ type, subtype, q }];
  });
}

/**
 * Picks the first of `offered` (media types like `text/csv`) with the highest
 * quality the Accept header gives it (the most specific matching range
 * decides); undefined when none is acceptable.
 */
export function negotiate(accept: string | null, offered: readonly string[]): string | undefined {
  const ranges = parseAccept(accept);
  let best: string | undefined;
  let bestQ = 0;
  for (const media of offered) {
    const [type, subtype] = media.split("/");
    let q = -1;
    let specificity = -1;
    for (const r of ranges) {
      const s = r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === "*"
        ? 1
        : r.type === "*" && r.subtype === "*"
        ? 0
        : -1;
      if (s > specificity) {
        specificity = s;
        q = r.q;
      }
    }
    if (q > bestQ) {
      best = media;
      bestQ = q;
    }
  }
  return best;
}

/** akka-http's 406 answer listing what could have been served. */
export function notAcceptable(offered: readonly string[]): Response {
  return text(
    406,
    "Resource representation is only available with these types:\n" + offered.join("\n"),
  );
}
