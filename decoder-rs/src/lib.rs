//! Binary decoders behind the icoscp TypeScript client.
//!
//! Plain parsing modules, tested natively with `cargo test`; the only
//! WebAssembly-specific code is the thin boundary in `wasm.rs` (cpb) and
//! `wasm_netcdf.rs`.
//!
//! * [`swap`]: big-endian to native byte order, in place, with a wasm
//!   simd128 kernel and a scalar kernel.
//!   The portal's binary tables (cpb) are column-major big-endian values:
//!   their layout is computed in TypeScript (`src/cpb/_layout.ts`), the wasm
//!   swaps the columns it locates.
//! * [`strings`]: the Java serialised string dictionary that ends a `.cpb`
//!   file.
//!
//! Features: without the default ones only `swap` and `strings` are built
//! (the small wasm of cpb decoding); `netcdf` adds the reader below, and
//! each HDF5 filter beyond deflate/shuffle/Fletcher-32 is a feature (`szip`,
//! `nbit`, `scaleoffset`, `bzip2`, `lzf`, `blosc`, `zstd`): a file that uses
//! one left out is an `Unsupported` error naming the filter.
//!
//! * [`netcdf`]: NetCDF classic and NetCDF-4 metadata, storage and read
//!   plans, on top of [`hdf5`], a read-only HDF5 parser, [`filters`], the
//!   HDF5 filter pipeline, and [`inflate`], a DEFLATE decoder for runtimes
//!   without a native zlib.

pub mod error;
#[cfg(feature = "netcdf")]
pub mod filters;
#[cfg(feature = "netcdf")]
pub mod hdf5;
#[cfg(feature = "netcdf")]
pub mod inflate;
#[cfg(feature = "netcdf")]
pub mod netcdf;
pub mod strings;
pub mod swap;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(all(target_arch = "wasm32", feature = "netcdf"))]
mod wasm_netcdf;

pub use error::DecodeError;
