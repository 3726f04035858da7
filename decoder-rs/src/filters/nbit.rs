//! The N-bit filter (HDF5 filter 5): each value's `precision` significant
//! bits, packed most significant first; padding bits come back as zero.
//!
//! Client data (libhdf5 `H5Z__set_local_nbit`): `[count, no-op flag,
//! elements, class, …]`, the datatype described recursively: atomic
//! `1, size, order (0 LE, 1 BE), precision, offset`; array `2, size,
//! base…`; compound `3, size, members, (offset, member…)…`; no-op
//! (copied as is) `4, size`.

use super::bits::Bits;
use super::{out_size, param};
use crate::hdf5::io::{corrupt, unsupported};
use crate::DecodeError;

const ATOMIC: u32 = 1;
const ARRAY: u32 = 2;
const COMPOUND: u32 = 3;
const NOOP: u32 = 4;
/// Nesting allowed in array and compound descriptions.
const MAX_DEPTH: u32 = 16;

struct Dec<'a, 'b> {
    params: &'a [u32],
    bits: Bits<'b>,
    out: Vec<u8>,
    at: u64,
}

impl Dec<'_, '_> {
    fn p(&self, i: &mut usize) -> Result<u32, DecodeError> {
        let v = param(self.params, *i, "N-bit", self.at)?;
        *i += 1;
        Ok(v)
    }

    fn slot(&self, off: usize, size: usize) -> Result<(), DecodeError> {
        match off.checked_add(size) {
            Some(e) if e <= self.out.len() => Ok(()),
            _ => corrupt("N-bit datatype larger than the chunk", self.at),
        }
    }

    /// One atomic value at `off`; its parameters start at `i`.
    fn atomic(&mut self, off: usize, i: &mut usize) -> Result<(), DecodeError> {
        let size = self.p(i)? as usize;
        let order = self.p(i)?;
        let prec = self.p(i)? as usize;
        let offset = self.p(i)? as usize;
        if size == 0 || prec == 0 || prec + offset > size * 8 || order > 1 {
            return corrupt(
                format!(
                    "N-bit atomic type: size {}, precision {}, offset {}",
                    size, prec, offset
                ),
                self.at,
            );
        }
        self.slot(off, size)?;
        // Bits from the most significant (offset + prec - 1) down to `offset`.
        let mut bit = offset + prec;
        while bit > offset {
            let lo = ((bit - 1) / 8 * 8).max(offset);
            let k = (bit - lo) as u32;
            let v = self.bits.get(k)? as u8;
            let byte = lo / 8;
            let idx = if order == 0 { byte } else { size - 1 - byte };
            self.out[off + idx] |= v << (lo % 8);
            bit = lo;
        }
        Ok(())
    }

    fn noop(&mut self, off: usize, size: usize) -> Result<(), DecodeError> {
        self.slot(off, size)?;
        for k in 0..size {
            self.out[off + k] = self.bits.get(8)? as u8;
        }
        Ok(())
    }

    /// A value of class `class` at `off` (`i` after its class code).
    fn value(
        &mut self,
        class: u32,
        off: usize,
        i: &mut usize,
        depth: u32,
    ) -> Result<(), DecodeError> {
        if depth > MAX_DEPTH {
            return corrupt("N-bit datatype nested too deeply", self.at);
        }
        match class {
            ATOMIC => self.atomic(off, i),
            ARRAY => {
                let total = self.p(i)? as usize;
                let base = self.p(i)?;
                let begin = *i;
                let base_size = match base {
                    ATOMIC | ARRAY | COMPOUND | NOOP => {
                        param(self.params, begin, "N-bit", self.at)?
                    }
                    x => return corrupt(format!("N-bit class {}", x), self.at),
                } as usize;
                if base_size == 0 {
                    return corrupt("N-bit array of empty elements", self.at);
                }
                self.slot(off, total)?;
                for e in 0..total / base_size {
                    *i = begin;
                    if base == NOOP {
                        let s = self.p(i)? as usize;
                        self.noop(off + e * base_size, s)?;
                    } else {
                        self.value(base, off + e * base_size, i, depth + 1)?;
                    }
                }
                if total / base_size == 0 {
                    return corrupt("N-bit array smaller than its element", self.at);
                }
                Ok(())
            }
            COMPOUND => {
                let size = self.p(i)? as usize;
                let members = self.p(i)?;
                self.slot(off, size)?;
                // libhdf5 writes members of at least one byte that do not
                // overlap: their sizes add up to at most the compound's.
                // This bounds the work of one value by its size (a one-byte
                // compound of a million empty members is refused).
                let mut used = 0usize;
                for _ in 0..members {
                    let m_off = self.p(i)? as usize;
                    let m_class = self.p(i)?;
                    if m_off >= size {
                        return corrupt("N-bit compound member outside its type", self.at);
                    }
                    let m_size = param(self.params, *i, "N-bit", self.at)? as usize;
                    used = used.saturating_add(m_size);
                    if m_size == 0 || used > size {
                        return corrupt(
                            "N-bit compound members that are empty or overlap (libhdf5 never writes them)",
                            self.at,
                        );
                    }
                    if m_class == NOOP {
                        let s = self.p(i)? as usize;
                        if m_off + s > size {
                            return corrupt("N-bit compound member outside its type", self.at);
                        }
                        self.noop(off + m_off, s)?;
                    } else {
                        self.value(m_class, off + m_off, i, depth + 1)?;
                    }
                }
                Ok(())
            }
            x => unsupported(format!("N-bit datatype class {}", x), self.at),
        }
    }
}

