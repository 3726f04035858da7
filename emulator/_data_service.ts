// Private: the data service (portal-protocol §4): `/cpb` binary tables,
// `/csv/<id>`, original downloads `/objects/<id>` with licence checks and
// Range support, `/licence`, `/whoami`.

import { BYTE_SIZE, CPB_TYPES, type CpbType } from "@icoscp/icoscp/codecs";
import { DATASETS, SPECS } from "./_catalog.ts";
import type { AuthService } from "./_auth.ts";
import { cookieValue } from "./_auth.ts";
import { decodeBase64, normaliseId } from "./_hash.ts";
import { csvCell } from "./_java_text.ts";
import { text } from "./_text.ts";
import type { Dataset, DatasetObject } from "./dataset.ts";

const CONTENT_TYPES: Record<string, string> = {
  zip: "application/zip",
  csv: "text/csv",
  txt: "text/plain",
  nc: "application/x-netcdf",
  pdf: "application/pdf",
  json: "application/json",
};

interface TableRequest {
  tableId: string;
  subFolder: string;
  schema: { columns: CpbType[]; size: number };
  columnNumbers: number[];
  slice?: { offset: number; length: number };
}

function parseTableRequest(body: string): TableRequest | undefined {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    return undefined;
  }
  const r = j as Record<string, unknown>;
  const schema = r?.schema as Record<string, unknown> | undefined;
  const isCount = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0;
  if (
    typeof r?.tableId !== "string" || typeof r.subFolder !== "string" || !schema ||
    !Array.isArray(schema.columns) ||
    !schema.columns.every((c) => (CPB_TYPES as readonly unknown[]).includes(c)) ||
    !isCount(schema.size) || !Array.isArray(r.columnNumbers) || !r.columnNumbers.every(isCount)
  ) return undefined;
  const slice = r.slice as Record<string, unknown> | undefined;
  if (slice !== undefined && (!isCount(slice?.offset) || !isCount(slice?.length))) return undefined;
  return r as unknown as TableRequest;
}

/** The data service over a dataset. */
export class DataService {
  readonly #ds: Dataset;
  readonly #auth: AuthService;
  readonly #base: () => string;
  readonly #byId: Map<string, DatasetObject>;

  constructor(ds: Dataset, auth: AuthService, base: () => string) {
    this.#ds = ds;
    this.#auth = auth;
    this.#base = base;
    this.#byId = new Map(ds.objects.map((o) => [o.id, o]));
  }

