//! An MSB-first bit reader over a byte slice (N-bit, scale-offset, szip).

use crate::DecodeError;

/// Reads bits most significant first; running past the end is a typed
/// `Truncated` error.
pub struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    n: u32,
    at: u64,
    what: &'static str,
}

impl<'a> Bits<'a> {
    /// A reader over `data`; `at` and `what` describe it in errors.
    pub fn new(data: &'a [u8], at: u64, what: &'static str) -> Self {
        Bits {
            data,
            pos: 0,
            acc: 0,
            n: 0,
            at,
            what,
        }
    }

    fn refill(&mut self) {
        while self.n <= 56 && self.pos < self.data.len() {
            self.acc |= (self.data[self.pos] as u64) << (56 - self.n);
            self.pos += 1;
            self.n += 8;
        }
    }

    fn short(&self) -> DecodeError {
        DecodeError::Truncated {
            what: self.what,
            byte_offset: self.at,
            expected: self.data.len() as u64 + 1,
            actual: self.data.len() as u64,
        }
    }

    /// The next `k` bits (0 ≤ k ≤ 32) as an unsigned number.
    pub fn get(&mut self, k: u32) -> Result<u32, DecodeError> {
        if k == 0 {
            return Ok(0);
        }
        if self.n < k {
            self.refill();
            if self.n < k {
                return Err(self.short());
            }
        }
        let v = (self.acc >> (64 - k)) as u32;
        self.acc <<= k;
        self.n -= k;
        Ok(v)
    }

    /// The next `k` bits (0 ≤ k ≤ 64).
    pub fn get64(&mut self, k: u32) -> Result<u64, DecodeError> {
        if k <= 32 {
            return self.get(k).map(u64::from);
        }
        let hi = self.get(k - 32)? as u64;
        Ok((hi << 32) | self.get(32)? as u64)
    }

    /// Whole bytes consumed so far (the current partial byte counts).
    pub fn consumed(&self) -> usize {
        self.pos - (self.n / 8) as usize
    }

    /// A fundamental-sequence code: the number of 0 bits before a 1 bit,
    /// at most `limit` (more is corrupt input).
    pub fn unary(&mut self, limit: u32) -> Result<u32, DecodeError> {
        let mut count = 0u32;
        loop {
            if self.n == 0 {
                self.refill();
                if self.n == 0 {
                    return Err(self.short());
                }
            }
            let z = self.acc.leading_zeros().min(self.n);
            if z < self.n {
                count += z;
                self.acc = self.acc.checked_shl(z + 1).unwrap_or(0);
                self.n -= z + 1;
                break;
            }
            count += z;
            self.acc = 0;
            self.n = 0;
            if count > limit {
                break;
            }
        }
        if count > limit {
            return Err(DecodeError::Corrupt {
                reason: format!("{}: run of {} zero bits", self.what, count),
                byte_offset: self.at,
            });
        }
        Ok(count)
    }
}
