// Parity with the Python docs' "Dobj" section (icoscp.cpb.dobj.Dobj), against
// the emulator: each test names the Python call it mirrors and checks the
// documented shape (keys, columns, counts, types).

import assert from "node:assert/strict";
import { CarbonPortal, type Dobj, NotFoundError, UnknownColumnError } from "../../mod.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";

// One emulator for the file: no test here changes its state.
const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

function client(emu: Emulator): CarbonPortal {
  return new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    retry: { minDelay: 1 },
  });
}

/** The emulator's ATC CH4 release: TIMESTAMP, Flag, NbPoints, ch4, Stdev (as in the docs). */
function ch4(emu: Emulator) {
  return emu.dataset.objects.find((o) => o.spec === "atcCh4L2DataObject" && !o.nextVersion)!;
}

async function ch4Dobj(emu: Emulator): Promise<Dobj> {
  return await client(emu).dobj(`11676/${ch4(emu).id}`);
}

Deno.test("Dobj('<landing URL>'), Dobj('11676/<id>'), Dobj('<id>') yield the same object", async () => {
  const cp = client(emu);
  const o = ch4(emu);
  const forms = [`${emu.endpoints.meta}/objects/${o.id}`, `11676/${o.id}`, o.id];
  const ds = await Promise.all(forms.map((f) => cp.dobj(f)));
  for (const d of ds) {
    assert.equal(d.id, o.id);
    assert.deepEqual(d.meta, ds[0].meta);
  }
  // Dobj('nonsense').valid == False: here a typed error instead of an invalid object
  await assert.rejects(cp.dobj("AAAAAAAAAAAAAAAAAAAAAAAA"), NotFoundError);
});

Deno.test("Dobj.meta / .info, .citation, .get_citation('bibtex'|'ris'), .licence keys", async () => {
  const d = await ch4Dobj(emu);
  // .meta: the landing page's dictionary
  for (
    const k of ["hash", "pid", "fileName", "size", "specification", "specificInfo", "references"]
  ) {
    assert.ok(k in d.meta, k);
  }
  // .citation: a plain string
  assert.equal(typeof d.citation, "string");
  assert.equal(d.getCitation(), d.citation);
  assert.match(d.getCitation("bibtex") ?? "", /^@/);
  assert.match(d.getCitation("ris") ?? "", /^TY {2}- /m);
  // .licence: dict_keys(['baseLicence', 'name', 'url', 'webpage'])
  const licence = d.licence!;
  for (const k of ["name", "url", "webpage"]) {
    assert.equal(typeof licence[k as "name"], "string", k);
  }
  assert.ok("baseLicence" in licence);
});

Deno.test("Dobj.previous / .next give the neighbouring versions' PIDs", async () => {
  const cp = client(emu);
  const old = emu.dataset.objects.find((o) => o.nextVersion && o.spec === "atcCo2L2DataObject")!;
  const d = await cp.dobj(old.id);
  assert.equal(d.next.length, 1);
  assert.match(d.next[0], new RegExp(`${old.nextVersion}$`));
  const newer = await cp.dobj(d.next[0]);
  assert.match(newer.previous[0], new RegExp(`${old.id}$`));
});

Deno.test("Dobj.colNames and Dobj.variables (index name unit type format) as in the docs' CH4 example", async () => {
  const d = await ch4Dobj(emu);
  assert.deepEqual(
    [...d.colNames].sort(),
    ["Flag", "NbPoints", "Stdev", "TIMESTAMP", "ch4"],
  );
  const v = d.variables;
  for (const c of ["name", "unit", "type", "format"]) assert.ok(v.columnNames().includes(c), c);
  assert.equal(v.numRows(), 5);
  const rows = v.objects() as { name: string; unit: string; type: string }[];
  const ch4Row = rows.find((r) => r.name === "ch4")!;
  assert.equal(ch4Row.unit, "nmol mol-1");
  assert.match(ch4Row.type, /CH4 mixing ratio/);
});

Deno.test("Dobj.data / Dobj.get(): every column, every row", async () => {
  const d = await ch4Dobj(emu);
  const t = await d.get();
  assert.deepEqual([...t.columnNames()].sort(), [...d.colNames].sort());
  assert.equal(t.numRows(), d.rows);
  assert.equal(t.numRows(), ch4(emu).nRows);
});

