// Test helper: a tiny in-memory portal behind an injected fetch, for unit
// tests of the client layer (the emulator serves the full protocol).

import { type CpbType, encodeCpb } from "../src/cpb/cpb.ts";
import type { FetchFn } from "../src/client/client.ts";

export const CPMETA = "http://meta.icos-cp.eu/ontologies/cpmeta/";
export const RES = "http://meta.icos-cp.eu/resources/cpmeta/";

export interface FakeColumn {
  label: string;
  format: string;
  type: CpbType;
  values: number[];
  model?: string;
  flagFor?: string[];
  unit?: string;
}

/** A station time series with columns (sorted by the fake, like the portal). */
export function fakeObject(id: string, columns: FakeColumn[], extra: Record<string, unknown> = {}) {
  const rows = columns[0]?.values.length ?? 0;
  return {
    hash: `${id}${"A".repeat(19)}`,
    pid: `11676/${id}`,
    accessUrl: `https://data.icos-cp.eu/objects/${id}`,
    fileName: "ICOS_ATC_L2_GAT_341.0_CTS_CO2.zip",
    size: 1234,
    submission: {
      submitter: {
        self: { uri: "http://meta.icos-cp.eu/resources/organizations/ATC" },
        name: "ATC",
      },
      start: "2020-09-08T11:20:12Z",
    },
    specification: {
      self: { uri: `${RES}atcCo2L2DataObject`, label: "ICOS ATC CO2 Release" },
      project: { self: { uri: `${RES}icos` } },
      theme: { self: { uri: `${RES}atmosphere` } },
      format: { self: { uri: `${CPMETA}asciiAtcProductTimeSer` }, goodFlagValues: ["O", "R", "U"] },
      encoding: { uri: `${CPMETA}plainText` },
      dataLevel: 2,
      specificDatasetType: "StationTimeSeries",
      documentation: [],
    },
    specificInfo: {
      acquisition: {
        station: {
          org: {
            self: { uri: "http://meta.icos-cp.eu/resources/stations/AS_GAT", label: "GAT" },
            name: "Gartow",
          },
          id: "GAT",
          location: { lat: 53.0657, lon: 11.4429, alt: 70.0 },
          pictures: [],
          specificInfo: {},
          countryCode: "DE",
        },
        interval: { start: "2016-05-10T00:00:00Z", stop: "2020-05-31T23:00:00Z" },
        samplingHeight: 341.0,
      },
      nRows: rows,
      columns: columns.map((c) => ({
        model: { uri: c.model ?? `${RES}${c.label}Column` },
        label: c.label,
        valueType: {
          self: { uri: `${RES}${c.label}Type`, label: `${c.label} type` },
          unit: c.unit,
        },
        valueFormat: `${CPMETA}${c.format}`,
        ...(c.flagFor ? { isFlagFor: c.flagFor } : {}),
      })),
    },
    latestVersion: `https://meta.icos-cp.eu/objects/${id}`,
    parentCollections: [],
    references: { citationString: "Kubistin, D. (2020). ICOS ATC CO2 Release, Gartow (341.0 m)" },
    ...extra,
  };
}

export interface FakeRequest {
  url: string;
  method: string;
  body?: unknown;
  cookie?: string | null;
}

/** A fetch that serves landing JSON and /cpb for the given objects. */
export type FakeObjects = Record<
  string,
  { meta: ReturnType<typeof fakeObject>; columns: FakeColumn[]; file?: Uint8Array; csv?: string }
>;

/** Faults of the fake data service's /objects downloads. */
export interface FileFaults {
  /** Break the connection after this many bytes, for this many responses. */
  dropAfter?: number;
  drops?: number;
  /** Flip a byte of every body. */
  corrupt?: boolean;
  /** Answer Range requests with the whole file (200). */
  ignoreRange?: boolean;
}

