// Private: `icoscp login`: a password from the terminal or standard input,
// the login saved for later commands.

import { login as portalLogin } from "../auth/auth.ts";
import { enc, type Flags, type Out, UsageError } from "./_common.ts";
import type { CliIo } from "./cli.ts";
import type { CarbonPortal } from "../client/client.ts";

export async function defaultReadStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

export async function terminalPassword(prompt: string): Promise<string> {
  Deno.stderr.writeSync(enc.encode(prompt));
  Deno.stdin.setRaw(true);
  const buf = new Uint8Array(1);
  let pw = "";
  try {
    while (true) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      const c = buf[0];
      if (c === 13 || c === 10) break;
      if (c === 3) throw new UsageError("Cancelled");
      if (c === 127 || c === 8) pw = pw.slice(0, -1);
      else pw += String.fromCharCode(c);
    }
  } finally {
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(enc.encode("\n"));
  }
  return new TextDecoder().decode(Uint8Array.from(pw, (c) => c.charCodeAt(0)));
}

/** Runs `icoscp login`, saving the login in `config`. */
export async function loginCommand(
  cp: CarbonPortal,
  o: Flags,
  io: CliIo,
  config: string,
  { out, json }: Pick<Out, "out" | "json">,
): Promise<number> {
  const stdinTerminal = io.stdinIsTerminal ?? Deno.stdin.isTerminal();
  const interactive = !o["password-stdin"] &&
    (io.readPassword !== undefined || stdinTerminal);
  const fixed = await fixPermissions(cp, o, io, config, interactive, { out, json });
  if (fixed !== undefined) return fixed;
  if (!o["password-stdin"] && !interactive) {
    throw new UsageError(
      "standard input is not a terminal: pass the password with --password-stdin",
    );
  }
  const user = o.user ??
    (interactive && !io.readPassword ? prompt("E-mail:") ?? undefined : undefined);
  if (!user) throw new UsageError("login needs --user");
  const password = o["password-stdin"]
    ? (await (io.readStdin ?? defaultReadStdin)()).replace(/\r?\n$/, "")
    : await (io.readPassword ?? terminalPassword)(`Password for ${user}: `);
  if (!password) throw new UsageError("login: empty password");
  const token = await portalLogin(cp, { user, password });
  const { writeConfigFile } = await import("../auth/_auth_file.ts");
  const path = config!;
  await writeConfigFile(path, { user, password, cookie: token.cookie });
  if (o.json) json({ user: token.user ?? user, expiry: token.expiry, path });
  else {out(
      `Logged in as ${token.user ?? user} until ${
        token.expiry?.toISOString() ?? "?"
      }; credentials saved to ${path}\n`,
    );}
  return 0;
}

/**
 * A saved login others may read (icoscp_core writes its file with mode
 * 0644): offers to make it private (chmod 600) and use it — a question on a
 * terminal, `--fix-permissions` otherwise. Resolves with the exit code when
 * it logged in with the saved account, undefined to go on with a password
 * login (which replaces the file with a private one).
 */
async function fixPermissions(
  cp: CarbonPortal,
  o: Flags,
  io: CliIo,
  path: string,
  interactive: boolean,
  { out, json }: Pick<Out, "out" | "json">,
): Promise<number | undefined> {
  const { openPermissions, readCredentials, writeConfigFile } = await import(
    "../auth/_auth_file.ts"
  );
  const mode = await openPermissions(path);
  if (mode === undefined) return undefined;
  const shown = mode.toString(8).padStart(4, "0");
  const question = `The saved login ${path} has permissions ${shown}: others may read or ` +
    "change it, so it is refused. Make it private (chmod 600) and log in with it?";
  const fix = o["fix-permissions"] === true ||
    (interactive && !o.user && await (io.confirm ?? terminalConfirm)(question));
  if (!fix) {
    if (!interactive && !o["password-stdin"]) {
      throw new UsageError(
        `the saved login ${path} has permissions ${shown} and is refused: pass ` +
          "--fix-permissions to make it private (chmod 600) and log in with it, or log in anew " +
          "with --user and --password-stdin (which replaces it)",
      );
    }
    return undefined;
  }
  await Deno.chmod(path, 0o600);
  if (o.user || o["password-stdin"]) return undefined; // a new login replaces the file
  const { credentials: c } = await readCredentials(path);
  if (!c.username || c.password === undefined) return undefined;
  const token = await portalLogin(cp, { user: c.username, password: c.password });
  await writeConfigFile(path, { user: c.username, password: c.password, cookie: token.cookie });
  if (o.json) json({ user: token.user ?? c.username, expiry: token.expiry, path, fixed: true });
  else {
    out(
      `Made ${path} private (0600); logged in as ${token.user ?? c.username} until ${
        token.expiry?.toISOString() ?? "?"
      }\n`,
    );
  }
  return 0;
}

/** Asks a yes/no question on the terminal (yes by default). */
function terminalConfirm(question: string): Promise<boolean> {
  const answer = prompt(`${question} [Y/n]`);
  return Promise.resolve(answer === null ? false : !/^\s*n/i.test(answer));
}
