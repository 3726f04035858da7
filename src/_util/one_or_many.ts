// Private: the portal writes "one or many" fields as a bare value when single
// and an array otherwise (docs/protocol.md §2.2).

import type { OneOrMany } from "../dobj/meta_types.ts";

/** A one-or-many field as an array (empty when absent). */
export function many(v: OneOrMany<string> | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
}
