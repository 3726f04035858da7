/**
 * Collections of data objects (icoscp's `collection` module). Reached as
 * `cp.collection`.
 *
 * @module
 */

import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { fetchDobj } from "../dobj/_fetch.ts";
import { NotFoundError, UnknownValueError, UnsupportedFormatError } from "../errors.ts";
import type { OneOrMany, Organization, References, UriResource } from "../dobj/meta_types.ts";
import { mapPool } from "../_util/pool.ts";
import { displayCollection } from "../plot/_display.ts";
import { many } from "../_util/one_or_many.ts";
import { collectionMembersQuery, collectionsQuery, PREFIXES } from "../sparql/queries.ts";
import { literal } from "../sparql/terms.ts";
import { doiOf } from "../_util/doi.ts";
import { checkOptions, integer } from "../_util/args.ts";

/** The landing-page metadata of a collection (docs/protocol.md §2.7). */
export interface CollectionMeta {
  /** The collection URI. */
  res: string;
  /** Its hash (base64url). */
  hash: string;
  /** Members: objects `{res, hash, name}` and sub-collections `{res, hash, title, name}`. */
  members: { res: string; hash: string; name?: string; title?: string }[];
  /** Creator. */
  creator: Organization;
  /** Title. */
  title: string;
  /** Description. */
  description?: string;
  /** Previous version. */
  previousVersion?: string;
  /** Next version(s). */
  nextVersion?: OneOrMany<string>;
  /** Latest version(s). */
  latestVersion: OneOrMany<string>;
  /** Collections containing this one. */
  parentCollections: UriResource[];
  /** DOI. */
  doi?: string;
  /** Citation, licence, authors. */
  references: References;
}

/** Citation styles a collection can give: offline from the metadata (`plain`, `bibtex`, `ris`), or any CSL style of citation.crosscite.org online (`apa`, icoscp's default, …). */
export type CollectionCitationStyle =
  | "plain"
  | "bibtex"
  | "ris"
  | "apa"
  | (string & Record<never, never>);

/** The citation styles carried in the metadata (offline). */
export const OFFLINE_CITATION_STYLES: readonly string[] = ["plain", "bibtex", "ris"];

/** Formats of {@linkcode Collection.info}: icoscp's `dict`, `pandas`, `html`, and `table` (= `pandas`). */
export type CollectionInfoFormat = "dict" | "pandas" | "table" | "html";

/** What {@linkcode Collection.info} returns in the `dict` format. */
export type CollectionInfo = {
  /** The collection URI. */
  id: string;
  /** The DOI. */
  doi: string | undefined;
  /** The plain citation from the metadata. */
  citation: string | undefined;
  /** Title. */
  title: string;
  /** Description. */
  description: string | undefined;
};

/** A collection. Getters are pure; members are fetched by {@linkcode Collection.data}. */
export class Collection {
  /** The landing-page metadata. */
  readonly meta: CollectionMeta;
  #cp: CarbonPortal;

  /**
   * Wraps fetched metadata; use `cp.collection.get(…)`.
   *
   * @param cp The client.
   * @param meta The landing-page JSON.
   */
  constructor(cp: CarbonPortal, meta: CollectionMeta) {
    this.#cp = cp;
    this.meta = meta;
  }

  /** Notebook rendering (Deno Jupyter kernel): title, DOI, description, citation, members. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayCollection(this);
  }

  /** `<title> (DOI …)` or `<title> (<URI>)`: what `String(collection)` shows. */
  toString(): string {
    return `${this.meta.title} (${this.meta.doi ? `DOI ${this.meta.doi}` : this.meta.res})`;
  }

  /** The collection URI (icoscp's `id`). */
  get id(): string {
    return this.meta.res;
  }
  /** The DOI, if any. */
  get doi(): string | undefined {
    return this.meta.doi;
  }
  /** Title. */
  get title(): string {
    return this.meta.title;
  }
  /** Description. */
  get description(): string | undefined {
    return this.meta.description;
  }
  /** The plain-text citation carried in the metadata. */
  get citation(): string | undefined {
    return this.meta.references?.citationString;
  }
  /** URIs of all members (objects and sub-collections), icoscp's `datalink`. */
  get datalink(): string[] {
    return this.meta.members.map((m) => m.res);
  }
  /** URIs of the member data objects. */
  get objects(): string[] {
    return this.meta.members.filter((m) => m.title === undefined).map((m) => m.res);
  }
  /** URIs of the sub-collections. */
  get children(): string[] {
    return this.meta.members.filter((m) => m.title !== undefined).map((m) => m.res);
  }
  /** URIs of the collections that contain this one. */
  get parents(): string[] {
    return this.meta.parentCollections.map((p) => p.uri);
  }
  /** Previous version, if any. */
  get previous(): string[] {
    return many(this.meta.previousVersion);
  }
  /** Next versions, if any. */
  get next(): string[] {
    return many(this.meta.nextVersion);
  }
  /** Latest versions. */
  get latest(): string[] {
    return many(this.meta.latestVersion);
  }

