/**
 * The counterpart of the Python `icoscp.cpauth.authentication.Authentication`
 * class: log in with a username and password, a token, or a credentials
 * file, validate at once, and keep the credentials in icoscp's file
 * (`<home>/icoscp/.icos_carbon_portal`) or one of your choice. The library
 * never prompts: where Python asks for a password, pass it. Needs a file
 * system (Deno or Node) unless both `readConfiguration` and
 * `writeConfiguration` are false.
 *
 * @module
 */

import type { CarbonPortal } from "../client/client.ts";
import {
  type AuthProvider,
  type AuthToken,
  login,
  parseAuthToken,
  REFRESH_MARGIN_MS,
} from "./auth.ts";
import { AuthenticationError, InvalidArgumentError } from "../errors.ts";
import { boolean, checkOptions, client, type OptionKeys, text } from "../_util/args.ts";

const CONFIGURATION_KEYS: OptionKeys<Configuration> = {
  username: true,
  password: true,
  token: true,
};
const AUTHENTICATION_KEYS: OptionKeys<AuthenticationOptions> = {
  username: true,
  password: true,
  token: true,
  readConfiguration: true,
  writeConfiguration: true,
  configurationFile: true,
  home: true,
  initialize: true,
  signal: true,
};

/** What a credentials file holds (icoscp's `{username, password, token}`), decoded. */
export interface Configuration {
  /** The account's email. */
  username?: string;
  /** The password, in clear (files hold it in base64, or in clear, or obfuscated by icoscp_core). */
  password?: string;
  /** The token cookie, `cpauthToken=…;`. */
  token?: string;
}

/** Options of {@linkcode Authentication.create}: Python's keyword arguments, in camelCase. */
export interface AuthenticationOptions {
  /** The account's email. */
  username?: string;
  /** The password (required with `username`: the library never prompts). */
  password?: string;
  /** A token, `cpauthToken=…` or bare, e.g. from the portal's account page. */
  token?: string;
  /** Read the credentials file when no credentials are given. Default true. */
  readConfiguration?: boolean;
  /** Write valid credentials (and the fresh token) to the file. Default true. */
  writeConfiguration?: boolean;
  /** The credentials file. Default `<home>/icoscp/.icos_carbon_portal`. */
  configurationFile?: string;
  /** The user's home folder, for the default file (the library reads no environment). */
  home?: string;
  /** Start afresh from `username` and `password`, overwriting whatever the file holds. */
  initialize?: boolean;
  /** Aborts the login or validation. */
  signal?: AbortSignal;
}

/**
 * The path of icoscp's credentials file under a home folder.
 *
 * @param home The user's home folder.
 * @returns `<home>/icoscp/.icos_carbon_portal`.
 *
 * @example
 * ```ts
 * import { defaultConfigurationFile } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * assert.match(defaultConfigurationFile("/home/sam"), /^\/home\/sam[\\/]icoscp[\\/]\.icos_carbon_portal$/);
 * ```
 */
export function defaultConfigurationFile(home: string): string {
  text("defaultConfigurationFile", "home", home);
  const sep = home.includes("\\") && !home.includes("/") ? "\\" : "/";
  return `${home.replace(/[\\/]+$/, "")}${sep}icoscp${sep}.icos_carbon_portal`;
}

/**
 * Reads a credentials file of icoscp (`{username, password}`,
 * `{username, password, token}` or `{token}`, password plain or base64) or of
 * icoscp_core (`{user_id, password, cookie_value}`), as Python's
 * `read_configuration` does.
 *
 * @param path The file.
 * @returns What it holds, the password decoded.
 * @throws {CarbonPortalError} When it cannot be read, may be read or written
 *   by others (`chmod 600` it), is not JSON, or holds neither a token nor a
 *   username with a password.
 *
 * @example
 * ```ts
 * import { readConfiguration, writeConfiguration } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/icos_carbon_portal.json`;
 * await writeConfiguration(path, { username: "rbon@portoca.lis", password: "pa$$w0rd" });
 * assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), { username: "rbon@portoca.lis", password: btoa("pa$$w0rd"), token: null });
 * assert.equal((await readConfiguration(path)).password, "pa$$w0rd");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readConfiguration(path: string): Promise<Configuration> {
  const { readCredentials } = await import("./_auth_file.ts");
  return (await readCredentials(path)).credentials;
}

/**
 * Writes icoscp's credentials file (`{username, password (base64), token}`)
 * as Python's `Authentication` does after a valid login, but safely: a new
 * file with mode 0600 renamed over the old one (a symlink there is replaced,
 * not followed).
 *
 * @param path The file (its folder is created, mode 0700).
 * @param configuration What to store.
 * @throws {CarbonPortalError} When it cannot be written.
 *
 * @example
 * ```ts
 * import { defaultConfigurationFile, writeConfiguration } from "@icoscp/icoscp/auth";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const path = defaultConfigurationFile(home);
 * await writeConfiguration(path, { token: "cpauthToken=WzNzcIkode" });
 * assert.equal(JSON.parse(await Deno.readTextFile(path)).token, "cpauthToken=WzNzcIkode;");
 * if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
 * await Deno.remove(home, { recursive: true });
 * ```
 */
