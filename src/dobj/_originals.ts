// Private: a data object's original file read in place (NetCDF over HTTP
// ranges) or parsed whole (Dobj.readFile), with the client's login or, on
// the user's consent, the portal's licence cookie.

import type { CarbonPortal } from "../client/client.ts";
import { formatName } from "../cpb/_columns.ts";
import type { DataObjectMeta } from "./meta_types.ts";
import { acceptLicence, consentHint } from "../client/_licence.ts";
import { LicenceError, UnsupportedFormatError } from "../errors.ts";
import type { HttpByteSource } from "../netcdf/http_byte_source.ts";

/** Options of `Dobj.byteSource()` and `Dobj.openNetCDF()`. */
export interface ByteSourceOptions {
  /**
   * Accept the object's data licence at the portal (the user's explicit
   * consent) and read without a login. Default false: the client's login.
   */
  acceptLicence?: boolean;
  /** Smallest request in bytes (default 256 KiB). */
  blockSize?: number;
  /** Largest read-ahead of forward reads, in bytes (default 8 MiB). */
  maxReadAhead?: number;
  /** Bound on the bytes cached (default 64 MiB). */
  maxCacheBytes?: number;
  /** Chunks at most this many bytes apart are fetched in one request (default: `blockSize`). */
  coalesceGap?: number;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** What the helpers need to know of the object. */
export interface ObjectRef {
  id: string;
  hash: string;
  fileName: string;
  format: string;
  licenceUrl?: string;
}

/** The {@linkcode ObjectRef} of a data object's metadata. */
export function objectRef(id: string, meta: DataObjectMeta): ObjectRef {
  const licence = meta.references?.licence;
  return {
    id,
    hash: meta.hash,
    fileName: meta.fileName,
    format: formatName(meta.specification?.format?.self?.uri ?? ""),
    licenceUrl: licence?.webpage ?? licence?.url,
  };
}

/** A range-read source over `<data>/objects/<id>`. */
export async function objectByteSource(
  cp: CarbonPortal,
  o: ObjectRef,
  options: ByteSourceOptions = {},
): Promise<HttpByteSource> {
  const { httpByteSource } = await import("../netcdf/http_byte_source.ts");
  const cookie = options.acceptLicence
    ? await acceptLicence(cp, o.hash, options.signal)
    : undefined;
  try {
    return await httpByteSource(`${cp.endpoints.data}/objects/${o.id}`, {
      client: cp,
      auth: cookie === undefined,
      headers: cookie ? { cookie } : undefined,
      blockSize: options.blockSize,
      maxReadAhead: options.maxReadAhead,
      maxCacheBytes: options.maxCacheBytes,
      coalesceGap: options.coalesceGap,
      signal: options.signal,
    });
  } catch (e) {
    if (!(e instanceof LicenceError) || cookie) throw e;
    throw new LicenceError("Reading data object", {
      status: e.status,
      url: e.url,
      body: consentHint(o.licenceUrl, cp.hasAuth),
      cause: e,
    });
  }
}

/** Throws unless the object's format is NetCDF. */
export function requireNetCDF(o: ObjectRef): void {
  if (!/netcdf/i.test(o.format) && !/\.nc$/i.test(o.fileName)) {
    throw new UnsupportedFormatError(
      `${o.fileName} (format ${o.format}) is not a NetCDF object: use readFile(), getColumns() or fileStream()`,
    );
  }
}
