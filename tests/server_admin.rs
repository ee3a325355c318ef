//! `trusca server admin set-password`: the password comes from the first line of standard
//! input, signs in afterwards, and the change is audited.

use crate::support::trusca;
use trusca_server::db::{identity, portfolio, Db};

#[test]
fn set_password_reads_the_first_line_of_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("server.db").display());
    let admin = |args: &[&str], stdin: &str| {
        trusca()
            .args(["server", "--database-url", &url, "admin"])
            .args(args)
            .write_stdin(stdin)
            .output()
            .expect("run")
    };
    assert!(admin(&["create-user", "--username", "ana"], "")
        .status
        .success());
    let out = admin(
        &["set-password", "--user", "ana"],
        "pass word 123\nnot this line\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("password of `ana` set"));
    // Refused: an empty first line, a short password, an unknown user.
    for (args, stdin) in [
        (&["set-password", "--user", "ana"][..], "\n"),
        (&["set-password", "--user", "ana"][..], "short\n"),
        (&["set-password", "--user", "nobody"][..], "long enough\n"),
    ] {
        assert!(!admin(args, stdin).status.success(), "{args:?} {stdin:?}");
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let db = Db::connect(&url, 1).await.expect("db");
        let ok = identity::check_password(&db, "ana", "pass word 123")
            .await
            .expect("check");
        assert_eq!(ok.map(|u| u.username).as_deref(), Some("ana"));
        let wrong = identity::check_password(&db, "ana", "not this line")
            .await
            .expect("check");
        assert!(wrong.is_none());
        let audit = portfolio::audit_log(&db, 10).await.expect("audit");
        let audited = audit
            .iter()
            .filter(|e| {
                e.action == "user.set_password" && e.target == "user:ana" && e.actor == "cli"
            })
            .count();
        assert_eq!(audited, 1);
    });
}
