import assert from "node:assert/strict";
import {
  AuthenticationError,
  CarbonPortal,
  CorruptDataError,
  type FetchFn,
  HttpError,
  ICOS,
  ICOS_CITIES,
  LicenceError,
  NetworkError,
  NotFoundError,
  ServerError,
  SITES,
  TimeoutError,
} from "../../mod.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function recorder(responses: (Response | Error | (() => Promise<Response>))[]) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetch: FetchFn = (input, init) => {
    calls.push({ url: String(input), init });
    const next = responses[Math.min(calls.length - 1, responses.length - 1)];
    if (next instanceof Error) return Promise.reject(next);
    if (typeof next === "function") return next();
    return Promise.resolve(next.clone());
  };
  return { calls, fetch };
}

Deno.test("CarbonPortal() defaults to the ICOS endpoints", () => {
  const cp = new CarbonPortal();
  assert.deepEqual(cp.endpoints, ICOS);
  assert.equal(cp.timeout, 60_000);
  assert.deepEqual(cp.retry, { retries: 3, minDelay: 250, maxDelay: 8000 });
});

Deno.test("CarbonPortal() takes the SITES and ICOS Cities presets by name", () => {
  assert.deepEqual(new CarbonPortal({ portal: "sites" }).endpoints, SITES);
  assert.deepEqual(new CarbonPortal({ portal: "cities" }).endpoints, ICOS_CITIES);
  assert.equal(SITES.auth, "https://auth.fieldsites.se");
  assert.equal(ICOS_CITIES.sparql, "https://citymeta.icos-cp.eu/sparql");
  assert.throws(() => new CarbonPortal({ portal: "mars" as "icos" }), InvalidArgumentError);
});

Deno.test("CarbonPortal() takes explicit endpoints such as an emulator's and trims slashes", () => {
  const cp = new CarbonPortal({
    endpoints: { data: "http://127.0.0.1:8080/data/", sparql: "http://127.0.0.1:8080/meta/sparql" },
  });
  assert.equal(cp.endpoints.data, "http://127.0.0.1:8080/data");
  assert.equal(cp.endpoints.sparql, "http://127.0.0.1:8080/meta/sparql");
  assert.equal(cp.endpoints.auth, ICOS.auth);
  assert.ok(Object.isFrozen(cp.endpoints));
  assert.throws(() => new CarbonPortal({ endpoints: { data: "not a url" } }), InvalidArgumentError);
  assert.throws(() => new CarbonPortal({ timeout: -1 }), InvalidArgumentError);
  assert.throws(() => new CarbonPortal({ retry: { retries: NaN } }), InvalidArgumentError);
});

