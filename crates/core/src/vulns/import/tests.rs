//! Tests of the import: the fixture records, the shared OSV data when present, and hostile
//! records and zips.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

use super::*;
use crate::vulns::db::Db;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/osv")
}

fn shared_osv() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osv");
    p.join("ecosystems.txt").is_file().then_some(p)
}

/// A zip of `(name, bytes)` entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default())
            .expect("start entry");
        w.write_all(data).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

fn import_one(path: &Path, limits: ImportLimits) -> (ImportReport, Option<Db>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    match import(
        &db_path,
        &[path.to_owned()],
        limits,
        &crate::progress::NoProgress,
    ) {
        Ok((report, _)) => (report, Some(Db::open(&db_path).expect("opens")), dir),
        Err(ImportError::Empty(_)) => (ImportReport::default(), None, dir),
        Err(e) => panic!("import failed: {e}"),
    }
}

fn fixture_record(rel: &str) -> Vec<u8> {
    fs::read(fixtures().join(rel)).expect("fixture")
}

#[test]
fn imports_the_fixture_records_from_loose_json() {
    let (report, db, _dir) = import_one(&fixtures(), ImportLimits::default());
    let db = db.expect("records");
    assert_eq!(report.records, 14, "{report:?}");
    assert_eq!(report.skipped_total(), 0, "{report:?}");
    assert_eq!(report.withdrawn, 1);
    assert_eq!(report.per_ecosystem["crates.io"], 2);
    assert_eq!(report.per_ecosystem["GIT"], 1);
    let ids = |eco: &str, name: &str| -> Vec<String> {
        db.lookup(eco, name)
            .expect("lookup")
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(ids("crates.io", "net2"), ["RUSTSEC-2020-0016"]);
    assert_eq!(ids("PyPI", "Django_REST.Registration"), ["PYSEC-2019-20"]);
    assert_eq!(ids("NuGet", "newtonsoft.json"), ["GHSA-5crp-9r3c-p9vr"]);
    assert_eq!(
        ids("Alpine:v3.9", "expat").len(),
        ids("Alpine", "expat").len()
    );
    // Withdrawn records are stored but never looked up.
    assert!(ids("Go", "k8s.io/kubernetes").is_empty());
    assert!(db.record("GO-2022-0617").expect("reads").is_some());
    let full = db
        .record("GHSA-jfh8-c2jp-5v3q")
        .expect("reads")
        .expect("present");
    assert!(full.aliases.iter().any(|a| a == "CVE-2021-44228"));
    assert_eq!(
        db.record_json("RUSTSEC-2020-0016")
            .expect("reads")
            .expect("present"),
        fixture_record("crates.io/RUSTSEC-2020-0016.json")
    );
}

#[test]
fn a_mirror_layout_directory_reads_only_the_listed_ecosystem_zips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::write(root.join("ecosystems.txt"), "crates.io\nnpm\n../escape\n").expect("write");
    for (eco, ids) in [
        ("crates.io", ["RUSTSEC-2020-0016", "RUSTSEC-2016-0001"]),
        ("npm", ["GHSA-whgm-jr23-g3j9", "GHSA-xvch-5gv4-984h"]),
    ] {
        let records: Vec<(String, Vec<u8>)> = ids
            .iter()
            .map(|id| {
                (
                    format!("{id}.json"),
                    fixture_record(&format!("{eco}/{id}.json")),
                )
            })
            .collect();
        let entries: Vec<(&str, &[u8])> = records
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        fs::create_dir_all(root.join(eco)).expect("mkdir");
        fs::write(root.join(eco).join("all.zip"), zip_of(&entries)).expect("write");
    }
    // Not listed: ignored.
    fs::write(root.join("all.zip"), b"not read").expect("write");
    let (report, db, _db_dir) = import_one(root, ImportLimits::default());
    let db = db.expect("records");
    assert_eq!(report.records, 4, "{report:?}");
    // The zip entry's deflate stream is stored as is and reads back byte for byte.
    assert_eq!(
        db.record_json("RUSTSEC-2020-0016")
            .expect("reads")
            .expect("present"),
        fixture_record("crates.io/RUSTSEC-2020-0016.json")
    );
    assert_eq!(report.skipped_total(), 0, "{report:?}");
}

