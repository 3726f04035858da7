// Private: landing-page metadata as the portal's metadata service serves it
// (docs/protocol.md §2): data objects, documents, collections and stations,
// with absent optional values omitted and one-or-many fields collapsed.

import {
  CPMETA,
  DATASETS,
  ENCODINGS,
  FORMATS,
  PROJECTS,
  QUANTITY_KINDS,
  SPECS,
  type StationFact,
  THEMES,
  VALUE_TYPES,
} from "./_catalog.ts";
import { ORGS, PEOPLE } from "./_station_facts.ts";
import type { Dataset, DatasetCollection, DatasetObject } from "./dataset.ts";
import { licenceOf } from "./dataset.ts";

type Json = Record<string, unknown>;

/** Where things live: the metadata prefix (`<url>/meta/`) and the data service (`<url>/data`). */
export interface Bases {
  readonly meta: string;
  readonly data: string;
}

const uriRes = (uri: string, label?: string): Json => ({
  uri,
  ...(label !== undefined ? { label } : {}),
  comments: [],
});

/** Builds the landing JSON documents of a dataset. */
export class Landing {
  readonly #ds: Dataset;
  readonly #b: Bases;
  readonly #R: string;
  readonly #parents = new Map<string, string[]>();

  constructor(ds: Dataset, bases: Bases) {
    this.#ds = ds;
    this.#b = bases;
    this.#R = `${bases.meta}resources/`;
    for (const c of ds.collections) {
      for (const m of c.members) this.#parents.set(m, [...(this.#parents.get(m) ?? []), c.id]);
    }
  }

  /** The URI of an object or collection. */
  itemUri(id: string): string {
    const isColl = this.#ds.collections.some((c) => c.id === id);
    return `${this.#b.meta}${isColl ? "collections" : "objects"}/${id}`;
  }

