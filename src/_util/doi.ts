// Private: the one reading of a DOI the library accepts everywhere (data
// objects, collections, search filters): `10.…/…`, `doi:10.…` or
// `https://doi.org/10.…` (also `dx.doi.org`, `DOI:`), with surrounding
// spaces; DOIs are case-insensitive (the DOI handbook), so callers compare
// them folded.

/** The DOI in `10.…/…`, `doi:10.…` or `https://doi.org/10.…` (any case), else undefined. */
export function doiOf(ref: string): string | undefined {
  if (typeof ref !== "string") return undefined;
  const m = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(ref.trim());
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
