/**
 * A faithful local ICOS Carbon Portal on loopback, for tests, demos and
 * users' CI: SPARQL on a real triple store (Oxigraph) with the portal's
 * ontology, landing-page JSON, the data service (`/cpb`, `/csv`, original
 * downloads with licence checks and `Range`), cpauth login with tokens in
 * the real format, the STILT viewer endpoints, CORS, and fault injection.
 * Its dataset is synthetic and deterministic (see {@linkcode buildDataset}).
 *
 * Every service lives under one origin with its own path prefix:
 * `<url>/meta` (SPARQL at `<url>/meta/sparql`, landing pages at
 * `<url>/meta/objects/<id>`), `<url>/data`, `<url>/auth` and
 * `<url>/stilt/viewer`. `endpoints` plugs straight into the client.
 *
 * @example Listing stations over SPARQL
 * ```ts
 * import { startEmulator } from "@icoscp/emulator";
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const cp = new CarbonPortal({ portal: emu.endpoints });
 * const res = await cp.request(cp.endpoints.sparql, {
 *   method: "POST",
 *   body: "select ?id where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasStationId> ?id } order by ?id",
 *   headers: { accept: "application/json" },
 * });
 * const ids = (await res.json()).results.bindings.map((b: { id: { value: string } }) => b.id.value);
 * assert.deepEqual(ids, ["1199", "GAT", "HTM", "NOR", "SE-Htm", "ZSF"]);
 * ```
 *
 * @module
 */

import type { PortalEndpoints } from "@icoscp/icoscp";
import { AuthService, type User } from "./_auth.ts";
import { DataService } from "./_data_service.ts";
import { idOfHash, sha256 } from "./_hash.ts";
import { Landing } from "./_landing.ts";
import { datasetRdf } from "./_rdf.ts";
import { handler } from "./_server.ts";
import { SparqlStore } from "./_sparql.ts";
import type { RdfText } from "./_rdf_load.ts";
import { ObjectIndex } from "./_object_index.ts";
import { CoreQueries } from "./_core_queries.ts";
import { QuotaManager, type SparqlQuota } from "./_sparql_quota.ts";
import { createStiltService } from "./stilt/service.ts";
import { buildDataset, type Dataset } from "./dataset.ts";
import { emulatorEndpoints } from "@icoscp/icoscp";
import { type FaultRule, Faults } from "./faults.ts";

export { buildDataset } from "./dataset.ts";
export { emulatorEndpoints } from "@icoscp/icoscp";
export type {
  Dataset,
  DatasetCollection,
  DatasetColumn,
  DatasetColumnValues,
  DatasetObject,
  DatasetOptions,
  StationFact,
} from "./dataset.ts";
export { type FaultPlan, type FaultRule, Faults } from "./faults.ts";
export type { SparqlQuota } from "./_sparql_quota.ts";
export type { PortalEndpoints } from "@icoscp/icoscp";
export type { CpbType } from "@icoscp/icoscp/codecs";

/** Extra RDF to load into the emulator's store, into one named graph. */
export interface RdfSource {
  /** The named graph, e.g. `http://meta.icos-cp.eu/resources/icos/`. */
  readonly graph: string;
  /** The RDF text. */
  readonly data: string;
  /** Its syntax. */
  readonly format: "application/rdf+xml" | "text/turtle";
}

/** Options of {@linkcode startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  hostname?: string;
  /** Seed of the synthetic dataset. Default 42. */
  seed?: number;
  /**
   * Generate a large catalogue of about this many objects (see
   * {@linkcode DatasetOptions.objects}); default: the small dataset alone.
   * As on the portal, the data-object queries of a search (pages, facets,
   * listings) are answered from an in-memory index, not the triple store;
   * from 2000 objects on, the triple store is filled in the background after
   * the start (50 000 objects start in seconds; a query the index cannot
   * answer waits for the store).
   */
  objects?: number;
  /** Row counts of extra benchmark-sized objects, e.g. `[1e6, 1e7]` (slow to start: ~1 s per 10^6 rows). */
  benchmarkRows?: readonly number[];
  /** Add a level-3 flux NetCDF of about 47 MB (see {@linkcode DatasetOptions.level3}). Default false. */
  level3?: boolean;
  /** Fault rules active from the start; change them later through `emulator.faults`. */
  faults?: readonly FaultRule[];
  /**
   * Milliseconds added before every answer, as a network round trip would
   * (a fault rule on every path). Default 0.
   */
  latency?: number;
  /** Extra RDF loaded into the SPARQL store (e.g. the portal's real RDF exports). */
  rdf?: readonly RdfSource[];
  /** Whether the built-in dataset's metadata goes into the SPARQL store. Default true. */
  builtinMetadata?: boolean;
  /** Lifetime of issued auth tokens, in ms. Default 100 000 s, as the portal. */
  tokenLifetime?: number;
  /** Minimum duration of a failed login, in ms. Default 500, as the portal. */
  failedLoginDelay?: number;
  /** The clock used for token expiry (ms since epoch). Default `Date.now`. */
  now?: () => number;
  /**
   * Longest run of one SPARQL query, in ms; a longer one is stopped and
   * answered `400 SPARQL execution timeout`, as the portal does after its
   * `maxQueryRuntimeSec`. Queries run in a worker, so other requests are
   * served meanwhile. Default 9000, as the portal.
   */
  sparqlTimeout?: number;
  /**
   * The SPARQL quota per client (the `X-Forwarded-For` address, else the
   * loopback peer): seconds of query time per minute (default 20) and per
   * hour (default 300), queries at once (default 5; more wait in a queue of
   * 100, and one more bans the client for 10 minutes), as the portal; over a
   * limit or banned, 503 with the portal's message. Measured with `now`.
   */
  sparqlQuota?: SparqlQuota;
  /** Portal-use events kept in `emulator.portalUse` (the oldest are dropped). Default 1000. */
  portalUseLimit?: number;
}

