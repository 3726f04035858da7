// Private: the emulator's cpauth service (docs/protocol.md §6): password
// login issuing tokens in the real format — base64 of
// `[expiry ms, email, source]` + 0x1E + an ECDSA P-384 (SHA-256, DER)
// signature over `AuthToken(UserId(<email>),<expiry>,<source>)` — made with
// a key generated at start-up; whoami, cpauthcookie and portal-use logging.

import { base64Padded, decodeBase64 } from "./_hash.ts";
import { text } from "./_text.ts";
import { BODY_CAPS, BodyTooLarge, cappedText, tooLarge } from "./_body.ts";

/** A user of the emulator. */
export interface User {
  readonly email: string;
  readonly password: string;
  readonly licenceAccepted: boolean;
}

/** A validated token. */
export interface Session {
  readonly user: User;
  readonly token: string;
  readonly expiry: number;
  readonly source: string;
}

function rawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0] & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, half)), ...int(raw.subarray(half))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

function derToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  if (der[0] !== 0x30 || der.length < 8) return undefined;
  const out = new Uint8Array(2 * size);
  let p = 2;
  for (let k = 0; k < 2; k++) {
    if (der[p] !== 0x02) return undefined;
    const len = der[p + 1];
    let v = der.subarray(p + 2, p + 2 + len);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) return undefined;
    out.set(v, k * size + size - v.length);
    p += 2 + len;
  }
  return out;
}

/** Reads one cookie from a `Cookie` header; tolerates a trailing `;`. */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const p = part.trim();
    const eq = p.indexOf("=");
    if (eq > 0 && p.slice(0, eq) === name) return p.slice(eq + 1);
  }
  return undefined;
}

/** Options of {@linkcode AuthService}. */
export interface AuthOptions {
  readonly users: readonly User[];
  readonly tokenName: string;
  /** Token lifetime in ms. */
  readonly lifetime: number;
  /** Minimum duration of a failed login, in ms. */
  readonly failedLoginDelay: number;
  /** The clock. */
  readonly now: () => number;
  /** Portal-use events kept (the oldest are dropped). Default 1000. */
  readonly portalUseLimit?: number;
}

/** The cpauth service. */
export class AuthService {
  readonly #o: AuthOptions;
  readonly #keys: CryptoKeyPair;
  /**
   * Tokens whose signature was checked, and the answer: an ECDSA P-384
   * verification costs milliseconds of CPU, which on a small machine made the
   * emulator, not the client, the limit of every concurrent benchmark. Expiry
   * is still checked on each request.
   */
  readonly #verified = new Map<string, boolean>();
  /** Portal-use events received on `/logs/portaluse`. */
  readonly portalUse: unknown[] = [];

  private constructor(o: AuthOptions, keys: CryptoKeyPair) {
    this.#o = o;
    this.#keys = keys;
  }

  /** Generates the signing key. */
  static async create(o: AuthOptions): Promise<AuthService> {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, [
      "sign",
      "verify",
    ]);
    return new AuthService(o, keys as CryptoKeyPair);
  }

  /** Issues a token for a user. */
  async issue(email: string, source = "Password"): Promise<{ token: string; expiry: number }> {
    const expiry = this.#o.now() + this.#o.lifetime;
    const head = new TextEncoder().encode(JSON.stringify([expiry, email, source]));
    const signed = new TextEncoder().encode(`AuthToken(UserId(${email}),${expiry},${source})`);
    const sig = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.#keys.privateKey, signed),
    );
    const der = rawToDer(sig);
    const bytes = new Uint8Array(head.length + 1 + der.length);
    bytes.set(head);
    bytes[head.length] = 0x1e;
    bytes.set(der, head.length + 1);
    return { token: base64Padded(bytes), expiry };
  }

  /** The session of a request's auth cookie, if the token is valid and not expired. */
  async session(req: Request): Promise<Session | undefined> {
    const token = cookieValue(req, this.#o.tokenName);
    if (!token) return undefined;
    const bytes = decodeBase64(token);
    if (!bytes) return undefined;
    const sep = bytes.indexOf(0x1e);
    if (sep < 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(0, sep)));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [expiry, email, source] = parsed;
    if (typeof expiry !== "number" || typeof email !== "string" || typeof source !== "string") {
      return undefined;
    }
    let ok = this.#verified.get(token);
    if (ok === undefined) {
      const raw = derToRaw(bytes.subarray(sep + 1), 48);
      if (!raw) return undefined;
      ok = await crypto.subtle.verify(
        { name: "ECDSA", hash: "SHA-256" },
        this.#keys.publicKey,
        raw as Uint8Array<ArrayBuffer>,
        new TextEncoder().encode(`AuthToken(UserId(${email}),${expiry},${source})`),
      );
      if (this.#verified.size >= 10_000) this.#verified.clear();
      this.#verified.set(token, ok);
    }
    if (!ok || this.#o.now() >= expiry) return undefined;
    const user = this.#o.users.find((u) => u.email === email);
    return user ? { user, token, expiry, source } : undefined;
  }

  /** Handles `/auth/<subpath>`; undefined when no route matches. */
  async handle(req: Request, subpath: string): Promise<Response | undefined> {
    if (subpath === "password/login" && req.method === "POST") return await this.#login(req);
    if (subpath === "whoami" && req.method === "GET") {
      const s = await this.session(req);
      return s ? Response.json({ email: s.user.email }) : text("Authentication required", 401);
    }
    if (subpath === "cpauthcookie" && req.method === "GET") {
      const s = await this.session(req);
      return s
        ? Response.json({
          value: `${this.#o.tokenName}=${s.token}`,
          expiry: s.expiry,
          source: s.source,
        })
        : text("Authentication required", 401);
    }
    if (subpath === "logs/portaluse" && req.method === "POST") {
      let body: string;
      try {
        body = await cappedText(req, BODY_CAPS.portalUse);
      } catch (e) {
        if (e instanceof BodyTooLarge) return tooLarge();
        throw e;
      }
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        return text("Expected a JSON payload", 400);
      }
      const s = await this.session(req);
      this.portalUse.push(s ? { ...(event as object), cpUser: s.user.email } : event);
      // bounded: the oldest events go (the log is not a way to fill memory)
      const limit = this.#o.portalUseLimit ?? 1000;
      if (this.portalUse.length > limit) this.portalUse.splice(0, this.portalUse.length - limit);
      return text("OK");
    }
    if (subpath === "logout" && req.method === "GET") {
      return text("OK", 200, { "set-cookie": `${this.#o.tokenName}=deleted; Path=/; Max-Age=0` });
    }
    return undefined;
  }

  async #login(req: Request): Promise<Response> {
    const type = req.headers.get("content-type") ?? "";
    let form: URLSearchParams | undefined;
    if (type.includes("application/x-www-form-urlencoded")) {
      try {
        form = new URLSearchParams(await cappedText(req, BODY_CAPS.login));
      } catch (e) {
        if (e instanceof BodyTooLarge) return tooLarge();
        throw e;
      }
    }
    const mail = form?.get("mail");
    const password = form?.get("password");
    if (mail == null || password == null) {
      return text(
        "Expected 'mail' and 'password' posted as application/x-www-form-urlencoded form fields",
        400,
      );
    }
    const started = this.#o.now();
    const user = this.#o.users.find((u) => u.email === mail && u.password === password);
    if (!user) {
      const wait = this.#o.failedLoginDelay - (this.#o.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return text("Incorrect user name or password", 403);
    }
    const { token } = await this.issue(user.email);
    return text("OK", 200, { "set-cookie": `${this.#o.tokenName}=${token}; Path=/; HttpOnly` });
  }
}
