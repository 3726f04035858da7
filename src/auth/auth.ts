/**
 * Authentication with the portal's cpauth service (docs/protocol.md §6): a
 * token is a cookie (`cpauthToken=<base64>`) whose payload carries its
 * expiry, user and source. Providers supply a valid token on demand: a fixed
 * token string, a user + password login, or the Python client's credentials
 * file. The library never prompts; secrets never appear in errors, logs or
 * `toString`.
 *
 * @module
 */

import { decodeBase64 } from "../_util/base64.ts";
import type { CarbonPortal } from "../client/client.ts";
import { AuthenticationError, InvalidArgumentError } from "../errors.ts";
import { checkOptions, client, text } from "../_util/args.ts";

/** A parsed authentication token. The secret is only reachable through {@linkcode AuthToken.cookie}. */
export class AuthToken {
  /** The cookie name (`cpauthToken`, `fieldsitesToken`). */
  readonly name: string;
  /** When the token expires, if its payload says. */
  readonly expiry: Date | undefined;
  /** The user it was issued to. */
  readonly user: string | undefined;
  /** How the user authenticated (`Password`, `Saml`, `Orcid`, …). */
  readonly source: string | undefined;
  #value: string;

  /**
   * Creates a token from its cookie name and value (see {@linkcode parseAuthToken}).
   *
   * @param name Cookie name.
   * @param value Token value (base64).
   * @param payload What the token's payload says.
   */
  constructor(
    name: string,
    value: string,
    payload: { expiry?: Date; user?: string; source?: string } = {},
  ) {
    this.name = name;
    this.#value = value;
    this.expiry = payload.expiry;
    this.user = payload.user;
    this.source = payload.source;
  }

  /** The `Cookie` header value that carries the token. */
  get cookie(): string {
    return `${this.name}=${this.#value}`;
  }

  /**
   * Milliseconds until expiry (`Infinity` when unknown).
   *
   * @param now The current time. Default `Date.now()`.
   * @returns Milliseconds left; negative once expired.
   */
  msLeft(now: number = Date.now()): number {
    return this.expiry ? this.expiry.getTime() - now : Infinity;
  }

  /** A redacted description. */
  toString(): string {
    const until = this.expiry ? ` until ${this.expiry.toISOString()}` : "";
    return `AuthToken(${this.name}=…, user ${this.user ?? "unknown"}${until})`;
  }

