//! Dependency files with bytes that are not UTF-8: what parses is kept, and the bad bytes are
//! reported where they are.

use serde_json::Value;

use crate::support::trusca;

/// A classic yarn.lock of three entries; the second one's version line is line 9.
const YARN_LOCK: &str = r#"# yarn lockfile v1


left-pad@^1.3.0:
  version "1.3.0"
  resolved "https://registry.npm.example/left-pad/-/left-pad-1.3.0.tgz"

ms@^2.1.3:
  version "2.1.3"
  resolved "https://registry.npm.example/ms/-/ms-2.1.3.tgz"

wrappy@^1.0.2:
  version "1.0.2"
  resolved "https://registry.npm.example/wrappy/-/wrappy-1.0.2.tgz"
"#;

#[test]
fn one_bad_byte_in_a_yarn_lock_entry_drops_that_entry_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut bytes = YARN_LOCK.as_bytes().to_vec();
    let at = YARN_LOCK.find("2.1.3\"").expect("ms version") + 2;
    bytes[at] = 0xFF;
    std::fs::write(tmp.path().join("yarn.lock"), &bytes).expect("write");

    let out = trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json", "--reproducible"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");

    let kept: Vec<(&str, &str)> = v["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default(),
                p["version"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(kept, [("left-pad", "1.3.0"), ("wrappy", "1.0.2")]);

    let diagnostics = v["diagnostics"].as_array().expect("diagnostics");
    let at_line = |code: &str, line: u64| {
        diagnostics.iter().any(|d| {
            d["code"] == code
                && d["severity"] == "warning"
                && d["file"] == "yarn.lock"
                && d["line"] == line
        })
    };
    assert!(at_line("invalid-utf8", 9), "{diagnostics:#?}");
    assert!(at_line("parse-error", 8), "{diagnostics:#?}");

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("file is not valid UTF-8") && stderr.contains("yarn.lock:9"),
        "{stderr}"
    );
    // What was left out is in the coverage; the rest of the file passes the gate.
    assert_eq!(v["coverage"]["files"]["partial"][0], "yarn.lock");
    assert_eq!(out.status.code(), Some(0));

    // `--strict` requires every dependency file whole.
    let strict = trusca()
        .arg("scan")
        .arg(tmp.path())
        .args(["-f", "json", "--strict"])
        .output()
        .expect("runs");
    assert_eq!(strict.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains("`yarn.lock` was read only in part"),
        "{stderr}"
    );
}
