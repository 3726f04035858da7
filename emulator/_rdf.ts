// Private: the dataset as RDF (Turtle), one document per named graph, using
// the portal's real ontology terms (docs/protocol.md §5.2) and instance URIs
// under the emulator's own prefix.

import {
  BASE_KEYS,
  CPMETA,
  DATASETS,
  ENCODINGS,
  FORMATS,
  PROJECTS,
  QUANTITY_KINDS,
  SPECS,
  THEMES,
  VALUE_FORMATS,
  VALUE_TYPES,
} from "./_catalog.ts";
import { ORGS, PEOPLE } from "./_station_facts.ts";
import type { Dataset, DatasetObject } from "./dataset.ts";
import { decodeBase64 } from "./_hash.ts";
import { base64 } from "./_hash.ts";

const HEAD = `@prefix cpmeta: <${CPMETA}> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix cc: <http://creativecommons.org/ns#> .
`;

/** A Turtle string literal. */
const s = (v: string) => JSON.stringify(v);
const typed = (v: string | number, t: string) => `${s(String(v))}^^xsd:${t}`;
const dbl = (v: number) => typed(Number.isInteger(v) ? v.toFixed(1) : String(v), "double");
const flt = (v: number) => typed(Number.isInteger(v) ? v.toFixed(1) : String(v), "float");

