/**
 * The `icoscp` command line (Deno):
 *
 * ```sh
 * deno run -A jsr:@icoscp/icoscp/cli stations --theme AS
 * deno run -A jsr:@icoscp/icoscp/cli dobj 11676/IM7PJYcuhiBpHtvEVuLhVk2M data --out gat.parquet
 * ```
 *
 * Subcommands: `stations`, `station <id>`, `dobj <ref> meta|citation|data|download`,
 * `collections`, `collection <ref>`, `sparql <query|--file f>`,
 * `stilt find|ts|fp`, `login`, `serve-emulator`. `--portal` chooses ICOS
 * (default), `sites`, `cities` or an emulator URL; `--json` prints JSON for
 * scripts. A login is saved per portal and used by later commands. Exit
 * codes ({@linkcode EXIT}): 0 success, 1 internal error (a bug), 2 usage
 * (unknown command, bad option value, unreadable `--config`), 3 portal or
 * network error (HTTP, connection, timeout, a query the portal rejects, a
 * login refused or a licence not accepted), 4 bad data (decode or integrity).
 *
 * @example Running the command line in-process
 * ```ts
 * import { main } from "@icoscp/icoscp/cli";
 * import assert from "node:assert/strict";
 *
 * const out: string[] = [];
 * const code = await main(["--help"], { stdout: (s) => out.push(s) });
 * assert.equal(code, 0);
 * assert.match(out.join(""), /Usage: icoscp/);
 * ```
 *
 * @module
 */

import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkOptions, type OptionKeys } from "../_util/args.ts";
import { stripControls } from "../_util/redact.ts";
import type { AuthOption } from "../auth/auth.ts";
import { choice, enc, FLAGS, progress, UsageError } from "./_common.ts";
import { dobjCommand } from "./_dobj.ts";
import { commandHelp, usage, VERSION } from "./_help.ts";
import { loginCommand } from "./_login.ts";
import { mirrorCommand } from "./_mirror.ts";
import { searchCommand } from "./_search.ts";
import { stationsCommand } from "./_stations.ts";
import { stilt } from "./_stilt.ts";
import { CarbonPortal, type CarbonPortalOptions, type FetchFn } from "../client/client.ts";
import { emulatorEndpoints } from "../client/endpoints.ts";
import {
  AuthenticationError,
  CarbonPortalError,
  DecodeError,
  HttpError,
  IntegrityError,
  InvalidArgumentError,
  NetworkError,
  NotFoundError,
  SparqlError,
  TimeoutError,
  UnknownValueError,
} from "../errors.ts";
import { tableCsv, tableRows, tableText, type TimeKind } from "../export/_table_text.ts";
export type { FetchFn, PortalEndpoints } from "../client/client.ts";

/**
 * The exit codes of the command line.
 *
 * @example
 * ```ts
 * import { EXIT } from "@icoscp/icoscp/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(EXIT.usage, 2);
 * ```
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** An unexpected error: a bug, please report it. */
  internal: 1,
  /** A user mistake: unknown command or option, bad option value, unreadable `--config`, an id or file that does not exist. */
  usage: 2,
  /** HTTP error, connection lost, timeout, a query, login or licence the portal rejects. */
  portal: 3,
  /** Data that do not decode or do not match their hash. */
  data: 4,
} as const;

/** Where the command line writes; injectable for tests. */
export interface CliIo {
  /** Standard output. */
  stdout?: (text: string) => void;
  /** Standard error. */
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal (progress bars); default: ask Deno. */
  isTerminal?: boolean;
  /** Whether stdout is a terminal (aligned tables; CSV otherwise); default: ask Deno, false when `stdout` is given. */
  stdoutIsTerminal?: boolean;
  /** Reads a password without echo; default: the terminal in raw mode. */
  readPassword?: (prompt: string) => Promise<string>;
  /** The fetch to use (tests). */
  fetch?: FetchFn;
  /** Asks a yes/no question (`login` offering to fix a saved login's permissions); default: the terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** Reads all of standard input (`login --password-stdin`); default: Deno's stdin. */
  readStdin?: () => Promise<string>;
  /** Whether standard input is a terminal (password prompt); default: ask Deno. */
  stdinIsTerminal?: boolean;
  /** Folder that relative file names refer to; default: where the command was run. */
  cwd?: string;
  /** Home folder holding saved logins; default: the user's. */
  home?: string;
}

const CLI_IO_KEYS: OptionKeys<CliIo> = {
  stdout: true,
  stderr: true,
  isTerminal: true,
  stdoutIsTerminal: true,
  readPassword: true,
  confirm: true,
  fetch: true,
  readStdin: true,
  stdinIsTerminal: true,
  cwd: true,
  home: true,
};