export async function writeConfiguration(
  path: string,
  configuration: Configuration,
): Promise<void> {
  text("writeConfiguration", "path", path);
  checkOptions("writeConfiguration", configuration as Configuration, CONFIGURATION_KEYS);
  if (configuration === undefined || configuration === null) {
    throw new InvalidArgumentError(
      "writeConfiguration",
      "configuration",
      configuration,
      "{ username, password, token }",
    );
  }
  const { writeCredentials } = await import("./_auth_file.ts");
  await writeCredentials(path, "icoscp", configuration);
}

/**
 * Checks a token at `<auth>/whoami`, as the Python class does.
 *
 * @param cp The client (its auth endpoint and fetch).
 * @param token The token.
 * @param signal Aborts the request.
 * @throws {AuthenticationError} When the portal rejects the token.
 */
async function validate(cp: CarbonPortal, token: AuthToken, signal?: AbortSignal): Promise<void> {
  const res = await cp.request(`${cp.endpoints.auth}/whoami`, {
    hint: "Validating the authentication token",
    headers: { cookie: token.cookie },
    signal,
  });
  await res.body?.cancel();
}

/**
 * Authentication as the Python docs describe it, as an {@linkcode AuthProvider}
 * for `new CarbonPortal({ auth })`. {@linkcode Authentication.create}
 * validates at once (a login, or the token at `/whoami`) and, unless
 * `writeConfiguration: false`, stores username, password (base64) and the
 * token in the file. Later it logs in again when the token has less than an
 * hour left and a password is known.
 *
 * @example Log in, store, and reuse the file
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { Authentication } from "@icoscp/icoscp/auth";
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * const emu = await startEmulator();
 * const home = await Deno.makeTempDir();
 * try {
 *   const cp = new CarbonPortal({ portal: emu.endpoints });
 *   // Authentication(username=..., password=...)
 *   const a = await Authentication.create(cp, { username: emu.user, password: emu.password, home });
 *   assert.equal(a.username, emu.user);
 *   // Authentication(): later runs read the file
 *   const again = await Authentication.create(cp, { home });
 *   assert.match(String(again), /^Username: /);
 *   const authed = new CarbonPortal({ portal: emu.endpoints, auth: again });
 *   assert.ok(authed.hasAuth);
 * } finally {
 *   await Deno.remove(home, { recursive: true });
 *   await emu.close();
 * }
 * ```
 */
export class Authentication implements AuthProvider {
  /** The account's email, when known. */
  readonly username: string | undefined;
  /** The credentials file, when one is read or written. */
  readonly configurationFile: string | undefined;
  /** Whether valid credentials are written back. */
  readonly writeConfiguration: boolean;
  #password: string | undefined;
  #token: AuthToken;
  #stale = false;

  private constructor(
    init: {
      username?: string;
      password?: string;
      token: AuthToken;
      configurationFile?: string;
      writeConfiguration: boolean;
    },
  ) {
    this.username = init.username;
    this.#password = init.password;
    this.#token = init.token;
    this.configurationFile = init.configurationFile;
    this.writeConfiguration = init.writeConfiguration;
  }

