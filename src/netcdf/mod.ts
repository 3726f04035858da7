/**
 * NetCDF-3, NetCDF-4 and HDF5 files read lazily from bytes, a path or HTTP ranges, with CF decoding.
 *
 * @module
 */

export * from "./netcdf_file.ts";
