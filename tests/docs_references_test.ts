// Every reference to a document of docs/ in the code and the docs resolves:
// the file exists and, for a reference with a section (`§N.M`), so does a
// heading numbered N.M
// (a range `§7.1–7.2` needs both ends).

import assert from "node:assert/strict";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const SCANNED = [
  "mod.ts",
  "README.md",
  "src",
  "emulator",
  "tests",
  "bench",
  "docs",
  "examples",
  "decoder-rs/src",
];

function* files(path: string): Generator<string> {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return;
  }
  if (info.isFile) {
    if (/\.(ts|md|rs|py|sh)$/.test(path)) yield path;
    return;
  }
  for (const e of Deno.readDirSync(path)) {
    if (e.name === "gen" || e.name === "target" || e.name.startsWith(".")) continue;
    yield* files(join(path, e.name));
  }
}

/** The section numbers of a markdown file's headings (`## 7.` → `7`, `### 7.3 …` → `7.3`). */
function sections(md: string): Set<string> {
  const out = new Set<string>();
  for (const m of md.matchAll(/^#{1,6} (\d+(?:\.\d+)*)\.? /gm)) out.add(m[1]);
  return out;
}

/** Every `docs/<file>.md` reference (with its sections) in the repository. */
export function references(): { where: string; doc: string; sections: string[] }[] {
  const out = [];
  for (const top of SCANNED) {
    for (const f of files(join(root, top))) {
      const text = Deno.readTextFileSync(f);
      const re = /(?<![\w/.])docs\/([\w-]+\.md)((?:,? ?§\d+(?:\.\d+)*(?:[–-]\d+(?:\.\d+)*)?)*)/g;
      for (const m of text.matchAll(re)) {
        const line = text.slice(0, m.index).split("\n").length;
        const secs = [...m[2].matchAll(/§(\d+(?:\.\d+)*)(?:[–-](\d+(?:\.\d+)*))?/g)]
          .flatMap((s) => (s[2] ? [s[1], s[2]] : [s[1]]));
        out.push({ where: `${relative(root, f)}:${line}`, doc: m[1], sections: secs });
      }
    }
  }
  return out;
}

Deno.test("every docs/… reference in code and docs names a document and a section that exist", () => {
  const refs = references();
  assert.ok(refs.filter((r) => r.doc === "protocol.md").length >= 25, "the protocol citations");
  const bad: string[] = [];
  const cache = new Map<string, Set<string> | undefined>();
  for (const r of refs) {
    if (!cache.has(r.doc)) {
      try {
        cache.set(r.doc, sections(Deno.readTextFileSync(join(root, "docs", r.doc))));
      } catch {
        cache.set(r.doc, undefined);
      }
    }
    const secs = cache.get(r.doc);
    if (!secs) bad.push(`${r.where}: docs/${r.doc} does not exist`);
    else {
      for (const s of r.sections) {
        if (!secs.has(s)) bad.push(`${r.where}: docs/${r.doc} has no §${s}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("no comment cites the protocol document by its old, unresolvable name", () => {
  const old: string[] = [];
  for (const top of SCANNED) {
    for (const f of files(join(root, top))) {
      if (f.endsWith("docs_references_test.ts")) continue;
      if (Deno.readTextFileSync(f).includes("portal-" + "protocol")) old.push(relative(root, f));
    }
  }
  assert.deepEqual(old, []);
});
