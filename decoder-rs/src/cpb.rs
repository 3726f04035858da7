//! The portal's binary table ("cpb") format.
//!
//! A `.cpb` file and a `/cpb` response are column-major: all values of one
//! column, then the next; every value big-endian with a fixed width per type,
//! no header, no padding. A file ends with a string dictionary
//! ([`crate::strings`]); a response does not.

/// A stored column type of a cpb table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// int32
    Int,
    /// IEEE-754 float32
    Float,
    /// IEEE-754 float64
    Double,
    /// int16
    Short,
    /// One UTF-16 code unit
    Char,
    /// int8
    Byte,
    /// int32 index into the string dictionary
    String,
}

impl ColType {
    /// Every type, in the order of their codes (0..=6).
    pub const ALL: [ColType; 7] = [
        ColType::Int,
        ColType::Float,
        ColType::Double,
        ColType::Short,
        ColType::Char,
        ColType::Byte,
        ColType::String,
    ];

    /// Bytes per value.
    pub fn byte_size(self) -> usize {
        match self {
            ColType::Int | ColType::Float | ColType::String => 4,
            ColType::Double => 8,
            ColType::Short | ColType::Char => 2,
            ColType::Byte => 1,
        }
    }

    /// The type's name in a `/cpb` request schema.
    pub fn name(self) -> &'static str {
        match self {
            ColType::Int => "INT",
            ColType::Float => "FLOAT",
            ColType::Double => "DOUBLE",
            ColType::Short => "SHORT",
            ColType::Char => "CHAR",
            ColType::Byte => "BYTE",
            ColType::String => "STRING",
        }
    }

    /// Parses a schema name (`"INT"`, `"FLOAT"`, …).
    pub fn from_name(name: &str) -> Option<ColType> {
        ColType::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// A compact code: the index in [`ColType::ALL`].
    pub fn code(self) -> u8 {
        ColType::ALL.iter().position(|t| *t == self).unwrap_or(0) as u8
    }

    /// The type for a code, if it is one.
    pub fn from_code(code: u8) -> Option<ColType> {
        ColType::ALL.get(code as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn col_type_names_and_codes_round_trip() {
        for t in ColType::ALL {
            assert_eq!(ColType::from_name(t.name()), Some(t));
            assert_eq!(ColType::from_code(t.code()), Some(t));
        }
        assert_eq!(ColType::from_name("LONG"), None);
        assert_eq!(ColType::from_code(7), None);
    }
}

#[cfg(test)]
mod real_fixture_tests {
    use super::*;
    use crate::strings::parse_dictionary;
    use crate::swap::swap_in_place;

    /// The portal's own test table, read from ../shared beside the project
    /// when it is there: a fresh clone has no ../shared, and the test says so
    /// on stderr (uncaptured) and passes without checking, unless
    /// `ICOSCP_REQUIRE_PEERS=1` (CI), where it fails.
    #[test]
    fn int_float_double_344_decodes_to_the_documented_values() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures/real/data/intFloatDouble344.cpb"
        );
        let mut file = match std::fs::read(path) {
            Ok(f) => f,
            Err(e) => {
                let why = format!("real fixture {} unreadable ({})", path, e);
                if std::env::var("ICOSCP_REQUIRE_PEERS").as_deref() == Ok("1") {
                    panic!("{} and ICOSCP_REQUIRE_PEERS=1", why);
                }
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "SKIPPED: {}", why);
                return;
            }
        };
        // Column-major, no header: each column's 344 values, one after the
        // other (the layout itself is computed in src/cpb/_layout.ts).
        let schema = [ColType::Int, ColType::Float, ColType::Double];
        let data_len: usize = schema.iter().map(|t| 344 * t.byte_size()).sum();
        assert_eq!(data_len, 5504);
        assert_eq!(file.len(), 5514);
        let (data, trailer) = file.split_at_mut(data_len);
        assert!(parse_dictionary(trailer, 5504).unwrap().is_empty());
        let mut pos = 0;
        for t in schema {
            let len = 344 * t.byte_size();
            swap_in_place(&mut data[pos..pos + len], t.byte_size()).unwrap();
            pos += len;
        }
        let int = |i: usize| i32::from_le_bytes(data[i * 4..i * 4 + 4].try_into().unwrap());
        let float =
            |i: usize| f32::from_le_bytes(data[1376 + i * 4..1376 + i * 4 + 4].try_into().unwrap());
        let double =
            |i: usize| f64::from_le_bytes(data[2752 + i * 8..2752 + i * 8 + 8].try_into().unwrap());
        assert!((0..344).all(|i| int(i) == 6466 + i as i32));
        assert_eq!(float(0), 0.1646847);
        assert_eq!(float(343), 0.1612696);
        assert_eq!(double(0), 419.2594);
        assert_eq!(double(1), 413.7135);
        assert_eq!(double(343), 202.5468);
    }
}
