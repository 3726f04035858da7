/**
 * Command line of the emulator (`deno task emulator`): runs a local Carbon
 * Portal in the foreground until SIGINT or SIGTERM. Its first line of
 * standard output is one JSON object with `url`, `endpoints` and the login
 * (`user`, `password`) of the built-in user who has accepted the data
 * licence.
 *
 * Options: `--port N` (default: any free port), `--hostname H` (default
 * 127.0.0.1), `--seed N` (default 42), `--objects N` (a generated catalogue of about N
 * objects), `--latency MS` (added before every answer), `--benchmark-rows N[,N…]`, `--help`.
 *
 * @module
 */

import { startEmulator } from "./mod.ts";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} expects a non-negative integer, not ${text}`);
    Deno.exit(2);
  }
  return n;
}

const HELP =
  `Usage: deno task emulator [--port N] [--hostname H] [--seed N] [--objects N] [--latency MS] [--benchmark-rows N[,N…]]

Runs a local ICOS Carbon Portal (metadata, SPARQL, data, STILT, login) until Ctrl-C.
The first line printed is JSON: {"url", "endpoints", "user", "password"}.

  --port N             port to listen on (default: any free port)
  --hostname H         address to listen on (default 127.0.0.1)
  --seed N             seed of the synthetic dataset (default 42)
  --objects N          generate a catalogue of about N objects (hundreds of stations)
  --latency MS         wait MS milliseconds before every answer (a network's round trip)
  --benchmark-rows N   add benchmark data objects of N rows (comma-separated list)
  -h, --help           this text

Connect from a script:
  new CarbonPortal({ portal: emulatorEndpoints("http://127.0.0.1:PORT") })
or from the command line:
  icoscp --portal http://127.0.0.1:PORT stations
`;

const KNOWN = new Set([
  "--port",
  "--hostname",
  "--seed",
  "--objects",
  "--latency",
  "--benchmark-rows",
]);

if (import.meta.main) {
  const args = Deno.args;
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    Deno.exit(0);
  }
  for (let i = 0; i < args.length; i++) {
    const name = args[i].split("=")[0];
    if (!KNOWN.has(name)) {
      console.error(`Unknown option ${args[i]}\n\n${HELP}`);
      Deno.exit(2);
    }
    if (!args[i].includes("=")) i++;
  }
  const port = integer("--port", option(args, "--port"));
  let emulator;
  try {
    emulator = await startEmulator({
      port,
      hostname: option(args, "--hostname"),
      seed: integer("--seed", option(args, "--seed")),
      objects: integer("--objects", option(args, "--objects")),
      latency: integer("--latency", option(args, "--latency")),
      benchmarkRows: option(args, "--benchmark-rows")?.split(",").map((n) =>
        integer("--benchmark-rows", n)!
      ),
    });
  } catch (e) {
    if (!(e instanceof Deno.errors.AddrInUse)) throw e;
    console.error(
      `Port ${port} is in use: pick another with --port N (or --port 0 for any free one)`,
    );
    Deno.exit(2);
  }
  console.log(JSON.stringify({
    url: emulator.url,
    endpoints: emulator.endpoints,
    user: emulator.user,
    password: emulator.password,
  }));
  // one line for people; scripts read the JSON line on stdout
  console.error(
    `ICOS Carbon Portal emulator at ${emulator.url} (user ${emulator.user}, password ${emulator.password}); Ctrl-C stops it`,
  );
  const stop = async () => {
    await emulator.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
