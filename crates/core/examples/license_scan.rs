//! Times license detection over a directory tree and prints figures; used by
//! `benches/licenses.sh`.
//!
//! `license_scan DIR [--list OUT.json]`: walks DIR as `trusca scan` does for licenses, identifies
//! every license file (first- and third-party) and searches every other file's start for
//! `SPDX-License-Identifier:`. With `--list`, writes `{ "relative/path": ["MIT", …] }` for each
//! license file, to compare with another tool.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use rayon::prelude::*;
use trusca_core::licenses::detect;
use trusca_core::licenses::matcher::Index;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1) else {
        eprintln!("usage: license_scan DIR [--list OUT.json]");
        std::process::exit(2);
    };
    let list = args
        .iter()
        .position(|a| a == "--list")
        .and_then(|i| args.get(i + 1));
    let root = std::path::Path::new(root);

    let t0 = Instant::now();
    let _ = Index::embedded();
    let index_time = t0.elapsed();

    let t1 = Instant::now();
    let tree = detect::walk(root);
    let seen = detect::Seen::default();
    let walk_time = t1.elapsed();

    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let license_bytes: u64 = tree.license_files.iter().map(|(p, _)| size(p)).sum();
    let source_bytes: u64 = tree.source_files.iter().map(|(p, _)| size(p)).sum();
    let header_bytes: u64 = tree
        .source_files
        .iter()
        .map(|(p, _)| size(p).min(detect::HEADER_BYTES))
        .sum();

    let t2 = Instant::now();
    let results: Vec<(String, Vec<String>)> = tree
        .license_files
        .par_iter()
        .map(|(p, rel)| {
            let (d, _) = detect::detect_file(p, rel, &seen);
            (rel.clone(), d.into_iter().map(|d| d.license).collect())
        })
        .collect();
    let license_time = t2.elapsed();
    let t3 = Instant::now();
    let headers: usize = tree
        .source_files
        .par_iter()
        .map(|(p, rel)| detect::scan_header(p, rel).len())
        .sum();
    let header_time = t3.elapsed();
    let total = t1.elapsed();

    let identified = results.iter().filter(|(_, l)| !l.is_empty()).count();
    let files = tree.license_files.len() + tree.source_files.len() + tree.metadata.len();
    let mb = |b: u64| b as f64 / 1e6;
    let secs = total.as_secs_f64();
    println!("index build            {:>8.3} s", index_time.as_secs_f64());
    println!("walk                   {:>8.3} s", walk_time.as_secs_f64());
    println!(
        "license files          {:>8} ({:.1} MB), {identified} identified, {:.3} s ({:.0} files/s)",
        tree.license_files.len(),
        mb(license_bytes),
        license_time.as_secs_f64(),
        tree.license_files.len() as f64 / license_time.as_secs_f64().max(1e-9),
    );
    println!(
        "source files           {:>8} ({:.1} MB, {:.1} MB read), {headers} identifier lines, {:.3} s",
        tree.source_files.len(),
        mb(source_bytes),
        mb(header_bytes),
        header_time.as_secs_f64(),
    );
    println!(
        "total                  {files} files, {:.1} MB in tree, {:.3} s: {:.0} files/s, {:.1} MB/s (tree size / time)",
        mb(license_bytes + source_bytes),
        secs,
        files as f64 / secs,
        mb(license_bytes + source_bytes) / secs,
    );
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "peak memory            {}",
                line.trim_start_matches("VmHWM:").trim()
            );
        }
    }
    if let Some(out) = list {
        let map: BTreeMap<String, Vec<String>> = results.into_iter().collect();
        let mut f = std::fs::File::create(out).expect("create list file");
        serde_json::to_writer_pretty(&mut f, &map).expect("write list");
        let _ = writeln!(f);
    }
}