/** The named graphs of the dataset: graph IRI → Turtle (without the objects' with `objects: false`). */
export function datasetRdf(
  ds: Dataset,
  prefix: string,
  options: { objects?: boolean } = {},
): Map<string, string> {
  const P = prefix;
  const R = `${P}resources/`;
  const res = (local: string) => `<${R}cpmeta/${local}>`;
  const graphs = new Map<string, string[]>();
  const add = (graph: string, ...lines: string[]) => {
    let g = graphs.get(graph);
    if (!g) graphs.set(graph, g = [HEAD]);
    g.push(...lines);
  };

  // Ontology subset (real URIs).
  const onto = CPMETA;
  const classes: [string, string][] = [
    ["AS", "IcosStation"],
    ["ES", "IcosStation"],
    ["OS", "IcosStation"],
    ["IcosStation", "Station"],
    ["AtmoStation", "Station"],
    ["FluxnetStation", "Station"],
    ["IcosCitiesStation", "Station"],
    ["Station", "Organization"],
    ["SimpleObjectSpec", "DataObjectSpec"],
    ["TabularDatasetSpec", "DatasetSpec"],
  ];
  for (const [c, sup] of classes) {
    add(
      onto,
      `cpmeta:${c} a <http://www.w3.org/2002/07/owl#Class> ; rdfs:subClassOf cpmeta:${sup} .`,
    );
  }
  for (const [k, f] of Object.entries(FORMATS)) {
    add(
      onto,
      `cpmeta:${k} a cpmeta:ObjectFormat ; rdfs:label ${s(f.label)}` +
        f.goodFlags.map((g) => ` ; cpmeta:hasGoodFlagValue ${s(g)}`).join("") + " .",
    );
  }
  for (const [k, l] of Object.entries(ENCODINGS)) {
    add(onto, `cpmeta:${k} a cpmeta:ObjectEncoding ; rdfs:label ${s(l)} .`);
  }
  for (const [k, f] of Object.entries(VALUE_FORMATS)) {
    add(onto, `cpmeta:${k} a cpmeta:ValueFormat ; rdfs:label ${s(f.label)} .`);
  }
  add(
    onto,
    `cpmeta:stationTimeSeriesDataset rdfs:label "Station-specific time series" .`,
    `cpmeta:spatioTemporalDataset rdfs:label "Spatio-temporal dataset" .`,
    `cpmeta:icosLicence a dcterms:LicenseDocument ; rdfs:label "ICOS CCBY4 Data Licence" ; ` +
      `rdfs:seeAlso "${P.replace(/meta\/$/, "data/licence")}"^^xsd:anyURI .`,
  );

  // Specifications, datasets, columns, value types, themes, projects, organizations.
  const cp = `${R}cpmeta/`;
  // the generated catalogue's extra specs, datasets and value types only when used
  const usedSpecs = new Set(ds.objects.map((o) => o.spec));
  const specs = Object.values(SPECS).filter((sp) => BASE_KEYS.has(sp.key) || usedSpecs.has(sp.key));
  const datasets = Object.entries(DATASETS).filter(([k]) =>
    BASE_KEYS.has(k) || specs.some((sp) => sp.dataset === k)
  );
  const usedTypes = new Set(datasets.flatMap(([, d]) => d.columns.map((c) => c.valueType)));
  for (const sp of specs) {
    add(
      cp,
      `${res(sp.key)} a cpmeta:SimpleObjectSpec ; rdfs:label ${s(sp.label)} ; ` +
        `cpmeta:hasDataLevel ${sp.level} ; cpmeta:hasAssociatedProject <${R}projects/${sp.project}> ; ` +
        `cpmeta:hasDataTheme <${R}themes/${sp.theme}> ; cpmeta:containsDataset ${
          res(sp.dataset)
        } ; ` +
        `cpmeta:hasFormat cpmeta:${sp.format} ; cpmeta:hasEncoding cpmeta:${sp.encoding} ; ` +
        `cpmeta:hasSpecificDatasetType cpmeta:${
          sp.type === "StationTimeSeries" ? "stationTimeSeriesDataset" : "spatioTemporalDataset"
        }` + (sp.keywords ? ` ; cpmeta:hasKeywords ${s(sp.keywords.join(", "))}` : "") + " .",
    );
  }
  const seenCols = new Set<string>();
  for (const [key, d] of datasets) {
    add(
      cp,
      `${res(key)} a cpmeta:${
        d.columns.length ? "TabularDatasetSpec" : "DatasetSpec"
      } ; rdfs:label ${s(d.label)}` + d.columns.map((c) =>
        ` ; cpmeta:hasColumn ${res(c.key)}`
      ).join("") + " .",
    );
    for (const c of d.columns) {
      if (seenCols.has(c.key)) continue;
      seenCols.add(c.key);
      add(
        cp,
        `${res(c.key)} a cpmeta:DatasetColumn ; rdfs:label ${s(c.label)} ; cpmeta:hasColumnTitle ${
          s(c.title)
        } ; cpmeta:hasValueFormat cpmeta:${c.valueFormat} ; cpmeta:hasValueType ${
          res(c.valueType)
        }` +
          (c.flagFor ?? []).map((f) => ` ; cpmeta:isQualityFlagFor ${res(f)}`).join("") + " .",
      );
    }
  }
  for (const [k, v] of Object.entries(VALUE_TYPES)) {
    if (!BASE_KEYS.has(k) && !usedTypes.has(k)) continue;
    add(
      cp,
      `${res(k)} a cpmeta:ValueType ; rdfs:label ${s(v.label)}` +
        (v.unit ? ` ; cpmeta:hasUnit ${s(v.unit)}` : "") +
        (v.quantityKind ? ` ; cpmeta:hasQuantityKind ${res(v.quantityKind)}` : "") + " .",
    );
  }
  for (const [k, l] of Object.entries(QUANTITY_KINDS)) {
    add(cp, `${res(k)} a cpmeta:QuantityKind ; rdfs:label ${s(l)} .`);
  }
  for (const [k, t] of Object.entries(THEMES)) {
    add(
      cp,
      `<${R}themes/${k}> a cpmeta:DataTheme ; rdfs:label ${s(t.label)} ; cpmeta:hasIcon ${
        typed(t.icon, "anyURI")
      }` +
        (t.marker ? ` ; cpmeta:hasMarkerIcon ${typed(t.marker, "anyURI")}` : "") + " .",
    );
  }
  for (const [k, p] of Object.entries(PROJECTS)) {
    add(
      cp,
      `<${R}projects/${k}> a cpmeta:Project ; rdfs:label ${s(p.label)}` +
        (p.keywords.length ? ` ; cpmeta:hasKeywords ${s(p.keywords.join(", "))}` : "") +
        (k === "icos" ? " ; cpmeta:impliesDefaultLicence cpmeta:icosLicence" : "") + " .",
    );
  }
  for (const [k, o] of Object.entries(ORGS)) {
    add(
      cp,
      `<${R}organizations/${k}> a cpmeta:Organization ; rdfs:label ${s(o.label)} ; cpmeta:hasName ${
        s(o.name)
      } .`,
    );
  }
  add(cp, `<${R}roles/PI> a cpmeta:Role ; rdfs:label "Principal Investigator" .`);

  // Stations, people, memberships.
  const icos = `${R}icos/`;
  for (const st of ds.stations) {
    const u = `<${R}stations/${st.key}>`;
    add(
      icos,
      `${u} a cpmeta:${st.theme} ; rdfs:label ${s(st.id)} ; cpmeta:hasStationId ${s(st.id)} ; ` +
        `cpmeta:hasName ${s(st.name)} ; cpmeta:countryCode ${s(st.country)} ; ` +
        `cpmeta:hasLatitude ${dbl(st.lat)} ; cpmeta:hasLongitude ${dbl(st.lon)} ; ` +
        `cpmeta:hasStationClass ${s(st.stationClass)}` +
        (st.elevation !== undefined ? ` ; cpmeta:hasElevation ${flt(st.elevation)}` : "") +
        (st.wigosId ? ` ; cpmeta:hasWigosId ${s(st.wigosId)}` : "") +
        (st.labelingDate ? ` ; cpmeta:hasLabelingDate ${typed(st.labelingDate, "date")}` : "") +
        (st.timeZoneOffset !== undefined
          ? ` ; cpmeta:hasTimeZoneOffset ${st.timeZoneOffset}`
          : "") +
        (st.responsibleOrg
          ? ` ; cpmeta:hasResponsibleOrganization <${R}organizations/${st.responsibleOrg}>`
          : "") +
        " .",
      `<${R}memberships/${st.key}_PI> a cpmeta:Membership ; cpmeta:atOrganization ${u} ; ` +
        `cpmeta:hasRole <${R}roles/PI> ; cpmeta:hasStartTime ${
          typed("2018-01-01T00:00:00Z", "dateTime")
        } .`,
      `<${R}people/${st.pi}> cpmeta:hasMembership <${R}memberships/${st.key}_PI> .`,
    );
  }
  for (const [k, p] of Object.entries(PEOPLE)) {
    add(
      icos,
      `<${R}people/${k}> a cpmeta:Person ; cpmeta:hasFirstName ${s(p.first)} ; cpmeta:hasLastName ${
        s(p.last)
      } ; cpmeta:hasEmail ${s(p.email)} .`,
    );
  }

  // Objects (left out for the store of the vocabulary alone).
  for (const o of options.objects === false ? [] : ds.objects) {
    const graph = o.kind === "document" ? `${P}documents/` : `${R}${SPECS[o.spec!].graph}/`;
    add(graph, ...objectTriples(o, P));
  }
  for (const c of ds.collections) {
    const isColl = new Set(ds.collections.map((k) => k.id));
    add(
      `${P}collections/`,
      `<${P}collections/${c.id}> a cpmeta:Collection ; dcterms:title ${s(c.title)} ; ` +
        `dcterms:description ${s(c.description)} ; dcterms:creator <${R}organizations/CP>` +
        c.members.map((m) =>
          ` ; dcterms:hasPart <${P}${isColl.has(m) ? "collections" : "objects"}/${m}>`
        )
          .join("") +
        (c.doi ? ` ; cpmeta:hasDoi ${s(c.doi)}` : "") +
        (c.citation ? ` ; cpmeta:hasCitationString ${s(c.citation)}` : "") + " .",
    );
  }
  return new Map([...graphs].map(([g, lines]) => [g, lines.join("\n") + "\n"]));
}

