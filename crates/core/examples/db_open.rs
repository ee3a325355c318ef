//! Benchmark helper for `benches/db.sh`: times opening the vulnerability database and looking
//! up every package it knows (so each lookup hits), and prints the figures.
//!
//! usage: cargo run --release -p trusca-core --example db_open -- PATH [RUNS]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use trusca_core::vulns::db::Db;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: db_open PATH [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut opens: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let db = match Db::open(&path) {
            Ok(db) => db,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        // Opening includes reading the metadata; touch it so nothing is deferred.
        std::hint::black_box(db.info().records);
        opens.push(start.elapsed());
    }
    opens.sort();
    let median = opens.get(opens.len() / 2).copied().unwrap_or_default();
    let max = opens.last().copied().unwrap_or_default();
    println!(
        "open: median {:.3} ms, max {:.3} ms over {runs} runs (first, cold: {:.3} ms)",
        ms(median),
        ms(max),
        ms(opens.first().copied().unwrap_or_default())
    );

    // Lookups of a fixed, mixed set of names: 20,000 calls cycling through them.
    let db = match Db::open(&path) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let names = [
        ("crates.io", "net2"),
        ("crates.io", "serde"),
        ("PyPI", "Django"),
        ("PyPI", "requests"),
        ("npm", "minimist"),
        ("npm", "left-pad"),
        ("Go", "golang.org/x/net"),
        ("Go", "github.com/example/none"),
        ("Maven", "org.apache.logging.log4j:log4j-core"),
        ("AlmaLinux:8", "kernel"),
    ];
    let start = Instant::now();
    let mut hits = 0usize;
    for i in 0..20_000 {
        let (eco, name) = names[i % names.len()];
        hits += db.lookup(eco, name).map(|v| v.len()).unwrap_or(0);
    }
    println!(
        "lookup: 20000 lookups in {:.1} ms ({hits} advisories returned)",
        ms(start.elapsed())
    );
    for (eco, name) in names {
        let start = Instant::now();
        let mut found = 0;
        for _ in 0..100 {
            found = db.lookup(eco, name).map(|v| v.len()).unwrap_or(0);
        }
        println!(
            "  {eco} {name}: {found} advisories, {:.1} µs per lookup",
            ms(start.elapsed()) * 10.0
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
