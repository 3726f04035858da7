//! HDF5 filters: the pipeline of one chunk ([`pipeline`]), shuffle (2),
//! Fletcher-32 (3), szip (4), N-bit (5), scale-offset (6), bzip2 (307), LZF
//! (32000), Blosc (32001) and zstd (32015); deflate (1) is the crate's
//! [`crate::inflate`]. Each decoder takes the filter's client data
//! (cd_values, as libhdf5 stored them in the pipeline message) and caps its
//! output at `max` bytes: a declared size above it is refused before
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
pub mod pipeline;
#[cfg(feature = "scaleoffset")]
pub mod scaleoffset;
pub mod shuffle;
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
