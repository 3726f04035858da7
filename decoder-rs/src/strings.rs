//! The string dictionary at the end of a `.cpb` file.
//!
//! The portal writes it with Java's `ObjectOutputStream`: the stream magic
//! `AC ED 00 05`, then block-data records (`0x77 <len:u8>` or
//! `0x7A <len:i32 BE>`) whose concatenated payload is an `i32` count followed
//! by that many `writeUTF` strings (`u16` byte length + modified UTF-8).
//! STRING cells hold 0-based indices into this list.

use crate::DecodeError;

/// The stream magic and version that open the dictionary.
pub const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];

/// The 10 bytes of an empty dictionary.
pub const EMPTY: [u8; 10] = [0xAC, 0xED, 0x00, 0x05, 0x77, 0x04, 0, 0, 0, 0];

/// A decoded dictionary, packed for the trip across the wasm boundary: the
/// strings as UTF-8 one after the other, and `count + 1` offsets into it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dictionary {
    /// All strings, UTF-8, concatenated.
    pub utf8: Vec<u8>,
    /// String `i` is `utf8[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<u32>,
}

impl Dictionary {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// String `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let a = *self.offsets.get(i)? as usize;
        let b = *self.offsets.get(i + 1)? as usize;
        core::str::from_utf8(self.utf8.get(a..b)?).ok()
    }
}

/// Parses a dictionary that starts at `bytes[0]` and runs to the end of
/// `bytes`. `base` is the dictionary's offset in the whole file, used only in
/// error messages.
pub fn parse_dictionary(bytes: &[u8], base: u64) -> Result<Dictionary, DecodeError> {
    if bytes.len() < 4 {
        return Err(DecodeError::Truncated {
            what: "string dictionary header",
            byte_offset: base,
            expected: 4,
            actual: bytes.len() as u64,
        });
    }
    if bytes[..4] != MAGIC {
        return Err(DecodeError::Corrupt {
            reason: "string dictionary does not start with AC ED 00 05".into(),
            byte_offset: base,
        });
    }
    // Gather the block-data payload, remembering where each piece came from.
    let mut payload = Vec::with_capacity(bytes.len());
    let mut origins: Vec<(usize, u64)> = Vec::new();
    let mut pos = 4usize;
    while pos < bytes.len() {
        let tag = bytes[pos];
        let (len, header) = match tag {
            0x77 => match bytes.get(pos + 1) {
                Some(&l) => (l as usize, 2),
                None => return Err(truncated("block-data length", base, pos, 2, bytes)),
            },
            0x7A => match bytes.get(pos + 1..pos + 5) {
                Some(l) => {
                    let l = i32::from_be_bytes([l[0], l[1], l[2], l[3]]);
                    if l < 0 {
                        return Err(DecodeError::Corrupt {
                            reason: format!("negative block-data length {}", l),
                            byte_offset: base + pos as u64,
                        });
                    }
                    (l as usize, 5)
                }
                None => return Err(truncated("block-data length", base, pos, 5, bytes)),
            },
            0x79 => (0, 1), // TC_RESET carries nothing
            other => {
                return Err(DecodeError::Unsupported {
                    reason: format!(
                        "serialisation record 0x{:02X} in a string dictionary",
                        other
                    ),
                    byte_offset: base + pos as u64,
                })
            }
        };
        let start = pos + header;
        let end = start.saturating_add(len);
        let piece = bytes
            .get(start..end)
            .ok_or_else(|| truncated("block-data record", base, pos, header + len, bytes))?;
        origins.push((payload.len(), base + start as u64));
        payload.extend_from_slice(piece);
        pos = end;
    }
    let at = |p: usize| -> u64 {
        let k = origins.partition_point(|&(s, _)| s <= p).saturating_sub(1);
        origins
            .get(k)
            .map(|&(s, f)| f + (p - s) as u64)
            .unwrap_or(base + bytes.len() as u64)
    };

    let count = match payload.get(0..4) {
        Some(c) => i32::from_be_bytes([c[0], c[1], c[2], c[3]]),
        None => {
            return Err(DecodeError::Truncated {
                what: "string count",
                byte_offset: at(0),
                expected: 4,
                actual: payload.len() as u64,
            })
        }
    };
    if count < 0 {
        return Err(DecodeError::Corrupt {
            reason: format!("negative string count {}", count),
            byte_offset: at(0),
        });
    }
    let count = count as usize;
    // Every string takes at least its 2-byte length: refuse before allocating.
    if count > (payload.len() - 4) / 2 {
        return Err(DecodeError::LimitExceeded {
            reason: format!(
                "dictionary declares {} strings but holds only {} bytes",
                count,
                payload.len() - 4
            ),
            byte_offset: at(0),
        });
    }
    let mut dict = Dictionary {
        utf8: Vec::with_capacity(payload.len()),
        offsets: Vec::with_capacity(count + 1),
    };
    dict.offsets.push(0);
    let mut p = 4usize;
    let mut units: Vec<u16> = Vec::new();
    for i in 0..count {
        let len = match payload.get(p..p + 2) {
            Some(l) => u16::from_be_bytes([l[0], l[1]]) as usize,
            None => {
                return Err(DecodeError::Truncated {
                    what: "string length",
                    byte_offset: at(p),
                    expected: 2,
                    actual: (payload.len() - p) as u64,
                })
            }
        };
        let text = payload
            .get(p + 2..p + 2 + len)
            .ok_or(DecodeError::Truncated {
                what: "string",
                byte_offset: at(p),
                expected: 2 + len as u64,
                actual: (payload.len() - p) as u64,
            })?;
        units.clear();
        decode_modified_utf8(text, &mut units).map_err(|k| DecodeError::Corrupt {
            reason: format!("string {} is not modified UTF-8", i),
            byte_offset: at(p + 2 + k),
        })?;
        for c in char::decode_utf16(units.iter().copied()) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut tmp = [0u8; 4];
            dict.utf8
                .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
        let end = u32::try_from(dict.utf8.len()).map_err(|_| DecodeError::LimitExceeded {
            reason: "dictionary exceeds 4 GiB".into(),
            byte_offset: at(p),
        })?;
        dict.offsets.push(end);
        p += 2 + len;
    }
    if p != payload.len() {
        return Err(DecodeError::Corrupt {
            reason: format!("{} bytes follow the last string", payload.len() - p),
            byte_offset: at(p),
        });
    }
    Ok(dict)
}