  /**
   * Authenticates as `Authentication(...)` does in Python: with `username`
   * and `password` it logs in; with `token` it validates the token; with
   * neither it reads the file (a token first, validated; if that fails, the
   * username and password). With `initialize`, the file's content is
   * ignored and replaced.
   *
   * @param cp The client whose portal to log in to.
   * @param options Python's keyword arguments, plus `home` and `signal`.
   * @returns The validated authentication.
   * @throws {AuthenticationError} When the portal rejects the credentials or token.
   * @throws {CarbonPortalError} When the file is missing, unsafe or malformed.
   * @throws {InvalidArgumentError} For a username without password, `initialize` without
   *   both, or a file needed but neither `configurationFile` nor `home` given.
   * @throws {UnknownOptionError} For a key that is no option (`write_configuration` is
   *   `writeConfiguration`): nothing is read or written then.
   */
  static async create(
    cp: CarbonPortal,
    options: AuthenticationOptions = {},
  ): Promise<Authentication> {
    const where = "Authentication.create";
    client(where, cp);
    // an unknown key (Python's write_configuration) must never fall back to the default
    options = checkOptions(where, options, AUTHENTICATION_KEYS, { user: "username" });
    for (const key of ["username", "password", "token", "configurationFile", "home"] as const) {
      const v = options[key];
      if (v !== undefined && typeof v !== "string") {
        throw new InvalidArgumentError(where, key, v, "a string");
      }
    }
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new InvalidArgumentError(where, "signal", options.signal, "an AbortSignal");
    }
    const read = boolean(where, "readConfiguration", options.readConfiguration, true);
    const write = boolean(where, "writeConfiguration", options.writeConfiguration, true);
    boolean(where, "initialize", options.initialize, false);
    const file = options.configurationFile ??
      (options.home !== undefined ? defaultConfigurationFile(options.home) : undefined);
    const needFile = () => {
      if (file === undefined) {
        throw new InvalidArgumentError(
          where,
          "configurationFile",
          undefined,
          "given: the credentials file is needed (pass configurationFile or home, " +
            "or writeConfiguration: false)",
        );
      }
      return file;
    };
    let { username, password, token } = options;
    if (username !== undefined && password === undefined) {
      throw new InvalidArgumentError(
        where,
        "password",
        undefined,
        `given for ${username} (the library never prompts)`,
      );
    }
    if (options.initialize && !(username && password)) {
      throw new InvalidArgumentError(
        where,
        "initialize",
        true,
        "used with username and password (the library never prompts)",
      );
    }
    const given = username !== undefined || token !== undefined;
    if (!given && !read) {
      throw new InvalidArgumentError(
        where,
        "readConfiguration",
        false,
        "true when no username, password or token is given",
      );
    }
    if (!given) {
      const { readCredentials } = await import("./_auth_file.ts");
      ({ username, password, token } = (await readCredentials(needFile())).credentials);
    }
    const name = cp.endpoints.tokenName;
    let valid: AuthToken | undefined;
    if (token !== undefined) {
      const t = parseAuthToken(token, name);
      try {
        await validate(cp, t, options.signal);
        valid = t;
      } catch (e) {
        // an invalid token with a password to fall back on is replaced (as in Python)
        if (!(e instanceof AuthenticationError) || !(username && password)) throw e;
      }
    }
    valid ??= await login(cp, { user: username!, password: password!, signal: options.signal });
    const auth = new Authentication({
      username: username ?? valid.user,
      password,
      token: valid,
      configurationFile: file,
      writeConfiguration: write,
    });
    if (write) await auth.#save(needFile());
    return auth;
  }

  async #save(path: string): Promise<void> {
    await writeConfiguration(path, {
      username: this.username,
      password: this.#password,
      token: `${this.#token.cookie};`,
    });
  }

  /** The current token (expiry, user and source; the secret stays hidden). */
  get token(): AuthToken {
    return this.#token;
  }

  /**
   * A valid token: the current one, or a new login when less than an hour is
   * left and the password is known.
   *
   * @param cp The client asking.
   * @param signal Aborts a login.
   * @returns The token.
   * @throws {AuthenticationError} When a token-only authentication has expired.
   */
  async getToken(cp: CarbonPortal, signal?: AbortSignal): Promise<AuthToken> {
    if (!this.#stale && this.#token.msLeft() > REFRESH_MARGIN_MS) return this.#token;
    if (this.username && this.#password !== undefined) {
      this.#token = await login(cp, { user: this.username, password: this.#password, signal });
      this.#stale = false;
      if (this.writeConfiguration && this.configurationFile) {
        await this.#save(this.configurationFile);
      }
      return this.#token;
    }
    if (!this.#stale && this.#token.msLeft() > 10_000) return this.#token;
    throw new AuthenticationError("Using the authentication token", {
      status: 401,
      url: "(token)",
      body:
        `The token ${
          this.#stale ? "was rejected" : `expired at ${this.#token.expiry?.toISOString()}`
        }: give a new one ` +
        "or a username and password",
    });
  }

  /** After the portal rejected the token: log in again on the next request, when possible. */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * Python's `print(Authentication())`: username, time to expiry, login
   * source and the file. Never the password or the token.
   */
  toString(): string {
    const ms = this.#token.msLeft();
    const left = Number.isFinite(ms) ? formatDuration(ms) : "unknown";
    return [
      `Username: ${this.#token.user ?? this.username ?? "unknown"}`,
      `Token will expire in: ${left}`,
      `Login source: ${this.#token.source ?? "unknown"}`,
      `Path to configuration file: '${this.configurationFile ?? "(none)"}'`,
    ].join("\n");
  }

  /** Redacted form for Deno's inspector. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Authentication(${this.username ?? "token"})`;
  }

  /** Redacted form for Node's inspector. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Authentication(${this.username ?? "token"})`;
  }

  /** Redacted JSON form. */
  toJSON(): Record<string, unknown> {
    return {
      username: this.username,
      configurationFile: this.configurationFile,
      token: this.#token.toJSON(),
    };
  }
}

/** Python's timedelta rendering: `1 day, 2:39:44`. */
function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const d = days ? `${days} day${days === 1 ? "" : "s"}, ` : "";
  return `${sign}${d}${hh}:${String(mm).padStart(2, "0")}:${String(ss).padStart(2, "0")}`;
}
