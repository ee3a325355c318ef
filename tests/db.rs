//! `trusca db update|import|status` end to end, with an HTTP mirror started by the test on
//! 127.0.0.1 serving zips built from `fixtures/osv`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use trusca_core::vulns::db::Db;
use zip::write::SimpleFileOptions;

use crate::support::{fixture, trusca};

/// `<Ecosystem>/all.zip` for every fixture directory.
fn fixture_zips() -> BTreeMap<String, Vec<u8>> {
    let mut zips = BTreeMap::new();
    let root = fixture("osv");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/osv")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let eco = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| Some(e.ok()?.path()))
            .collect();
        files.sort();
        let entries: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|f| {
                let name = f.file_name().expect("name").to_string_lossy().into_owned();
                (name, std::fs::read(f).expect("read"))
            })
            .collect();
        zips.insert(eco, zip_of(&entries));
    }
    zips
}

/// A zip of `(name, bytes)` entries.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), SimpleFileOptions::default())
            .expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

/// How the mirror answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Honest: 200 with ETag / Last-Modified, 304 to a matching conditional request.
    Normal,
    /// Every zip changed (new ETag), and its body is cut off after half the bytes.
    CutOff,
}

/// One request the mirror saw.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    if_none_match: Option<String>,
    status: u16,
}

struct Mirror {
    port: u16,
    zips: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
    mode: Arc<Mutex<Mode>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Mirror {
    fn start(zips: BTreeMap<String, Vec<u8>>) -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let zips = Arc::new(Mutex::new(zips));
        let mode = Arc::new(Mutex::new(Mode::Normal));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (z, m, s, st) = (zips.clone(), mode.clone(), seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let mode = *m.lock().expect("lock");
                let zips = z.lock().expect("lock").clone();
                if let Some(seen) = serve(stream, &zips, mode) {
                    s.lock().expect("lock").push(seen);
                }
            }
        });
        Mirror {
            port,
            zips,
            mode,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serves `zip` as `<eco>/all.zip` from now on (a new ETag when its size differs).
    fn set_zip(&self, eco: &str, zip: Vec<u8>) {
        self.zips.lock().expect("lock").insert(eco.to_owned(), zip);
    }

    fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("lock") = mode;
    }

    fn take_seen(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().expect("lock"))
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers one request (the client is told to close the connection after it).
fn serve(stream: TcpStream, zips: &BTreeMap<String, Vec<u8>>, mode: Mode) -> Option<Seen> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let path = request_line.split_whitespace().nth(1)?.to_owned();
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_owned());
            }
        }
    }
    let mut out = stream;
    let eco = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix("/all.zip"));
    let (status, headers, body, send): (u16, String, Vec<u8>, usize) = if path == "/ecosystems.txt"
    {
        let list: String = zips.keys().map(|k| format!("{k}\n")).collect();
        let len = list.len();
        (200, String::new(), list.into_bytes(), len)
    } else if let Some(zip) = eco.and_then(|e| zips.get(e)) {
        let etag = match mode {
            Mode::Normal => format!("\"v1-{}\"", zip.len()),
            Mode::CutOff => format!("\"v2-{}\"", zip.len()),
        };
        let headers = format!("ETag: {etag}\r\nLast-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n");
        if if_none_match.as_deref() == Some(etag.as_str()) {
            (304, headers, Vec::new(), 0)
        } else if mode == Mode::CutOff {
            (200, headers, zip.clone(), zip.len() / 2)
        } else {
            (200, headers, zip.clone(), zip.len())
        }
    } else {
        (404, String::new(), Vec::new(), 0)
    };
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        _ => "Not Found",
    };
    let length = if status == 304 {
        String::new()
    } else {
        format!("Content-Length: {}\r\n", body.len())
    };
    let head = format!("HTTP/1.1 {status} {reason}\r\n{headers}{length}Connection: close\r\n\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body.get(..send).unwrap_or_default());
    let _ = out.flush();
    Some(Seen {
        path,
        if_none_match,
        status,
    })
}

fn ids(db: &Db, eco: &str, name: &str) -> Vec<String> {
    db.lookup(eco, name)
        .expect("lookup")
        .into_iter()
        .map(|a| a.id)
        .collect()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("json output")
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .filter(|n| n != "osv.db")
        .collect()
}

