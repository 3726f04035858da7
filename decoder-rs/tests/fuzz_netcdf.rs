//! Hostile input: a randomized mutation test (cargo-fuzz needs nightly,
//! which these machines do not have). Seeds: the real sample files, the
//! generated corpus (env `ICOSCP_NC_CORPUS`, a folder), and every file kept
//! in `tests/fuzz_regressions/` (inputs that once failed, replayed first).
//! Each mutant is opened and the chunks of every variable listed and
//! unfiltered (the crate's part of a read; values are assembled by
//! src/netcdf.ts, fuzzed by tests/fuzz_netcdf.ts); the parser must return
//! (Ok or a typed error) without panicking, quickly, within the limits.
//! `ICOSCP_FUZZ_ITERS` sets the number of mutants (default 1000).
#![cfg(feature = "netcdf")]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use icoscp_decoder::filters::pipeline::unfilter;
use icoscp_decoder::hdf5::io::Source;
use icoscp_decoder::netcdf::{self, Group, Place};

fn files_in(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_in(&p, out);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("nc") | Some("h5") | Some("bin")
            ) {
                out.push(p);
            }
        }
    }
}

fn ids(g: &Group, out: &mut Vec<(usize, Vec<u64>)>) {
    for v in &g.vars {
        out.push((v.id, v.shape.clone()));
    }
    for s in &g.groups {
        ids(s, out);
    }
}

/// Opens and reads everything; returns whether it parsed.
fn exercise(bytes: &[u8]) -> bool {
    let src = Source::from_bytes(bytes.to_vec());
    let mut f = match netcdf::open(&src) {
        Ok(f) => f,
        Err(_) => return false,
    };
    let _ = netcdf::encode(&f);
    let mut vars = Vec::new();
    ids(&f.root, &mut vars);
    for (id, shape) in vars {
        let start = vec![0; shape.len()];
        let (elem, filters) = match &f.storage[id] {
            netcdf::Storage {
                elem,
                place: Place::Chunked { filters, .. },
                ..
            } => (*elem as usize, filters.clone()),
            _ => continue,
        };
        if let Ok(list) = f.chunks(&src, id, &start, &shape) {
            for c in list.iter().take(64) {
                if let Ok(raw) = src.get(c.addr, c.size.min(1 << 20), "chunk") {
                    let _ = unfilter(&raw, &filters, c.mask, elem, 1 << 16, 1 << 16, c.addr);
                }
            }
        }
    }
    true
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(seed: &[u8], r: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    let n = 1 + r.below(8);
    for _ in 0..n {
        if b.is_empty() {
            break;
        }
        let at = r.below(b.len());
        match r.below(6) {
            0 => b[at] ^= 1 << r.below(8),
            1 => b[at] = r.next() as u8,
            2 => {
                let v: [u8; 8] = match r.below(4) {
                    0 => [0xff; 8],
                    1 => [0; 8],
                    2 => (r.next() >> r.below(64)).to_le_bytes(),
                    _ => (b.len() as u64 + r.below(64) as u64).to_le_bytes(),
                };
                let w = [1, 2, 4, 8][r.below(4)];
                for (k, x) in v.iter().take(w).enumerate() {
                    if let Some(y) = b.get_mut(at + k) {
                        *y = *x;
                    }
                }
            }
            3 => b.truncate(at),
            4 => {
                // Copy a block from elsewhere (structure confusion).
                let from = r.below(b.len());
                let len = r.below(64).min(b.len() - from).min(b.len() - at);
                let blk = b[from..from + len].to_vec();
                b[at..at + len].copy_from_slice(&blk);
            }
            _ => b[at] = b[at].wrapping_add(1),
        }
    }
    b
}

#[test]
fn the_parser_survives_mutated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut regressions = Vec::new();
    files_in(&root.join("tests/fuzz_regressions"), &mut regressions);
    for p in &regressions {
        let b = std::fs::read(p).unwrap();
        let t = Instant::now();
        exercise(&b);
        assert!(t.elapsed() < Duration::from_secs(5), "{:?} is slow", p);
    }
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    let mut paths = Vec::new();
    files_in(&root.join("../../shared/fixtures/real"), &mut paths);
    if paths.is_empty() {
        // Without the real files the mutants come from the one seed below:
        // say so (libtest captures only the print macros), and fail in CI.
        let why = "no real sample files in ../shared/fixtures/real to mutate";
        if std::env::var("ICOSCP_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!("{} and ICOSCP_REQUIRE_PEERS=1", why);
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "PARTLY SKIPPED: {}", why);
    }
    if let Ok(dir) = std::env::var("ICOSCP_NC_CORPUS") {
        files_in(Path::new(&dir), &mut paths);
    }
    for p in paths {
        if let Ok(b) = std::fs::read(&p) {
            if b.len() <= 600_000 {
                seeds.push(b);
            }
        }
    }
    seeds.push(vec![
        67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0, 0, 0, 0, 3,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1, 118, 0, 0, 0, 0, 0, 0, 1, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0,
        0,
    ]);
    let iters: usize = std::env::var("ICOSCP_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let seed: u64 = std::env::var("ICOSCP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut r = Rng(seed);
    let mut parsed = 0;
    let started = Instant::now();
    for i in 0..iters {
        let s = &seeds[i % seeds.len()];
        let m = mutate(s, &mut r);
        let t = Instant::now();
        let keep = root.join("target/fuzz-last-input.bin");
        let _ = std::fs::write(&keep, &m);
        if exercise(&m) {
            parsed += 1;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "mutant {} took {:?} (kept in {:?})",
            i,
            t.elapsed(),
            keep
        );
    }
    eprintln!(
        "fuzz: {} executions ({} parsed), {} seeds, {} regressions, {:?}",
        iters,
        parsed,
        seeds.len(),
        regressions.len(),
        started.elapsed()
    );
}
