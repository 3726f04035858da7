// Hostile landing-page JSON: the emulator's metadata of a few objects,
// mutated (values replaced by other types, keys deleted, text cut or
// garbled), served to the public API. Every failure must be a typed
// CarbonPortalError — never a raw TypeError, SyntaxError or DOMException.

import assert from "node:assert/strict";
import { CarbonPortal, CarbonPortalError } from "../../mod.ts";
import { authProvider } from "../../src/auth/mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { mulberry32 } from "../../emulator/_prng.ts";

const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1e300,
  1.5,
  "",
  "x",
  "http://x/y",
  true,
  [],
  [null],
  {},
  { label: 3 },
  [{}],
  [1, "a"],
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in `j`. */
function paths(j: Json, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(j)) j.forEach((v, i) => paths(v, [...at, i], out));
  else if (j && typeof j === "object") {
    for (const [k, v] of Object.entries(j)) paths(v, [...at, k], out);
  }
  return out;
}

function mutate(j: Json, path: (string | number)[], op: "set" | "delete", value: unknown): Json {
  if (path.length === 0) return value as Json;
  const copy = structuredClone(j) as Record<string | number, Json>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (op === "delete") {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value as Json;
  return copy as Json;
}

/** Calls every public reader of a Dobj; returns the first error. */
async function exercise(cp: CarbonPortal, id: string): Promise<unknown> {
  try {
    const d = await cp.dobj(id);
    void [d.id, d.uri, d.pid, d.doi, d.fileName, d.size, d.citation, d.licence];
    void [d.getCitation("plain"), d.getCitation("bibtex"), d.getCitation("ris")];
    void [d.previous, d.next, d.latest, d.isDeprecated, d.station, d.lat, d.lon];
    void [d.elevation, d.alt, d.samplingHeight, d.rows, d.columns, d.colNames];
    void d.variables.numRows();
    await d.getColumns();
    await d.getCsv({ limit: 3 });
    return undefined;
  } catch (e) {
    return e;
  }
}

Deno.test("hostile landing-page JSON gives only typed errors", async () => {
  await using emu = await startEmulator();
  const u = emu.users[0];
  const auth = authProvider({ user: u.email, password: u.password }); // one login for all
  const picks = [
    emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!,
    emu.dataset.objects.find((o) => o.spec === "etcFluxnetProduct")!,
    emu.dataset.objects.find((o) => o.spec === "inversionModelingSpatial")!,
  ];
  const rand = mulberry32(11);
  const data = new Map<string, { status: number; bytes: Uint8Array }>();
  let tried = 0;
  const untyped: string[] = [];
  for (const o of picks) {
    const original = await (await fetch(`${emu.endpoints.meta}/objects/${o.id}`, {
      headers: { accept: "application/json" },
    })).json() as Json;
    const text = JSON.stringify(original);
    const bodies: string[] = [];
    for (const p of paths(original)) {
      bodies.push(JSON.stringify(mutate(original, p, "delete", undefined)));
      const v = REPLACEMENTS[Math.floor(rand() * REPLACEMENTS.length)];
      bodies.push(JSON.stringify(mutate(original, p, "set", v)));
    }
    for (let k = 0; k < 40; k++) {
      const cut = Math.floor(rand() * text.length);
      bodies.push(text.slice(0, cut));
      bodies.push(
        text.slice(0, cut) + String.fromCharCode(Math.floor(rand() * 128)) + text.slice(cut + 1),
      );
    }
    for (const body of bodies) {
      tried++;
      const cp = new CarbonPortal({
        portal: emu.endpoints,
        auth,
        retry: { retries: 0 },
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (url.includes("/meta/objects/")) {
            return new Response(body, { headers: { "content-type": "application/json" } });
          }
          const key = `${url} ${init?.body ?? ""}`;
          if (url.endsWith("/cpb")) {
            // the emulator answers the schema sent; keep its work bounded
            const r = JSON.parse(String(init?.body));
            if (r.schema?.size !== o.nRows) return new Response("Bad schema", { status: 400 });
          }
          if (!url.includes("/data/")) return await fetch(input, init);
          // data answers are cached: the mutations are in the metadata
          let hit = data.get(key);
          if (!hit) {
            const res = await fetch(input, init);
            hit = { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
            data.set(key, hit);
          }
          return new Response(hit.bytes.slice(), { status: hit.status });
        },
      });
      const e = await exercise(cp, o.id);
      if (e !== undefined && !(e instanceof CarbonPortalError)) {
        untyped.push(`${(e as Error)?.name}: ${(e as Error)?.message} ← ${body.slice(0, 0)}`);
      }
    }
  }
  assert.ok(tried > 500, `${tried} mutations`);
  assert.deepEqual(
    untyped,
    [],
    `${untyped.length} of ${tried} mutations gave untyped errors:\n${
      [...new Set(untyped)].slice(0, 30).join("\n")
    }`,
  );
});
