// Private, file-system only (Deno, Node): the Python clients' credentials
// files (docs/protocol.md §6). Loaded lazily by configFileAuth and
// Authentication so that browser bundles never pull in node: modules.
//
// Two formats exist:
// - icoscp_core (`~/.icoscp/<token name>_auth_conf.json`):
//   `{"user_id", "password" (bytes bit-inverted, hex), "cookie_value"?}`;
// - icoscp's Authentication class (`~/icoscp/.icos_carbon_portal`):
//   `{"username"?, "password"? (base64 or plain), "token"?}`, any subset with
//   a token or a username and password.
// Files are read only when no one else may read or write them (as ssh does
// with private keys) and written atomically: a temporary file created with
// mode 0600 next to the target, then renamed over it (a symlink at the
// target is replaced, never followed).

import { decodeBase64 } from "../_util/base64.ts";
import { lstat, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  type AuthProvider,
  type AuthToken,
  login,
  parseAuthToken,
  REFRESH_MARGIN_MS,
} from "./auth.ts";
import { CarbonPortalError } from "../errors.ts";

/** The Python client's password obfuscation: UTF-8 bytes bit-inverted, hex. */
export function obfuscate(password: string): string {
  return Array.from(
    new TextEncoder().encode(password),
    (b) => (~b & 0xff).toString(16).padStart(2, "0"),
  )
    .join("");
}

/** Inverse of {@linkcode obfuscate}. */
export function deobfuscate(hex: string): string {
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => ~parseInt(h, 16) & 0xff);
  return new TextDecoder().decode(bytes);
}

/** Where icoscp_core keeps the credentials of a portal with this token name. */
export function defaultConfigPath(tokenName: string, home: string): string {
  return join(home, ".icoscp", `${tokenName}_auth_conf.json`);
}

/** Where icoscp's `Authentication` class keeps its credentials. */
export function icoscpConfigPath(home: string): string {
  return join(home, "icoscp", ".icos_carbon_portal");
}

/** The two file formats. */
export type CredentialsFormat = "icoscp" | "icoscp_core";

/** What a credentials file holds, decoded. */
export interface Credentials {
  username?: string;
  password?: string;
  /** The cookie, `cpauthToken=…` (with or without `;`). */
  token?: string;
}

/** A base64 password decodes as UTF-8 (icoscp's files); anything else is the plain password. */
export function decodePassword(value: string): string {
  if (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value) && value) {
    try {
      const bytes = decodeBase64(value);
      if (bytes) return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      // not UTF-8: a plain password that happens to look like base64
    }
  }
  return value;
}

/** icoscp's base64 password encoding. */
export function encodePassword(password: string): string {
  const bytes = new TextEncoder().encode(password);
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
}

const isWindows =
  (globalThis as { Deno?: { build: { os: string } } }).Deno?.build.os === "windows" ||
  (globalThis as { process?: { platform?: string } }).process?.platform === "win32";

/**
 * Reads and decodes a credentials file of either format.
 *
 * @throws {CarbonPortalError} When it cannot be read, is readable or
 *   writable by others (POSIX), is not JSON, or holds neither a token nor a
 *   username with a password.
 */