  #object(segment: string): DatasetObject | undefined {
    const id = normaliseId(segment);
    return id ? this.#byId.get(id) : undefined;
  }

  /** Handles `/data/<subpath>`; undefined when no route matches. */
  async handle(req: Request, subpath: string): Promise<Response | undefined> {
    const m = req.method;
    if (subpath === "cpb" && m === "POST") return await this.#cpb(req);
    if (subpath === "portal/tabular") {
      return text(
        "Legacy binary access has been discontinued. Please uprade to the latest version of the Python library.",
        404,
      );
    }
    const csv = /^csv\/([^/]+)$/.exec(subpath);
    if (csv && m === "GET") return await this.#csv(req, csv[1]);
    const obj = /^(?:meta\/)?objects\/([^/]+)$/.exec(subpath);
    if (obj && (m === "GET" || m === "HEAD")) return await this.#download(req, obj[1]);
    if (subpath === "licence" && m === "GET") return this.#licencePage(req);
    if (subpath === "licence_accept" && m === "GET") return this.#licenceAccept(req);
    if (subpath === "whoami" && m === "GET") {
      const s = await this.#auth.session(req);
      return Response.json({ email: s ? s.user.email : null });
    }
    return undefined;
  }

  async #cpb(req: Request): Promise<Response> {
    const s = await this.#auth.session(req);
    if (!s) return text("ICOS data portal login is required for binary downloads", 401);
    if (!s.user.licenceAccepted) {
      return text(
        "Accepting data licence in your user profile is required for binary downloads",
        403,
      );
    }
    const r = parseTableRequest(await req.text());
    if (!r) return text("Expected a proper binary table request", 400);
    if (r.schema.columns.includes("STRING")) {
      return text(
        "assertion failed: STRING columns are not supported by binary table requests",
        500,
      );
    }
    const o = this.#object(r.tableId);
    const format = o?.spec ? SPECS[o.spec].format : undefined;
    if (!o || !o.columns || format !== r.subFolder) {
      return text(`Could not find binary table ${r.subFolder}/${r.tableId}.cpb`, 500);
    }
    const rows = r.schema.size;
    const slice = r.slice ?? { offset: 0, length: rows };
    if (slice.offset + slice.length > rows) {
      return text(
        `Slice ${slice.offset}+${slice.length} is outside the table of ${rows} rows`,
        400,
      );
    }
    if (r.columnNumbers.some((n) => n >= r.schema.columns.length)) {
      return text("Expected a proper binary table request", 400);
    }
    const file = o.cpb();
    const offsets: number[] = [];
    let pos = 0;
    for (const c of r.schema.columns) {
      offsets.push(pos);
      pos += BYTE_SIZE[c] * rows;
    }
    const total = r.columnNumbers.reduce(
      (sum, n) => sum + BYTE_SIZE[r.schema.columns[n]] * slice.length,
      0,
    );
    const out = new Uint8Array(total);
    let at = 0;
    for (const n of r.columnNumbers) {
      const w = BYTE_SIZE[r.schema.columns[n]];
      const start = offsets[n] + slice.offset * w;
      const len = slice.length * w;
      if (start + len > file.length) {
        return text(`Binary table ${o.id} is shorter than the requested schema`, 500);
      }
      out.set(file.subarray(start, start + len), at);
      at += len;
    }
    return new Response(out, { headers: { "content-type": "application/octet-stream" } });
  }

  async #csv(req: Request, segment: string): Promise<Response> {
    const s = await this.#auth.session(req);
    if (!s) return text("ICOS data portal login is required for CSV downloads", 401);
    if (!s.user.licenceAccepted) {
      return text("Accepting data licence in your user profile is required for CSV downloads", 403);
    }
    const o = this.#object(segment);
    if (!o || !o.columns) return text(`Data object ${segment} not found or not tabular`, 404);
    const q = new URL(req.url).searchParams;
    const requested = q.getAll("col");
    const byLabel = new Map(o.columns.map((c) => [c.label, c]));
    const defaults = o.actualColumnNames ??
      DATASETS[SPECS[o.spec!].dataset].columns.map((c) => c.title);
    const cols = (requested.length ? requested : defaults)
      .map((l) => byLabel.get(l)).filter((c) => c !== undefined);
    const offsetText = q.get("offset");
    const limitText = q.get("limit");
    const offset = Math.max(0, Number(offsetText ?? 0) || 0);
    const limit = limitText === null ? Infinity : Math.max(0, Number(limitText) || 0);
    const end = Math.min(o.nRows!, offset + limit);
    const lines = [cols.map((c) => c.label).join(",")];
    for (let r = offset; r < end; r++) {
      lines.push(cols.map((c) => csvCell(c.valueFormat, c.values[r])).join(","));
    }
    const stem = o.fileName.replace(/\.[^.]*$/, "");
    const name = stem + (requested.length ? `_${cols.length}_cols` : "") +
      (offsetText !== null ? `_offset_${offsetText}` : "") +
      (limitText !== null ? `_limit_${limitText}` : "") + ".csv";
    return new Response(lines.join("\n") + "\n", {
      headers: {
        "content-type": "text/csv; charset=UTF-8",
        "content-disposition": `attachment; filename="${name}"`,
      },
    });
  }

  async #download(req: Request, segment: string): Promise<Response> {
    const o = this.#object(segment);
    if (!o) return text(`Object ${segment} was not found`, 404);
    if (o.kind === "data" && o.licence === "icos") {
      const s = await this.#auth.session(req);
      const accepted = (cookieValue(req, "CpLicenseAcceptedFor") ?? "").split("|").includes(o.hash);
      if (!(s?.user.licenceAccepted || accepted)) {
        const target = `${this.#base()}/licence?ids=${
          encodeURIComponent(JSON.stringify([o.hash]))
        }`;
        return new Response(
          `The requested resource temporarily resides under <a href="${target}">this URI</a>.`,
          { status: 302, headers: { location: target, "content-type": "text/html;charset=UTF-8" } },
        );
      }
    }
    const bytes = o.file();
    const ext = /\.([^.]+)$/.exec(o.fileName)?.[1]?.toLowerCase() ?? "";
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
      "content-disposition": `attachment; filename="${encodeURIComponent(o.fileName)}"`,
      "accept-ranges": "bytes",
    };
    const range = req.headers.get("range");
    let status = 200;
    let body = bytes;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      const size = bytes.length;
      let start = NaN;
      let end = NaN;
      if (m && (m[1] || m[2])) {
        if (m[1]) {
          start = Number(m[1]);
          end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
        } else {
          start = Math.max(0, size - Number(m[2]));
          end = size - 1;
        }
      }
      if (!m || !(start <= end) || start >= size) {
        return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
      }
      status = 206;
      body = bytes.subarray(start, end + 1);
      headers["content-range"] = `bytes ${start}-${end}/${size}`;
    }
    if (req.method === "HEAD") {
      return new Response(null, {
        status,
        headers: { ...headers, "content-length": String(body.length) },
      });
    }
    return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
  }

  #licencePage(req: Request): Response {
    const ids = new URL(req.url).searchParams.get("ids");
    const accept = ids
      ? `<p><a href="${this.#base()}/licence_accept?ids=${
        encodeURIComponent(ids)
      }">I accept the licence</a></p>`
      : "";
    return new Response(
      `<!doctype html><html><head><meta charset="utf-8"><title>ICOS data licence</title></head><body>` +
        `<h1>ICOS CCBY4 Data Licence</h1><p>ICOS data are licensed under a Creative Commons ` +
        `Attribution 4.0 International licence (CC BY 4.0). Cite the data when you use them.</p>` +
        `${accept}<p>(Local Carbon Portal emulator.)</p></body></html>`,
      { headers: { "content-type": "text/html;charset=UTF-8" } },
    );
  }

  #licenceAccept(req: Request): Response {
    let ids: unknown;
    try {
      ids = JSON.parse(new URL(req.url).searchParams.get("ids") ?? "");
    } catch {
      return text("Expected an 'ids' parameter with a JSON array of hashes", 400);
    }
    if (!Array.isArray(ids) || !ids.every((h) => typeof h === "string" && decodeBase64(h))) {
      return text("Expected an 'ids' parameter with a JSON array of hashes", 400);
    }
    const first = this.#object(ids[0] ?? "");
    return new Response(null, {
      status: 302,
      headers: {
        location: first ? `${this.#base()}/objects/${first.id}` : `${this.#base()}/licence`,
        "set-cookie": `CpLicenseAcceptedFor=${ids.join("|")}; Path=/`,
      },
    });
  }
}
