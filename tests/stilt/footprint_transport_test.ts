// StiltStation.getFp() with an explicit transport and an abort signal, as a
// user drives it against the emulator: the transport is never picked from the
// client's login, an abort or a failed slot ends every request the call
// started before the call settles, and getting a station loads no country data.
// One emulator for the file: no test changes its state.

import assert from "node:assert/strict";
import { CarbonPortal, NotFoundError, UnknownValueError } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";

const emu = await startEmulator();
globalThis.addEventListener("unload", () => void emu.close());

/** A fetch in front of the emulator that counts the requests still open (body included). */
function countingFetch(hold?: (url: string, signal: AbortSignal | undefined) => Promise<void>) {
  const state = { open: 0, urls: [] as string[], aborted: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    state.urls.push(url);
    state.open++;
    let res: Response;
    try {
      await hold?.(url, init?.signal ?? undefined);
      res = await fetch(input, init);
    } catch (e) {
      state.open--;
      if (init?.signal?.aborted) state.aborted++;
      throw e;
    }
    if (!res.body) {
      state.open--;
      return res;
    }
    const reader = res.body.getReader();
    let ended = false;
    const end = () => {
      if (!ended) (ended = true, state.open--);
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        try {
          const { value, done } = await reader.read();
          if (done) (end(), c.close());
          else c.enqueue(value);
        } catch (e) {
          end();
          c.error(e);
        }
      },
      async cancel(reason) {
        end();
        await reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
  return { state, fetchFn };
}

Deno.test("getFp() uses the rasters unless asked for the NetCDF package, even with a login, and rejects an unknown transport", async () => {
  const { state, fetchFn } = countingFetch();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
    fetch: fetchFn,
  });
  const gat = await cp.stilt.get("GAT344");
  const fp = await gat.getFp("2016-05-10", "2016-05-10", { hours: [12] });
  assert.deepEqual(fp.shape, [1, 480, 400]);
  assert.ok(state.urls.some((u) => u.includes("/footprint?")), "rasters");
  assert.ok(
    !state.urls.some((u) => u.includes("joinfootprints")),
    "no package without via: netcdf",
  );
  for (const via of ["auto", "rasters", "carrier-pigeon"]) {
    await assert.rejects(
      gat.getFp("2016-05-10", "2016-05-10", { via: via as "raster" }),
      (e: Error) => e instanceof UnknownValueError && e.message.includes(via),
    );
  }
  assert.equal(state.open, 0);
});

Deno.test("getFp() aborted by its signal settles only once every request it started has ended", async () => {
  const ac = new AbortController();
  let rasters = 0;
  const { state, fetchFn } = countingFetch((url) => {
    // the second raster request starts: abort while the others are in flight
    if (url.includes("/footprint?") && ++rasters === 2) ac.abort(new Error("user cancelled"));
    return Promise.resolve();
  });
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch: fetchFn, retry: { retries: 0 } });
  const gat = await cp.stilt.get("GAT344");
  const err = await gat.getFp("2016-05-10", "2016-05-11", { signal: ac.signal, concurrency: 4 })
    .then(() => undefined, (e) => e);
  assert.ok(err instanceof Error && err.message === "user cancelled", String(err));
  assert.equal(state.open, 0, "requests still open when getFp() settled");
  assert.ok(rasters >= 2 && rasters < 16, `${rasters} of 16 slots requested`);
  const already = AbortSignal.abort(new Error("before"));
  await assert.rejects(gat.getFp("2016-05-10", "2016-05-10", { signal: already }), /before/);
});

Deno.test("getFp(): a slot that fails cancels the slots in flight before the error arrives", async () => {
  const held: { url: string; signal?: AbortSignal }[] = [];
  const { state, fetchFn } = countingFetch((url, signal) => {
    if (!url.includes("/footprint?")) return Promise.resolve();
    if (url.includes("T00%3A00")) return Promise.resolve(); // answered: 404 below
    held.push({ url, signal });
    // held until cancelled (a getFp that forgot them would leave them open)
    return new Promise((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  });
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    retry: { retries: 0 },
    fetch: (input, init) =>
      String(input).includes("T00%3A00")
        ? Promise.resolve(new Response("no such slot", { status: 404 }))
        : fetchFn(input, init),
  });
  const gat = await cp.stilt.get("GAT344");
  const err = await gat.getFp("2016-05-10", "2016-05-10", { concurrency: 4 }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof NotFoundError, String(err));
  assert.ok(held.length >= 1, "other slots were in flight");
  assert.ok(held.every((h) => h.signal?.aborted), "every slot in flight was cancelled");
  assert.equal(state.open, 0);
});
