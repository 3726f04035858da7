// Parity tests (stations, collections, SPARQL): the emulator plus a little
// extra metadata the built-in dataset lacks and the Python docs' examples
// need — a non-ICOS station (project ALL), a pre-ICOS station sharing an id
// with an ICOS one (Python's `uri`/`project` lists), and the drought-2018
// atmosphere product (`icos_hist_sparql`). The RDF is written for the
// emulator's own instance prefix, so the port is chosen before it starts.

import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { CarbonPortal } from "../../mod.ts";

const CPMETA = "http://meta.icos-cp.eu/ontologies/cpmeta/";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Ids of the drought-2018 objects added (24 characters, like real ids). */
export const DROUGHT_OBJECTS = {
  puy: "droughtPUY10droughtPUY10",
  gat30: "droughtGAT30droughtGAT30",
  gat341: "droughtGAT341droughtGAT3",
} as const;

function extraTurtle(prefix: string): string {
  const R = `${prefix}resources/`;
  const obj = (id: string, station: string, height: number) => `
<${prefix}objects/${id}> cpmeta:hasObjectSpec <${R}cpmeta/drought2018AtmoProduct> ;
  cpmeta:hasSizeInBytes "1000"^^xsd:long ; cpmeta:hasName "ICOS_ATC_L2_${id}.zip" ;
  cpmeta:wasAcquiredBy <${R}acq_${id}> ; cpmeta:wasSubmittedBy <${R}subm_${id}> .
<${R}acq_${id}> prov:wasAssociatedWith <${R}stations/${station}> ;
  prov:startedAtTime "2015-01-01T00:00:00Z"^^xsd:dateTime ; prov:endedAtTime "2018-12-31T23:00:00Z"^^xsd:dateTime ;
  cpmeta:hasSamplingHeight "${height}"^^xsd:float .
<${R}subm_${id}> prov:endedAtTime "2020-06-01T00:00:00Z"^^xsd:dateTime .`;
  return `@prefix cpmeta: <${CPMETA}> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${R}stations/ATMO_PUY> a cpmeta:AtmoStation ; cpmeta:hasStationId "PUY" ; cpmeta:hasName "Puy de Dôme" ;
  cpmeta:countryCode "FR" ; cpmeta:hasLatitude "45.7719"^^xsd:double ; cpmeta:hasLongitude "2.9658"^^xsd:double ;
  cpmeta:hasElevation "1465.0"^^xsd:float .
<${R}stations/ATMO_HTM> a cpmeta:AtmoStation ; cpmeta:hasStationId "HTM" ; cpmeta:hasName "Hyltemossa (pre-ICOS)" ;
  cpmeta:countryCode "SE" ; cpmeta:hasLatitude "56.0976"^^xsd:double ; cpmeta:hasLongitude "13.4189"^^xsd:double .
<${R}projects/drought2018> a cpmeta:Project ; rdfs:label "Drought 2018" ; cpmeta:hasKeywords "pre-ICOS, drought" .
<${R}cpmeta/drought2018AtmoProduct> a cpmeta:SimpleObjectSpec ; rdfs:label "Drought-2018 CO2 molar fraction product" ;
  cpmeta:hasDataLevel "2"^^xsd:integer ; cpmeta:hasDataTheme <${R}themes/atmosphere> ;
  cpmeta:hasAssociatedProject <${R}projects/drought2018> ; cpmeta:containsDataset <${R}cpmeta/droughtAtmoDataset> .
${obj(DROUGHT_OBJECTS.puy, "ATMO_PUY", 10)}
${obj(DROUGHT_OBJECTS.gat30, "AS_GAT", 30)}
${obj(DROUGHT_OBJECTS.gat341, "AS_GAT", 341)}
`;
}

/** The emulator with the extra metadata, and a client for it. */
export async function emulatorWithExtras(
  fetchWrapper?: (f: typeof fetch) => typeof fetch,
): Promise<{ emu: Emulator; cp: CarbonPortal } & AsyncDisposable> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    const prefix = `http://127.0.0.1:${port}/meta/`;
    try {
      const emu = await startEmulator({
        port,
        rdf: [{
          graph: `${prefix}resources/extrastations/`,
          data: extraTurtle(prefix),
          format: "text/turtle",
        }],
      });
      const cp = new CarbonPortal({
        portal: emu.endpoints,
        ...(fetchWrapper ? { fetch: fetchWrapper(fetch) } : {}),
      });
      return { emu, cp, [Symbol.asyncDispose]: () => emu.close() };
    } catch (e) {
      if (!(e instanceof Deno.errors.AddrInUse)) throw e;
      lastError = e;
    }
  }
  throw lastError;
}
