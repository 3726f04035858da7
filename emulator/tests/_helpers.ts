// Test helpers for the emulator tests.

import type { DatasetObject, Emulator } from "../mod.ts";

/** Logs a user in and returns the `Cookie` header value as icoscp_core sends it (with the `;`). */
export async function login(emu: Emulator, which = 0): Promise<string> {
  const u = emu.users[which];
  const res = await fetch(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: u.email, password: u.password }),
  });
  await res.body?.cancel();
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(/\s/)[0];
}

/** Runs a SPARQL SELECT and returns the bindings. */
export async function select(
  emu: Emulator,
  query: string,
): Promise<Record<string, { type: string; value: string; datatype?: string }>[]> {
  const res = await fetch(emu.endpoints.sparql, {
    method: "POST",
    body: query,
    headers: { accept: "application/json", "content-type": "text/plain" },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`SPARQL ${res.status}: ${text}`);
  return JSON.parse(text).results.bindings;
}

/** The `/cpb` request body for an object, all columns or some. */
export function cpbBody(
  o: DatasetObject,
  columnNumbers?: number[],
  slice?: { offset: number; length: number },
): Record<string, unknown> {
  const format = o.spec === "etcFluxnetProduct"
    ? "asciiEtcHalfHourlyProductTimeSer"
    : "asciiAtcProductTimeSer";
  return {
    tableId: o.id,
    subFolder: format,
    schema: { columns: o.columns!.map((c) => c.type), size: o.nRows },
    columnNumbers: columnNumbers ?? o.columns!.map((_, i) => i),
    ...(slice ? { slice } : {}),
  };
}

/** The latest ATC CO2 release at Gartow. */
export function gatCo2(emu: Emulator): DatasetObject {
  return emu.dataset.objects.find((o) =>
    o.spec === "atcCo2L2DataObject" && o.station === "AS_GAT" && !o.nextVersion
  )!;
}

export const CPMETA = "http://meta.icos-cp.eu/ontologies/cpmeta/";