/** A built-in user of the emulator. */
export interface EmulatorUser {
  /** Login e-mail. */
  readonly email: string;
  /** Password. */
  readonly password: string;
  /** Whether the user has accepted the data licence in their profile. */
  readonly licenceAccepted: boolean;
}

/** A running emulator. Close it with `close()` or `await using`. */
export interface Emulator extends AsyncDisposable {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The endpoints, for `new CarbonPortal({ portal: emulator.endpoints })`. */
  readonly endpoints: PortalEndpoints;
  /** E-mail of the built-in user who has accepted the data licence. */
  readonly user: string;
  /** That user's password. */
  readonly password: string;
  /** Both built-in users: the first accepted the licence, the second did not. */
  readonly users: readonly EmulatorUser[];
  /** The generated dataset (ids, values) the emulator serves. */
  readonly dataset: Dataset;
  /** Fault rules, changeable at runtime. */
  readonly faults: Faults;
  /** Portal-use events posted to `/auth/logs/portaluse`. */
  readonly portalUse: readonly unknown[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Work to do once the server has had no request for a second (then once only). */
class IdleWork {
  #work: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  run(work: () => void): void {
    this.#work = work;
    this.request();
  }

  /** Requests being answered. */
  busy = 0;

  /** A request came (or ended): the work waits another second. */
  request(): void {
    if (!this.#work) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.busy > 0) return this.request();
      const w = this.#work;
      this.#work = undefined;
      w?.();
    }, 1000);
  }

