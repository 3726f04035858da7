//! The registered plugin filters that are whole compressed streams:
//! zstd (32015, one or more zstd frames, by `ruzstd`) and bzip2 (307, by
//! [`super::bzip2`]). Output is read at most `max + 1` bytes at
//! a time, so a stream that declares or decodes more is refused without
//! allocating it.

use std::io::Read;

use crate::hdf5::io::{corrupt, limit};
use crate::DecodeError;

fn bounded(mut r: impl Read, max: usize, what: &str, at: u64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return corrupt(format!("{} stream: {}", what, e), at),
        };
        if out.len() + n > max {
            return limit(
                format!("{} stream decodes to more than {} bytes", what, max),
                at,
            );
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(out)
}

/// Decodes the zstd frames of one chunk, at most `max` bytes.
pub fn zstd(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    let mut src = data;
    let mut out = Vec::new();
    while !src.is_empty() {
        let d = match ruzstd::StreamingDecoder::new(&mut src) {
            Ok(d) => d,
            Err(e) => return corrupt(format!("zstd frame: {}", e), at),
        };
        let part = bounded(d, max - out.len(), "zstd", at)?;
        if part.is_empty() && out.is_empty() {
            break;
        }
        out.extend_from_slice(&part);
    }
    if out.is_empty() && !data.is_empty() && max > 0 {
        return corrupt("zstd stream decodes to nothing", at);
    }
    Ok(out)
}

/// Decodes the bzip2 stream of one chunk, at most `max` bytes.
pub fn bzip2(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    super::bzip2::decode(data, max, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZST: &[u8] = include_bytes!("../../tests/data/sine.zst");
    const BZ2: &[u8] = include_bytes!("../../tests/data/sine.bz2");

    fn sine() -> Vec<u8> {
        (0..3000)
            .flat_map(|i| ((1000.0 * (i as f64 / 7.0).sin()) as i32).to_le_bytes())
            .collect()
    }

    #[test]
    fn decodes_the_cli_streams() {
        assert_eq!(zstd(ZST, 12000, 0).unwrap(), sine());
        assert_eq!(bzip2(BZ2, 12000, 0).unwrap(), sine());
    }

    #[test]
    fn caps_output_at_max() {
        assert!(matches!(
            zstd(ZST, 11999, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            bzip2(BZ2, 11999, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
    }

    /// Truncations and byte flips: typed errors or (for flips the format
    /// cannot notice) some bytes, never a panic.
    #[test]
    fn hostile_streams_never_panic() {
        for (name, data, f) in [
            (
                "zstd",
                ZST,
                zstd as fn(&[u8], usize, u64) -> Result<Vec<u8>, DecodeError>,
            ),
            ("bzip2", BZ2, bzip2),
        ] {
            for cut in (0..data.len()).step_by(7) {
                let r = std::panic::catch_unwind(|| f(&data[..cut], 12000, 0));
                assert!(r.is_ok(), "{} cut at {} panicked", name, cut);
            }
            let mut x = 0x2545_f491u32;
            for i in 0..800 {
                let mut d = data.to_vec();
                for _ in 0..1 + i % 4 {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    let k = x as usize % d.len();
                    d[k] ^= 1 << (x >> 29);
                }
                let r = std::panic::catch_unwind(|| f(&d, 12000, 0));
                assert!(r.is_ok(), "{} mutation {} panicked", name, i);
            }
        }
    }
}
