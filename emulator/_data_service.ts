// Private: the data service (docs/protocol.md §4): `/cpb` binary tables,
// `/csv/<id>`, original downloads `/objects/<id>` with licence checks and
// Range support, `/licence`, `/whoami`.

import { BYTE_SIZE, CPB_TYPES, type CpbType } from "@icoscp/icoscp/codecs";
import { DATASETS, SPECS } from "./_catalog.ts";
import type { AuthService } from "./_auth.ts";
import { cookieValue } from "./_auth.ts";
import { base64url, decodeBase64, normaliseId } from "./_hash.ts";
import { csvCell } from "./_java_text.ts";
import { text } from "./_text.ts";
import type { Dataset, DatasetObject } from "./dataset.ts";
import { BODY_CAPS, BodyTooLarge, cappedText, tooLarge } from "./_body.ts";

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
    let requestText: string;
    try {
      requestText = await cappedText(req, BODY_CAPS.cpb);
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge();
      throw e;
    }
    const r = parseTableRequest(requestText);
    if (!r) return text("Expected a proper binary table request", 400);
    if (r.schema.columns.includes("STRING")) {
      return text(
        "assertion failed: STRING columns are not supported by binary table requests",
        500,
      );
    }
    const o = this.#object(r.tableId);
    const format = o?.spec ? SPECS[o.spec].format : undefined;
    // tabular (nRows) without reading `columns`: a generated object renders its table for that
    if (!o || o.nRows === undefined || format !== r.subFolder) {
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
    // read once: a generated object renders its table on each read of `columns`
    const columns = o?.columns;
    if (!o || !columns) return text(`Data object ${segment} not found or not tabular`, 404);
    const q = new URL(req.url).searchParams;
    const requested = q.getAll("col");
    const byLabel = new Map(columns.map((c) => [c.label, c]));
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
    const extra: Record<string, string> = {};
    if (o.kind === "data" && o.licence === "icos") {
      // As the portal: a licence cookie naming this object serves the file
      // without a login and is deleted; otherwise the user's profile decides.
      const cookie = cookieValue(req, LICENCE_COOKIE);
      const listed = cookie === undefined ? undefined : cookieIds(cookie);
      const byCookie = listed?.includes(o.id) ?? false;
      if (byCookie) {
        extra["set-cookie"] = `${LICENCE_COOKIE}=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
      } else {
        const s = await this.#auth.session(req);
        if (!s?.user.licenceAccepted) {
          const target = `${this.#base()}/licence?ids=${
            encodeURIComponent(JSON.stringify([o.hash]))
          }`;
          return new Response(
            `The requested resource temporarily resides under <a href="${target}">this URI</a>.`,
            {
              status: 302,
              headers: { location: target, "content-type": "text/html;charset=UTF-8" },
            },
          );
        }
      }
    }
    return fileResponse(req, o, extra);
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
    const q = new URL(req.url).searchParams;
    let ids: unknown;
    try {
      ids = JSON.parse(q.get("ids") ?? "");
    } catch {
      ids = undefined;
    }
    const parsed = Array.isArray(ids)
      ? ids.map((h) => typeof h === "string" ? hashBytes(h) : undefined)
      : [];
    if (!Array.isArray(ids) || parsed.some((h) => h === undefined)) {
      return text("Expected an 'ids' parameter with a JSON array of SHA-256 hashsums", 400);
    }
    const hashes = parsed as Uint8Array[];
    const fileName = q.get("fileName") ?? undefined;
    const isColl = q.get("isColl") === "true";
    // the portal's download target: one object (or collection) by id, else a batch
    const prefix = isColl ? "collections" : "objects";
    const path = hashes.length === 1 && (isColl || fileName === undefined)
      ? `/${prefix}/${base64url(hashes[0].subarray(0, 18))}`
      : `/${prefix}`;
    const query = path === `/${prefix}`
      ? `?${new URLSearchParams({
        ids: JSON.stringify(hashes.map((h) => base64url(h))),
        ...(fileName !== undefined && !isColl ? { fileName } : {}),
      })}`
      : "";
    const base = this.#base();
    const cookiePath = `${new URL(base).pathname.replace(/\/$/, "")}${path}`;
    return new Response(null, {
      status: 302,
      headers: {
        location: `${base}${path}${query}`,
        "set-cookie": `${LICENCE_COOKIE}=${
          hashes.map((h) => base64url(h)).join("|")
        }; Path=${cookiePath}`,
      },
    });
  }
}

/** The portal's licence cookie. */
const LICENCE_COOKIE = "CpLicenseAcceptedFor";

/** A SHA-256 (32 bytes) or its 18-byte prefix, in hex, base64url or base64; else undefined. */
function hashBytes(text: string): Uint8Array | undefined {
  const hex = /^(?:[0-9a-fA-F]{2})+$/.test(text)
    ? Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16))
    : undefined;
  const bytes = hex ?? decodeBase64(text);
  return bytes && (bytes.length === 32 || bytes.length === 18) ? bytes : undefined;
}

/** The object ids a licence cookie lists (base64url hashes joined by `|`); undefined when malformed. */
function cookieIds(value: string): string[] | undefined {
  const ids: string[] = [];
  for (const part of value.split("|")) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
    const bytes = decodeBase64(part);
    if (!bytes || (bytes.length !== 32 && bytes.length !== 18)) return undefined;
    ids.push(base64url(bytes.subarray(0, 18)));
  }
  return ids;
}

/** Hex of `(lastModified ^ reverse64(length))`, as akka-http's file route tags files. */
function entityTag(lastModified: number, length: number): string {
  let x = BigInt.asUintN(64, BigInt(length));
  let r = 0n;
  for (let i = 0; i < 64; i++) {
    r = (r << 1n) | (x & 1n);
    x >>= 1n;
  }
  return `"${(BigInt.asUintN(64, BigInt(lastModified)) ^ r).toString(16)}"`;
}

/**
 * An original file as the portal's file route serves it: `ETag` and
 * `Last-Modified`, conditional requests (`If-None-Match`, `If-Match`,
 * `If-Modified-Since`, `If-Range`) and single byte ranges.
 */
function fileResponse(
  req: Request,
  o: DatasetObject,
  extra: Record<string, string>,
): Response {
  const lastModified = Math.floor(Date.parse(o.submitted.end) / 1000) * 1000;
  const size = o.size;
  const etag = entityTag(lastModified, size);
  const ext = /\.([^.]+)$/.exec(o.fileName)?.[1]?.toLowerCase() ?? "";
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
    "content-disposition": `attachment; filename="${encodeURIComponent(o.fileName)}"`,
    "accept-ranges": "bytes",
    etag,
    "last-modified": new Date(lastModified).toUTCString(),
    ...extra,
  };
  const tags = (h: string | null) => h?.split(",").map((t) => t.trim().replace(/^W\//, ""));
  const ifMatch = tags(req.headers.get("if-match"));
  if (ifMatch && !ifMatch.includes("*") && !ifMatch.includes(etag)) {
    return new Response(null, { status: 412, headers: { etag } });
  }
  const ifNoneMatch = tags(req.headers.get("if-none-match"));
  const since = Date.parse(req.headers.get("if-modified-since") ?? "");
  if (
    ifNoneMatch ? ifNoneMatch.includes("*") || ifNoneMatch.includes(etag) : since >= lastModified
  ) {
    return new Response(null, {
      status: 304,
      headers: { etag, "last-modified": headers["last-modified"] },
    });
  }
  let range = req.headers.get("range");
  const ifRange = req.headers.get("if-range");
  if (range && ifRange !== null) {
    const date = Date.parse(ifRange);
    const fresh = ifRange.startsWith('"') ? ifRange === etag : date >= lastModified;
    if (!fresh) range = null; // the file changed: the whole of it
  }
  let status = 200;
  let body: Uint8Array | undefined;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
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
    headers["content-range"] = `bytes ${start}-${end}/${size}`;
    if (req.method !== "HEAD") body = o.file().subarray(start, end + 1);
    headers["content-length"] = String(end + 1 - start);
  } else if (req.method !== "HEAD") body = o.file();
  if (req.method === "HEAD") {
    headers["content-length"] ??= String(size);
    return new Response(null, { status, headers });
  }
  return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
}
