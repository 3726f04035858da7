/**
 * Search: one call over every data object, with facets, paging and the
 * portal's quotas respected (`cp.search(filters, options)`).
 *
 * @module
 */

export {
  FACET_NAMES,
  type FacetCount,
  type FacetName,
  FILTER_NAMES,
  type PagesOptions,
  PORTAL_LIMITS,
  search,
  type SearchFilters,
  type SearchOptions,
  type SearchOrder,
  SearchResult,
  searchStats,
  type SparqlLimits,
} from "./search.ts";