  cancel(): void {
    this.#work = undefined;
    clearTimeout(this.#timer);
  }
}

/** The handler, keeping `idle` waiting while requests come and are answered. */
function withIdle(
  h: (req: Request) => Promise<Response>,
  idle: IdleWork,
): (req: Request) => Promise<Response> {
  return async (req) => {
    idle.busy++;
    idle.request();
    try {
      return await h(req);
    } finally {
      idle.busy--;
    }
  };
}

/** Catalogues from this many objects are loaded into the store after the start. */
const LARGE = 2000;

const USERS: readonly User[] = [
  { email: "alice@emulator.icos-cp.test", password: "alice-licence-ok", licenceAccepted: true },
  { email: "bob@emulator.icos-cp.test", password: "bob-no-licence", licenceAccepted: false },
];

/**
 * Starts the emulator on loopback and resolves once it listens.
 *
 * @param options Port, hostname, dataset seed and size, faults, extra RDF, token lifetime.
 * @returns The running emulator.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 * @throws {RangeError} When an option is out of range.
 *
 * @example Logging in and checking the cookie
 * ```ts
 * import { startEmulator } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * await using emu = await startEmulator();
 * const res = await fetch(`${emu.endpoints.auth}/password/login`, {
 *   method: "POST",
 *   body: new URLSearchParams({ mail: emu.user, password: emu.password }),
 * });
 * assert.equal(await res.text(), "OK");
 * assert.match(res.headers.get("set-cookie") ?? "", /^cpauthToken=WzE/);
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Bad port ${port}`);
  const hostname = options.hostname ?? "127.0.0.1";
  const dataset = await buildDataset({
    seed: options.seed,
    benchmarkRows: options.benchmarkRows,
    level3: options.level3,
    objects: options.objects,
  });
  const latency = options.latency ?? 0;
  if (!(Number.isFinite(latency) && latency >= 0)) {
    throw new RangeError(`latency must be a number of milliseconds >= 0, not ${latency}`);
  }
  const faults = new Faults([...(latency > 0 ? [{ latency }] : []), ...(options.faults ?? [])]);
  const auth = await AuthService.create({
    users: USERS,
    tokenName: "cpauthToken",
    lifetime: options.tokenLifetime ?? 100_000_000,
    failedLoginDelay: options.failedLoginDelay ?? 500,
    now: options.now ?? Date.now,
    portalUseLimit: options.portalUseLimit ?? 1000,
  });
  const sparqlTimeout = options.sparqlTimeout ?? 9_000;
  if (!(sparqlTimeout > 0)) throw new RangeError(`Bad sparqlTimeout ${sparqlTimeout}`);
  const store = new SparqlStore();
  store.warmUp(); // the worker loads while the dataset is built
  for (const r of options.rdf ?? []) {
    if (r.format === "application/rdf+xml") store.loadRdfXml(r.data, r.graph);
    else store.loadTurtle(r.data, r.graph);
  }
  let base = "";
  const stilt = createStiltService({
    seed: options.seed,
    userOf: async (req) => (await auth.session(req))?.user.email,
  });
  const data = new DataService(dataset, auth, () => `${base}/data`);
  const state: {
    landing?: Landing;
    index?: () => ObjectIndex;
    built?: ObjectIndex;
    core?: CoreQueries;
  } = {};
  const ac = new AbortController();
  const idle = new IdleWork();
  const server = Deno.serve(
    {
      hostname,
      port,
      signal: ac.signal,
      onListen: () => {},
    },
    withIdle(
      handler({
        base: () => base,
        dataset,
        store,
        landing: () => state.landing!,
        data,
        auth,
        stilt,
        faults,
        sparqlTimeout,
        quota: new QuotaManager(options.sparqlQuota ?? {}, options.now ?? Date.now, sparqlTimeout),
        index: () => state.index?.(),
        core: () => state.core,
      }),
      idle,
    ),
  );
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  base = `http://${host}:${addr.port}`;
  const prefix = `${base}/meta/`;
  state.landing = new Landing(dataset, { meta: prefix, data: `${base}/data` });
  if (options.builtinMetadata ?? true) {
    const rdf = () => {
      const out: RdfText[] = [...datasetRdf(dataset, prefix)].map(([graph, text]) => ({
        text,
        graph,
        format: "text/turtle",
      }));
      const stiltRdf = stilt.rdf(prefix);
      if (stiltRdf.trim()) {
        out.push({ text: stiltRdf, graph: `${prefix}resources/stilt/`, format: "text/turtle" });
      }
      return out;
    };
    if ((options.objects ?? 0) >= LARGE) {
      // a large catalogue's RDF is made and parsed (by the query worker) after the start
      store.loadLater(rdf, { hasSizeInBytes: "long" });
      // (once no request came for a second: searches, answered without it, go first)
      idle.run(() => store.preload());
    } else {
      for (const r of rdf()) store.loadTurtle(r.text, r.graph, { hasSizeInBytes: "long" });
    }
    const stations = new Map(dataset.stations.map((s) => [s.key, s]));
    for (const o of dataset.objects) {
      const st = o.station === undefined ? undefined : stations.get(o.station);
      if (st) {
        store.addGeometry(`${prefix}objects/${o.id}`, { kind: "point", lat: st.lat, lon: st.lon });
      } else if (o.box) store.addGeometry(`${prefix}objects/${o.id}`, { kind: "box", ...o.box });
    }
    // the index knows the dataset's objects: it answers only when no other RDF could add some;
    // it is built by the first query it could answer
    if (!options.rdf?.length) {
      state.index = () =>
        state.built ??= new ObjectIndex(dataset, prefix, (wkt) => store.intersecting(wkt));
      // and the spec and station look-ups come from a store without the objects
      state.core = new CoreQueries(() =>
        [...datasetRdf(dataset, prefix, { objects: false })].map(([graph, text]) => ({
          text,
          graph,
          format: "text/turtle",
        }))
      );
    }
  }
  const endpoints: PortalEndpoints = emulatorEndpoints(base);
  let closed: Promise<void> | undefined;
  const close = () => {
    if (!closed) {
      idle.cancel();
      ac.abort();
      store.close();
      closed = server.finished;
    }
    return closed;
  };
  return {
    url: base,
    endpoints,
    user: USERS[0].email,
    password: USERS[0].password,
    users: USERS,
    dataset,
    faults,
    portalUse: auth.portalUse,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Mints an object id the way the portal does: base64url of the first 18
 * bytes of the SHA-256 of the file's bytes (24 characters).
 *
 * @param bytes The object's file content.
 * @returns The 24-character id.
 *
 * @example
 * ```ts
 * import { objectIdOf } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await objectIdOf(new TextEncoder().encode("abc")), "ungWv48Bz-pBQUDeXa4iI7AD");
 * ```
 */
export async function objectIdOf(bytes: Uint8Array): Promise<string> {
  return idOfHash(await sha256(bytes));
}