#[test]
fn duplicates_keep_the_newest_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = br#"{"id": "X-1", "modified": "2020-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "old-name"}}]}"#;
    let new = br#"{"id": "X-1", "modified": "2021-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "new-name"}}]}"#;
    fs::write(dir.path().join("a.json"), new).expect("write");
    fs::write(dir.path().join("b.zip"), zip_of(&[("X-1.json", old)])).expect("write");
    let (report, db, _d) = import_one(dir.path(), ImportLimits::default());
    let db = db.expect("records");
    assert_eq!((report.records, report.duplicates), (1, 1));
    assert_eq!(db.lookup("npm", "new-name").expect("lookup").len(), 1);
    assert!(db.lookup("npm", "old-name").expect("lookup").is_empty());
}

#[test]
fn hostile_records_are_skipped_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = "x".repeat(1024 * 1024);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("id-is-a-number.json", br#"{"id": 7}"#.to_vec()),
        ("affected-is-a-string.json", br#"{"id": "A", "affected": "npm"}"#.to_vec()),
        ("events-wrong.json", br#"{"id": "B", "affected": [{"ranges": [{"type": "SEMVER", "events": 3}]}]}"#.to_vec()),
        ("not-json.json", b"\xff\xfe garbage {".to_vec()),
        ("truncated.json", br#"{"id": "C", "affected": [{"package""#.to_vec()),
        ("empty.json", Vec::new()),
        ("array.json", b"[1, 2, 3]".to_vec()),
        // Accepted: a huge summary and versions no scheme can parse are still records.
        (
            "huge.json",
            format!(
                r#"{{"id": "HUGE-1", "summary": "{huge}", "affected": [{{"package": {{"ecosystem": "PyPI", "name": "{huge}"}}, "versions": ["{huge}"]}}]}}"#
            )
            .into_bytes(),
        ),
        (
            "bad-versions.json",
            br#"{"id": "V-1", "affected": [{"package": {"ecosystem": "npm", "name": "v"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "not a version"}, {"fixed": ""}, {}]}],
                "versions": ["\u0000", "9999999999999999999999999.0"]}]}"#
                .to_vec(),
        ),
        ("no-package.json", br#"{"id": "G-1", "affected": [{"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "0"}]}]}]}"#.to_vec()),
    ];
    for (name, data) in &files {
        fs::write(dir.path().join(name), data).expect("write");
    }
    let (report, db, _d) = import_one(dir.path(), ImportLimits::default());
    let db = db.expect("some records");
    assert_eq!(
        report.skipped.get(&SkipReason::InvalidRecord),
        Some(&7),
        "{report:?}"
    );
    assert_eq!(report.records, 3, "{report:?}");
    let v = db.lookup("npm", "v").expect("lookup");
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0].affected[0].ranges[0].events,
        vec![
            crate::vulns::db::RangeEvent::Introduced("not a version".into()),
            crate::vulns::db::RangeEvent::Fixed(String::new()),
        ]
    );
    assert_eq!(db.lookup("PyPI", &huge).expect("lookup").len(), 1);
    assert_eq!(report.per_ecosystem["GIT"], 1);
}

#[test]
fn hostile_zips_are_refused_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = fixture_record("npm/GHSA-whgm-jr23-g3j9.json");
    let bomb = vec![b' '; 3 * 1024 * 1024];
    let traversal = zip_of(&[
        ("../escape.json", good.as_slice()),
        ("/abs.json", good.as_slice()),
        ("a/../../b.json", good.as_slice()),
        ("GHSA-whgm-jr23-g3j9.json", good.as_slice()),
    ]);
    fs::write(dir.path().join("traversal.zip"), &traversal).expect("write");
    fs::write(dir.path().join("bomb.zip"), zip_of(&[("bomb.json", &bomb)])).expect("write");
    let truncated = zip_of(&[("x.json", good.as_slice())]);
    let cut = truncated.get(..truncated.len() / 2).expect("half");
    fs::write(dir.path().join("truncated.zip"), cut).expect("write");
    fs::write(dir.path().join("not-a.zip"), b"PK\x03\x04 not really").expect("write");
    fs::write(dir.path().join("empty.zip"), b"").expect("write");
    let (report, db, _d) = import_one(dir.path(), ImportLimits::default());
    assert!(db.is_some());
    assert_eq!(report.records, 1, "{report:?}");
    assert_eq!(
        report.skipped.get(&SkipReason::UnsafePath),
        Some(&3),
        "{report:?}"
    );
    assert_eq!(
        report.skipped.get(&SkipReason::CompressionRatio),
        Some(&1),
        "{report:?}"
    );
    assert_eq!(
        report.skipped.get(&SkipReason::BadZip),
        Some(&3),
        "{report:?}"
    );
}

