// Private: the typed error for an HTTP answer that is no success (licence,
// login, not found, server).

import { textStart } from "../_util/read_at_most.ts";
import {
  AuthenticationError,
  HttpError,
  isQuotaMessage,
  LicenceError,
  NotFoundError,
  QuotaExceededError,
  ServerError,
} from "../errors.ts";

export const LICENCE_MESSAGE =
  "Accepting data licence in your user profile is required for data downloads";

export async function httpError(
  hint: string,
  url: string,
  response: Response,
  auth: string,
): Promise<HttpError> {
  const body = await textStart(response);
  const details = { status: response.status, url, body: body.slice(0, 500) };
  const s = response.status;
  const howTo = ` (accept the data licence once in your profile at ${auth}/ , then retry)`;
  if (s >= 300 && s < 400 && /licen[cs]e/i.test(body + (response.headers.get("location") ?? ""))) {
    return new LicenceError(hint, { ...details, body: LICENCE_MESSAGE + howTo });
  }
  if (s === 401) return new AuthenticationError(hint, details);
  if (s === 403) {
    return /licen[cs]e/i.test(body)
      ? new LicenceError(hint, { ...details, body: details.body + howTo })
      : new AuthenticationError(hint, details);
  }
  if (s === 404) return new NotFoundError(hint, details);
  if (s >= 500) return new ServerError(hint, details);
  return new HttpError(hint, details);
}

/**
 * A failed answer whose start names what failed: a 5xx whose body matches
 * `notFound` is a {@linkcode NotFoundError}; a 503 from the SPARQL quota
 * manager a {@linkcode QuotaExceededError} (retrying would only spend more
 * quota). Otherwise the answer, its start read and put back.
 */
export async function notFoundOrQuota(
  hint: string,
  href: string,
  response: Response,
  notFound: RegExp | undefined,
): Promise<Response> {
  if (notFound && response.status >= 500) {
    const body = await textStart(response);
    if (notFound.test(body)) {
      throw new NotFoundError(hint, { status: response.status, url: href, body });
    }
    response = new Response(body, { status: response.status, headers: response.headers });
  }
  if (response.status === 503) {
    const body = await textStart(response);
    if (isQuotaMessage(body)) {
      throw new QuotaExceededError(hint, { status: 503, url: href, body });
    }
    response = new Response(body, { status: response.status, headers: response.headers });
  }
  return response;
}
