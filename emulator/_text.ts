// Private: the plain-text response every emulated service answers errors and
// short bodies with, in the portal's content type.

/** A `text/plain;charset=UTF-8` response with a status and extra headers. */
export const text = (body: string, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(body, {
    status,
    headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
  });
