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