  /** Redacted JSON form. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, user: this.user, source: this.source, expiry: this.expiry };
  }

  /** Redacted form for Deno's and Node's inspectors. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Redacted form for Node's inspector. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function decodeTokenBase64(s: string): Uint8Array {
  return decodeBase64(s.replace(/[^A-Za-z0-9+/=_-]/g, "")) ?? new Uint8Array(0);
}

/**
 * Parses a token as the portal hands it out: `cpauthToken=<token>` (with or
 * without the trailing `;` that Set-Cookie and the Python client keep), or
 * the bare token. Expiry, user and source are read from the payload
 * (`[<expiry ms>, "<email>", "<source>"]` before the 0x1E separator); a token
 * of the older opaque format parses with those left undefined.
 *
 * @param value The cookie string or token.
 * @param defaultName Cookie name to assume for a bare token. Default `cpauthToken`.
 * @returns The token.
 * @throws {InvalidArgumentError} When `value` is empty.
 *
 * @example
 * ```ts
 * import { parseAuthToken } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * const payload = '[1696674988123,"user@example.org","Password"]';
 * const token = btoa(payload + "\u001e" + "signature");
 * const t = parseAuthToken(`cpauthToken=${token};`);
 * assert.equal(t.user, "user@example.org");
 * assert.equal(t.expiry?.toISOString(), "2023-10-07T10:36:28.123Z");
 * assert.equal(t.cookie, `cpauthToken=${token}`);
 * assert.doesNotMatch(String(t), new RegExp(token.slice(0, 12)));
 * ```
 */
export function parseAuthToken(value: string, defaultName = "cpauthToken"): AuthToken {
  const s = String(value ?? "").trim().replace(/;.*$/s, "").trim();
  if (!s) throw new InvalidArgumentError("An authentication token must not be empty");
  const eq = s.indexOf("=");
  // a name is short and followed by the token (a bare token's "=" is its trailing padding)
  const named = eq > 0 && eq <= 40 && s.length - eq > 16 &&
    /^[A-Za-z][A-Za-z0-9_]*$/.test(s.slice(0, eq));
  const name = named ? s.slice(0, eq) : defaultName;
  const token = named ? s.slice(eq + 1) : s;
  try {
    const bytes = decodeTokenBase64(token);
    const sep = bytes.indexOf(0x1e);
    if (bytes[0] === 0x5b && sep > 0) {
      const [expiry, user, source] = JSON.parse(new TextDecoder().decode(bytes.subarray(0, sep)));
      return new AuthToken(name, token, {
        expiry: typeof expiry === "number" ? new Date(expiry) : undefined,
        user: typeof user === "string" ? user : undefined,
        source: typeof source === "string" ? source : undefined,
      });
    }
  } catch {
    // an opaque (older) token: keep it without payload facts
  }
  return new AuthToken(name, token);
}

/** Supplies a valid token on demand. Implement it to plug in your own secret store. */
export interface AuthProvider {
  /**
   * A token that is valid now (log in or refresh as needed).
   *
   * @param cp The client asking (its endpoints and fetch are for logging in).
   * @param signal Aborts a login in progress.
   */
  getToken(cp: CarbonPortal, signal?: AbortSignal): Promise<AuthToken>;
  /** Forgets the current token after the portal rejected it (optional). */
  invalidate?(): void;
  /** A description for messages; never the secret (the built-in providers name their kind and user). */
  toString?(): string;
}

/** The `auth` option of {@linkcode CarbonPortal}: a token, a login, a credentials file or a provider. */
export type AuthOption =
  | { token: string }
  | { user: string; password: string }
  | { configFile: string | true; home?: string }
  | AuthProvider;

/** Tokens with less than this left are refreshed by login providers (as the Python client does). */
export const REFRESH_MARGIN_MS = 3_600_000;

/**
 * A provider for a fixed token, e.g. copied from the portal's "My Account"
 * page. It cannot refresh: once the token expires, requests fail with an
 * {@linkcode AuthenticationError} that says so.
 *
 * @param value `cpauthToken=…` (trailing `;` allowed) or the bare token.
 * @returns The provider.
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { tokenAuth } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * const token = btoa('[4102444800000,"a@b.c","Password"]\u001es');
 * const t = await tokenAuth(`cpauthToken=${token};`).getToken(new CarbonPortal());
 * assert.equal(t.user, "a@b.c");
 * ```
 */
export function tokenAuth(value: string): AuthProvider {
  const token = parseAuthToken(value);
  return {
    getToken() {
      if (token.msLeft() <= 10_000) {
        return Promise.reject(
          new AuthenticationError("Using the authentication token", {
            status: 401,
            url: "(token)",
            body: `The token${
              token.user ? ` of ${token.user}` : ""
            } expired at ${token.expiry?.toISOString()}: get a new one or log in with user and password`,
          }),
        );
      }
      return Promise.resolve(token);
    },
    toString: () => "tokenAuth(…)",
  };
}

/** The credentials of {@linkcode login}. */
export interface LoginOptions {
  /** The account's email. */
  user: string;
  /** The password. */
  password: string;
  /** Aborts the login. */
  signal?: AbortSignal;
}

/**
 * Logs in at `<auth>/password/login` with the form fields `mail` and
 * `password` and reads the token from `Set-Cookie`.
 *
 * @param cp The client (its auth endpoint, fetch, timeout and retries).
 * @param options The account's email and password, and a signal to abort the login.
 * @returns The new token.
 * @throws {AuthenticationError} When the portal rejects the credentials or sends no token.
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { login } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * const token = btoa('[4102444800000,"a@b.c","Password"]\u001es');
 * const cp = new CarbonPortal({
 *   fetch: () => Promise.resolve(new Response("OK", { headers: { "set-cookie": `cpauthToken=${token}; Path=/; HttpOnly` } })),
 * });
 * assert.equal((await login(cp, { user: "a@b.c", password: "secret" })).user, "a@b.c");
 * ```
 */
export async function login(cp: CarbonPortal, options: LoginOptions): Promise<AuthToken> {
  client("login", cp);
  options = checkOptions("login", options, { user: true, password: true, signal: true }, {
    username: "user",
  });
  text("login", "user", options.user);
  if (typeof options.password !== "string") {
    throw new InvalidArgumentError("login", "password", options.password, "a string");
  }
  const { user, password, signal } = options;
  const url = `${cp.endpoints.auth}/password/login`;
  const res = await cp.request(url, {
    method: "POST",
    hint: "Fetching auth token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ mail: user, password }).toString(),
    signal,
  });
  await res.body?.cancel();
  const cookies = typeof res.headers.getSetCookie === "function"
    ? res.headers.getSetCookie()
    : [res.headers.get("set-cookie") ?? ""];
  const name = cp.endpoints.tokenName;
  const cookie = cookies.map((c) => c.split(/\s*;\s*/)[0]).find((c) => c.startsWith(`${name}=`));
  if (!cookie) {
    throw new AuthenticationError("Fetching auth token", {
      status: res.status,
      url,
      body:
        `The login answer carries no ${name} cookie (browsers hide Set-Cookie: use a token there)`,
    });
  }
  return parseAuthToken(cookie, name);
}

/**
 * A provider that logs in with user and password, keeps the token, and logs
 * in again when less than an hour is left or the portal rejects it.
 *
 * @param user The account's email.
 * @param password The password.
 * @returns The provider.
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { passwordAuth } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * let logins = 0;
 * const token = btoa('[4102444800000,"a@b.c","Password"]\u001es');
 * const cp = new CarbonPortal({
 *   fetch: () => { logins++; return Promise.resolve(new Response("OK", { headers: { "set-cookie": `cpauthToken=${token}` } })); },
 * });
 * const auth = passwordAuth("a@b.c", "secret");
 * await auth.getToken(cp);
 * await auth.getToken(cp);
 * assert.equal(logins, 1);
 * assert.equal(String(auth), "passwordAuth(a@b.c)");
 * ```
 */
export function passwordAuth(user: string, password: string): AuthProvider {
  let current: AuthToken | undefined;
  let pending: Promise<AuthToken> | undefined;
  return {
    async getToken(cp, signal) {
      if (current && current.msLeft() > REFRESH_MARGIN_MS) return current;
      // the login is shared: it must not end with the first caller's signal
      pending ??= login(cp, { user, password }).finally(() => (pending = undefined));
      current = await untilAborted(pending, signal);
      return current;
    },
    invalidate() {
      current = undefined;
    },
    toString: () => `passwordAuth(${user})`,
  };
}

/** `p`, or the signal's reason as soon as it aborts (`p` goes on for others). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Turns the `auth` option into a provider. */
export function authProvider(option: AuthOption): AuthProvider {
  if (typeof option !== "object" || option === null) {
    throw new InvalidArgumentError(
      "authProvider",
      "auth",
      option,
      "{ token }, { user, password }, { configFile } or a provider",
    );
  }
  if (!("getToken" in option)) {
    checkOptions("authProvider", option, ["token", "user", "password", "configFile", "home"], {
      username: "user",
      config_file: "configFile",
    });
  }
  if ("getToken" in option && typeof option.getToken === "function") return option;
  if ("token" in option) return tokenAuth(option.token);
  if ("user" in option) return passwordAuth(option.user, option.password);
  if ("configFile" in option) return configFileAuth(option.configFile, { home: option.home });
  throw new InvalidArgumentError(
    "auth must be { token }, { user, password }, { configFile } or a provider",
  );
}

/**
 * A provider backed by a credentials file of either Python client:
 * icoscp_core's (`{"user_id", "password" (obfuscated), "cookie_value"?}`, at
 * `<home>/.icoscp/<token name>_auth_conf.json`) or icoscp's `Authentication`
 * class (`{"username", "password"}`, `{"username", "password", "token"}` or
 * `{"token"}`, password plain or base64, at `<home>/icoscp/.icos_carbon_portal`),
 * so a user of both libraries shares one file. With `true`, the first of
 * those two that exists under `options.home` is used. The cached token is
 * used while fresh; otherwise it logs in and writes the file back in its own
 * format (atomically, mode 0600). A file that others may read or write is
 * refused, as ssh refuses such a key (`chmod 600` it). Needs a file system
 * (Deno or Node).
 *
 * @param path The file, or `true` for the default location under `options.home`.
 * @param options `home`: the user's home folder (needed with `true`).
 * @returns The provider.
 *
 * @example
 * ```ts
 * import { configFileAuth } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(configFileAuth(true, { home: "/home/me" })), "configFileAuth(default under /home/me)");
 * ```
 */
export function configFileAuth(path: string | true, options: { home?: string } = {}): AuthProvider {
  options = checkOptions("configFileAuth", options, { home: true });
  if (path !== true) text("configFileAuth", "path", path);
  let inner: AuthProvider | undefined;
  return {
    async getToken(cp, signal) {
      if (!inner) {
        const { fileProvider } = await import("./_auth_file.ts");
        inner = fileProvider(path, options.home);
      }
      return inner.getToken(cp, signal);
    },
    invalidate() {
      inner?.invalidate?.();
    },
    toString: () => `configFileAuth(${path === true ? `default under ${options.home}` : path})`,
  };
}
