//! The portal's own test table, read from ../shared beside the project when
//! it is there: a fresh clone has no ../shared, and the test says so on
//! stderr (uncaptured) and passes without checking, unless
//! `ICOSCP_REQUIRE_PEERS=1` (CI), where it fails.

use icoscp_decoder::strings::parse_dictionary;
use icoscp_decoder::swap::swap_in_place;

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
    // Column-major, no header: each column's 344 values (INT, FLOAT,
    // DOUBLE: 4, 4 and 8 bytes), one after the other (the layout itself is
    // computed in src/cpb/_layout.ts).
    let widths = [4usize, 4, 8];
    let data_len: usize = widths.iter().map(|w| 344 * w).sum();
    assert_eq!(data_len, 5504);
    assert_eq!(file.len(), 5514);
    let (data, trailer) = file.split_at_mut(data_len);
    assert!(parse_dictionary(trailer, 5504).unwrap().is_empty());
    let mut pos = 0;
    for w in widths {
        swap_in_place(&mut data[pos..pos + 344 * w], w).unwrap();
        pos += 344 * w;
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
