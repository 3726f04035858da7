//! The registered plugin filters that are whole compressed streams:
//! zstd (32015, one or more zstd frames, by `ruzstd`) and bzip2 (307, by
//! [`super::bzip2`]). Output is read at most `max + 1` bytes at
//! a time, so a stream that declares or decodes more is refused without
//! allocating it.

#[cfg(feature = "zstd")]
use std::io::Read;

#[cfg(feature = "zstd")]
use crate::hdf5::io::{corrupt, limit};
use crate::DecodeError;

#[cfg(feature = "zstd")]
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

/// Checks a zstd frame header before `ruzstd` sees it (it reserves the
/// whole window up front): the window and the declared content size may
/// not exceed what the chunk can hold (`room` bytes; windows up to 1 MiB or
/// twice the room pass, as zstd sizes them for a known input). Returns the
/// length of a skippable frame to step over, else 0.
#[cfg(feature = "zstd")]
fn zstd_header(src: &[u8], room: usize, at: u64) -> Result<usize, DecodeError> {
    let short = || DecodeError::Truncated {
        what: "zstd frame header",
        byte_offset: at,
        expected: 6,
        actual: src.len() as u64,
    };
    let magic = u32_at(src, 0).ok_or_else(short)?;
    if magic & 0xffff_fff0 == 0x184d_2a50 {
        let n = u32_at(src, 4).ok_or_else(short)? as usize;
        return match n.checked_add(8) {
            Some(t) if t <= src.len() => Ok(t),
            _ => Err(short()),
        };
    }
    if magic != 0xfd2f_b528 {
        return corrupt("zstd frame magic", at);
    }
    let fhd = *src.get(4).ok_or_else(short)?;
    let single = fhd & 0x20 != 0;
    let mut i = 5;
    let mut window = 0u64;
    if !single {
        let wd = *src.get(i).ok_or_else(short)?;
        let base = 1u64 << (10 + (wd >> 3));
        window = base + base / 8 * (wd & 7) as u64;
        i += 1;
    }
    i += [0, 1, 2, 4][(fhd & 3) as usize];
    let fcs_len = match fhd >> 6 {
        0 if single => 1,
        0 => 0,
        1 => 2,
        2 => 4,
        _ => 8,
    };
    if fcs_len > 0 {
        let b = src.get(i..i + fcs_len).ok_or_else(short)?;
        let mut v = 0u64;
        for (k, &x) in b.iter().enumerate() {
            v |= (x as u64) << (8 * k);
        }
        if fcs_len == 2 {
            v += 256;
        }
        if v > room as u64 {
            return limit(format!("zstd frame of {} bytes", v), at);
        }
        if single {
            window = v;
        }
    }
    if window > (room as u64 * 2).max(1 << 20) {
        return limit(format!("zstd window of {} bytes", window), at);
    }
    Ok(0)
}

#[cfg(feature = "zstd")]
fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Decodes the zstd frames of one chunk, at most `max` bytes.
#[cfg(feature = "zstd")]
pub fn zstd(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    let mut src = data;
    let mut out = Vec::new();
    while !src.is_empty() {
        let skip = zstd_header(src, max - out.len(), at)?;
        if skip > 0 {
            src = &src[skip..];
            continue;
        }
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
#[cfg(feature = "bzip2")]
pub fn bzip2(data: &[u8], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    super::bzip2::decode(data, max, at)
}

#[cfg(all(test, feature = "bzip2", feature = "zstd"))]
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
    fn refuses_huge_windows_before_allocating() {
        // Frame header: no single segment, window 2^(10+31) bytes.
        let f = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 31 << 3, 0, 0, 0, 0];
        assert!(matches!(
            zstd(&f, 12000, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        // Declared content size 2^40.
        let f = [0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0];
        assert!(matches!(
            zstd(&f, 12000, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        // A skippable frame, then the real one.
        let mut f = vec![0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9];
        f.extend_from_slice(ZST);
        assert_eq!(zstd(&f, 12000, 0).unwrap(), sine());
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
