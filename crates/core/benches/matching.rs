//! Matching benchmark: 20,000 packages of mixed ecosystems against every record of
//! `shared/data/osv/all.zip`, held in memory (the database's own cost is measured by its own
//! benchmark). Prints figures; run with `cargo bench -p trusca-core --bench matching`.
//!
//! Two package mixes, 20,000 packages each. Packages with advisories get versions taken from
//! their records' own range bounds (so many land exactly on `introduced`/`fixed` edges, and old
//! versions collect many advisories); the others are names no record mentions.
//! - `typical`: one package in ten has advisories (most lockfile packages have none);
//! - `stress`: one in three has, which gives over two findings per package on average.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use trusca_core::model::{Ecosystem, Location, Package};

use trusca_core::vulns::osv::Vulnerability;
use trusca_core::vulns::{find, MemoryAdvisories};

const PACKAGES: usize = 20_000;
const RUNS: usize = 15;

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osv/all.zip");
    if !data.is_file() {
        println!("skipped: {} not found", data.display());
        return;
    }

    let t = Instant::now();
    let records = read_zip(&data);
    let read = t.elapsed();
    let t = Instant::now();
    let typical = packages_from(&records, PACKAGES / 10);
    let stress = packages_from(&records, PACKAGES / 3);
    let advisories: MemoryAdvisories = records.into_iter().collect();
    let index = t.elapsed();
    println!(
        "read {} records in {read:.2?}; in-memory index in {index:.2?}",
        advisories.len()
    );
    run("typical", &typical, &advisories);
    run("stress", &stress, &advisories);
}

fn run(label: &str, packages: &[Package], advisories: &MemoryAdvisories) {
    let mut by_eco = std::collections::BTreeMap::<Ecosystem, usize>::new();
    for p in packages {
        *by_eco.entry(p.ecosystem).or_default() += 1;
    }
    println!("{label}: {} packages: {by_eco:?}", packages.len());

    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut findings = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let matches = match find(packages, advisories) {
            Ok(matches) => matches,
            Err(never) => match never {},
        };
        times.push(t.elapsed());
        findings = matches.check.findings;
    }
    times.sort();
    let median = times.get(RUNS / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    println!(
        "{label}: matched {} packages ({findings} findings): median {median:.2?}, min {min:.2?}, max {max:.2?} over {RUNS} runs (target < 200 ms)",
        packages.len()
    );
}

fn read_zip(path: &std::path::Path) -> Vec<Vulnerability> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(archive.len());
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        buf.clear();
        if entry.read_to_end(&mut buf).is_ok() {
            if let Ok(r) = Vulnerability::from_json(&buf) {
                out.push(r);
            }
        }
    }
    out
}

/// Deterministic package list: names with advisories at versions from their bounds, and
/// names without any.
fn packages_from(records: &[Vulnerability], vulnerable: usize) -> Vec<Package> {
    let mut with: Vec<(Ecosystem, String, String)> = Vec::new();
    for r in records {
        for a in &r.affected {
            let Some(p) = &a.package else { continue };
            let Some(eco) = Ecosystem::from_osv(&p.ecosystem) else {
                continue;
            };
            for range in &a.ranges {
                for e in &range.events {
                    let bound = e
                        .fixed
                        .as_ref()
                        .or(e.introduced.as_ref())
                        .or(e.last_affected.as_ref());
                    if let Some(v) = bound.filter(|v| *v != "0" && v.len() < 40) {
                        with.push((eco, p.name.clone(), v.clone()));
                    }
                }
            }
            if let Some(v) = a.versions.first() {
                with.push((eco, p.name.clone(), v.clone()));
            }
        }
    }
    with.sort();
    with.dedup();
    let step = (with.len() / vulnerable).max(1);
    let mut out: Vec<Package> = with
        .iter()
        .step_by(step)
        .take(vulnerable)
        .map(|(eco, name, v)| package(*eco, name, v))
        .collect();
    let ecosystems = Ecosystem::ALL;
    let mut i = 0usize;
    while out.len() < PACKAGES {
        let eco = ecosystems[i % 6]; // the six big ones: crates, npm, PyPI, Go, Maven, NuGet
        let name = match eco {
            Ecosystem::Go => format!("git.example/org{}/module-{i}", i % 97),
            Ecosystem::Maven => format!("org.example.g{}:artifact-{i}", i % 89),
            _ => format!("package-{i}"),
        };
        out.push(package(
            eco,
            &name,
            &format!("{}.{}.{}", i % 7, i % 13, i % 5),
        ));
        i += 1;
    }
    out
}

fn package(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package::new(
        eco,
        name,
        Some(version),
        Location {
            file: "lockfile".into(),
            line: None,
        },
    )
}