fn truncated(what: &'static str, base: u64, pos: usize, need: usize, bytes: &[u8]) -> DecodeError {
    DecodeError::Truncated {
        what,
        byte_offset: base + pos as u64,
        expected: need as u64,
        actual: (bytes.len() - pos) as u64,
    }
}

/// Decodes Java's modified UTF-8 into UTF-16 code units. On failure returns
/// the offset of the offending byte.
fn decode_modified_utf8(s: &[u8], out: &mut Vec<u16>) -> Result<(), usize> {
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let cont = |k: usize| -> Result<u16, usize> {
            match s.get(i + k) {
                Some(&c) if c & 0xC0 == 0x80 => Ok((c & 0x3F) as u16),
                _ => Err(i + k),
            }
        };
        if b < 0x80 {
            out.push(b as u16);
            i += 1;
        } else if b & 0xE0 == 0xC0 {
            out.push(((b & 0x1F) as u16) << 6 | cont(1)?);
            i += 2;
        } else if b & 0xF0 == 0xE0 {
            out.push(((b & 0x0F) as u16) << 12 | cont(1)? << 6 | cont(2)?);
            i += 3;
        } else {
            return Err(i);
        }
    }
    Ok(())
}

/// Encodes strings as a dictionary the way the portal does (used by tests
/// and by the emulator's fixtures).
pub fn encode_dictionary(strings: &[&str]) -> Vec<u8> {
    let mut payload = Vec::new();
    payload.extend_from_slice(&(strings.len() as i32).to_be_bytes());
    for s in strings {
        let mut enc = Vec::new();
        for u in s.encode_utf16() {
            match u {
                1..=0x7F => enc.push(u as u8),
                0 | 0x80..=0x7FF => {
                    enc.push(0xC0 | (u >> 6) as u8);
                    enc.push(0x80 | (u & 0x3F) as u8);
                }
                _ => {
                    enc.push(0xE0 | (u >> 12) as u8);
                    enc.push(0x80 | ((u >> 6) & 0x3F) as u8);
                    enc.push(0x80 | (u & 0x3F) as u8);
                }
            }
        }
        payload.extend_from_slice(&(enc.len() as u16).to_be_bytes());
        payload.extend_from_slice(&enc);
    }
    let mut out = MAGIC.to_vec();
    for chunk in payload.chunks(1024) {
        if chunk.len() <= 255 {
            out.push(0x77);
            out.push(chunk.len() as u8);
        } else {
            out.push(0x7A);
            out.extend_from_slice(&(chunk.len() as i32).to_be_bytes());
        }
        out.extend_from_slice(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_dictionary_reads_the_empty_dictionary() {
        let d = parse_dictionary(&EMPTY, 5504).unwrap();
        assert!(d.is_empty());
        assert_eq!(encode_dictionary(&[]), EMPTY.to_vec());
    }

    #[test]
    fn parse_dictionary_round_trips_unicode() {
        let words = ["O", "", "Plaß-Dülmer", "nul\u{0}byte", "𝄞 clef", "日本"];
        let bytes = encode_dictionary(&words);
        let d = parse_dictionary(&bytes, 0).unwrap();
        assert_eq!(d.len(), words.len());
        for (i, w) in words.iter().enumerate() {
            assert_eq!(d.get(i), Some(*w));
        }
    }

    #[test]
    fn parse_dictionary_joins_records_of_both_sizes() {
        let long: String = "x".repeat(3000);
        let bytes = encode_dictionary(&[&long, "b"]);
        assert!(bytes.contains(&0x7A));
        let d = parse_dictionary(&bytes, 0).unwrap();
        assert_eq!(d.get(0).map(str::len), Some(3000));
        assert_eq!(d.get(1), Some("b"));
    }

    #[test]
    fn parse_dictionary_rejects_hostile_input_without_panicking() {
        assert!(matches!(
            parse_dictionary(&[0xAC, 0xED], 10),
            Err(DecodeError::Truncated {
                byte_offset: 10,
                ..
            })
        ));
        assert!(matches!(
            parse_dictionary(&[1, 2, 3, 4, 0x77, 4, 0, 0, 0, 0], 0),
            Err(DecodeError::Corrupt { byte_offset: 0, .. })
        ));
        // count 2^31-1 with no strings: refused before allocating
        let huge = [0xAC, 0xED, 0, 5, 0x77, 4, 0x7F, 0xFF, 0xFF, 0xFF];
        assert!(matches!(
            parse_dictionary(&huge, 0),
            Err(DecodeError::LimitExceeded { .. })
        ));
        let neg = [0xAC, 0xED, 0, 5, 0x77, 4, 0xFF, 0xFF, 0xFF, 0xFF];
        assert!(matches!(
            parse_dictionary(&neg, 0),
            Err(DecodeError::Corrupt { .. })
        ));
        let cut = [0xAC, 0xED, 0, 5, 0x77, 9, 0, 0, 0, 1];
        assert!(matches!(
            parse_dictionary(&cut, 0),
            Err(DecodeError::Truncated { byte_offset: 4, .. })
        ));
        let bad_tag = [0xAC, 0xED, 0, 5, 0x73];
        assert!(matches!(
            parse_dictionary(&bad_tag, 100),
            Err(DecodeError::Unsupported {
                byte_offset: 104,
                ..
            })
        ));
        let bad_utf = [0xAC, 0xED, 0, 5, 0x77, 7, 0, 0, 0, 1, 0, 1, 0xFF];
        assert!(matches!(
            parse_dictionary(&bad_utf, 0),
            Err(DecodeError::Corrupt {
                byte_offset: 12,
                ..
            })
        ));
        let neg_len = [0xAC, 0xED, 0, 5, 0x7A, 0xFF, 0, 0, 0];
        assert!(matches!(
            parse_dictionary(&neg_len, 0),
            Err(DecodeError::Corrupt { .. })
        ));
        let trailing = [0xAC, 0xED, 0, 5, 0x77, 5, 0, 0, 0, 0, 9];
        assert!(matches!(
            parse_dictionary(&trailing, 0),
            Err(DecodeError::Corrupt { .. })
        ));
    }

    #[test]
    fn parse_dictionary_survives_every_truncation_and_bit_flip() {
        let bytes = encode_dictionary(&["alpha", "βeta", "𝄞"]);
        for n in 0..bytes.len() {
            let _ = parse_dictionary(&bytes[..n], 0);
            let mut flipped = bytes.clone();
            flipped[n] ^= 0xA5;
            let _ = parse_dictionary(&flipped, 0);
        }
    }
}