export function fakePortal(
  objects: FakeObjects,
  options: { cookie?: string; truncate?: number; files?: FileFaults } = {},
): { fetch: FetchFn; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const fetch: FetchFn = (input, init) => Promise.resolve(serve(input, init));
  const serve = (input: Request | URL | string, init?: RequestInit): Response => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const cookie = new Headers(init?.headers).get("cookie");
    const body = typeof init?.body === "string" && init.body.startsWith("{")
      ? JSON.parse(init.body)
      : init?.body;
    requests.push({ url: url.href, method, body, cookie });
    const m = /\/objects\/([\w-]{24})$/.exec(url.pathname);
    if (method === "GET" && m && url.host === "data.icos-cp.eu") {
      return serveFile(objects[m[1]], new Headers(init?.headers), options.files ?? {});
    }
    const csv = /\/csv\/([\w-]{24})$/.exec(url.pathname);
    if (method === "GET" && csv) {
      if (options.cookie && cookie !== options.cookie) {
        return new Response("ICOS data portal login is required for CSV downloads", {
          status: 401,
        });
      }
      return new Response(objects[csv[1]].csv ?? "", { headers: { "content-type": "text/csv" } });
    }
    if (method === "GET" && m) {
      const o = objects[m[1]];
      if (!o) {
        return new Response(
          `Expected exactly one values of property ${CPMETA}hasObjectSpec, but got 0`,
          { status: 500 },
        );
      }
      return Response.json(o.meta);
    }
    if (method === "POST" && url.pathname.endsWith("/cpb")) {
      if (options.cookie && cookie !== options.cookie) {
        return new Response("ICOS data portal login is required for binary downloads", {
          status: 401,
        });
      }
      const o = objects[body.tableId];
      const sorted = [...o.columns].sort((a, b) => (a.label < b.label ? -1 : 1));
      const { offset = 0, length = o.meta.specificInfo.nRows - offset } = body.slice ?? {};
      const bytes = encodeCpb(
        (body.columnNumbers as number[]).map((n) => ({
          type: sorted[n].type,
          values: sorted[n].values.slice(offset, offset + length),
        })),
        { dictionary: false },
      );
      const sent = options.truncate ? bytes.subarray(0, options.truncate) : bytes;
      return new Response(sent as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    return new Response("Not found", { status: 404 });
  };
  return { fetch, requests };
}

/** The ATC-like object of the jupyter fixture, shrunk to 4 rows. */
export function atcObject(id = "IM7PJYcuhiBpHtvEVuLhVk2M") {
  const t0 = Date.UTC(2016, 4, 10);
  const columns: FakeColumn[] = [
    {
      label: "TIMESTAMP",
      format: "iso8601dateTime",
      type: "DOUBLE",
      values: [0, 1, 2, 3].map((h) => t0 + h * 3_600_000),
    },
    {
      label: "co2",
      format: "float32",
      type: "FLOAT",
      values: [NaN, 405.585, 406.5, 407.25],
      model: `${RES}co2atcMoleFrac`,
      unit: "µmol mol-1",
    },
    { label: "Stdev", format: "float32", type: "FLOAT", values: [-9.99, 0.1, 0.2, 0.133] },
    { label: "NbPoints", format: "int32", type: "INT", values: [0, 11, 12, 11] },
    {
      label: "Flag",
      format: "bmpChar",
      type: "CHAR",
      values: [..."NOKU"].map((c) => c.charCodeAt(0)),
      flagFor: [`${RES}co2atcMoleFrac`, `${RES}ch4atcMoleFrac`],
    },
  ];
  return { meta: fakeObject(id, columns), columns };
}

function serveFile(
  o: FakeObjects[string] | undefined,
  headers: Headers,
  faults: FileFaults,
): Response {
  if (!o?.file) return new Response("Not found", { status: 404 });
  let bytes = o.file;
  if (faults.corrupt) {
    bytes = bytes.slice();
    bytes[bytes.length >> 1] ^= 0xff;
  }
  const range = /^bytes=(\d+)-$/.exec(headers.get("range") ?? "");
  const start = range && !faults.ignoreRange ? Number(range[1]) : 0;
  const body = bytes.subarray(start);
  const h = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${encodeURIComponent(o.meta.fileName)}"`,
    "content-length": String(body.length),
  });
  if (start > 0) h.set("content-range", `bytes ${start}-${bytes.length - 1}/${bytes.length}`);
  const drop = faults.dropAfter !== undefined && (faults.drops ?? 1) > 0;
  if (drop) faults.drops = (faults.drops ?? 1) - 1;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (drop && sent >= faults.dropAfter!) {
        c.error(new TypeError("connection reset by peer"));
        return;
      }
      const n = Math.min(drop ? faults.dropAfter! - sent : 4096, 4096, body.length - sent);
      if (n <= 0 && sent >= body.length) return c.close();
      c.enqueue(body.slice(sent, sent + Math.max(n, 0)));
      sent += Math.max(n, 0);
    },
  });
  return new Response(stream, { status: start > 0 ? 206 : 200, headers: h });
}

/** An object with an original file whose hash and id are minted like the portal's. */
export async function fileObject(bytes: Uint8Array, fileName = "GAT_CO2.csv") {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  const b64 = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
  const id = b64.slice(0, 24);
  const base = atcObject(id);
  const meta = { ...base.meta, hash: b64, fileName, size: bytes.length };
  return { id, entry: { ...base, meta, file: bytes } };
}
