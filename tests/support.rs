//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;

use assert_cmd::Command;

/// The `trusca` binary under test, with a clean environment for reproducible output: offline,
/// pointed at a vulnerability database that does not exist, and checking licenses only
/// (`TRUSCA_SCANNERS=license`): without it every scan would stop at the missing database. Tests
/// about vulnerabilities use [`trusca_matching`]. The package stores of the machine running the
/// tests are out of sight (an empty home, no store variables), so results do not depend on what
/// it has fetched; tests of stores name theirs with `--package-store`.
pub fn trusca() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trusca"));
    for var in STORE_VARIABLES {
        cmd.env_remove(var);
    }
    cmd.env("HOME", empty_home())
        .env_remove("TRUSCA_GIT_TOKEN")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("TRUSCA_DB_MIRROR")
        .env("TRUSCA_OFFLINE", "1")
        .env(
            "TRUSCA_DB",
            std::env::temp_dir().join("trusca-tests-no-such-db/osv.db"),
        )
        .env("TRUSCA_SCANNERS", "license")
        .env("NO_COLOR", "1")
        // Out of the checkout, whose own `trusca.toml` a scan elsewhere would warn about.
        .current_dir(neutral_dir());
    cmd
}

/// The variables that locate package stores besides `HOME`.
const STORE_VARIABLES: [&str; 9] = [
    "USERPROFILE",
    "CARGO_HOME",
    "GOMODCACHE",
    "GOPATH",
    "VIRTUAL_ENV",
    "GEM_HOME",
    "PUB_CACHE",
    "NUGET_PACKAGES",
    "GRADLE_USER_HOME",
];

/// An empty home directory of the tests' own.
fn empty_home() -> PathBuf {
    let dir = std::env::temp_dir().join("trusca-tests-home");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// An empty working directory of the tests' own.
fn neutral_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("trusca-tests-cwd");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// [`trusca`] with every scanner on (the default a user gets), reading the vulnerability
/// database `db` (which need not exist).
pub fn trusca_matching(db: &std::path::Path) -> Command {
    let mut cmd = trusca();
    cmd.env_remove("TRUSCA_SCANNERS").env("TRUSCA_DB", db);
    cmd
}

/// A directory under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A vulnerability database at `dir/osv.db`, imported from the OSV records of `fixtures/{records}`.
pub fn osv_database(dir: &std::path::Path, records: &str) -> PathBuf {
    let db = dir.join("osv.db");
    let out = trusca()
        .args(["db", "--db"])
        .arg(&db)
        .arg("import")
        .arg(fixture(records))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// Output text with machine-specific parts (the fixture root, commit ids) replaced.
pub fn scrub(text: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = text.replace(&*root.to_string_lossy(), "[ROOT]");
    out = out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    // 40-hex commit ids.
    let mut scrubbed = String::with_capacity(out.len());
    let mut run = String::new();
    for c in out.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
            continue;
        }
        scrubbed.push_str(if run.len() == 40 { "[COMMIT]" } else { &run });
        run.clear();
        scrubbed.push(c);
    }
    scrubbed.push_str(if run.len() == 40 { "[COMMIT]" } else { &run });
    scrub_uuids(&scrubbed)
}

/// UUIDs (`8-4-4-4-12` hex) become `[UUID]`: serial numbers derive from paths that differ per run.
fn scrub_uuids(text: &str) -> String {
    let groups = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let is_uuid_at = |i: usize| {
        let mut at = i;
        for (n, len) in groups.iter().enumerate() {
            let Some(part) = bytes.get(at..at + len) else {
                return false;
            };
            if !part.iter().all(u8::is_ascii_hexdigit) {
                return false;
            }
            at += len;
            if n < groups.len() - 1 {
                if bytes.get(at) != Some(&b'-') {
                    return false;
                }
                at += 1;
            }
        }
        true
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text.is_char_boundary(i) && is_uuid_at(i) {
            out.push_str("[UUID]");
            i += 36;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// Copies a fixture directory into a fresh temporary directory (outside any git checkout, so
/// no commit is recorded) and returns the temp dir and the copy's path, named like the fixture.
pub fn fixture_copy(rel: &str) -> (tempfile::TempDir, PathBuf) {
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let name = std::path::Path::new(rel).file_name().expect("named");
    let dest = tmp.path().join(name);
    copy_dir(&fixture(rel), &dest);
    (tmp, dest)
}
