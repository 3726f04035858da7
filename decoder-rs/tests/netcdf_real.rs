//! The real sample files of ../shared/fixtures/real (skipped when absent).

use icoscp_decoder::hdf5::io::Source;
use icoscp_decoder::netcdf::{self, read::read_box, Format, Group, Value};

fn real(path: &str) -> Option<Vec<u8>> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/real")
        .join(path);
    std::fs::read(p).ok()
}

fn find_var<'a>(g: &'a Group, name: &str) -> Option<&'a netcdf::Var> {
    g.vars.iter().find(|v| v.name == name)
}

fn f64s(b: &[u8]) -> Vec<f64> {
    b.chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
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
    let v = f64s(&read_box(&mut f, &src, foot.id, &[0, 0, 0], &[1, 480, 400], 1 << 30).unwrap());
    let sum: f64 = v.iter().sum();
    let nz = v.iter().filter(|&&x| x != 0.0).count();
    let max = v.iter().cloned().fold(f64::MIN, f64::max);
    assert!((sum - 0.5283453557422024).abs() < 1e-12, "sum {}", sum);
    assert_eq!(nz, 58400);
    assert_eq!(max, 1.2430788516101297e-04);
    assert_eq!(v.iter().position(|&x| x == max), Some(384 * 400 + 352));
    let lon = find_var(&f.root, "lon").unwrap().id;
    let l = f64s(&read_box(&mut f, &src, lon, &[0], &[400], 1 << 30).unwrap());
    assert_eq!((l[0], l[399]), (-15.0, 34.875));
    let t = find_var(&f.root, "time").unwrap().id;
    assert_eq!(
        f64s(&read_box(&mut f, &src, t, &[0], &[1], 1 << 30).unwrap()),
        vec![4725.75]
    );
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
            read_box(&mut f, &src, id, &start, &shape, 1 << 30)
                .unwrap_or_else(|e| panic!("{} var {}: {}", p, id, e));
        }
        eprintln!("{}: {:?} {} vars", p, f.format, f.root.vars.len());
    }
}
