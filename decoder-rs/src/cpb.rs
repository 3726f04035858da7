//! The portal's binary table ("cpb") format.
//!
//! A `.cpb` file and a `/cpb` response are column-major: all values of one
//! column, then the next; every value big-endian with a fixed width per type,
//! no header, no padding. A file ends with a string dictionary
//! ([`crate::strings`]); a response does not.

use crate::DecodeError;

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

    /// The compact code used across the wasm boundary (index in [`ColType::ALL`]).
    pub fn code(self) -> u8 {
        ColType::ALL.iter().position(|t| *t == self).unwrap_or(0) as u8
    }

    /// The type for a code, if it is one.
    pub fn from_code(code: u8) -> Option<ColType> {
        ColType::ALL.get(code as usize).copied()
    }
}

/// Where one returned column sits in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpan {
    /// The column's stored type.
    pub col_type: ColType,
    /// Offset of its first byte.
    pub byte_offset: usize,
    /// Its length in bytes.
    pub byte_len: usize,
}

/// The layout of a response: one span per requested column, in request order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Returned columns, in the order requested.
    pub columns: Vec<ColumnSpan>,
    /// Rows returned per column.
    pub rows: usize,
    /// Total bytes of column data.
    pub data_len: usize,
}

/// Computes the layout of the response to a request for `column_numbers`
/// (indices into `schema`) of a table of `n_rows` rows, optionally limited
/// to `slice = (offset, length)` rows.
///
/// Checks what the portal's client checks before sending: column numbers in
/// range, slice within the table, and sizes that fit in memory.
pub fn response_layout(
    schema: &[ColType],
    n_rows: u64,
    column_numbers: &[u32],
    slice: Option<(u64, u64)>,
) -> Result<Layout, DecodeError> {
    let rows = match slice {
        None => n_rows,
        Some((offset, length)) => {
            let end = offset.checked_add(length).ok_or_else(|| {
                DecodeError::InvalidArgument("slice offset + length overflows".into())
            })?;
            if end > n_rows {
                return Err(DecodeError::InvalidArgument(format!(
                    "slice [{}, {}) is outside the table's {} rows",
                    offset, end, n_rows
                )));
            }
            length
        }
    };
    let mut columns = Vec::with_capacity(column_numbers.len());
    let mut pos: u64 = 0;
    for &n in column_numbers {
        let col_type = *schema.get(n as usize).ok_or_else(|| {
            DecodeError::InvalidArgument(format!(
                "column number {} is outside the schema's {} columns",
                n,
                schema.len()
            ))
        })?;
        let len = rows
            .checked_mul(col_type.byte_size() as u64)
            .ok_or_else(|| too_big(rows))?;
        let start = usize::try_from(pos).map_err(|_| too_big(rows))?;
        let byte_len = usize::try_from(len).map_err(|_| too_big(rows))?;
        columns.push(ColumnSpan {
            col_type,
            byte_offset: start,
            byte_len,
        });
        pos = pos.checked_add(len).ok_or_else(|| too_big(rows))?;
    }
    Ok(Layout {
        columns,
        rows: usize::try_from(rows).map_err(|_| too_big(rows))?,
        data_len: usize::try_from(pos).map_err(|_| too_big(rows))?,
    })
}

fn too_big(rows: u64) -> DecodeError {
    DecodeError::LimitExceeded {
        reason: format!("a table of {} rows does not fit in memory", rows),
        byte_offset: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IFD: [ColType; 3] = [ColType::Int, ColType::Float, ColType::Double];

    #[test]
    fn col_type_names_and_codes_round_trip() {
        for t in ColType::ALL {
            assert_eq!(ColType::from_name(t.name()), Some(t));
            assert_eq!(ColType::from_code(t.code()), Some(t));
        }
        assert_eq!(ColType::from_name("LONG"), None);
        assert_eq!(ColType::from_code(7), None);
    }

    #[test]
    fn response_layout_follows_request_order() {
        let l = response_layout(&IFD, 344, &[2, 0], None).unwrap();
        assert_eq!(l.rows, 344);
        assert_eq!(l.data_len, 344 * 12);
        assert_eq!(l.columns[0].col_type, ColType::Double);
        assert_eq!(l.columns[0].byte_offset, 0);
        assert_eq!(l.columns[1].byte_offset, 344 * 8);
        assert_eq!(l.columns[1].byte_len, 344 * 4);
    }

    #[test]
    fn response_layout_applies_slices() {
        let l = response_layout(&IFD, 344, &[0, 1, 2], Some((100, 50))).unwrap();
        assert_eq!(l.rows, 50);
        assert_eq!(l.data_len, 50 * 16);
        let empty = response_layout(&IFD, 344, &[0], Some((344, 0))).unwrap();
        assert_eq!(empty.data_len, 0);
    }

    #[test]
    fn response_layout_rejects_bad_requests() {
        assert!(matches!(
            response_layout(&IFD, 344, &[3], None),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            response_layout(&IFD, 344, &[0], Some((300, 45))),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            response_layout(&IFD, u64::MAX, &[0], Some((u64::MAX, 1))),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            response_layout(&IFD, u64::MAX, &[2, 2], None),
            Err(DecodeError::LimitExceeded { .. })
        ));
    }
}

#[cfg(test)]
mod real_fixture_tests {
    use super::*;
    use crate::strings::parse_dictionary;
    use crate::swap::swap_in_place;

    /// The portal's own test table, read from ../shared beside the project
    /// when it is there (a fresh clone has no ../shared: the test says so and
    /// passes without checking).
    #[test]
    fn int_float_double_344_decodes_to_the_documented_values() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures/real/data/intFloatDouble344.cpb"
        );
        let mut file = match std::fs::read(path) {
            Ok(f) => f,
            Err(_) => {
                eprintln!("skipped: {} is absent (fresh clone)", path);
                return;
            }
        };
        let schema = [ColType::Int, ColType::Float, ColType::Double];
        let l = response_layout(&schema, 344, &[0, 1, 2], None).unwrap();
        assert_eq!(l.data_len, 5504);
        assert_eq!(file.len(), 5514);
        let (data, trailer) = file.split_at_mut(l.data_len);
        assert!(parse_dictionary(trailer, 5504).unwrap().is_empty());
        for c in &l.columns {
            let col = &mut data[c.byte_offset..c.byte_offset + c.byte_len];
            swap_in_place(col, c.col_type.byte_size()).unwrap();
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
