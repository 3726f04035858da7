/**
 * The `CarbonPortal` client: endpoints, requests with one retry policy, bounded bodies, and the ids of data objects.
 *
 * @module
 */

export {
  CarbonPortal,
  type CarbonPortalOptions,
  type FetchFn,
  ICOS,
  ICOS_CITIES,
  type PortalEndpoints,
  type PortalName,
  type PortalRequestInit,
  type RetryOptions,
  SITES,
} from "./client.ts";
export { hashToId, objectId, objectIdOf } from "./ids.ts";
export { emulatorEndpoints } from "./endpoints.ts";
