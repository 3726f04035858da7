// Test helper: where the real sample files live (../shared/fixtures/real,
// beside the project), and whether they are there. A fresh clone has no
// ../shared: tests that need it are ignored with a reason.

import { mulberry32 } from "../emulator/_prng.ts";

const root = new URL("../../shared/fixtures/real/", import.meta.url);

/** The URL of a real fixture file, relative to shared/fixtures/real/. */
export function realFixture(path: string): URL {
  return new URL(path, root);
}

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

/** Whether the real fixtures are present (they are in CI and for every developer). */
export const haveRealFixtures: boolean = exists(root);

/** The `ignore` reason shown when they are not. */
export const noRealFixtures =
  "../shared/fixtures/real is absent (fresh clone): real-sample tests skipped";

/** Options for a Deno.test that reads real fixtures: ignored, with the reason printed, when they are absent. */
export function withRealFixtures(name: string): { name: string; ignore: boolean } {
  if (!haveRealFixtures) console.warn(`skipping "${name}": ${noRealFixtures}`);
  return { name, ignore: !haveRealFixtures };
}

/** A small deterministic PRNG (mulberry32, the emulator's) for randomized tests. */
export const prng: (seed: number) => () => number = mulberry32;
