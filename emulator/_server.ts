// Private: the emulator's HTTP server — one loopback origin with a path
// prefix per portal service (`/meta`, `/data`, `/auth`, `/stilt/viewer`),
// CORS for loopback origins, and fault injection around every handler.

import { CPMETA } from "./_catalog.ts";
import type { AuthService } from "./_auth.ts";
import type { DataService } from "./_data_service.ts";
import { type Landing, landingHtml } from "./_landing.ts";
import type { SparqlStore } from "./_sparql.ts";
import type { QuotaManager } from "./_sparql_quota.ts";
import type { ObjectIndex } from "./_object_index.ts";
import type { CoreQueries } from "./_core_queries.ts";
import { damage, type Faults } from "./faults.ts";
import { normaliseId } from "./_hash.ts";
import { text } from "./_text.ts";
import type { Dataset } from "./dataset.ts";
import { BODY_CAPS, BodyTooLarge, cappedText, tooLarge } from "./_body.ts";

/** The services the router dispatches to. */
export interface Services {
  readonly base: () => string;
  readonly dataset: Dataset;
  readonly store: SparqlStore;
  readonly landing: () => Landing;
  readonly data: DataService;
  readonly auth: AuthService;
  readonly stilt: { handle(req: Request, subpath: string): Promise<Response | undefined> };
  readonly faults: Faults;
  /** Longest run of a SPARQL query, in ms. */
  readonly sparqlTimeout: number;
  /** The SPARQL quota manager. */
  readonly quota: QuotaManager;
  /** The data-object index, when the store holds the dataset's objects alone. */
  readonly index: () => ObjectIndex | undefined;
  /** The vocabulary look-ups' store, on the same condition. */
  readonly core: () => CoreQueries | undefined;
}

const json = (value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value, null, 2), {
    headers: { "content-type": "application/json", ...headers },
  });

/** Whether an `Origin` is a page served from this machine (`127.0.0.0/8`, `localhost`, `[::1]`). */
function loopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") return false;
    const h = u.hostname;
    return h === "localhost" || h === "[::1]" || /^127(\.\d{1,3}){3}$/.test(h);
  } catch {
    return false;
  }
}

function withCors(req: Request, res: Response): Response {
  const headers = new Headers(res.headers);
  const origin = req.headers.get("origin");
  // a page on another site must not read answers sent with the user's
  // cookies: only loopback origins are echoed (with credentials)
  if (origin === null) headers.set("access-control-allow-origin", "*");
  else if (loopbackOrigin(origin)) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-credentials", "true");
  }
  if (origin !== null) headers.append("vary", "Origin");
  headers.set(
    "access-control-expose-headers",
    "Content-Disposition, Content-Range, Content-Length, Accept-Ranges, X-Cache-Status",
  );
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

function preflight(req: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
      "access-control-allow-headers": req.headers.get("access-control-request-headers") ??
        "Content-Type, Accept, Range, Cache-Control",
      "access-control-max-age": "600",
    },
  });
}

/** The request handler of the emulator. */
export function handler(s: Services): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === "OPTIONS") return withCors(req, preflight(req));
    const path = new URL(req.url).pathname;
    const plan = s.faults.plan(req.method, path);
    if (plan?.latency) await new Promise((r) => setTimeout(r, plan.latency));
    if (plan?.status !== undefined) return withCors(req, text(plan.body ?? "", plan.status));
    let res: Response;
    try {
      res = await route(s, req, path) ?? text(`Not found: ${path}`, 404);
    } catch (e) {
      res = text(`Internal error: ${(e as Error)?.message ?? e}`, 500);
    }
    if (plan) res = await damage(res, plan);
    return withCors(req, res);
  };
}

async function route(s: Services, req: Request, path: string): Promise<Response | undefined> {
  if (path === "/" || path === "") return index(s);
  if (path.startsWith("/meta/")) return await meta(s, req, path.slice(6));
  if (path.startsWith("/data/")) return await s.data.handle(req, path.slice(6));
  if (path.startsWith("/auth/")) return await s.auth.handle(req, path.slice(6));
  if (path.startsWith("/stilt/viewer/")) return await s.stilt.handle(req, path.slice(14));
  return undefined;
}

function index(s: Services): Response {
  const b = s.base();
  return new Response(
    landingHtml("ICOS Carbon Portal emulator", [
      ["SPARQL endpoint", `${b}/meta/sparql`],
      ["Metadata (landing pages)", `${b}/meta/`],
      ["Data service", `${b}/data/`],
      ["Authentication", `${b}/auth/`],
      ["STILT viewer", `${b}/stilt/viewer/`],
      ["Seed", String(s.dataset.seed)],
    ]),
    { headers: { "content-type": "text/html;charset=UTF-8" } },
  );
}

const SPARQL_JSON = "application/sparql-results+json;charset=UTF-8";

/** Whether the store would answer a SELECT in SPARQL JSON for this `Accept`. */
function wantsSparqlJson(accept: string | null): boolean {
  const a = (accept ?? "").toLowerCase();
  return a.includes("application/sparql-results+json") || a.includes("application/json") ||
    !/text\/csv|text\/plain|text\/tab-separated-values|xml/.test(a);
}

