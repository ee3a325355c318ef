//! The committed completions in `completions/` match what the binary generates.
//! Regenerate with `TRUSCA_UPDATE_COMPLETIONS=1 cargo test --test tests completions`.

use crate::support::trusca;

#[test]
fn committed_completions_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("TRUSCA_UPDATE_COMPLETIONS").is_some();
    for (shell, file) in [
        ("bash", "trusca.bash"),
        ("zsh", "_trusca"),
        ("fish", "trusca.fish"),
    ] {
        let out = trusca()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &out.stdout).expect("write completions");
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is out of date: run `TRUSCA_UPDATE_COMPLETIONS=1 cargo test --test tests completions`"
        );
    }
}
