// Test helpers for the command line: run it in-process, capture its output;
// drive it in a real terminal (tmux).

import { main } from "../src/cli/cli.ts";

/** Runs the command line in-process with captured output (not a terminal). */
export async function runCli(
  args: string[],
  extra: Parameters<typeof main>[1] = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTerminal: false,
    ...extra,
  });
  return { code, stdout, stderr };
}

/** Runs tmux with these arguments; resolves with its standard output. */
export async function tmux(args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args, stdout: "piped", stderr: "piped" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Polls a tmux session's screen (and scrollback) until it matches. */
export async function screenUntil(session: string, pattern: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let text = "";
  while (Date.now() < end) {
    text = await tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", session]);
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${pattern} on the screen:\n${text}`);
}

/**
 * The variables a cleared environment (`clearEnv: true`) must keep so that Deno can still reach the
 * npm registry where this machine reaches it only through a proxy or with an extra CA certificate
 * (Deno reads `NODE_EXTRA_CA_CERTS`, `DENO_CERT`, `DENO_TLS_CA_STORE` and the proxy variables). None
 * of them is a user's setting the tests mean to clear.
 */
export function networkEnv(): Record<string, string> {
  const keys = [
    "NODE_EXTRA_CA_CERTS",
    "DENO_CERT",
    "DENO_TLS_CA_STORE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
  ];
  for (const p of ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"]) {
    keys.push(p, p.toLowerCase());
  }
  return Object.fromEntries(keys.flatMap((k) => {
    const v = Deno.env.get(k);
    return v === undefined ? [] : [[k, v]];
  }));
}