function objectTriples(o: DatasetObject, P: string): string[] {
  const R = `${P}resources/`;
  const u = `<${P}objects/${o.id}>`;
  const out: string[] = [];
  const props = [
    `a cpmeta:${o.kind === "document" ? "DocumentObject" : "DataObject"}`,
    `cpmeta:hasName ${s(o.fileName)}`,
    `cpmeta:hasSha256sum ${typed(base64(decodeBase64(o.hash)!), "base64Binary")}`,
    `cpmeta:hasSizeInBytes ${typed(o.size, "long")}`,
    `cpmeta:wasSubmittedBy <${R}subm_${o.id}>`,
  ];
  if (o.spec) props.push(`cpmeta:hasObjectSpec <${R}cpmeta/${o.spec}>`);
  if (o.nRows !== undefined) props.push(`cpmeta:hasNumberOfRows ${o.nRows}`);
  if (o.actualColumnNames) {
    props.push(`cpmeta:hasActualColumnNames ${s(JSON.stringify(o.actualColumnNames))}`);
  }
  if (o.previousVersion) props.push(`cpmeta:isNextVersionOf <${P}objects/${o.previousVersion}>`);
  if (o.citation) props.push(`cpmeta:hasCitationString ${s(o.citation)}`);
  if (o.doi) props.push(`cpmeta:hasDoi ${s(o.doi)}`);
  if (o.keywords?.length) props.push(`cpmeta:hasKeywords ${s(o.keywords.join(", "))}`);
  if (o.description) props.push(`dcterms:description ${s(o.description)}`);
  if (o.licence === "cc0" && o.kind === "data") {
    props.push(`cc:license <https://creativecommons.org/publicdomain/zero/1.0/>`);
  }
  if (o.produced) props.push(`cpmeta:wasProducedBy <${R}prod_${o.id}>`);
  if (o.station) {
    props.push(`cpmeta:wasAcquiredBy <${R}acq_${o.id}>`);
    out.push(
      `<${R}acq_${o.id}> a cpmeta:DataAcquisition ; prov:startedAtTime ${
        typed(o.start, "dateTime")
      } ; ` +
        `prov:endedAtTime ${
          typed(o.end, "dateTime")
        } ; prov:wasAssociatedWith <${R}stations/${o.station}>` +
        (o.samplingHeight !== undefined
          ? ` ; cpmeta:hasSamplingHeight ${flt(o.samplingHeight)}`
          : "") +
        " .",
    );
  } else if (o.kind === "data") {
    props.push(
      `cpmeta:hasStartTime ${typed(o.start, "dateTime")}`,
      `cpmeta:hasEndTime ${typed(o.end, "dateTime")}`,
    );
  }
  if (o.title) props.push(`dcterms:title ${s(o.title)}`);
  if (o.box) {
    const b = o.box;
    props.push(`cpmeta:hasSpatialCoverage <${R}spcov_${o.id}>`);
    const geo = JSON.stringify({
      type: "Polygon",
      coordinates: [[[b.minLon, b.minLat], [b.maxLon, b.minLat], [b.maxLon, b.maxLat], [
        b.minLon,
        b.maxLat,
      ], [
        b.minLon,
        b.minLat,
      ]]],
    });
    out.push(
      `<${R}spcov_${o.id}> a cpmeta:LatLonBox ; cpmeta:hasSouthernBound ${dbl(b.minLat)} ; ` +
        `cpmeta:hasNorthernBound ${dbl(b.maxLat)} ; cpmeta:hasWesternBound ${dbl(b.minLon)} ; ` +
        `cpmeta:hasEasternBound ${dbl(b.maxLon)} ; cpmeta:asGeoJSON ${s(geo)} .`,
    );
  }
  const submitter = o.spec
    ? SPECS[o.spec].theme === "ecosystem" ? "ETC" : o.spec.startsWith("atc") ? "ATC" : "CP"
    : "CP";
  out.push(
    `<${R}subm_${o.id}> a cpmeta:DataSubmission ; prov:startedAtTime ${
      typed(o.submitted.start, "dateTime")
    } ; ` +
      `prov:endedAtTime ${
        typed(o.submitted.end, "dateTime")
      } ; prov:wasAssociatedWith <${R}organizations/${submitter}> .`,
  );
  if (o.produced) {
    out.push(
      `<${R}prod_${o.id}> a cpmeta:DataProduction ; cpmeta:hasEndTime ${
        typed(o.produced, "dateTime")
      } ; ` +
        `cpmeta:wasPerformedBy <${R}organizations/${submitter}>` +
        o.authors.map((a) => ` ; cpmeta:wasParticipatedInBy <${R}people/${a}>`).join("") + " .",
    );
  }
  out.push(`${u} ${props.join(" ;\n  ")} .`);
  return out;
}
