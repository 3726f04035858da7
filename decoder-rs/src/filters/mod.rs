//! HDF5 filters beyond deflate, shuffle and Fletcher-32: szip (4), N-bit
//! (5) and scale-offset (6). Each decoder takes the filter's client data
//! (cd_values, as libhdf5 stored them in the pipeline message) and caps
//! its output at `max` bytes: a declared size above it is refused before
//! anything is allocated.

// One Cargo feature per filter (see Cargo.toml).
#[cfg(any(
    feature = "bzip2",
    feature = "nbit",
    feature = "scaleoffset",
    feature = "szip"
))]
pub mod bits;
#[cfg(any(feature = "blosc", feature = "lzf"))]
pub mod blosc;
#[cfg(feature = "bzip2")]
pub mod bzip2;
#[cfg(feature = "nbit")]
pub mod nbit;
#[cfg(feature = "scaleoffset")]
pub mod scaleoffset;
#[cfg(any(feature = "bzip2", feature = "zstd"))]
pub mod streams;
#[cfg(feature = "szip")]
pub mod szip;

#[cfg(any(feature = "nbit", feature = "scaleoffset", feature = "szip"))]
use crate::hdf5::io::corrupt;
#[cfg(any(feature = "nbit", feature = "scaleoffset"))]
use crate::hdf5::io::limit;
#[cfg(any(feature = "nbit", feature = "scaleoffset", feature = "szip"))]
use crate::DecodeError;

#[cfg(any(feature = "nbit", feature = "scaleoffset", feature = "szip"))]
/// The `i`-th client-data value, or a typed error naming the filter.
pub(crate) fn param(params: &[u32], i: usize, filter: &str, at: u64) -> Result<u32, DecodeError> {
    match params.get(i) {
        Some(&v) => Ok(v),
        None => corrupt(
            format!("{} filter has {} parameters", filter, params.len()),
            at,
        ),
    }
}

#[cfg(any(feature = "nbit", feature = "scaleoffset"))]
/// `n × size` bytes, refused above `max`.
pub(crate) fn out_size(n: u64, size: u64, max: usize, at: u64) -> Result<usize, DecodeError> {
    match n.checked_mul(size) {
        Some(b) if b <= max as u64 => Ok(b as usize),
        _ => limit(format!("filter output of {} × {} bytes", n, size), at),
    }
}