#[test]
fn size_limits_apply_per_entry_and_in_total() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = fixture_record("npm/GHSA-whgm-jr23-g3j9.json");
    let other = fixture_record("npm/GHSA-xvch-5gv4-984h.json");
    fs::write(
        dir.path().join("two.zip"),
        zip_of(&[("a.json", good.as_slice()), ("b.json", other.as_slice())]),
    )
    .expect("write");
    let small = ImportLimits {
        max_entry_bytes: 100,
        ..ImportLimits::default()
    };
    let (report, db, _d) = import_one(dir.path(), small);
    assert!(db.is_none());
    assert_eq!(report.records, 0);
    let total = ImportLimits {
        max_total_bytes: good.len() as u64 + 10,
        ..ImportLimits::default()
    };
    let db_dir = tempfile::tempdir().expect("tempdir");
    let (report, _) = import(
        &db_dir.path().join("osv.db"),
        &[dir.path().to_owned()],
        total,
        &crate::progress::NoProgress,
    )
    .expect("imports one");
    assert_eq!(report.records, 1);
    assert_eq!(
        report.skipped.get(&SkipReason::TotalSizeLimit),
        Some(&1),
        "{report:?}"
    );
}

#[test]
fn a_missing_input_is_an_error_and_keeps_the_old_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    import(
        &db_path,
        &[fixtures()],
        ImportLimits::default(),
        &crate::progress::NoProgress,
    )
    .expect("imports");
    let err = import(
        &db_path,
        &[dir.path().join("nope")],
        ImportLimits::default(),
        &crate::progress::NoProgress,
    );
    assert!(matches!(err, Err(ImportError::NotFound(_))));
    let empty = tempfile::tempdir().expect("tempdir");
    let err = import(
        &db_path,
        &[empty.path().to_owned()],
        ImportLimits::default(),
        &crate::progress::NoProgress,
    );
    assert!(matches!(err, Err(ImportError::Empty(_))));
    assert_eq!(Db::open(&db_path).expect("opens").info().records, 14);
}

#[test]
fn imports_all_shared_osv_data() {
    let Some(osv) = shared_osv() else {
        eprintln!("skipped: ../shared/data/osv is not present");
        return;
    };
    let (report, db, _d) = import_one(&osv, ImportLimits::default());
    let db = db.expect("records");
    assert_eq!(report.records, 25_961, "{report:?}");
    assert_eq!(report.skipped_total(), 0, "{:?}", report.examples);
    // The per-ecosystem counts of the data's README.
    let expected = [
        ("AlmaLinux", 5_637),
        ("Alpine", 2_439),
        ("Bitnami", 7_444),
        ("CRAN", 14),
        ("GHC", 3),
        ("GIT", 132),
        ("Go", 4_293),
        ("Hackage", 32),
        ("Julia", 1_703),
        ("Maven", 365),
        ("NuGet", 6),
        ("Packagist", 2),
        ("PyPI", 2_663),
        ("RubyGems", 3),
        ("SwiftURL", 1),
        ("crates.io", 1_206),
        ("npm", 5),
        ("opam", 26),
    ];
    for (eco, count) in expected {
        assert_eq!(report.per_ecosystem.get(eco), Some(&count), "{eco}");
        assert_eq!(
            db.info().ecosystems.get(eco).map(|e| e.records),
            Some(count),
            "{eco}"
        );
    }
    let ids = |eco: &str, name: &str| -> Vec<String> {
        db.lookup(eco, name)
            .expect("lookup")
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(
        ids("crates.io", "net2"),
        ["RUSTSEC-2020-0016", "RUSTSEC-2020-0078"]
    );
    assert!(ids("PyPI", "Django_REST.Registration").contains(&"PYSEC-2019-20".to_owned()));
    assert!(ids("Maven", "org.apache.logging.log4j:log4j-core")
        .contains(&"GHSA-jfh8-c2jp-5v3q".to_owned()));
    assert!(ids("npm", "minimist").contains(&"GHSA-xvch-5gv4-984h".to_owned()));
}
