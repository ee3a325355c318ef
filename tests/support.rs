//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;

use assert_cmd::Command;

/// The `trusca` binary under test, with a clean environment for reproducible output.
pub fn trusca() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trusca"));
    cmd.env_remove("TRUSCA_GIT_TOKEN")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

/// A directory under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
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
    scrubbed
}