Deno.test("CarbonPortal.request() sends through the injected fetch with merged headers and no redirects", async () => {
  const { calls, fetch } = recorder([new Response("ok")]);
  const cp = new CarbonPortal({ fetch, headers: { "x-client": "icoscp-ts" } });
  const res = await cp.request("https://data.icos-cp.eu/cpb", {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  assert.equal(await res.text(), "ok");
  assert.equal(calls.length, 1);
  const headers = new Headers(calls[0].init?.headers);
  assert.equal(headers.get("x-client"), "icoscp-ts");
  assert.equal(headers.get("content-type"), "application/json");
  assert.equal(calls[0].init?.redirect, "manual");
  assert.equal(calls[0].init?.method, "POST");
});

Deno.test("CarbonPortal.request() maps statuses to typed errors with url and body", async () => {
  const cases: [Response, new (...a: never[]) => HttpError][] = [
    [
      new Response("ICOS data portal login is required for binary downloads", { status: 401 }),
      AuthenticationError,
    ],
    [
      new Response("Accepting data licence in your user profile is required for binary downloads", {
        status: 403,
      }),
      LicenceError,
    ],
    [new Response("Incorrect user name or password", { status: 403 }), AuthenticationError],
    [new Response("Not found", { status: 404 }), NotFoundError],
    [new Response("Expected a proper binary table request", { status: 400 }), HttpError],
    [new Response("boom", { status: 500 }), ServerError],
  ];
  for (const [response, Kind] of cases) {
    const { fetch } = recorder([response]);
    const cp = new CarbonPortal({ fetch, retry: { retries: 0 } });
    await assert.rejects(
      cp.request("https://data.icos-cp.eu/cpb", { hint: "Fetching binary" }),
      (e) => {
        assert.ok(e instanceof Kind, `${response.status}: ${e}`);
        assert.equal((e as HttpError).status, response.status);
        assert.equal((e as HttpError).url, "https://data.icos-cp.eu/cpb");
        assert.match(
          (e as HttpError).message,
          new RegExp(`^Fetching binary failed: HTTP ${response.status}`),
        );
        return true;
      },
    );
  }
});

Deno.test("CarbonPortal.request() turns the licence redirect into a LicenceError", async () => {
  const { fetch } = recorder([
    new Response("The requested resource is at /licence?ids=...", {
      status: 302,
      headers: { location: "/licence?ids=%5B%22abc%22%5D" },
    }),
  ]);
  const cp = new CarbonPortal({ fetch });
  await assert.rejects(
    cp.request("https://data.icos-cp.eu/objects/abc", { hint: "Fetching data object" }),
    (e) => {
      assert.ok(e instanceof LicenceError);
      assert.equal(
        e.body,
        "Accepting data licence in your user profile is required for data downloads (accept the data licence once in your profile at https://cpauth.icos-cp.eu/ , then retry)",
      );
      return true;
    },
  );
});

Deno.test("CarbonPortal.request() retries idempotent requests on 5xx, 429 and network errors", async () => {
  const { calls, fetch } = recorder([
    new Response("busy", { status: 503 }),
    new TypeError("connection reset"),
    new Response("slow down", { status: 429, headers: { "retry-after": "0" } }),
    new Response("done"),
  ]);
  const cp = new CarbonPortal({ fetch, retry: { minDelay: 1, maxDelay: 2 } });
  const res = await cp.request("https://meta.icos-cp.eu/objects/x");
  assert.equal(await res.text(), "done");
  assert.equal(calls.length, 4);
});

Deno.test("CarbonPortal.request() gives up after the retry budget with the last error", async () => {
  const { calls, fetch } = recorder([new Response("down", { status: 502 })]);
  const cp = new CarbonPortal({ fetch, retry: { retries: 2, minDelay: 1 } });
  await assert.rejects(
    cp.request("https://meta.icos-cp.eu/sparql", { hint: "SPARQL SELECT" }),
    ServerError,
  );
  assert.equal(calls.length, 3);
  const net = recorder([new TypeError("refused")]);
  const cp2 = new CarbonPortal({ fetch: net.fetch, retry: { retries: 1, minDelay: 1 } });
  await assert.rejects(cp2.request("https://meta.icos-cp.eu/sparql"), (e) => {
    assert.ok(e instanceof NetworkError);
    assert.ok(e.cause instanceof TypeError);
    return true;
  });
  assert.equal(net.calls.length, 2);
});

Deno.test("CarbonPortal.request() does not retry a POST unless it is marked idempotent", async () => {
  const a = recorder([new Response("busy", { status: 503 }), new Response("ok")]);
  const cp = new CarbonPortal({ fetch: a.fetch, retry: { minDelay: 1 } });
  await assert.rejects(cp.request("https://data.icos-cp.eu/cpb", { method: "POST" }), ServerError);
  assert.equal(a.calls.length, 1);
  const b = recorder([new Response("busy", { status: 503 }), new Response("ok")]);
  const cp2 = new CarbonPortal({ fetch: b.fetch, retry: { minDelay: 1 } });
  const res = await cp2.request("https://data.icos-cp.eu/cpb", {
    method: "POST",
    idempotent: true,
  });
  assert.equal(await res.text(), "ok");
  assert.equal(b.calls.length, 2);
});

Deno.test("CarbonPortal.request() times out a hanging request with a TimeoutError", async () => {
  const fetch: FetchFn = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
    });
  const cp = new CarbonPortal({ fetch, timeout: 20, retry: { retries: 1, minDelay: 1 } });
  await assert.rejects(
    cp.request("https://meta.icos-cp.eu/sparql", { hint: "SPARQL SELECT" }),
    (e) => {
      assert.ok(e instanceof TimeoutError);
      assert.match(e.message, /^SPARQL SELECT timed out after 20 ms/);
      return true;
    },
  );
});

Deno.test("CarbonPortal.request() stops at once when the caller aborts", async () => {
  const controller = new AbortController();
  let calls = 0;
  const fetch: FetchFn = (_input, init) =>
    new Promise((_resolve, reject) => {
      calls++;
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
    });
  const cp = new CarbonPortal({ fetch, signal: controller.signal, timeout: 0 });
  const pending = cp.request("https://meta.icos-cp.eu/sparql");
  controller.abort(new Error("user cancelled"));
  await assert.rejects(pending, /user cancelled/);
  assert.equal(calls, 1);
});

Deno.test("CarbonPortal.fetchJson() parses JSON and reports a body that is not JSON", async () => {
  const { calls, fetch } = recorder([Response.json({ pid: "11676/x" }), new Response("<html>")]);
  const cp = new CarbonPortal({ fetch });
  assert.deepEqual(
    await cp.fetchJson("https://meta.icos-cp.eu/objects/x", "Fetching JSON metadata"),
    {
      pid: "11676/x",
    },
  );
  assert.equal(new Headers(calls[0].init?.headers).get("accept"), "application/json");
  await assert.rejects(
    cp.fetchJson("https://meta.icos-cp.eu/objects/x", "Fetching JSON metadata"),
    /not JSON/,
  );
});

Deno.test("CarbonPortal.fetchJson(): a 200 whose body is not JSON is a DecodeError, not an HttpError", async () => {
  const { fetch } = recorder([new Response("<html>maintenance</html>")]);
  const cp = new CarbonPortal({ fetch });
  await assert.rejects(
    cp.fetchJson("https://meta.icos-cp.eu/objects/x", "Fetching JSON metadata"),
    (e: unknown) =>
      e instanceof CorruptDataError && !(e instanceof HttpError) &&
      e.cause instanceof SyntaxError &&
      /Fetching JSON metadata \(not JSON\) at https:\/\/meta\.icos-cp\.eu\/objects\/x/.test(
        e.message,
      ),
  );
});

Deno.test("CarbonPortal passes its credentials mode to fetch (for browsers' cookie login)", async () => {
  const { calls, fetch } = recorder([new Response("ok")]);
  await new CarbonPortal({ fetch, credentials: "include" }).request("https://data.icos-cp.eu/cpb");
  assert.equal(calls[0].init?.credentials, "include");
  const plain = recorder([new Response("ok")]);
  await new CarbonPortal({ fetch: plain.fetch }).request("https://data.icos-cp.eu/cpb");
  assert.equal(plain.calls[0].init?.credentials, undefined);
});