async function sparql(s: Services, req: Request): Promise<Response> {
  let query: string | null = null;
  if (req.method === "GET") query = new URL(req.url).searchParams.get("query");
  else if (req.method === "POST") {
    const type = req.headers.get("content-type") ?? "";
    let body: string;
    try {
      body = await cappedText(req, BODY_CAPS.sparql);
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge();
      throw e;
    }
    query = type.includes("application/x-www-form-urlencoded")
      ? new URLSearchParams(body).get("query")
      : body;
  } else return text("Only GET and POST are supported", 405);
  if (!query || !query.trim()) {
    return text(
      "Expected a SPARQL query: GET with a 'query' URL parameter, or POST with the query as the body " +
        "(or as a 'query' form field)",
      400,
    );
  }
  const client = req.headers.get("x-forwarded-for")?.split(",")[0].trim() || "loopback";
  const refusal = s.quota.excess(client);
  if (refusal) return text(refusal, 503);
  const done = await s.quota.admit(client);
  if (!done) {
    // dropped from the queue by a ban: on the portal it never runs and is cancelled after the limit
    await new Promise((r) => setTimeout(r, s.sparqlTimeout));
    return text("SPARQL execution timeout", 400);
  }
  let answer;
  try {
    // data-object queries of known shapes come from the index, as on the portal
    const fromIndex = wantsSparqlJson(req.headers.get("accept"))
      ? s.index()?.answer(query)
      : undefined;
    answer = fromIndex !== undefined
      ? { status: 200, contentType: SPARQL_JSON, body: fromIndex }
      : s.core()?.answer(query, req.headers.get("accept")) ??
        await s.store.queryLimited(query, req.headers.get("accept"), s.sparqlTimeout);
  } finally {
    done();
  }
  const noCache = /no-cache/i.test(req.headers.get("cache-control") ?? "");
  return new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": answer.contentType, "x-cache-status": noCache ? "BYPASS" : "MISS" },
  });
}

function wants(req: Request): "json" | "turtle" | "rdfxml" | "html" {
  const a = (req.headers.get("accept") ?? "").toLowerCase();
  if (a.includes("application/json")) return "json";
  if (a.includes("text/html")) return "html";
  if (a.includes("text/turtle") || a.startsWith("text/plain")) return "turtle";
  if (a.includes("application/rdf+xml") || a.includes("application/xml")) return "rdfxml";
  return "html";
}

function describe(
  s: Services,
  uri: string,
  kind: "turtle" | "rdfxml",
  disposition?: string,
): Response {
  const ans = s.store.query(
    `CONSTRUCT { <${uri}> ?p ?o } WHERE { <${uri}> ?p ?o }`,
    kind === "turtle" ? "text/turtle" : "application/rdf+xml",
  );
  return new Response(ans.body, {
    status: ans.status,
    headers: {
      "content-type": kind === "turtle" ? "text/plain;charset=UTF-8" : "application/rdf+xml",
      ...(disposition ? { "content-disposition": `attachment; filename=${disposition}` } : {}),
    },
  });
}

async function meta(s: Services, req: Request, sub: string): Promise<Response | undefined> {
  if (sub === "sparql") return await sparql(s, req);
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  const landing = s.landing();
  const P = `${s.base()}/meta/`;
  const item = /^(objects|collections)\/([^/]+)(?:\/([^/]+))?$/.exec(sub);
  if (item) {
    const [, kind, segment, suffix] = item;
    const id = normaliseId(segment) ?? segment;
    const uri = `${P}${kind}/${id}`;
    let format = wants(req);
    let disposition: string | undefined;
    if (suffix) {
      if (suffix.endsWith(".json")) format = "json";
      else if (suffix.endsWith(".ttl")) format = "turtle";
      else if (suffix.endsWith(".xml")) format = "rdfxml";
      else return undefined;
      disposition = suffix;
    }
    const doc = kind === "objects" ? landing.object(id) : landing.collection(id);
    if (format === "json") {
      if (!doc) {
        return kind === "objects"
          ? text(
            `Expected exactly one values of property ${CPMETA}hasObjectSpec for resource ${uri}, but got 0`,
            500,
          )
          : new Response(null, { status: 404 });
      }
      return json(
        doc,
        disposition ? { "content-disposition": `attachment; filename=${disposition}` } : {},
      );
    }
    if (!doc) return text(`Not found: ${uri}`, 404);
    if (format !== "html") return describe(s, uri, format, disposition);
    const d = doc as Record<string, unknown>;
    const refs = d.references as Record<string, unknown> | undefined;
    return new Response(
      landingHtml(String(d.fileName ?? d.title), [
        ["URI", uri],
        ["Hash", String(d.hash)],
        ...(d.accessUrl ? [["Download", String(d.accessUrl)] as [string, string]] : []),
        ...(refs?.citationString
          ? [["Citation", String(refs.citationString)] as [string, string]]
          : []),
        ...(d.doi ? [["DOI", `https://doi.org/${d.doi}`] as [string, string]] : []),
      ]),
      { headers: { "content-type": "text/html;charset=UTF-8" } },
    );
  }
  const station = /^resources\/stations\/([^/]+)$/.exec(sub);
  if (station) {
    const key = decodeURIComponent(station[1]);
    const doc = landing.stationPage(key);
    const format = wants(req);
    if (!doc) return new Response(null, { status: 404 });
    if (format === "json") return json(doc);
    if (format !== "html") return describe(s, `${P}resources/stations/${station[1]}`, format);
    const org = (doc.org as { name: string }).name;
    return new Response(
      landingHtml(`${org} (${doc.id})`, [["URI", `${P}resources/stations/${station[1]}`], [
        "Country",
        String(doc.countryCode),
      ]]),
      { headers: { "content-type": "text/html;charset=UTF-8" } },
    );
  }
  return undefined;
}
