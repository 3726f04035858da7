//! The real sample files of ../shared/fixtures/real: skipped visibly when
//! absent (a line on stderr that `cargo test` does not capture), and failing
//! instead when `ICOSCP_REQUIRE_PEERS=1` (CI), as the Deno tests do.
#![cfg(feature = "netcdf")]

use icoscp_decoder::hdf5::io::Source;
use icoscp_decoder::netcdf::{self, Format, Group, Value};

fn real(path: &str) -> Option<Vec<u8>> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/real")
        .join(path);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(e) => {
            let why = format!("real fixture {} unreadable ({})", path, e);
            if std::env::var("ICOSCP_REQUIRE_PEERS").as_deref() == Ok("1") {
                panic!("{} and ICOSCP_REQUIRE_PEERS=1", why);
            }
            // Straight to stderr: libtest captures only the print macros.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {}", why);
            None
        }
    }
}

fn find_var<'a>(g: &'a Group, name: &str) -> Option<&'a netcdf::Var> {
    g.vars.iter().find(|v| v.name == name)
}

#[test]
fn reads_the_stilt_footprint() {
    let bytes = match real("stiltweb/foot2012x12x08x18x46.55Nx007.98Ex00720_aggreg.nc") {
        Some(b) => b,
        None => return,
    };
    let src = Source::from_bytes(bytes);
    let mut f = netcdf::open(&src).unwrap();
    assert_eq!(f.format, Format::Netcdf4);
    let dims: Vec<_> = f
        .root
        .dims
        .iter()
        .map(|d| (d.name.clone(), d.size, d.unlimited))
        .collect();
    assert_eq!(
        dims,
        vec![
            ("lon".to_string(), 400, false),
            ("lat".to_string(), 480, false),
            ("time".to_string(), 1, true)
        ]
    );
    let foot = find_var(&f.root, "foot").unwrap().clone();
    assert_eq!(foot.dims, vec!["time", "lat", "lon"]);
    assert_eq!(foot.shape, vec![1, 480, 400]);
    let fill = foot.attrs.iter().find(|a| a.name == "_FillValue").unwrap();
    assert_eq!(
        fill.value,
        Value::Num(netcdf::NcType::Double, (-1e30f64).to_le_bytes().to_vec())
    );
    // Values are read by src/netcdf.ts (tests/netcdf_test.ts checks them):
    // here, the chunk list that reader gets.
    let chunks = f.chunks(&src, foot.id, &[0, 0, 0], &[1, 480, 400]).unwrap();
    assert!(!chunks.is_empty());
    assert!(chunks.iter().all(|c| c.size > 0 && c.addr < src.len()));
    assert!(f
        .root
        .attrs
        .iter()
        .any(|a| a.name == "backtime" && a.value == Value::Text("240 hours".into())));
}

#[test]
fn opens_every_real_netcdf_file() {
    for p in [
        "data/GCP2019_regions_MASK11.nc",
        "data/amazon_mask.nc",
        "data/co2_con_aircraft-insitu_42_allvalid_small.nc",
        "data/co2_htm_tower-insitu_424_allvalid-150magl_small.nc",
        "data/co2_ssl_tower-insitu_23_allvalid-12magl_small.nc",
    ] {
        let bytes = match real(p) {
            Some(b) => b,
            None => return,
        };
        let src = Source::from_bytes(bytes);
        let mut f = netcdf::open(&src).unwrap_or_else(|e| panic!("{}: {}", p, e));
        let vars: Vec<_> = f
            .root
            .vars
            .iter()
            .map(|v| (v.id, v.shape.clone()))
            .collect();
        for (id, shape) in vars {
            let start = vec![0; shape.len()];
            f.chunks(&src, id, &start, &shape)
                .unwrap_or_else(|e| panic!("{} var {}: {}", p, id, e));
        }
        eprintln!("{}: {:?} {} vars", p, f.format, f.root.vars.len());
    }
}
