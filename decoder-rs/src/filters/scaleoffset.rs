//! The scale-offset filter (HDF5 filter 6), as libhdf5's `H5Zscaleoffset.c`
//! writes it: a 21-byte header (`minbits` u32 LE, the byte size of `minval`,
//! `minval` LE), then each value's `minbits` bits most significant first.
//! Integers: `value + minval`, all-ones meaning the fill value. Floats
//! (D-scaling): `value / 10^D + min`, in the type's own precision.
//!
//! Client data: `[scale type (0 D-scale, 1 E-scale, 2 integer), scale
//! factor, elements, class (0 integer, 1 float), size, sign, order (0 LE,
//! 1 BE), fill defined, fill value bytes LE in u32s…]`.

use super::bits::Bits;
use super::{out_size, param};
use crate::hdf5::io::{corrupt, unsupported};
use crate::DecodeError;

const HEADER: usize = 21;

fn fill_bits(params: &[u32], size: usize) -> u64 {
    let mut v = 0u64;
    for i in 0..size.min(8) {
        let w = params.get(8 + i / 4).copied().unwrap_or(0);
        v |= (((w >> ((i % 4) * 8)) & 0xff) as u64) << (i * 8);
    }
    v
}

/// Undoes scale-offset on one chunk of at most `max` bytes.
pub fn decode(data: &[u8], params: &[u32], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    let p = |i| param(params, i, "scale-offset", at);
    let scale_type = p(0)?;
    let d_val = p(1)? as i32;
    let n = p(2)? as u64;
    let class = p(3)?;
    let size = p(4)? as usize;
    let signed = p(5)? == 1;
    let be = p(6)? == 1;
    let fill = p(7)? == 1;
    if !matches!(size, 1 | 2 | 4 | 8) {
        return corrupt(format!("scale-offset element size {}", size), at);
    }
    let float = match (class, scale_type) {
        (0, 2) => false,
        (1, 0) if size == 4 || size == 8 => true,
        (1, 1) => return unsupported("scale-offset E-scaling (libhdf5 never wrote it)", at),
        _ => {
            return corrupt(
                format!(
                    "scale-offset class {} with scale type {}",
                    class, scale_type
                ),
                at,
            )
        }
    };
    let len = out_size(n, size as u64, max, at)?;
    if data.len() < HEADER {
        return Err(DecodeError::Truncated {
            what: "scale-offset header",
            byte_offset: at,
            expected: HEADER as u64,
            actual: data.len() as u64,
        });
    }
    let minbits = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
    let mlen = (data[4] as usize).min(8);
    let mut minval = 0u64;
    for i in 0..mlen {
        minval |= (data[5 + i] as u64) << (8 * i);
    }
    let bits = size as u32 * 8;
    if minbits > bits {
        return corrupt(format!("scale-offset minbits {} > {}", minbits, bits), at);
    }
    let body = &data[HEADER..];
    let mut out = vec![0u8; len];
    let put = |out: &mut [u8], i: usize, v: u64| {
        let b = v.to_le_bytes();
        let dst = &mut out[i * size..(i + 1) * size];
        dst.copy_from_slice(&b[..size]);
        if be {
            dst.reverse();
        }
    };
    if minbits == bits {
        // Full precision: the values as they were, native (LE) order.
        if body.len() < len {
            return Err(DecodeError::Truncated {
                what: "scale-offset chunk",
                byte_offset: at,
                expected: (HEADER + len) as u64,
                actual: data.len() as u64,
            });
        }
        out.copy_from_slice(&body[..len]);
        if be {
            for e in out.chunks_mut(size) {
                e.reverse();
            }
        }
        return Ok(out);
    }
    let mut r = Bits::new(body, at, "scale-offset chunk");
    let all_ones = if minbits == 64 {
        u64::MAX
    } else {
        (1u64 << minbits) - 1
    };
    let fv = fill_bits(params, size);
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let _ = signed; // integers wrap the same either way
    for i in 0..n as usize {
        let v = if minbits == 0 { 0 } else { r.get64(minbits)? };
        let x = if fill && v == all_ones {
            fv
        } else if !float {
            v.wrapping_add(minval) & mask
        } else if size == 4 {
            let min = f32::from_bits(minval as u32);
            let q = (v as u32 as i32) as f32 / 10f32.powf(d_val as f32) + min;
            q.to_bits() as u64
        } else {
            let min = f64::from_bits(minval);
            let q = (v as i64) as f64 / 10f64.powf(d_val as f64) + min;
            q.to_bits()
        };
        put(&mut out, i, x);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(minbits: u32, minval: u64) -> Vec<u8> {
        let mut h = minbits.to_le_bytes().to_vec();
        h.push(8);
        h.extend(minval.to_le_bytes());
        h.resize(HEADER, 0);
        h
    }

    #[test]
    fn integers_offset_and_fill() {
        // 4 u16 in 3 bits from minval 100; 0b111 is the fill 9999.
        let mut d = header(3, 100);
        d.extend([0b0000_0101, 0b0111_0000]);
        let params = [2, 0, 4, 0, 2, 0, 0, 1, 9999];
        let out = decode(&d, &params, 8, 0).unwrap();
        let got: Vec<u16> = out
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(got, [100, 101, 102, 9999]);
    }

    #[test]
    fn hostile_inputs_are_typed_errors() {
        let params = [2, 0, 4, 0, 2, 0, 0, 0];
        assert!(matches!(
            decode(&[0; 5], &params, 8, 0),
            Err(DecodeError::Truncated { .. })
        ));
        let mut d = header(16, 0);
        d.extend([0; 3]);
        assert!(matches!(
            decode(&d, &params, 8, 0),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(decode(&header(17, 0), &params, 8, 0).is_err());
        let mut d = header(9, 0);
        d.push(1);
        assert!(matches!(
            decode(&d, &params, 8, 0),
            Err(DecodeError::Truncated { .. })
        ));
        let huge = [2, 0, u32::MAX, 0, 8, 0, 0, 0];
        assert!(matches!(
            decode(&header(0, 0), &huge, 1 << 20, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        assert!(decode(&header(0, 0), &[2, 0, 4, 0, 3, 0, 0, 0], 16, 0).is_err());
        assert!(decode(&header(0, 0), &[1, 0, 4, 1, 4, 0, 0, 0], 16, 0).is_err());
    }
}
