//! The szip filter (HDF5 filter 4): CCSDS 121.0-B adaptive entropy coding
//! as libaec's szip-compatible API writes it. The chunk starts with its
//! decoded size (u32 LE); then blocks of `pixels per block` samples, each
//! opening with an option id: zero blocks and the second extension (id
//! 0), split samples with `k` low bits (id `k + 1`), or uncompressed. With
//! the NN option every scanline starts with a reference sample and holds
//! mapped prediction residuals. 32- and 64-bit pixels are coded as byte
//! planes of 8-bit samples; scanlines that do not fill whole blocks are
//! padded to them.
//!
//! Client data: `[options mask, pixels per block, bits per pixel, pixels
//! per scanline]`; options: 4 EC, 8 LSB, 16 MSB, 32 NN, 128 raw.

use super::bits::Bits;
use super::param;
use crate::hdf5::io::{corrupt, limit};
use crate::DecodeError;

const MSB: u32 = 16;
const NN: u32 = 32;
/// The "remainder of segment" zero-block count.
const ROS: u32 = 5;

struct Aec {
    bits: u32,
    block: usize,
    rsi: usize,
    pp: bool,
    msb: bool,
}

impl Aec {
    fn id_len(&self) -> u32 {
        if self.bits > 16 {
            5
        } else if self.bits > 8 {
            4
        } else {
            3
        }
    }

    fn bytes(&self) -> usize {
        if self.bits > 16 {
            4
        } else if self.bits > 8 {
            2
        } else {
            1
        }
    }

    /// Decodes samples until `out` (whole samples) is full.
    fn decode(&self, src: &[u8], out: &mut [u8], at: u64) -> Result<(), DecodeError> {
        let mut r = Bits::new(src, at, "szip chunk");
        let nbytes = self.bytes();
        let total = out.len() / nbytes;
        let id_len = self.id_len();
        let uncomp = (1u32 << id_len) - 1;
        let rsi_len = self.rsi * self.block;
        let xmax: u64 = if self.bits == 64 {
            u64::MAX
        } else {
            (1u64 << self.bits) - 1
        };
        let mut sample = vec![0u64; rsi_len];
        let mut done = 0usize;
        // No FS code may exceed what an n-bit sample can hold (with slack).
        let fs_limit = (1u32 << self.bits.min(24)).saturating_add(64);
        while done < total {
            // One reference sample interval.
            let mut n = 0usize;
            let want = rsi_len.min(total - done);
            let mut blocks = 0usize;
            while n < want {
                let ref_ = self.pp && n == 0;
                let id = r.get(id_len)?;
                let start = n;
                if id == 0 {
                    let second = r.get(1)? == 1;
                    if ref_ {
                        sample[n] = r.get(self.bits)? as u64;
                        n += 1;
                    }
                    if second {
                        let mut i = n - start;
                        while i < self.block {
                            let m = r.unary(90)?;
                            let mut ms = 0u32;
                            while (ms + 1) * (ms + 2) / 2 <= m {
                                ms += 1;
                            }
                            let beta = m - ms * (ms + 1) / 2;
                            if i & 1 == 0 {
                                sample[n] = (ms - beta) as u64;
                                n += 1;
                                i += 1;
                            }
                            sample[n] = beta as u64;
                            n += 1;
                            i += 1;
                        }
                        blocks += 1;
                    } else {
                        let mut z = r.unary(64)? + 1;
                        match z.cmp(&ROS) {
                            core::cmp::Ordering::Equal => {
                                z = ((self.rsi - blocks).min(64 - blocks % 64)) as u32;
                            }
                            core::cmp::Ordering::Greater => z -= 1,
                            core::cmp::Ordering::Less => {}
                        }
                        let z = z as usize;
                        if blocks + z > self.rsi {
                            return corrupt("szip zero-block run past its interval", at);
                        }
                        let end = start + z * self.block;
                        for s in sample[n..end].iter_mut() {
                            *s = 0;
                        }
                        n = end;
                        blocks += z;
                    }
                } else if id == uncomp {
                    for _ in 0..self.block {
                        sample[n] = r.get(self.bits)? as u64;
                        n += 1;
                    }
                    blocks += 1;
                } else {
                    let k = id - 1;
                    if ref_ {
                        sample[n] = r.get(self.bits)? as u64;
                        n += 1;
                    }
                    let from = n;
                    let end = start + self.block;
                    for s in sample[from..end].iter_mut() {
                        *s = r.unary(fs_limit)? as u64;
                    }
                    if k > 0 {
                        for s in sample[from..end].iter_mut() {
                            *s = (*s << k) | r.get(k)? as u64;
                        }
                    }
                    n = end;
                    blocks += 1;
                }
            }
            let n = n.min(total - done);
            if self.pp {
                // Undo the unit-delay predictor and the residual mapping.
                let mut x = sample[0];
                for s in sample[1..n].iter_mut() {
                    let d = *s;
                    let theta = x.min(xmax - x);
                    x = if d <= 2 * theta {
                        if d & 1 == 0 {
                            x + d / 2
                        } else {
                            x - (d + 1) / 2
                        }
                    } else if theta == x {
                        d
                    } else {
                        xmax.wrapping_sub(d)
                    };
                    if x > xmax {
                        return corrupt("szip residual out of range", at);
                    }
                    *s = x;
                }
            }
            for (i, &s) in sample[..n].iter().enumerate() {
                let o = &mut out[(done + i) * nbytes..(done + i + 1) * nbytes];
                let b = s.to_le_bytes();
                o.copy_from_slice(&b[..nbytes]);
                if self.msb {
                    o.reverse();
                }
            }
            done += n;
        }
        Ok(())
    }
}

