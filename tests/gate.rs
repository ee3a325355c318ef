//! The CI gate fails closed: what was not checked is reported and never reads as a pass. Real
//! RustSec records and hand-written records of real shapes (`fixtures/gate/`), through the
//! binary: exit codes, the JSON `coverage`, SARIF, Markdown and the table.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{fixture, osv_database, trusca, trusca_matching};

/// A database imported from `fixtures/gate/osv`.
fn database(dir: &Path) -> PathBuf {
    osv_database(dir, "gate/osv")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

fn run(mut cmd: assert_cmd::Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn finding<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {}", v["findings"]))
}

#[test]
fn no_database_is_an_error_in_every_format_and_license_only_scans_need_none() {
    let tmp = tempfile::tempdir().expect("tmp");
    let missing = tmp.path().join("missing/osv.db");
    let dir = fixture("gate/rust");
    for format in ["json", "sarif", "markdown", "table"] {
        let r = run(
            trusca_matching(&missing),
            &["scan", path(&dir), "--fail-on", "low", "-f", format],
        );
        assert_eq!(r.code, Some(2), "{format}: {}", r.stderr);
        assert!(r.stderr.contains("--scanners license"), "{}", r.stderr);
        match format {
            "json" => {
                let v = r.json();
                assert_eq!(v["policy"]["decision"], "error");
                assert_eq!(v["coverage"]["vulnerabilities"]["checked"], 0);
                assert_eq!(v["packages"].as_array().map(Vec::len), Some(5));
            }
            "sarif" => {
                let v = r.json();
                let run = &v["runs"][0];
                assert_eq!(run["invocations"][0]["executionSuccessful"], false);
                assert_eq!(run["properties"]["decision"], "error");
                assert!(run["invocations"][0]["toolExecutionNotifications"]
                    .as_array()
                    .is_some_and(|n| n.iter().any(|n| n["message"]["text"]
                        .as_str()
                        .is_some_and(|t| t.contains("no vulnerability database")))));
            }
            "markdown" => {
                assert!(r.stdout.starts_with("## trusca: ⚠️ error"), "{}", r.stdout);
                assert!(r.stdout.contains("not checked for vulnerabilities"));
            }
            _ => assert!(r.stdout.contains("NOT CHECKED"), "{}", r.stdout),
        }
    }
    // A corrupt file and an age limit without a database are errors too.
    std::fs::write(tmp.path().join("corrupt.db"), b"not a database").expect("write");
    let r = run(
        trusca_matching(&tmp.path().join("corrupt.db")),
        &["scan", path(&dir), "-f", "json"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let r = run(
        trusca_matching(&missing),
        &["scan", path(&dir), "--max-db-age", "1", "-f", "json"],
    );
    assert_eq!(r.code, Some(2));
    // On purpose, without vulnerabilities: no database needed, and the coverage says so.
    let r = run(
        trusca_matching(&missing),
        &["scan", path(&dir), "--scanners", "license", "-f", "json"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["coverage"]["scanners"], serde_json::json!(["license"]));
    assert_eq!(
        v["coverage"]["vulnerabilities"]["ecosystems"][0]["not_checked"]["scanner-off"],
        5
    );
}

#[test]
fn fail_open_turns_a_missing_database_into_a_loud_pass() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        fixture("gate/rust/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    std::fs::write(tmp.path().join("trusca.toml"), "fail_open = true\n").expect("write");
    let r = run(
        trusca_matching(&tmp.path().join("none.db")),
        &["scan", path(tmp.path()), "-f", "json"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("PASSING ONLY BECAUSE `fail_open = true`"));
    assert_eq!(r.json()["policy"]["decision"], "error");
}

#[test]
fn unknown_severity_fails_unless_mapped_and_informational_advisories_do_not() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let dir = fixture("gate/rust");
    let r = run(
        trusca_matching(&db),
        &["scan", path(&dir), "--fail-on", "critical", "-f", "json"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let v = r.json();
    // serde_yaml's advisory has no severity anywhere: it fails even at `critical`.
    assert_eq!(finding(&v, "RUSTSEC-2018-0005")["severity"], "unknown");
    let violations: Vec<&str> = v["policy"]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|x| x["id"].as_str().expect("id"))
        .collect();
    assert_eq!(violations, ["RUSTSEC-2018-0005"]);
    // RustSec's `cvss` (7.4 for openssl) is read.
    assert_eq!(finding(&v, "RUSTSEC-2016-0001")["severity"], "high");
    // Unsound and unmaintained are reported in their own categories and do not fail.
    assert_eq!(finding(&v, "RUSTSEC-2018-0018")["category"], "unsound");
    assert_eq!(finding(&v, "RUSTSEC-2016-0005")["category"], "unmaintained");
    assert_eq!(
        finding(&v, "RUSTSEC-2016-0001")["category"],
        "vulnerability"
    );

    // Mapped away, the scan passes at `critical`; informational kinds fail only when named.
    let config = tmp.path().join("policy.toml");
    std::fs::write(&config, "[vulns]\nunknown_severity = \"ignore\"\n").expect("write");
    let r = run(
        trusca_matching(&db),
        &[
            "scan",
            path(&dir),
            "--fail-on",
            "critical",
            "--config",
            path(&config),
            "-f",
            "json",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    std::fs::write(
        &config,
        "[vulns]\nunknown_severity = \"ignore\"\nfail_on_informational = [\"unsound\"]\n",
    )
    .expect("write");
    let r = run(
        trusca_matching(&db),
        &[
            "scan",
            path(&dir),
            "--fail-on",
            "critical",
            "--config",
            path(&config),
            "-f",
            "json",
        ],
    );
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.json()["policy"]["violations"][0]["id"],
        "RUSTSEC-2018-0018"
    );

    // The table keeps informational advisories apart.
    let r = run(
        trusca_matching(&db),
        &["scan", path(&dir), "--fail-on", "none", "-f", "table"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("Informational advisories (2)"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_malicious_package_fails_at_any_threshold_and_comes_first() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let dir = fixture("gate/npm");
    for threshold in ["critical", "none"] {
        let r = run(
            trusca_matching(&db),
            &["scan", path(&dir), "--fail-on", threshold, "-f", "json"],
        );
        assert_eq!(r.code, Some(1), "{threshold}: {}", r.stderr);
        let v = r.json();
        assert_eq!(v["findings"][0]["id"], "MAL-2099-0001");
        assert_eq!(v["findings"][0]["category"], "malicious");
        assert_eq!(v["policy"]["violations"][0]["kind"], "malicious");
    }
    let r = run(
        trusca_matching(&db),
        &["scan", path(&dir), "--fail-on", "none", "-f", "table"],
    );
    assert!(r.stdout.contains("MALICIOUS"), "{}", r.stdout);
}

#[test]
fn a_severity_only_an_alias_has_rates_the_finding() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let r = run(
        trusca_matching(&db),
        &[
            "scan",
            path(&fixture("gate/go")),
            "--fail-on",
            "high",
            "-f",
            "json",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let v = r.json();
    let f = finding(&v, "GO-2099-0001");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["score"], 7.5);
    assert_eq!(f["aliases"], serde_json::json!(["CVE-2099-0001"]));
}

#[test]
fn an_ecosystem_the_database_lacks_is_not_checked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    // The gate database holds crates.io, npm and Go advisories, no PyPI ones.
    let req = tmp.path().join("requirements.txt");
    std::fs::write(&req, "django==1.11.0\n").expect("write");
    let r = run(
        trusca_matching(&db),
        &["scan", path(tmp.path()), "--fail-on", "none", "-f", "json"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = r.json();
    let pypi = &v["coverage"]["vulnerabilities"]["ecosystems"][0];
    assert_eq!(pypi["ecosystem"], "PyPI");
    assert_eq!(pypi["checked"], 0);
    assert_eq!(pypi["not_checked"]["ecosystem-not-in-database"], 1);
    assert_eq!(v["vuln_check"]["checked"], 0);
    let held = v["coverage"]["vulnerabilities"]["database"]["ecosystems"]
        .as_array()
        .expect("ecosystems");
    assert!(held.iter().any(|e| e == "crates.io"));
    assert!(!held.iter().any(|e| e == "PyPI"));
}

#[test]
fn strict_makes_an_unreadable_lockfile_an_error_and_coverage_lists_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(tmp.path().join("bad")).expect("mkdir");
    std::fs::copy(
        fixture("scan/broken/Cargo.lock"),
        tmp.path().join("bad/Cargo.lock"),
    )
    .expect("copy");
    std::fs::copy(
        fixture("gate/rust/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    let r = run(trusca(), &["scan", path(tmp.path()), "-f", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.json()["coverage"]["files"]["failed"],
        serde_json::json!(["bad/Cargo.lock"])
    );
    let r = run(
        trusca(),
        &["scan", path(tmp.path()), "--strict", "-f", "json"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.json()["policy"]["error"]
        .as_str()
        .is_some_and(|e| e.contains("bad/Cargo.lock")));
}

#[test]
fn escape_sequences_in_package_names_never_reach_the_terminal() {
    let dir = fixture("gate/escape");
    for format in ["table", "markdown"] {
        let r = run(trusca(), &["scan", path(&dir), "-f", format]);
        assert!(!r.stdout.contains('\u{1b}'), "{format}: {:?}", r.stdout);
        assert!(!r.stdout.contains('\u{7}'));
        if format == "table" {
            assert!(r.stdout.contains("evil\\u{1b}]0;pwned"), "{}", r.stdout);
        }
        assert!(!r.stderr.contains('\u{1b}'));
    }
    // JSON keeps the name as written (escaped by JSON itself).
    let r = run(trusca(), &["scan", path(&dir), "-f", "json"]);
    assert!(r.json()["packages"][0]["name"]
        .as_str()
        .is_some_and(|n| n.contains('\u{1b}')));
}

#[test]
fn sarif_names_files_from_the_repository_root() {
    let repo = tempfile::tempdir().expect("tmp");
    let git = git2::Repository::init(repo.path()).expect("init");
    let service = repo.path().join("services/api");
    std::fs::create_dir_all(&service).expect("mkdir");
    std::fs::copy(
        fixture("gate/npm/package-lock.json"),
        service.join("package-lock.json"),
    )
    .expect("copy");
    let mut index = git.index().expect("index");
    index
        .add_path(Path::new("services/api/package-lock.json"))
        .expect("add");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig = git2::Signature::now("t", "t@example").expect("sig");
    git.commit(Some("HEAD"), &sig, &sig, "init", &tree, &[])
        .expect("commit");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = database(tmp.path());
    let r = run(
        trusca_matching(&db),
        &["scan", path(&service), "-f", "sarif"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let v = r.json();
    let location = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "services/api/package-lock.json"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let rule = &v["runs"][0]["tool"]["driver"]["rules"][0];
    assert!(rule["helpUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
}

#[test]
fn output_dash_is_standard_output_and_offline_is_a_plain_flag() {
    let dir = fixture("gate/rust");
    let r = run(
        trusca(),
        &["scan", "--offline", path(&dir), "-o", "-", "-f", "json"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.json()["packages"].as_array().map(Vec::len), Some(5));
    assert!(!Path::new("-").exists());
}

/// Runs the binary with its standard output into a pipe that is closed after the first line.
fn closed_early(args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trusca"))
        .args(args)
        .env("TRUSCA_SCANNERS", "license")
        .env("TRUSCA_OFFLINE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    let _ = std::io::Read::read(&mut stdout, &mut first);
    drop(stdout);
    child.wait().expect("wait").code()
}

#[test]
fn a_pipe_closed_early_ends_the_output_not_the_command() {
    assert_eq!(closed_early(&["completions", "bash"]), Some(0));
    let polyglot = fixture("scan/polyglot");
    let code = closed_early(&["scan", path(&polyglot), "-f", "json", "--list-all-pkgs"]);
    assert!(matches!(code, Some(0) | Some(1)), "{code:?}");
}
