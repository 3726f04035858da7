import oxigraph from "npm:oxigraph@0.5.11";
const N = 50000;
const P = "http://x/meta/";
const lines: string[] = [
  "@prefix cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/> .",
  "@prefix prov: <http://www.w3.org/ns/prov#> .",
  "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
];
for (let s = 0; s < 30; s++) {
  lines.push(
    `<${P}spec${s}> cpmeta:hasDataLevel ${s % 4} ; cpmeta:hasDataTheme <${P}theme${
      s % 3
    }> ; cpmeta:hasAssociatedProject <${P}proj${s % 2}> .`,
  );
}
for (let st = 0; st < 400; st++) {
  lines.push(`<${P}st${st}> cpmeta:hasStationId "S${st}" ; cpmeta:countryCode "C${st % 30}" .`);
}
for (let i = 0; i < N; i++) {
  const y = 2000 + (i % 25);
  lines.push(
    `<${P}o${i}> cpmeta:hasObjectSpec <${P}spec${
      i % 30
    }> ; cpmeta:hasName "f${i}.zip" ; cpmeta:hasSizeInBytes ${i} ; cpmeta:wasAcquiredBy <${P}a${i}> ; cpmeta:wasSubmittedBy <${P}s${i}> ${
      i % 7 === 0 ? `; cpmeta:isNextVersionOf <${P}o${i - 1}>` : ""
    }.`,
  );
  lines.push(
    `<${P}a${i}> prov:startedAtTime "${y}-01-01T00:00:00Z"^^xsd:dateTime ; prov:endedAtTime "${y}-12-31T23:00:00Z"^^xsd:dateTime ; prov:wasAssociatedWith <${P}st${
      i % 400
    }> ; cpmeta:hasSamplingHeight ${(i % 5) * 10}.0 .`,
  );
  lines.push(`<${P}s${i}> prov:endedAtTime "${y + 1}-02-01T00:00:00Z"^^xsd:dateTime .`);
}
const ttl = lines.join("\n");
let t = performance.now();
const store = new oxigraph.Store();
store.load(ttl, { format: "text/turtle", to_graph_name: oxigraph.namedNode(P + "g") });
console.log("load", performance.now() - t, store.size, ttl.length);
t = performance.now();
const nq = store.dump({ format: "application/n-quads" });
const s2 = new oxigraph.Store();
s2.load(nq, { format: "application/n-quads" });
console.log("dump+reload", performance.now() - t);
const q = (name: string, text: string) => {
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const r = store.query(
      `PREFIX cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ` +
        text,
      { results_format: "application/sparql-results+json", use_default_graph_as_union: true },
    ) as string;
    console.log(name, (performance.now() - t).toFixed(1), r.length);
  }
};
const base =
  `?dobj cpmeta:hasObjectSpec ?spec . FILTER NOT EXISTS {[] cpmeta:isNextVersionOf ?dobj}`;
q("count", `select (count(?dobj) as ?n) where { ${base} }`);
q("specfacet", `select ?spec (count(?dobj) as ?n) where { ${base} } group by ?spec`);
q(
  "stationfacet",
  `select ?st (count(?dobj) as ?n) where { ${base} ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?st } group by ?st`,
);
q(
  "yearfacet",
  `select ?y (count(?dobj) as ?n) where { ${base} ?dobj cpmeta:wasAcquiredBy/prov:startedAtTime ?t BIND(year(?t) as ?y) } group by ?y`,
);
q(
  "page",
  `select ?dobj ?spec ?name ?size ?sub where { ${base} ?dobj cpmeta:hasName ?name ; cpmeta:hasSizeInBytes ?size ; cpmeta:wasSubmittedBy/prov:endedAtTime ?sub } order by desc(?sub) limit 20`,
);
q(
  "allfacets",
  `select ?f ?v (count(?dobj) as ?n) where { ${base} { ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?v BIND("station" as ?f) } UNION { BIND(?spec as ?v) BIND("spec" as ?f)} UNION { ?spec cpmeta:hasDataLevel ?v BIND("level" as ?f)} UNION { ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith/cpmeta:countryCode ?v BIND("country" as ?f)} UNION { ?dobj cpmeta:wasAcquiredBy/prov:startedAtTime ?t BIND(year(?t) as ?v) BIND("year" as ?f)}  UNION { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?v BIND("h" as ?f)}} group by ?f ?v`,
);
q(
  "filtered",
  `select ?f ?v (count(?dobj) as ?n) where { VALUES ?spec {<${P}spec3> <${P}spec5>} ${base} ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?st . ?st cpmeta:countryCode "C3" . { BIND(?st as ?v) BIND("station" as ?f) } UNION { BIND(?spec as ?v) BIND("spec" as ?f)}  } group by ?f ?v`,
);