  #org(key: string): Json {
    return {
      self: uriRes(`${this.#R}organizations/${key}`, ORGS[key].label),
      name: ORGS[key].name,
    };
  }

  #person(key: string): Json {
    const p = PEOPLE[key];
    return {
      self: uriRes(`${this.#R}people/${key}`, `${p.first} ${p.last}`),
      firstName: p.first,
      lastName: p.last,
      email: p.email,
    };
  }

  #theme(key: string): Json {
    const t = THEMES[key];
    return {
      self: uriRes(`${this.#R}themes/${key}`, t.label),
      icon: t.icon,
      ...(t.marker ? { markerIcon: t.marker } : {}),
    };
  }

  /** Station JSON (nested form, without staff). */
  station(st: StationFact): Json {
    const theme = st.theme === "AS" ? "atmosphere" : st.theme === "ES" ? "ecosystem" : "ocean";
    const common = {
      theme: this.#theme(theme),
      stationClass: st.stationClass,
      ...(st.labelingDate ? { labelingDate: st.labelingDate } : {}),
      discontinued: false,
      ...(st.timeZoneOffset !== undefined ? { timeZoneOffset: st.timeZoneOffset } : {}),
      documentation: [],
    };
    const specificInfo = st.theme === "AS"
      ? { _type: "atc", ...(st.wigosId ? { wigosId: st.wigosId } : {}), ...common }
      : st.theme === "ES"
      ? { _type: "etc", ...common, stationDocs: [], stationPubs: [] }
      : { _type: "otc", ...common };
    return {
      org: { self: uriRes(`${this.#R}stations/${st.key}`, st.id), name: st.name },
      id: st.id,
      location: {
        lat: st.lat,
        lon: st.lon,
        ...(st.elevation !== undefined ? { alt: st.elevation } : {}),
        label: st.id,
      },
      ...(st.responsibleOrg ? { responsibleOrganization: this.#org(st.responsibleOrg) } : {}),
      pictures: [],
      specificInfo,
      countryCode: st.country,
      networks: [],
    };
  }

  /** Station landing JSON (with staff); undefined when unknown. */
  stationPage(key: string): Json | undefined {
    const st = this.#ds.stations.find((s) => s.key === key);
    if (!st) return undefined;
    return {
      ...this.station(st),
      staff: [{
        person: this.#person(st.pi),
        role: {
          role: uriRes(`${this.#R}roles/PI`, "Principal Investigator"),
          start: "2018-01-01T00:00:00Z",
        },
      }],
    };
  }

  #spec(key: string): Json {
    const sp = SPECS[key];
    const fmt = `${CPMETA}${sp.format}`;
    const flags = FORMATS[sp.format].goodFlags;
    const ds = DATASETS[sp.dataset];
    return {
      self: uriRes(`${this.#R}cpmeta/${key}`, sp.label),
      project: {
        self: uriRes(`${this.#R}projects/${sp.project}`, PROJECTS[sp.project].label),
        ...(PROJECTS[sp.project].keywords.length
          ? { keywords: PROJECTS[sp.project].keywords }
          : {}),
      },
      theme: this.#theme(sp.theme),
      format: {
        self: uriRes(fmt, FORMATS[sp.format].label),
        ...(flags.length ? { goodFlagValues: flags } : {}),
        uri: fmt,
      },
      encoding: uriRes(`${CPMETA}${sp.encoding}`, ENCODINGS[sp.encoding]),
      dataLevel: sp.level,
      specificDatasetType: sp.type,
      datasetSpec: { self: uriRes(`${this.#R}cpmeta/${sp.dataset}`, ds.label) },
      documentation: [],
      ...(sp.keywords ? { keywords: sp.keywords } : {}),
    };
  }

  #columns(o: DatasetObject): Json[] {
    const facts = DATASETS[SPECS[o.spec!].dataset].columns;
    return (o.columns ?? []).map((c) => {
      const f = facts.find((x) => x.key === c.model)!;
      const vt = VALUE_TYPES[f.valueType];
      return {
        model: uriRes(`${this.#R}cpmeta/${f.key}`, f.label),
        label: c.label,
        valueType: {
          self: uriRes(`${this.#R}cpmeta/${f.valueType}`, vt.label),
          ...(vt.quantityKind
            ? {
              quantityKind: uriRes(
                `${this.#R}cpmeta/${vt.quantityKind}`,
                QUANTITY_KINDS[vt.quantityKind],
              ),
            }
            : {}),
          ...(vt.unit ? { unit: vt.unit } : {}),
        },
        valueFormat: `${CPMETA}${f.valueFormat}`,
        ...(f.flagFor ? { isFlagFor: f.flagFor.map((m) => `${this.#R}cpmeta/${m}`) } : {}),
      };
    });
  }

  #submitter(o: DatasetObject): string {
    if (!o.spec) return "CP";
    return SPECS[o.spec].theme === "ecosystem" ? "ETC" : o.spec.startsWith("atc") ? "ATC" : "CP";
  }

  #versions(o: DatasetObject): Json {
    let latest = o;
    while (latest.nextVersion) latest = this.#ds.objects.find((x) => x.id === latest.nextVersion)!;
    return {
      ...(o.previousVersion ? { previousVersion: this.itemUri(o.previousVersion) } : {}),
      ...(o.nextVersion ? { nextVersion: this.itemUri(o.nextVersion) } : {}),
      latestVersion: this.itemUri(latest.id),
    };
  }

  #parentsOf(id: string): Json[] {
    return (this.#parents.get(id) ?? []).map((c) => {
      const coll = this.#ds.collections.find((k) => k.id === c)!;
      return uriRes(this.itemUri(c), coll.title);
    });
  }

  #references(o: DatasetObject): Json {
    const authors = o.authors.map((a) => this.#person(a));
    const lic = licenceOf(o);
    const title = o.title ?? (o.spec ? SPECS[o.spec].label : undefined);
    const year = o.submitted.end.slice(0, 4);
    const pid = `https://hdl.handle.net/11676/${o.id}`;
    return {
      ...(o.citation
        ? {
          citationString: o.citation,
          citationBibTex: `@misc{${o.id},\n  author={${
            o.authors.map((a) => `${PEOPLE[a].last}, ${PEOPLE[a].first}`).join(" and ")
          }},\n  title={${title}},\n  year={${year}},\n  url={${pid}},\n  publisher={ICOS RI}\n}`,
          citationRis: [
            "TY  - DATA",
            `T1  - ${title}`,
            ...o.authors.map((a) => `AU  - ${PEOPLE[a].last}, ${PEOPLE[a].first}`),
            `PY  - ${year}`,
            `UR  - ${pid}`,
            "PB  - ICOS RI",
            "ER  - ",
          ].join("\n"),
        }
        : {}),
      ...(authors.length ? { authors } : {}),
      ...(title && o.kind === "data" ? { title } : {}),
      ...(o.spec && (SPECS[o.spec].keywords || o.keywords)
        ? { keywords: [...(SPECS[o.spec].keywords ?? []), ...(o.keywords ?? [])] }
        : {}),
      licence: lic,
    };
  }

  #coverageGeo(o: DatasetObject): Json | undefined {
    const st = o.station ? this.#ds.stations.find((s) => s.key === o.station) : undefined;
    if (st) {
      return {
        type: "Feature",
        geometry: {
          type: "Point",
          coordinates: [st.lon, st.lat, ...(st.elevation !== undefined ? [st.elevation] : [])],
        },
        properties: { label: st.id },
      };
    }
    if (o.box) return boxGeo(o.box);
    return undefined;
  }

  /** Data or document object landing JSON; undefined when unknown. */
  object(id: string): Json | undefined {
    const o = this.#ds.objects.find((x) => x.id === id);
    if (!o) return undefined;
    const envelope = {
      hash: o.hash,
      accessUrl: `${this.#b.data}/objects/${o.id}`,
      pid: `11676/${o.id}`,
      ...(o.doi ? { doi: o.doi } : {}),
      fileName: o.fileName,
      size: o.size,
      submission: {
        submitter: this.#org(this.#submitter(o)),
        start: o.submitted.start,
        stop: o.submitted.end,
      },
    };
    if (o.kind === "document") {
      return {
        ...envelope,
        ...(o.description ? { description: o.description } : {}),
        ...this.#versions(o),
        parentCollections: this.#parentsOf(o.id),
        references: { ...(o.title ? { title: o.title } : {}), licence: licenceOf(o) },
      };
    }
    const sp = SPECS[o.spec!];
    const st = o.station ? this.#ds.stations.find((s) => s.key === o.station) : undefined;
    const production = o.produced
      ? {
        creator: this.#org(this.#submitter(o)),
        contributors: o.authors.map((a) => this.#person(a)),
        host: this.#org(this.#submitter(o)),
        sources: [],
        dateTime: o.produced,
      }
      : undefined;
    const specificInfo = sp.type === "StationTimeSeries"
      ? {
        acquisition: {
          station: this.station(st!),
          interval: { start: o.start, stop: o.end },
          ...(o.samplingHeight !== undefined ? { samplingHeight: o.samplingHeight } : {}),
        },
        ...(production ? { productionInfo: production } : {}),
        nRows: o.nRows,
        columns: this.#columns(o),
      }
      : {
        title: o.title,
        ...(o.description ? { description: o.description } : {}),
        spatial: {
          min: { lat: o.box!.minLat, lon: o.box!.minLon },
          max: { lat: o.box!.maxLat, lon: o.box!.maxLon },
          _type: "LatLonBox",
          geo: boxGeo(o.box!),
        },
        temporal: {
          interval: { start: o.start, stop: o.end },
          ...(o.resolution ? { resolution: o.resolution } : {}),
        },
        productionInfo: production,
        variables: [],
      };
    const coverage = this.#coverageGeo(o);
    return {
      ...envelope,
      specification: this.#spec(o.spec!),
      specificInfo,
      ...this.#versions(o),
      parentCollections: this.#parentsOf(o.id),
      references: this.#references(o),
      ...(coverage ? { coverageGeo: coverage } : {}),
    };
  }

  /** Collection landing JSON; undefined when unknown. */
  collection(id: string): Json | undefined {
    const c = this.#ds.collections.find((x) => x.id === id);
    if (!c) return undefined;
    const members = c.members.map((m) => {
      const o = this.#ds.objects.find((x) => x.id === m);
      if (o) return { res: this.itemUri(m), hash: o.hash, name: o.fileName };
      const k = this.#ds.collections.find((x) => x.id === m)!;
      return { res: this.itemUri(m), hash: k.hash, title: k.title, name: k.title };
    });
    return {
      res: this.itemUri(c.id),
      hash: c.hash,
      members,
      creator: this.#org("CP"),
      title: c.title,
      description: c.description,
      latestVersion: this.itemUri(c.id),
      parentCollections: this.#parentsOf(c.id),
      ...(c.doi ? { doi: c.doi } : {}),
      references: {
        ...(c.citation ? { citationString: c.citation } : {}),
        // DOI collections carry BibTeX and RIS as the portal's do (from the DOI metadata)
        ...(c.doi
          ? {
            citationBibTex:
              `@misc{${c.doi},\n  title={${c.title}},\n  year={2024},\n  doi={${c.doi}},\n  url={https://doi.org/${c.doi}},\n  publisher={ICOS RI}\n}`,
            citationRis: [
              "TY  - DATA",
              `T1  - ${c.title}`,
              "PY  - 2024",
              `DO  - ${c.doi}`,
              `UR  - https://doi.org/${c.doi}`,
              "PB  - ICOS RI",
              "ER  - ",
            ].join("\n"),
          }
          : {}),
        title: c.title,
      },
    };
  }

  /** The collection record, for HTML pages. */
  collectionRecord(id: string): DatasetCollection | undefined {
    return this.#ds.collections.find((x) => x.id === id);
  }
}

function boxGeo(b: NonNullable<DatasetObject["box"]>): Json {
  return {
    type: "Polygon",
    coordinates: [[[b.minLon, b.minLat], [b.minLon, b.maxLat], [b.maxLon, b.maxLat], [
      b.maxLon,
      b.minLat,
    ], [
      b.minLon,
      b.minLat,
    ]]],
  };
}

/** A small HTML landing page. */
export function landingHtml(title: string, rows: [string, string][]): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
    `<body><h1>${esc(title)}</h1><table>${
      rows.map(([k, v]) =>
        `<tr><th>${esc(k)}</th><td>${
          /^https?:/.test(v) ? `<a href="${esc(v)}">${esc(v)}</a>` : esc(v)
        }</td></tr>`
      ).join("")
    }</table><p>Served by the icoscp local Carbon Portal emulator (synthetic data).</p></body></html>`;
}
