//! Binary decoders behind the icoscp TypeScript client.
//!
//! Plain parsing modules, tested natively with `cargo test`; the only
//! WebAssembly-specific code is the thin boundary in `wasm.rs`.
//!
//! * [`swap`]: big-endian to native byte order, in place, with a wasm
//!   simd128 kernel and a scalar kernel.
//! * [`cpb`]: the portal's binary table format: its column types (the
//!   layout of a request is computed once, in `src/cpb/_layout.ts`; the wasm
//!   swaps the columns it locates).
//! * [`strings`]: the Java serialised string dictionary that ends a `.cpb`
//!   file.
//! * [`netcdf`]: NetCDF classic and NetCDF-4 metadata and storage, on top
//!   of [`hdf5`], a read-only HDF5 parser, and [`inflate`], a DEFLATE
//!   decoder for runtimes without a native zlib.

pub mod cpb;
pub mod error;
pub mod filters;
pub mod hdf5;
pub mod inflate;
pub mod netcdf;
pub mod strings;
pub mod swap;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::DecodeError;