Deno.test("Dobj.get(['timestamp','ch4']): names match case-insensitively", async () => {
  const d = await ch4Dobj(emu);
  const t = await d.get(["timestamp", "ch4"]);
  // the flag column of ch4 comes along (it decides which values are bad)
  assert.deepEqual([...t.columnNames()].sort(), ["Flag", "TIMESTAMP", "ch4"]);
  assert.equal(t.numRows(), d.rows);
  assert.equal(typeof t.get("TIMESTAMP", 0), "number"); // milliseconds unless dateTimeConvert
  // a string where a list is expected, and duplicates, behave like the list
  const one = await d.get("CH4");
  assert.deepEqual([...one.columnNames()].sort(), ["Flag", "ch4"]);
  const twice = await d.getColumns(["ch4", "CH4", "Ch4"]);
  assert.deepEqual(Object.keys(twice).sort(), ["Flag", "ch4"]);
});

Deno.test("Dobj.get(['timestamp','ch4','notValid']): a typed error listing the columns, or dropped on request", async () => {
  const d = await ch4Dobj(emu);
  await assert.rejects(d.get(["timestamp", "ch4", "notValid"]), (e) => {
    assert.ok(e instanceof UnknownColumnError);
    assert.deepEqual(e.unknown, ["notValid"]);
    assert.deepEqual([...e.columns].sort(), [...d.colNames].sort());
    assert.match(e.message, /has no column notValid \(columns: .*TIMESTAMP/);
    return true;
  });
  const t = await d.get(["timestamp", "ch4", "notValid"], { unknownColumns: "drop" });
  assert.deepEqual([...t.columnNames()].sort(), ["Flag", "TIMESTAMP", "ch4"]);
  // nothing valid at all: never a silent "every column" as in Python
  await assert.rejects(d.get(["notValid"], { unknownColumns: "drop" }), UnknownColumnError);
});

Deno.test("Dobj.dateTimeConvert = True: time columns as dates", async () => {
  const d = await ch4Dobj(emu);
  const raw = await d.get(["TIMESTAMP"]);
  const dated = await d.get(["TIMESTAMP", "ch4"], { dateTimeConvert: true });
  const ts = dated.array("TIMESTAMP") as (Date | null)[];
  assert.equal(ts.length, d.rows);
  assert.ok(ts[0] instanceof Date);
  assert.equal(ts[0]!.getTime(), raw.get("TIMESTAMP", 0));
  assert.equal(ts[0]!.getTime(), Date.parse(ch4(emu).start));
  assert.equal(typeof dated.get("ch4", 0), "number"); // other columns stay numbers
});

Deno.test("Dobj.lat, .lon, .elevation / .alt, .station, .size", async () => {
  const d = await ch4Dobj(emu);
  for (const v of [d.lat, d.lon, d.elevation, d.alt]) assert.equal(typeof v, "number");
  assert.equal(d.alt, d.elevation);
  assert.equal(typeof d.station?.id, "string");
  assert.equal(typeof d.station?.org?.name, "string");
  // Python: (4.353, 'MB'); here the byte count
  assert.equal(d.size, ch4(emu).size);
});

Deno.test("A data object opens by its DOI (bare, doi:, https://doi.org/, any case)", async () => {
  const cp = client(emu);
  const o = emu.dataset.objects.find((x) => x.doi)!;
  assert.ok(o, "the emulator has a data object with a DOI");
  for (
    const ref of [o.doi!, `doi:${o.doi}`, `https://doi.org/${o.doi}`, o.doi!.toLowerCase()]
  ) {
    const d = await cp.dobj(ref);
    assert.equal(d.id, o.id, ref);
    assert.equal(d.doi, o.doi);
  }
  await assert.rejects(cp.dobj("10.18160/NO-SUCH-DOI"), (e) => {
    assert.ok(e instanceof NotFoundError);
    assert.match(e.message, /No data object with DOI 10\.18160\/NO-SUCH-DOI/);
    return true;
  });
});