#[test]
fn update_downloads_then_asks_conditionally_and_survives_a_cut_off_transfer() {
    let zips = fixture_zips();
    let ecosystems = zips.len();
    let mirror = Mirror::start(zips);
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");

    // First update: everything is downloaded.
    let out = trusca()
        .args([
            "db",
            "update",
            "--format",
            "json",
            "--mirror",
            &mirror.url(),
        ])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    assert_eq!(report["database"]["records"], 14);
    assert_eq!(report["import"]["per_ecosystem"]["crates.io"], 2);
    let seen = mirror.take_seen();
    assert_eq!(
        seen.iter().filter(|s| s.status == 200).count(),
        ecosystems + 1
    );
    assert!(seen.iter().all(|s| s.if_none_match.is_none()), "{seen:?}");
    let first = Db::open(&db_path).expect("opens");
    let first_info = first.info().clone();
    assert_eq!(ids(&first, "crates.io", "net2"), ["RUSTSEC-2020-0016"]);
    drop(first);

    // Second update: every zip is asked for conditionally and answered 304.
    let out = trusca()
        .args(["db", "--db"])
        .arg(&db_path)
        .args(["update", "--format", "json", "--mirror", &mirror.url()])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    assert_eq!(report["downloaded_bytes"], 0);
    let seen = mirror.take_seen();
    let zip_requests: Vec<&Seen> = seen.iter().filter(|s| s.path.ends_with(".zip")).collect();
    assert_eq!(zip_requests.len(), ecosystems);
    assert!(
        zip_requests
            .iter()
            .all(|s| s.status == 304 && s.if_none_match.is_some()),
        "{seen:?}"
    );
    let second = Db::open(&db_path).expect("opens");
    let mut expected = first_info.clone();
    expected.built_unix = second.info().built_unix;
    assert_eq!(second.info(), &expected);
    assert_eq!(
        ids(&second, "PyPI", "Django_REST.Registration"),
        ["PYSEC-2019-20"]
    );
    drop(second);

    // Third update: the mirror changed, but every transfer is cut off half way.
    mirror.set_mode(Mode::CutOff);
    let out = trusca()
        .args(["db", "update", "--mirror", &mirror.url()])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cut off"), "{stderr}");
    let kept = Db::open(&db_path).expect("old database still opens");
    assert_eq!(kept.info().records, 14);
    assert_eq!(ids(&kept, "crates.io", "net2"), ["RUSTSEC-2020-0016"]);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn update_from_an_unreachable_mirror_fails_and_keeps_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    trusca()
        .args(["db", "import"])
        .arg(fixture("osv"))
        .env("TRUSCA_DB", &db_path)
        .assert()
        .code(0);
    // A port nothing listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let out = trusca()
        .args([
            "db",
            "update",
            "--mirror",
            &format!("http://127.0.0.1:{port}"),
        ])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("failed"));
    assert_eq!(Db::open(&db_path).expect("opens").info().records, 14);
}

#[test]
fn update_from_a_directory_mirror() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mirror = dir.path().join("mirror");
    for (eco, zip) in fixture_zips() {
        std::fs::create_dir_all(mirror.join(&eco)).expect("mkdir");
        std::fs::write(mirror.join(&eco).join("all.zip"), zip).expect("write");
    }
    let db_path = dir.path().join("db").join("osv.db");
    let out = trusca()
        .args([
            "db",
            "update",
            "--format",
            "json",
            "--ecosystem",
            "npm",
            "--mirror",
        ])
        .arg(format!("file://{}", mirror.display()))
        .arg("--db")
        .arg(&db_path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out.stdout)["database"]["records"], 2);
    let out = trusca()
        .args(["db", "update", "--ecosystem", "Nope", "--mirror"])
        .arg(&mirror)
        .arg("--db")
        .arg(&db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data for ecosystem `Nope`"));
}

#[test]
fn import_reports_counts_and_status_shows_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    let out = trusca()
        .args(["db", "import"])
        .arg(fixture("osv"))
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).replace(&*db_path.to_string_lossy(), "[DB]");
    insta::assert_snapshot!("db_import_text", text);

    let out = trusca()
        .args(["db", "status", "--format", "json"])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let status = json(&out.stdout);
    assert_eq!(status["records"], 14);
    assert_eq!(status["withdrawn"], 1);
    assert_eq!(status["ecosystems"]["PyPI"]["records"], 3);
    assert_eq!(
        status["schema_version"],
        trusca_core::vulns::db::SCHEMA_VERSION
    );

    let out = trusca()
        .args(["db", "status", "--format", "text"])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("records   14 (1 withdrawn)"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().eq(["crates.io", "2"])),
        "{text}"
    );
}