/** Where the command line keeps the login of a portal. */
function savedLoginPath(home: string, portal: string | undefined, tokenName: string): string {
  const file = `${tokenName}_auth_conf.json`;
  if (!portal || !/^https?:\/\//.test(portal)) return join(home, ".icoscp", file);
  const u = new URL(portal);
  const where = `${u.hostname}_${u.port || (u.protocol === "https:" ? "443" : "80")}`
    .replace(/[^A-Za-z0-9._-]/g, "_");
  return join(home, ".icoscp", "portals", where, file);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function portalOption(p: string | undefined): CarbonPortalOptions["portal"] {
  if (!p || p === "icos") return "icos";
  if (p === "sites" || p === "cities") return p;
  if (/^https?:\/\//.test(p)) return emulatorEndpoints(p);
  throw new UsageError(`Unknown portal ${p}: use icos, sites, cities or an emulator URL`);
}

/**
 * Runs the command line.
 *
 * @param args The arguments (without the program name).
 * @param io Output functions, terminal flag, password reader and fetch (tests).
 * @returns The exit code.
 */
export async function main(args: string[], io: CliIo = {}): Promise<number> {
  io = checkOptions("main", io, CLI_IO_KEYS);
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
    throw new InvalidArgumentError("main", "args", args, "a list of command-line words");
  }
  // everything printed may carry server strings: no terminal control
  // sequences get through (only the progress bar's leading carriage return)
  const rawOut = io.stdout ?? ((s: string) => Deno.stdout.writeSync(enc.encode(s)));
  const rawErr = io.stderr ?? ((s: string) => Deno.stderr.writeSync(enc.encode(s)));
  const out = (s: string) => rawOut(stripControls(s));
  const err = (s: string) =>
    rawErr(s.startsWith("\r") ? `\r${stripControls(s.slice(1))}` : stripControls(s));
  const isTerminal = io.isTerminal ?? Deno.stderr.isTerminal();
  const cwd = io.cwd ?? Deno.cwd();
  const here = (file: string) => (isAbsolute(file) ? file : resolve(cwd, file));
  try {
    const { values: o, positionals: pos } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: FLAGS,
    });
    if (o.version) {
      out(`icoscp ${VERSION} (Deno ${Deno.version.deno})\n`);
      return 0;
    }
    if (o.help && pos.length > 0) {
      const page = commandHelp(pos);
      if (!page) throw new UsageError(`Unknown command ${pos[0]}`);
      out(page);
      return 0;
    }
    if (o.help || pos.length === 0) {
      out(usage());
      return o.help ? 0 : 2;
    }
    const [cmd, ...rest] = pos[0] === "download" // `download <ref>` is `dobj <ref> download`
      ? ["dobj", pos[1], "download", ...pos.slice(2)]
      : pos;
    const portal = portalOption(o.portal);
    const tokenName = new CarbonPortal({ portal, fetch: io.fetch }).endpoints.tokenName;
    const sys = Deno.permissions.querySync({ name: "sys", kind: "homedir" }).state;
    const home = () => {
      if (io.home) return io.home;
      if (sys !== "granted") {
        throw new UsageError("saving a login needs --allow-sys=homedir (or give --config)");
      }
      return homedir();
    };
    const config = o.config
      ? here(o.config)
      : cmd === "login"
      ? savedLoginPath(home(), o.portal, tokenName)
      : undefined;
    let auth: AuthOption | undefined;
    if (config && cmd !== "login") {
      try {
        JSON.parse(await Deno.readTextFile(config));
      } catch (e) {
        throw new UsageError(
          `--config ${o.config}: ${e instanceof SyntaxError ? "not JSON" : "cannot be read"}`,
        );
      }
      auth = { configFile: config };
    } else if (!config && cmd !== "serve-emulator" && (io.home || sys === "granted")) {
      const saved = savedLoginPath(home(), o.portal, tokenName);
      if (await exists(saved)) auth = { configFile: saved };
    }
    const cp = new CarbonPortal({ portal, fetch: io.fetch, auth });
    const json = (v: unknown) => out(JSON.stringify(v, null, 2) + "\n");
    // tables: aligned columns on a terminal, CSV when piped or redirected
    const stdoutTerminal = io.stdoutIsTerminal ?? (io.stdout ? false : Deno.stdout.isTerminal());
    const shown = (t: Parameters<typeof tableCsv>[0], times: Record<string, TimeKind> = {}) =>
      stdoutTerminal ? tableText(t, times) : tableCsv(t, times);
    const bar = (label: string) => progress({ stderr: err, isTerminal }, label);

    switch (cmd) {
      case "stations":
      case "station":
        return await stationsCommand(cmd, cp, rest, o, { out, json, shown });
      case "dobj":
        return await dobjCommand(cp, rest, o, { out, err, json, bar, here, shown, isTerminal });
      case "search":
        return await searchCommand(cp, o, { out, err, bar, here, stdoutTerminal });
      case "mirror":
        return await mirrorCommand(cp, o, { err, here, isTerminal });
      case "collections": {
        const t = await cp.collection.getIdList();
        if (o.json) json(tableRows(t));
        else out(shown(t.select("collection", "doi", "title", "count")));
        return 0;
      }
      case "collection": {
        if (!rest[0]) throw new UsageError("collection needs a URI, id or DOI");
        const c = await cp.collection.get(rest[0]);
        if (o.json) json({ ...c.info() as Record<string, unknown>, members: c.datalink });
        else out(`${c.title}\n${c.doi ?? ""}\n${c.citation ?? ""}\n${c.datalink.join("\n")}\n`);
        return 0;
      }
      case "sparql": {
        const query = o.file ? await Deno.readTextFile(here(o.file)) : rest.join(" ");
        if (!query.trim()) throw new UsageError("sparql needs a query or --file");
        const format = o.json
          ? "json"
          : choice("format", o.format, ["json", "csv", "tsv", "html"]) ?? "csv";
        const r = await cp.sparql.select(query);
        const text = format === "json"
          ? r.toJson() + "\n"
          : format === "tsv"
          ? r.toTsv()
          : format === "html"
          ? r.toHtml() + "\n"
          : format === "csv"
          ? r.toCsv()
          : (() => {
            throw new UsageError(`Unknown format ${format} (json, csv, tsv, html)`);
          })();
        out(text);
        return 0;
      }
      case "stilt":
        return await stilt(cp, rest, o, { out, err, json, bar, here, shown });
      case "login":
        return await loginCommand(cp, o, io, config!, { out, json });
      case "serve-emulator":
        // the emulator is its own package (@icoscp/emulator): the library never imports it
        throw new UsageError(
          "The emulator is its own package: run `deno run -A jsr:@icoscp/emulator/main --port N` " +
            "(in a clone: `deno task emulator --port N`)",
        );
      default:
        throw new UsageError(`Unknown command ${cmd}`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError &&
        (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
    ) {
      err(`icoscp: ${e.message}\nRun icoscp --help for usage.\n`);
      return EXIT.usage;
    }
    err(`icoscp: ${errorText(e, args)}\n`);
    return exitCode(e);
  }
}

/**
 * What to tell a person about an error: a 401 says how to log in, an
 * unknown object or station is "not found" (the metadata service answers
 * with a 500 and a Java message, which is not for people).
 */
function errorText(e: unknown, args: string[]): string {
  if (e instanceof AuthenticationError && e.status === 401) {
    const i = args.indexOf("--portal");
    const portal = i >= 0 && args[i + 1] ? ` --portal ${args[i + 1]}` : "";
    return `this needs a login: run icoscp${portal} login (HTTP 401 at ${e.url})`;
  }
  if (e instanceof NotFoundError) {
    const m = /\/(objects|stations|collections)\/([^/?#]+)$/.exec(e.url);
    const what = m
      ? `${
        { objects: "data object", stations: "station", collections: "collection" }[
          m[1] as "objects"
        ]
      } ${decodeURIComponent(m[2])}`
      : e.url;
    return `not found: ${what} (HTTP ${e.status} at ${e.url})`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The exit code of an error (see {@linkcode EXIT}). */
function exitCode(e: unknown): number {
  if (e instanceof UnknownValueError || e instanceof InvalidArgumentError) return EXIT.usage;
  // an id, station or file the user named that does not exist is their mistake
  if (e instanceof NotFoundError) return EXIT.usage;
  if (
    e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied ||
    e instanceof Deno.errors.IsADirectory || e instanceof Deno.errors.NotADirectory ||
    e instanceof Deno.errors.AlreadyExists ||
    ["ENOENT", "EACCES", "EISDIR", "ENOTDIR", "EEXIST"].includes(
      (e as { code?: string } | null)?.code ?? "",
    )
  ) return EXIT.usage;
  if (
    e instanceof HttpError || e instanceof NetworkError || e instanceof TimeoutError ||
    e instanceof SparqlError
  ) return EXIT.portal;
  if (e instanceof DecodeError || e instanceof IntegrityError) return EXIT.data;
  if (e instanceof CarbonPortalError) return EXIT.portal;
  return EXIT.internal;
}

/**
 * Where the command was run. `deno task cli` runs in the folder of the
 * clone's deno.json and says where it was started in INIT_CWD; an installed
 * command runs where it was started, and an INIT_CWD it inherited from some
 * outer `deno task` must not redirect its files.
 */
function invocationFolder(): string {
  const cwd = Deno.cwd();
  const clone = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
  if (cwd !== clone) return cwd;
  const env = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
  return (env.state === "granted" ? Deno.env.get("INIT_CWD") : undefined) ?? cwd;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args, { cwd: invocationFolder() }));
}