/// Undoes szip on one chunk of at most `max` bytes.
pub fn decode(data: &[u8], params: &[u32], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    let p = |i| param(params, i, "szip", at);
    let (mask, ppb, bpp, pps) = (p(0)?, p(1)? as usize, p(2)?, p(3)? as usize);
    if data.len() < 4 {
        return Err(DecodeError::Truncated {
            what: "szip chunk header",
            byte_offset: at,
            expected: 4,
            actual: data.len() as u64,
        });
    }
    let size = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
    if size > max {
        return limit(format!("szip chunk of {} bytes", size), at);
    }
    if !(1..=32).contains(&bpp) && bpp != 64 || ppb == 0 || ppb % 2 != 0 || ppb > 32 || pps == 0 {
        return corrupt(
            format!(
                "szip parameters: {} bits, {} per block, {} per scanline",
                bpp, ppb, pps
            ),
            at,
        );
    }
    let interleave = bpp == 32 || bpp == 64;
    let aec = Aec {
        bits: if interleave { 8 } else { bpp },
        block: ppb,
        rsi: (pps + ppb - 1) / ppb,
        pp: mask & NN != 0,
        msb: mask & MSB != 0,
    };
    if aec.rsi > 4096 {
        return corrupt(format!("szip scanline of {} pixels", pps), at);
    }
    let px = aec.bytes();
    let pad = pps % ppb != 0;
    let mut out = if pad {
        let lines = (size / px + pps - 1) / pps;
        let padded = aec.rsi * ppb * px;
        let buf_len = match lines.checked_mul(padded) {
            Some(b) if b <= max.saturating_mul(2).saturating_add(padded) => b,
            _ => return limit("szip padded scanlines", at),
        };
        let mut buf = vec![0u8; buf_len];
        aec.decode(&data[4..], &mut buf, at)?;
        // Drop each scanline's padding.
        let line = pps * px;
        let mut o = Vec::with_capacity(size);
        for l in buf.chunks(padded) {
            o.extend_from_slice(&l[..line.min(l.len())]);
        }
        o.truncate(size);
        o
    } else {
        let mut o = vec![0u8; size / px * px];
        aec.decode(&data[4..], &mut o, at)?;
        o
    };
    if interleave {
        let w = bpp as usize / 8;
        let n = out.len() / w;
        let mut d = vec![0u8; out.len()];
        for i in 0..n {
            for j in 0..w {
                d[i * w + j] = out[j * n + i];
            }
        }
        d[n * w..].copy_from_slice(&out[n * w..]);
        out = d;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs_are_typed_errors() {
        let params = [169, 8, 16, 40];
        assert!(matches!(
            decode(&[1, 0], &params, 100, 0),
            Err(DecodeError::Truncated { .. })
        ));
        let huge = [0xff, 0xff, 0xff, 0x7f, 0];
        assert!(matches!(
            decode(&huge, &params, 100, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            decode(&[80, 0, 0, 0, 0xff], &params, 100, 0),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(decode(&[8, 0, 0, 0, 0], &[169, 7, 16, 40], 100, 0).is_err());
        assert!(decode(&[8, 0, 0, 0, 0], &[169, 8], 100, 0).is_err());
        // All zero bits: zero-block codes that run past the interval.
        assert!(decode(&[80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], &params, 100, 0).is_err());
    }
}