#[test]
fn status_without_a_database_fails_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = trusca()
        .args(["db", "status"])
        .env("TRUSCA_DB", dir.path().join("missing.db"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no vulnerability database"), "{stderr}");
    assert!(stderr.contains("trusca db update"), "{stderr}");
}

#[test]
fn import_skips_hostile_input_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let good = std::fs::read(fixture("osv/npm/GHSA-whgm-jr23-g3j9.json")).expect("read");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for name in ["../../evil.json", "GHSA-whgm-jr23-g3j9.json"] {
        w.start_file(name, SimpleFileOptions::default())
            .expect("entry");
        w.write_all(&good).expect("write");
    }
    std::fs::write(input.join("a.zip"), w.finish().expect("zip").into_inner()).expect("write");
    std::fs::write(input.join("b.zip"), b"not a zip").expect("write");
    std::fs::write(input.join("c.json"), br#"{"id": ["wrong type"]}"#).expect("write");
    let db_path = dir.path().join("osv.db");
    let out = trusca()
        .args(["db", "import", "--format", "json"])
        .arg(&input)
        .arg("--db")
        .arg(&db_path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    assert_eq!(report["import"]["records"], 1);
    assert_eq!(report["import"]["skipped"]["unsafe-path"], 1);
    assert_eq!(report["import"]["skipped"]["bad-zip"], 1);
    assert_eq!(report["import"]["skipped"]["invalid-record"], 1);
    assert!(!dir.path().join("evil.json").exists());

    // Nothing usable at all: an error, exit 2.
    let out = trusca()
        .args(["db", "import"])
        .arg(input.join("b.zip"))
        .arg("--db")
        .arg(dir.path().join("other.db"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// Overwrites every occurrence of `find` in `bytes` with `with` from its start (same-length
/// edits of a file); returns how many there were.
fn overwrite_after(bytes: &mut [u8], find: &[u8], with: &[u8]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while at + with.len().max(find.len()) <= bytes.len() {
        if bytes.get(at..at + find.len()) == Some(find) {
            if let Some(target) = bytes.get_mut(at..at + with.len()) {
                target.copy_from_slice(with);
            }
            count += 1;
        }
        at += 1;
    }
    count
}

/// Runs `trusca db …` on `db_path`, expecting success, and returns standard output.
fn db_ok(db_path: &Path, args: &[&str]) -> Vec<u8> {
    let out = trusca()
        .arg("db")
        .args(args)
        .env("TRUSCA_DB", db_path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Record counts per ecosystem from `db status --format json`.
fn status_counts(db_path: &Path) -> BTreeMap<String, u64> {
    let status = json(&db_ok(db_path, &["status", "--format", "json"]));
    status["ecosystems"]
        .as_object()
        .expect("ecosystems")
        .iter()
        .map(|(eco, e)| (eco.clone(), e["records"].as_u64().expect("count")))
        .collect()
}

/// The advisory ids a scan of the Cargo.lock fixture reports.
fn cargo_findings(db_path: &Path) -> Vec<String> {
    let out = crate::support::trusca_matching(db_path)
        .args(["scan", "-f", "json", "--fail-on", "none"])
        .arg(fixture(
            "e2e/fixtures/exp-plugins-pkgdeprecate/deprecated-vuln",
        ))
        .output()
        .expect("runs");
    let result = json(&out.stdout);
    result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect()
}

/// A PyPI zip unlike the fixture's: PYSEC-2019-20 is gone, and GHSA-77rm-9x9h-xj3g (which
/// affects Go, Maven, NuGet, Packagist and PyPI, and is in the Go zip) has a newer version.
fn changed_pypi_zip() -> Vec<u8> {
    let mut shared: serde_json::Value = serde_json::from_slice(
        &std::fs::read(fixture("osv/Go/GHSA-77rm-9x9h-xj3g.json")).expect("read"),
    )
    .expect("json");
    shared["modified"] = "2025-01-01T00:00:00Z".into();
    shared["summary"] = "A newer version".into();
    zip_of(&[
        (
            "PYSEC-2020-263.json".to_owned(),
            std::fs::read(fixture("osv/PyPI/PYSEC-2020-263.json")).expect("read"),
        ),
        (
            "GHSA-77rm-9x9h-xj3g.json".to_owned(),
            serde_json::to_vec(&shared).expect("json"),
        ),
    ])
}

fn summary(db: &Db, eco: &str, name: &str) -> Option<String> {
    db.lookup(eco, name)
        .expect("lookup")
        .first()?
        .summary
        .clone()
}

#[test]
fn an_update_of_one_ecosystem_keeps_the_others_and_their_findings() {
    let mirror = Mirror::start(fixture_zips());
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    db_ok(&db_path, &["update", "--mirror", &mirror.url()]);
    let before = status_counts(&db_path);
    assert_eq!(before["crates.io"], 2);
    assert_eq!(cargo_findings(&db_path), ["RUSTSEC-2020-0016"]);
    mirror.take_seen();

    mirror.set_zip("PyPI", changed_pypi_zip());
    let out = db_ok(
        &db_path,
        &[
            "update",
            "--ecosystem",
            "PyPI",
            "--format",
            "json",
            "--mirror",
            &mirror.url(),
        ],
    );
    let report = json(&out);
    assert_eq!(report["ecosystems"]["PyPI"], "downloaded");
    assert_eq!(report["ecosystems"]["crates.io"], "kept");
    assert_eq!(report["database"]["records"], 13);
    let seen = mirror.take_seen();
    assert_eq!(
        seen.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
        ["/PyPI/all.zip"]
    );

    // Every other ecosystem keeps its records; the Rust scan still finds its advisory.
    let after = status_counts(&db_path);
    let others = |c: &BTreeMap<String, u64>| {
        c.iter()
            .filter(|(eco, _)| *eco != "PyPI")
            .map(|(e, n)| (e.clone(), *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(others(&after), others(&before));
    assert_eq!(after["PyPI"], 2);
    assert_eq!(cargo_findings(&db_path), ["RUSTSEC-2020-0016"]);
    let db = Db::open(&db_path).expect("opens");
    assert_eq!(ids(&db, "crates.io", "net2"), ["RUSTSEC-2020-0016"]);
    assert!(ids(&db, "PyPI", "Django_REST.Registration").is_empty());
    // The record in both the Go zip and the new PyPI zip: the newer version, for every
    // ecosystem it affects, once.
    let newer = Some("A newer version".to_owned());
    assert_eq!(
        summary(&db, "Maven", "com.google.protobuf:protobuf-java"),
        newer
    );
    assert_eq!(summary(&db, "PyPI", "protobuf"), newer);
    assert_eq!(ids(&db, "Packagist", "google/protobuf").len(), 1);
    drop(db);

    // The kept ecosystems kept their validators: a full update asks for each conditionally
    // and downloads nothing.
    let report = json(&db_ok(
        &db_path,
        &["update", "--format", "json", "--mirror", &mirror.url()],
    ));
    assert_eq!(report["downloaded_bytes"], 0);
    let seen = mirror.take_seen();
    let zips: Vec<&Seen> = seen.iter().filter(|s| s.path.ends_with(".zip")).collect();
    assert_eq!(zips.len(), fixture_zips().len(), "{seen:?}");
    assert!(
        zips.iter()
            .all(|s| s.status == 304 && s.if_none_match.is_some()),
        "{seen:?}"
    );
}

#[test]
fn a_failed_update_of_one_ecosystem_keeps_the_old_file() {
    let mirror = Mirror::start(fixture_zips());
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    db_ok(&db_path, &["update", "--mirror", &mirror.url()]);
    let before = std::fs::read(&db_path).expect("reads");

    mirror.set_zip("PyPI", changed_pypi_zip());
    mirror.set_mode(Mode::CutOff);
    let out = trusca()
        .args([
            "db",
            "update",
            "--ecosystem",
            "PyPI",
            "--mirror",
            &mirror.url(),
        ])
        .env("TRUSCA_DB", &db_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cut off"), "{stderr}");
    assert!(std::fs::read(&db_path).expect("reads") == before);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    assert_eq!(status_counts(&db_path)["crates.io"], 2);
}

#[test]
fn status_shows_each_ecosystem_with_its_record_count_and_update_time() {
    let mirror = Mirror::start(fixture_zips());
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    db_ok(&db_path, &["update", "--mirror", &mirror.url()]);
    let first = json(&db_ok(&db_path, &["status", "--format", "json"]));
    let built = first["built"].as_str().expect("built").to_owned();
    for (eco, e) in first["ecosystems"].as_object().expect("ecosystems") {
        assert_eq!(e["updated"], built.as_str(), "{eco}");
        assert!(e["age_seconds"].is_u64(), "{eco}");
    }

    // Times are in whole seconds: let the next update's differ.
    std::thread::sleep(Duration::from_millis(1100));
    mirror.set_zip("PyPI", changed_pypi_zip());
    db_ok(
        &db_path,
        &["update", "--ecosystem", "PyPI", "--mirror", &mirror.url()],
    );
    let status = json(&db_ok(&db_path, &["status", "--format", "json"]));
    // The data as a whole is as old as its oldest part.
    assert_eq!(status["built"], built.as_str());
    let pypi = status["ecosystems"]["PyPI"]["updated"]
        .as_str()
        .expect("time");
    assert!(pypi > built.as_str(), "{pypi} {built}");
    assert_eq!(status["ecosystems"]["PyPI"]["records"], 2);
    assert_eq!(status["ecosystems"]["crates.io"]["updated"], built.as_str());
    assert_eq!(status["ecosystems"]["crates.io"]["records"], 2);

    let text = String::from_utf8(db_ok(&db_path, &["status", "--format", "text"])).expect("utf-8");
    let row = |eco: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(eco))
            .map(|l| l.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        row("ecosystem"),
        ["ecosystem", "records", "updated"],
        "{text}"
    );
    assert_eq!(
        row("crates.io"),
        ["crates.io", "2", built.as_str()],
        "{text}"
    );
    assert_eq!(row("PyPI"), ["PyPI", "2", pypi], "{text}");
}

#[test]
fn a_database_without_ecosystem_times_still_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("osv.db");
    db_ok(&db_path, &["import", &fixture("osv").display().to_string()]);
    // A file written before per-ecosystem times were recorded, in 2023: keys renamed and digits
    // replaced in place (same lengths), which reads as no times and that build time.
    let mut bytes = std::fs::read(&db_path).expect("reads");
    let renamed = overwrite_after(&mut bytes, b"\"updated_unix\"", b"\"updated_gone\"");
    assert!(renamed >= 10, "{renamed}");
    let rebuilt = overwrite_after(&mut bytes, b"\"built_unix\":", b"\"built_unix\":1700000000");
    assert!(rebuilt >= 1, "{rebuilt}");
    std::fs::write(&db_path, bytes).expect("writes");
    let db = Db::open(&db_path).expect("opens");
    assert!(db
        .info()
        .ecosystems
        .values()
        .all(|e| e.updated_unix.is_none()));
    drop(db);

    let status = json(&db_ok(&db_path, &["status", "--format", "json"]));
    let built = "2023-11-14T22:13:20Z";
    assert_eq!(status["built"], built);
    assert_eq!(status["ecosystems"]["crates.io"]["updated"], built);
    assert_eq!(status["ecosystems"]["crates.io"]["records"], 2);

    // An update of PyPI keeps the others with the build time as theirs.
    let mirror = dir.path().join("mirror");
    std::fs::create_dir_all(mirror.join("PyPI")).expect("mkdir");
    std::fs::write(mirror.join("PyPI").join("all.zip"), changed_pypi_zip()).expect("write");
    db_ok(
        &db_path,
        &[
            "update",
            "--ecosystem",
            "PyPI",
            "--mirror",
            &mirror.display().to_string(),
        ],
    );
    let status = json(&db_ok(&db_path, &["status", "--format", "json"]));
    assert_eq!(status["built"], built);
    assert_eq!(status["ecosystems"]["crates.io"]["updated"], built);
    assert_eq!(status["ecosystems"]["crates.io"]["records"], 2);
    assert!(status["ecosystems"]["PyPI"]["updated"].as_str() > Some(built));
    let db = Db::open(&db_path).expect("opens");
    let crates = &db.info().ecosystems["crates.io"];
    assert_eq!(crates.updated_unix, Some(1_700_000_000));
    assert_eq!(ids(&db, "crates.io", "net2"), ["RUSTSEC-2020-0016"]);
}
