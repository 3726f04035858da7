// Private, file-system only (Deno, Node): the Python client's credentials
// file (portal-protocol §6). Loaded lazily by configFileAuth so that browser
// bundles never pull in node: modules.

import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import {
  type AuthProvider,
  type AuthToken,
  login,
  parseAuthToken,
  REFRESH_MARGIN_MS,
} from "./auth.ts";
import { CarbonPortalError } from "./errors.ts";

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

/** Where the Python client keeps the credentials of a portal with this token name. */
export function defaultConfigPath(tokenName: string): string {
  return join(homedir(), ".icoscp", `${tokenName}_auth_conf.json`);
}

interface ConfigFile {
  user_id: string;
  password: string;
  cookie_value?: string;
}

/** Writes a credentials file (mode 0600) in the Python client's format. */
export async function writeConfigFile(
  path: string,
  content: { user: string; password: string; cookie?: string },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const json: ConfigFile = { user_id: content.user, password: obfuscate(content.password) };
  if (content.cookie) json.cookie_value = `${content.cookie};`;
  await writeFile(path, JSON.stringify(json, null, 2), { mode: 0o600 });
  await chmod(path, 0o600);
}

export function fileProvider(pathOption: string | true): AuthProvider {
  let current: AuthToken | undefined;
  let rejected = false;
  return {
    async getToken(cp, signal) {
      if (current && current.msLeft() > REFRESH_MARGIN_MS) return current;
      const path = pathOption === true ? defaultConfigPath(cp.endpoints.tokenName) : pathOption;
      let conf: ConfigFile;
      try {
        conf = JSON.parse(await readFile(path, "utf8"));
      } catch (cause) {
        throw new CarbonPortalError(`Cannot read the credentials file ${path}`, { cause });
      }
      if (typeof conf?.user_id !== "string" || typeof conf?.password !== "string") {
        throw new CarbonPortalError(`Credentials file ${path} lacks user_id or password`);
      }
      if (conf.cookie_value && !rejected) {
        const cached = parseAuthToken(conf.cookie_value, cp.endpoints.tokenName);
        if (cached.msLeft() > REFRESH_MARGIN_MS) return (current = cached);
      }
      const password = deobfuscate(conf.password);
      current = await login(cp, conf.user_id, password, signal);
      await writeConfigFile(path, { user: conf.user_id, password, cookie: current.cookie });
      return current;
    },
    invalidate() {
      current = undefined;
      rejected = true;
    },
  };
}