export async function readCredentials(
  path: string,
): Promise<{ format: CredentialsFormat; credentials: Credentials }> {
  let text: string;
  try {
    const info = await stat(path);
    if (!isWindows && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
      throw new CarbonPortalError(
        `Permissions ${mode} of the credentials file ${path} are too open: others may read or ` +
          `change it. It is ignored; make it private with: chmod 600 '${path}' ` +
          "(or run icoscp login, which offers to)",
      );
    }
    text = await readFile(path, "utf8");
  } catch (cause) {
    if (cause instanceof CarbonPortalError) throw cause;
    if ((cause as { code?: string })?.code === "ENOENT") {
      throw new CarbonPortalError(
        `Cannot read the credentials file ${path}: there is none yet. Log in once with a ` +
          "username and password (Authentication.create(cp, { username, password, home }) " +
          "or icoscp login), or give a token",
        { cause },
      );
    }
    throw new CarbonPortalError(`Cannot read the credentials file ${path}`, { cause });
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CarbonPortalError(`The credentials file ${path} is not JSON`, { cause });
  }
  const str = (k: string) => {
    const v = json?.[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  if (json && typeof json === "object" && "user_id" in json) {
    const username = str("user_id");
    const password = str("password");
    if (!username || password === undefined) {
      throw new CarbonPortalError(`Credentials file ${path} lacks user_id or password`);
    }
    return {
      format: "icoscp_core",
      credentials: { username, password: deobfuscate(password), token: str("cookie_value") },
    };
  }
  const username = str("username");
  const password = str("password");
  const token = str("token");
  if (!token && !(username && password)) {
    throw new CarbonPortalError(
      `Credentials file ${path} holds neither a token nor a username with a password ` +
        `(formats: {"username", "password"}, {"username", "password", "token"}, {"token"})`,
    );
  }
  return {
    format: "icoscp",
    credentials: {
      username,
      password: password === undefined ? undefined : decodePassword(password),
      token,
    },
  };
}

/**
 * The permission bits of a credentials file when others may read or change
 * it (POSIX), else undefined (private, missing, or Windows).
 */
export async function openPermissions(path: string): Promise<number | undefined> {
  if (isWindows) return undefined;
  try {
    const mode = (await stat(path)).mode & 0o777;
    return (mode & 0o077) !== 0 ? mode : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a file atomically with mode 0600: a new temporary file next to it
 * (never an existing one, never through a symlink), then renamed over it.
 */
async function writePrivate(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const rand = crypto.getRandomValues(new Uint32Array(2)).join("");
  const tmp = join(dir, `.${basename(path)}.${rand}.tmp`);
  const fh = await open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(text);
    await fh.chmod(0o600); // the umask may have narrowed, never widened, the mode
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Writes credentials in a format, mode 0600, atomically. */
export async function writeCredentials(
  path: string,
  format: CredentialsFormat,
  c: Credentials,
): Promise<void> {
  let json: Record<string, unknown>;
  if (format === "icoscp_core") {
    if (!c.username || c.password === undefined) {
      throw new CarbonPortalError("icoscp_core's credentials file needs a username and password");
    }
    json = { user_id: c.username, password: obfuscate(c.password) };
    if (c.token) json.cookie_value = c.token.endsWith(";") ? c.token : `${c.token};`;
  } else {
    json = {
      username: c.username ?? null,
      password: c.password === undefined ? null : encodePassword(c.password),
      token: c.token ? (c.token.endsWith(";") ? c.token : `${c.token};`) : null,
    };
  }
  try {
    await writePrivate(path, JSON.stringify(json, null, 2));
  } catch (cause) {
    throw new CarbonPortalError(`Cannot write the credentials file ${path}`, { cause });
  }
}

/** Writes a credentials file (mode 0600) in icoscp_core's format. */
export async function writeConfigFile(
  path: string,
  content: { user: string; password: string; cookie?: string },
): Promise<void> {
  await writeCredentials(path, "icoscp_core", {
    username: content.user,
    password: content.password,
    token: content.cookie,
  });
}

/** Whether a path exists (without following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The default file under `home`: icoscp_core's if it exists, else icoscp's if it exists. */
export async function findDefaultFile(tokenName: string, home: string): Promise<string> {
  const core = defaultConfigPath(tokenName, home);
  if (await exists(core)) return core;
  const legacy = icoscpConfigPath(home);
  if (await exists(legacy)) return legacy;
  throw new CarbonPortalError(
    `No credentials file at ${core} (icoscp_core) or ${legacy} (icoscp): log in once ` +
      `(icoscp login, or Authentication.create(cp, { username, password, home }))`,
  );
}

export function fileProvider(pathOption: string | true, home?: string): AuthProvider {
  let current: AuthToken | undefined;
  let rejected = false;
  return {
    async getToken(cp, signal) {
      if (current && current.msLeft() > REFRESH_MARGIN_MS) return current;
      let path: string;
      if (pathOption === true) {
        if (home === undefined) {
          throw new CarbonPortalError(
            "configFile: true needs the home folder: { configFile: true, home }",
          );
        }
        path = await findDefaultFile(cp.endpoints.tokenName, home);
      } else path = pathOption;
      const { format, credentials: c } = await readCredentials(path);
      const canLogin = c.username !== undefined && c.password !== undefined;
      if (c.token && !rejected) {
        const cached = parseAuthToken(c.token, cp.endpoints.tokenName);
        // without a password, a token is used to its last minutes
        if (cached.msLeft() > (canLogin ? REFRESH_MARGIN_MS : 10_000)) return (current = cached);
      }
      if (!canLogin) {
        const cached = parseAuthToken(c.token!, cp.endpoints.tokenName);
        throw new CarbonPortalError(
          `The token in ${path} ${
            rejected ? "was rejected" : `expires at ${cached.expiry?.toISOString()}`
          } and the file has no username and password to log in again: put a new token there`,
        );
      }
      current = await login(cp, { user: c.username!, password: c.password!, signal });
      await writeCredentials(path, format, { ...c, token: current.cookie });
      return current;
    },
    invalidate() {
      current = undefined;
      rejected = true;
    },
  };
}
