// Private: the options of `new CarbonPortal()` and of its requests.

import { checkOptions, isPlainObject, type OptionKeys } from "../_util/args.ts";
import { redactUrl } from "../_util/redact.ts";
import type { AuthOption } from "../auth/auth.ts";
import { InvalidArgumentError } from "../errors.ts";
import { ICOS, type PortalEndpoints, type PortalName, PRESETS } from "./endpoints.ts";

/** How failed idempotent requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  readonly retries: number;
  /** Delay before the first retry, in ms; doubles each time. Default 250. */
  readonly minDelay: number;
  /** Largest delay between attempts, in ms. Default 8000. */
  readonly maxDelay: number;
}

/** The `fetch` signature the client calls; inject your own for tests or proxies. */
export type FetchFn = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** Options of {@linkcode CarbonPortal}. */
export interface CarbonPortalOptions {
  /** A preset name or a full set of endpoints. Default `"icos"`. */
  portal?: PortalName | PortalEndpoints;
  /** Overrides of single endpoints, applied on top of `portal`. */
  endpoints?: Partial<PortalEndpoints>;
  /** The fetch to call. Default `globalThis.fetch`. */
  fetch?: FetchFn;
  /**
   * Milliseconds to wait for the response headers of one attempt. Default
   * 60000; 0 waits for headers forever. A body that keeps arriving is never
   * cut, however long it takes: see `idleTimeout`.
   */
  timeout?: number;
  /**
   * Longest gap between body bytes, in ms, while the body is being read:
   * a stalled body then fails with a {@linkcode TimeoutError} (and an
   * idempotent request is tried again). Default: `timeout`, or 60000 when
   * `timeout` is 0, so a stalled body never hangs by default; 0 waits
   * forever.
   */
  idleTimeout?: number;
  /** Retry policy for idempotent requests. */
  retry?: Partial<RetryOptions>;
  /** Aborts every request of this client when signalled. */
  signal?: AbortSignal;
  /** Headers added to every request (e.g. a `User-Agent` where the runtime allows it). */
  headers?: Record<string, string>;
  /** How to log in for data: `{ token }`, `{ user, password }`, `{ configFile }` or a provider. */
  auth?: AuthOption;
  /**
   * Fetch `credentials` mode. In browsers, which forbid setting `Cookie`,
   * use `"include"`: the portal's own login cookie then travels with data
   * requests (log in by POSTing to `<auth>/password/login` through the
   * client, or on the portal's web site). Default: the fetch default.
   */
  credentials?: RequestCredentials;
}

/** Per-request options of {@linkcode CarbonPortal.request}. */
export interface PortalRequestInit extends RequestInit {
  /** What the request is for, used in error messages. Default `"Request"`. */
  hint?: string;
  /** Whether the request may be repeated safely. Default: true for GET and HEAD. */
  idempotent?: boolean;
  /** Send the auth cookie of the client's `auth` provider. Default false. */
  auth?: boolean;
  /** A 5xx whose body matches this is a {@linkcode NotFoundError}, not retried (the metadata service answers unknown ids with 500). */
  notFound?: RegExp;
  /** Return a redirect (3xx) as it is instead of failing on it (the licence acceptance route answers with one). Default false. */
  acceptRedirect?: boolean;
}

export function nonNegative(name: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new InvalidArgumentError(`Option ${name} must be a number >= 0, not ${value}`);
  }
  return value;
}

export const CLIENT_KEYS: OptionKeys<CarbonPortalOptions> = {
  portal: true,
  endpoints: true,
  fetch: true,
  timeout: true,
  idleTimeout: true,
  retry: true,
  signal: true,
  headers: true,
  auth: true,
  credentials: true,
};

export const ENDPOINT_KEYS: OptionKeys<PortalEndpoints> = {
  envri: true,
  sparql: true,
  meta: true,
  metaInstancePrefix: true,
  data: true,
  auth: true,
  stilt: true,
  tokenName: true,
  defaultStationClass: true,
  handleProxy: true,
};

export const RETRY_KEYS: OptionKeys<RetryOptions> = {
  retries: true,
  minDelay: true,
  maxDelay: true,
};

export const REQUEST_KEYS = [
  "hint",
  "idempotent",
  "auth",
  "notFound",
  "acceptRedirect",
  "body",
  "cache",
  "credentials",
  "headers",
  "integrity",
  "keepalive",
  "method",
  "mode",
  "priority",
  "redirect",
  "referrer",
  "referrerPolicy",
  "signal",
  "window",
  "duplex",
  "client",
] as const;

/** What `new CarbonPortal(options)` derives from its (checked) options: endpoints, timeouts, retry policy. */
export function clientSettings(options: CarbonPortalOptions): {
  endpoints: PortalEndpoints;
  timeout: number;
  idleTimeout: number;
  retry: RetryOptions;
} {
  const where = "new CarbonPortal";
  if (isPlainObject(options.portal)) {
    checkOptions(`${where} portal`, options.portal, ENDPOINT_KEYS);
  }
  if (options.endpoints !== undefined) {
    checkOptions(`${where} endpoints`, options.endpoints, ENDPOINT_KEYS);
  }
  if (options.retry !== undefined) checkOptions(`${where} retry`, options.retry, RETRY_KEYS);
  const base = typeof options.portal === "string"
    ? PRESETS[options.portal.toLowerCase() as PortalName]
    : options.portal ?? ICOS;
  if (!base) {
    throw new InvalidArgumentError(
      `Unknown portal: ${String(options.portal)} (use icos, sites or cities)`,
    );
  }
  const endpoints = { ...base, ...options.endpoints };
  for (const key of ["sparql", "meta", "data", "auth", "stilt"] as const) {
    const value = endpoints[key];
    if (value === undefined) continue;
    try {
      new URL(value);
    } catch {
      throw new InvalidArgumentError(`Endpoint ${key} is not a URL: ${redactUrl(value)}`);
    }
    (endpoints as Record<string, unknown>)[key] = value.replace(/\/+$/, "");
  }
  const timeout = nonNegative("timeout", options.timeout ?? 60_000);
  return {
    endpoints: Object.freeze(endpoints),
    timeout,
    idleTimeout: nonNegative("idleTimeout", options.idleTimeout ?? (timeout || 60_000)),
    retry: Object.freeze({
      retries: nonNegative("retry.retries", options.retry?.retries ?? 3),
      minDelay: nonNegative("retry.minDelay", options.retry?.minDelay ?? 250),
      maxDelay: nonNegative("retry.maxDelay", options.retry?.maxDelay ?? 8_000),
    }),
  };
}
