// Names that are not safe object keys (issue 22), in Node against the
// browser bundle (argv[2]: the bundle's mod.js, argv[3]: names.nc). Prints
// one JSON line; tests/names_not_keys_test.ts runs it.
import { readFile } from "node:fs/promises";
import { namesReport } from "./names_report.mjs";

const icos = await import(process.argv[2]);
const bytes = new Uint8Array(await readFile(process.argv[3]));
console.log(JSON.stringify(await namesReport(icos, bytes)));
