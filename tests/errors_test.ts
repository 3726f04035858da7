import assert from "node:assert/strict";
import {
  AuthenticationError,
  CarbonPortalError,
  CorruptDataError,
  DecodeError,
  HttpError,
  IntegrityError,
  LicenceError,
  LimitExceededError,
  NetworkError,
  NotFoundError,
  ServerError,
  SparqlError,
  TimeoutError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "../mod.ts";

Deno.test("CarbonPortalError subclasses form the documented hierarchy", () => {
  const http = { status: 500, url: "https://x" };
  // deno-lint-ignore no-explicit-any
  const all: [Error, (abstract new (...args: any[]) => Error)[]][] = [
    [new AuthenticationError("h", http), [HttpError, CarbonPortalError]],
    [new LicenceError("h", http), [HttpError, CarbonPortalError]],
    [new NotFoundError("h", http), [HttpError, CarbonPortalError]],
    [new ServerError("h", http), [HttpError, CarbonPortalError]],
    [new NetworkError("m"), [CarbonPortalError]],
    [new TimeoutError("m"), [CarbonPortalError]],
    [new SparqlError("m", { query: "q" }), [CarbonPortalError]],
    [new IntegrityError("m", { expected: "a", actual: "b" }), [CarbonPortalError]],
    [new TruncatedDataError("m"), [DecodeError, CarbonPortalError]],
    [new CorruptDataError("m"), [DecodeError, CarbonPortalError]],
    [new UnsupportedFormatError("m"), [DecodeError, CarbonPortalError]],
    [new LimitExceededError("m"), [DecodeError, CarbonPortalError]],
  ];
  for (const [err, parents] of all) {
    for (const P of parents) assert.ok(err instanceof P, `${err.name} is a ${P.name}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, err.constructor.name);
  }
});

Deno.test("HttpError keeps status, url, a 500-character body excerpt and the cause", () => {
  const cause = new Error("inner");
  const e = new HttpError("Fetching CSV", {
    status: 418,
    url: "https://data.icos-cp.eu/csv/x",
    body: "b".repeat(900),
    cause,
  });
  assert.equal(e.status, 418);
  assert.equal(e.url, "https://data.icos-cp.eu/csv/x");
  assert.equal(e.body.length, 500);
  assert.equal(e.cause, cause);
  assert.ok(
    e.message.startsWith("Fetching CSV failed: HTTP 418 at https://data.icos-cp.eu/csv/x: bbb"),
  );
});

Deno.test("DecodeError subclasses carry their kind and byte offset", () => {
  assert.deepEqual(
    [
      new TruncatedDataError("m", { byteOffset: 1 }),
      new CorruptDataError("m", { byteOffset: 2 }),
      new UnsupportedFormatError("m", { byteOffset: 3 }),
      new LimitExceededError("m", { byteOffset: 4 }),
    ].map((e) => [e.kind, e.byteOffset]),
    [["truncated", 1], ["corrupt", 2], ["unsupported", 3], ["limit", 4]],
  );
  assert.equal(new CorruptDataError("m").byteOffset, undefined);
});