  /**
   * The citation in a style (icoscp's `getCitation(format, lang)`). `plain`,
   * `bibtex` and `ris` come from the metadata, offline, in any case. Any
   * other style (`apa`, icoscp's default, or another CSL style name) asks
   * the third-party service citation.crosscite.org for the DOI, and only
   * when `online: true` is passed.
   *
   * @param style Citation style. Default `plain`.
   * @param options `lang` (default `en-GB`) and `online` for styles the metadata lacks.
   * @returns The citation, or `undefined` when the metadata has none in that style.
   * @throws {UnsupportedFormatError} For another style without `online: true`, or without a DOI.
   */
  async getCitation(
    style: CollectionCitationStyle = "plain",
    options: { lang?: string; online?: boolean } = {},
  ): Promise<string | undefined> {
    const r = this.meta.references ?? {};
    const st = String(style).toLowerCase();
    if (st === "plain" || st === "text") return r.citationString;
    if (st === "bibtex") return r.citationBibTex;
    if (st === "ris") return r.citationRis;
    if (!options.online) {
      throw new UnsupportedFormatError(
        `Citation style ${style} is not in the metadata (offline: ${
          OFFLINE_CITATION_STYLES.join(", ")
        }): pass { online: true } to ask citation.crosscite.org`,
      );
    }
    if (!this.doi) {
      throw new UnsupportedFormatError(
        `Collection ${this.id} has no DOI to cite in style ${style}`,
      );
    }
    const q = new URLSearchParams({ doi: this.doi, style: st, lang: options.lang ?? "en-GB" });
    const res = await this.#cp.request(`https://citation.crosscite.org/format?${q}`, {
      hint: "Fetching citation",
      headers: { accept: "text/plain" },
    });
    return await res.text();
  }

  /**
   * id, doi, citation, title, description, in a format (icoscp's
   * `info(fmt)`): `dict` a record; `pandas` (or `table`) an arquero table with
   * one row per field (columns `field`, `value`, as Python's
   * `DataFrame.from_dict(orient='index')`); `html` that table as HTML.
   *
   * @param format `dict` (default), `pandas`, `table` or `html`, any case.
   * @returns The information.
   * @throws {UnknownValueError} For another format.
   */
  info(format?: "dict"): CollectionInfo;
  /**
   * The information as a table, one row per field (icoscp's `info('pandas')`).
   *
   * @param format `pandas` or `table`, any case.
   * @returns An arquero table with columns `field` and `value`.
   */
  info(format: "pandas" | "table"): ColumnTable;
  /**
   * The information as an HTML table (icoscp's `info('html')`).
   *
   * @param format `html`.
   * @returns The HTML.
   */
  info(format: "html"): string;
  /**
   * The information in a format named at run time.
   *
   * @param format `dict`, `pandas`, `table` or `html`, any case.
   * @returns A record, a table or HTML.
   * @throws {UnknownValueError} For another format.
   */
  info(
    format: CollectionInfoFormat | (string & Record<never, never>),
  ): CollectionInfo | ColumnTable | string;
  info(format: string = "dict"): CollectionInfo | ColumnTable | string {
    const f = String(format).toLowerCase();
    if (!["dict", "pandas", "table", "html"].includes(f)) {
      throw new UnknownValueError("format", format, { valid: ["dict", "pandas", "table", "html"] });
    }
    const info: CollectionInfo = {
      id: this.id,
      doi: this.doi,
      citation: this.citation,
      title: this.title,
      description: this.description,
    };
    if (f === "dict") return info;
    const t = table({ field: Object.keys(info), value: Object.values(info) });
    return f === "html" ? t.toHTML() : t;
  }

  /**
   * The member data objects, fetched with bounded concurrency.
   *
   * @param options `concurrency` (default 4), progress callback.
   * @returns The objects, in member order.
   */
  async data(
    options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Dobj[]> {
    options = checkOptions("Collection.data", options, ["concurrency", "onProgress"]);
    const concurrency = integer("Collection.data", "concurrency", options.concurrency ?? 4, {
      min: 1,
    });
    options = { ...options, concurrency };
    const uris = this.objects;
    let done = 0;
    return await mapPool(uris, options.concurrency ?? 4, async (u) => {
      const d = await fetchDobj(this.#cp, u);
      options.onProgress?.(++done, uris.length);
      return d;
    });
  }
}

/**
 * Collection access of a client (`cp.collection`).
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const meta = { res: "https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z", hash: "h", title: "Ambient CH4", doi: "10.18160/P7E9-EKEA",
 *   members: [{ res: "https://meta.icos-cp.eu/objects/zcw7TLlHcVAt8zYAZ4BqpyqL", hash: "x", name: "a.nc" }],
 *   parentCollections: [], latestVersion: "https://meta.icos-cp.eu/collections/WM5ShdLFqPSI0coyVa57G1_Z", references: { citationString: "ICOS (2019)" } };
 * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(meta)) });
 * const c = await cp.collection.get("WM5ShdLFqPSI0coyVa57G1_Z");
 * assert.equal(c.doi, "10.18160/P7E9-EKEA");
 * assert.equal(await c.getCitation(), "ICOS (2019)");
 * assert.equal(c.objects.length, 1);
 * ```
 */
export class CollectionApi {
  #cp: CarbonPortal;

  /**
   * Creates the API for a client; use `cp.collection`.
   *
   * @param cp The client.
   */
  constructor(cp: CarbonPortal) {
    this.#cp = cp;
  }

  /**
   * All current collections with their members: columns collection, doi,
   * title, description, dobj (member URIs), count. Two queries in all.
   *
   * @returns The table, ordered by title.
   */
  async getIdList(): Promise<ColumnTable> {
    const [colls, members] = await Promise.all([
      this.#cp.sparql.select(collectionsQuery()),
      this.#cp.sparql.select(collectionMembersQuery()),
    ]);
    const byColl = new Map<string, string[]>();
    for (const r of members.rows) {
      const c = r.iri("collection");
      byColl.set(c, [...(byColl.get(c) ?? []), r.iri("member")]);
    }
    const rows = colls.rows;
    const dobj = rows.map((r) => byColl.get(r.iri("collection")) ?? []);
    return table({
      collection: rows.map((r) => r.iri("collection")),
      doi: rows.map((r) => r.optString("doi") ?? ""),
      title: rows.map((r) => r.string("title")),
      description: rows.map((r) => r.optString("description") ?? ""),
      dobj,
      count: dobj.map((d) => d.length),
    });
  }

  /**
   * One collection by URI, id or DOI.
   *
   * @param ref A collection URI, its 24-character id, or its DOI (`10.…/…`, `doi:10.…`,
   *   `https://doi.org/10.…`; in any case, as `cp.dobj` takes a data object's DOI).
   * @returns The collection.
   * @throws {NotFoundError} When there is no such collection.
   */
  async get(ref: string): Promise<Collection> {
    let uri = ref;
    const doi = doiOf(ref);
    if (doi) {
      // DOIs are case-insensitive; the portal stores them upper-case
      const r = await this.#cp.sparql.select(`${PREFIXES}select ?collection where {
  ?collection a cpmeta:Collection ; cpmeta:hasDoi ?doi .
  filter(lcase(str(?doi)) = ${literal(doi.toLowerCase())})
  filter not exists { [] cpmeta:isNextVersionOf ?collection }
}`);
      if (r.length === 0) {
        throw new NotFoundError("Fetching collection", {
          status: 404,
          url: this.#cp.endpoints.sparql,
          body: `No collection with DOI ${doi}`,
        });
      }
      uri = r.rows[0].iri("collection");
    } else if (!/^[a-z]+:\/\//i.test(ref)) {
      uri = `${this.#cp.endpoints.meta}/collections/${encodeURIComponent(ref)}`;
    }
    const meta = await this.#cp.fetchJson(uri, "Fetching collection metadata", {
      notFound: /but got 0|not found|unknown/i,
    }) as CollectionMeta;
    if (!meta || !Array.isArray(meta.members)) {
      throw new UnsupportedFormatError(`Metadata of ${uri} is not a collection`);
    }
    return new Collection(this.#cp, meta);
  }
}
