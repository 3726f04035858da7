// Private: name-keyed objects whose names come from data (NetCDF attributes,
// compound members, SPARQL variables, column labels). Assignment with the key
// "__proto__" replaces the object's prototype in Node and browsers (Deno
// hides this) instead of adding a property; these helpers never do.

/**
 * Sets `obj[key] = value` as an own, enumerable property, whatever the key
 * (`"__proto__"` included).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `obj[key]` when it is the object's own property (never an inherited `toString` or `constructor`). */
export function getOwn<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