/// Undoes the N-bit filter on one chunk of at most `max` bytes.
pub fn decode(data: &[u8], params: &[u32], max: usize, at: u64) -> Result<Vec<u8>, DecodeError> {
    // A full-precision type: libhdf5 stored the bytes unchanged.
    if param(params, 1, "N-bit", at)? == 1 {
        if data.len() > max {
            return corrupt("N-bit chunk larger than declared", at);
        }
        return Ok(data.to_vec());
    }
    let n = param(params, 2, "N-bit", at)? as u64;
    let class = param(params, 3, "N-bit", at)?;
    let size = param(params, 4, "N-bit", at)? as u64;
    if size == 0 {
        return corrupt("N-bit element size 0", at);
    }
    let len = out_size(n, size, max, at)?;
    let mut d = Dec {
        params,
        bits: Bits::new(data, at, "N-bit chunk"),
        out: vec![0u8; len],
        at,
    };
    for e in 0..n as usize {
        let off = e * size as usize;
        if class == NOOP {
            d.noop(off, size as usize)?;
        } else {
            let mut i = 4;
            if class == ATOMIC {
                d.atomic(off, &mut i)?;
            } else {
                d.value(class, off, &mut i, 0)?;
            }
        }
    }
    Ok(d.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_precision_bits_msb_first() {
        // 3 LE i16 of precision 12, offset 2: values 0xABC, 0x123, 0xFFF.
        let vals = [0xABCu16, 0x123, 0xFFF];
        let mut bits = String::new();
        for v in vals {
            bits.push_str(&format!("{:012b}", v));
        }
        while bits.len() % 8 != 0 {
            bits.push('0');
        }
        let packed: Vec<u8> = (0..bits.len() / 8)
            .map(|i| u8::from_str_radix(&bits[i * 8..i * 8 + 8], 2).unwrap())
            .collect();
        let params = [8, 0, 3, 1, 2, 0, 12, 2];
        let out = decode(&packed, &params, 6, 0).unwrap();
        let got: Vec<u16> = out
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(got, vals.iter().map(|v| v << 2).collect::<Vec<_>>());
        // Big-endian storage of the same.
        let params = [8, 0, 3, 1, 2, 1, 12, 2];
        let out = decode(&packed, &params, 6, 0).unwrap();
        assert_eq!(out[0..2], (0xABCu16 << 2).to_be_bytes());
    }

    #[test]
    fn hostile_inputs_are_typed_errors() {
        let params = [8, 0, 3, 1, 2, 0, 12, 2];
        assert!(matches!(
            decode(&[1, 2], &params, 6, 0),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            decode(&[0; 8], &params, 4, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        let huge = [8, 0, u32::MAX, 1, 8, 0, 64, 0];
        assert!(matches!(
            decode(&[0; 8], &huge, 1 << 20, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        assert!(decode(&[0; 8], &[8, 0, 3, 1, 2, 0, 17, 0], 6, 0).is_err());
        assert!(decode(&[0; 8], &[8, 0], 6, 0).is_err());
        assert!(decode(&[0; 8], &[8, 0, 1, 2, 4, 2], 6, 0).is_err());
        // Arrays of arrays … of one byte, 40 deep: refused at the depth
        // limit (the stack is finite), though the description is complete.
        let mut deep = vec![0, 0, 1, 2];
        for _ in 0..40 {
            deep.extend([4, 2]);
        }
        deep.extend([4, 1, 4, 0, 8, 0]);
        assert!(decode(&[0; 64], &deep, 64, 0).is_err());
        // A one-byte compound of 100,000 empty members (work without
        // output: minutes per chunk) and of overlapping members: refused.
        let mut empty = vec![0, 0, 4096, 3, 1, 100_000];
        for _ in 0..100_000 {
            empty.extend([0, 4, 0]);
        }
        assert!(matches!(
            decode(&[0; 8], &empty, 4096, 0),
            Err(DecodeError::Corrupt { .. })
        ));
        let overlap = [0, 0, 1, 3, 1, 2, 0, 1, 1, 0, 8, 0, 0, 1, 1, 0, 8, 0];
        assert!(decode(&[0; 8], &overlap, 1, 0).is_err());
        let side_by_side = [0, 0, 1, 3, 2, 2, 0, 1, 1, 0, 8, 0, 1, 1, 1, 0, 8, 0];
        assert_eq!(decode(&[1, 2], &side_by_side, 2, 0).unwrap(), [1, 2]);
        let shallow = [0, 0, 1, 2, 4, 2, 4, 1, 4, 0, 8, 0];
        assert_eq!(decode(&[7; 64], &shallow, 64, 0).unwrap(), [7, 0, 0, 0]);
    }
}
