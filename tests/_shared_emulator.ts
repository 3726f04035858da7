// One emulator per test file for the tests that only read from it (no faults,
// no options, no state they depend on changes): started on first use, closed
// when the file's tests end. A test that injects faults or needs options
// starts its own.

import { type Emulator, startEmulator } from "../emulator/mod.ts";

let shared: Promise<Emulator> | undefined;

/** The file's shared read-only emulator (default options). */
export function sharedEmulator(): Promise<Emulator> {
  if (!shared) {
    shared = startEmulator();
    globalThis.addEventListener("unload", () => void shared!.then((e) => e.close()));
  }
  return shared;
}
