//! One policy for CLI and server: `trusca server admin set-policy`, `trusca scan --upload --gate
//! server` exiting with the server's decision, and `trusca policy pull`; and
//! `trusca server audit verify`. Against a server started on 127.0.0.1 over a SQLite file.

use std::net::SocketAddr;
use std::time::Duration;

use trusca_server::config::Config;
use trusca_server::db::{identity, Db};
use trusca_server::state::AppState;

use crate::support::{fixture, trusca};

/// A server with team `alpha` and a developer key of it.
struct Server {
    addr: SocketAddr,
    token: String,
    database_url: String,
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

fn start() -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}", dir.path().join("server.db").display());
    let url = database_url.clone();
    let vulns = dir.path().join("no-vulns.db");
    let (addr, token) = runtime.block_on(async move {
        let db = Db::connect(&url, 4).await.expect("db");
        db.migrate().await.expect("migrate");
        identity::create_team(&db, "alpha", "test")
            .await
            .expect("team");
        identity::create_user(&db, "dev", "user", "test")
            .await
            .expect("user");
        identity::set_member(&db, "alpha", "dev", "developer", "test", None)
            .await
            .expect("member");
        let token = identity::create_key(&db, "dev", None, "test")
            .await
            .expect("key")
            .token;
        let config = Config {
            database_url: url,
            vuln_db: vulns,
            ..Config::default()
        };
        let app = trusca_server::app(AppState::new(db, config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(trusca_server::listen::serve(
            listener,
            app,
            Duration::from_secs(10),
            std::future::pending(),
        ));
        (addr, token)
    });
    Server {
        addr,
        token,
        database_url,
        dir,
        runtime,
    }
}

impl Server {
    /// `trusca server admin set-policy --team alpha` with `text`.
    fn set_policy(&self, text: &str) -> std::process::Output {
        let file = self.dir.path().join("policy.toml");
        std::fs::write(&file, text).expect("write policy");
        trusca()
            .args(["server", "admin", "set-policy", "--team", "alpha", "--file"])
            .arg(&file)
            .env("DATABASE_URL", &self.database_url)
            .output()
            .expect("set-policy")
    }

    /// `trusca scan fixtures/scan/mixed --upload` with extra flags.
    fn scan_upload(&self, flags: &[&str]) -> std::process::Output {
        trusca()
            .args(["scan", "--format", "json", "--no-progress", "--upload"])
            .args(flags)
            .arg(fixture("scan/mixed"))
            .env("TRUSCA_SERVER", format!("http://{}", self.addr))
            .env("TRUSCA_TOKEN", &self.token)
            .output()
            .expect("scan")
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Licenses checked only (the server has no vulnerability database); packages without a known
/// license fail.
const UNKNOWN_FAILS: &str = "[licenses]\nunknown = \"fail\"\n\n[scan]\nscanners = [\"license\"]\n";

#[test]
fn scan_upload_gate_server_exits_with_the_servers_decision() {
    let server = start();
    let out = server.set_policy(UNKNOWN_FAILS);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("policy of `alpha` set"));

    // The local policy passes; the team's fails on the packages of unknown license.
    let local = server.scan_upload(&[]);
    assert_eq!(local.status.code(), Some(0), "{}", stderr(&local));
    let gated = server.scan_upload(&["--gate", "server"]);
    let text = stderr(&gated);
    assert_eq!(gated.status.code(), Some(1), "{text}");
    assert!(
        text.contains("team `alpha`'s policy on the server failed"),
        "{text}"
    );
    assert!(
        text.contains("license NOASSERTION in pkg:cargo/serde@1.0.130"),
        "{text}"
    );

    // An exception in the team's policy covers one package.
    let waived = format!(
        "{UNKNOWN_FAILS}\n[[exceptions]]\nid = \"NOASSERTION\"\npackage = \"serde\"\n\
         reason = \"checked by hand\"\n"
    );
    assert!(server.set_policy(&waived).status.success());
    let text = stderr(&server.scan_upload(&["--gate", "server"]));
    assert!(!text.contains("pkg:cargo/serde@"), "{text}");

    let passes = "[scan]\nscanners = [\"license\"]\n";
    assert!(server.set_policy(passes).status.success());
    let gated = server.scan_upload(&["--gate", "server"]);
    assert_eq!(gated.status.code(), Some(0), "{}", stderr(&gated));
    assert!(stderr(&gated).contains("pass"));

    // Vulnerabilities required, and no one checked them: an error, unless `fail_open`.
    assert!(server.set_policy("fail_on = \"high\"\n").status.success());
    let gated = server.scan_upload(&["--gate", "server"]);
    assert_eq!(gated.status.code(), Some(2), "{}", stderr(&gated));
    assert!(stderr(&gated).contains("not checked for vulnerabilities"));
    assert!(server.set_policy("fail_open = true\n").status.success());
    let gated = server.scan_upload(&["--gate", "server"]);
    assert_eq!(gated.status.code(), Some(0), "{}", stderr(&gated));
    assert!(stderr(&gated).contains("fail_open"), "{}", stderr(&gated));
}

#[test]
fn a_policy_with_problems_is_refused_with_their_lines() {
    let server = start();
    let out = server.set_policy("fail_on = \"often\"\n[licences]\nallow = [\"MIT\"]\n");
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.contains("line 1") && text.contains("line 2"), "{text}");
    // `--gate` only goes with `--upload`.
    let out = trusca()
        .args(["scan", "--gate", "server"])
        .arg(fixture("scan/mixed"))
        .output()
        .expect("scan");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn policy_pull_writes_the_teams_policy() {
    let server = start();
    let text = "fail_on = \"critical\"\n\n[[exceptions]]\nid = \"MIT\"\npackage = \"x\"\nreason = \"fine\"\n";
    assert!(server.set_policy(text).status.success());
    let out_dir = tempfile::tempdir().expect("dir");
    let target = out_dir.path().join("trusca.toml");
    let pull = |args: &[&str], token: &str| {
        trusca()
            .args(["policy", "pull"])
            .args(args)
            .env("TRUSCA_SERVER", format!("http://{}", server.addr))
            .env("TRUSCA_TOKEN", token)
            .output()
            .expect("pull")
    };
    let out = pull(&["-o", &target.display().to_string()], &server.token);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&target).expect("written"), text);
    assert!(stderr(&out).contains("wrote the policy of team `alpha`"));
    let out = pull(&["--team", "alpha"], &server.token);
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
    let out = pull(&[], "trs_000000000000_bad");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("401"), "{}", stderr(&out));
    // The file reads as the local configuration.
    let out = trusca()
        .args(["scan", "--format", "json", "--no-progress", "--config"])
        .arg(&target)
        .arg(fixture("scan/mixed"))
        .output()
        .expect("scan");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Runs `sql` on the server's SQLite file with the audit log's guards dropped, as the file's
/// owner can.
fn behind_the_triggers(server: &Server, sql: &str) {
    let url = server.database_url.clone();
    let sql = sql.to_owned();
    server.runtime.block_on(async move {
        let db = Db::connect(&url, 1).await.expect("db");
        let triggers: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
        )
        .fetch_all(&db.pool)
        .await
        .expect("triggers");
        for (name, _) in &triggers {
            sqlx::query(&format!("DROP TRIGGER {name}"))
                .execute(&db.pool)
                .await
                .expect("drop");
        }
        sqlx::query(&sql).execute(&db.pool).await.expect("tamper");
        for (_, create) in &triggers {
            sqlx::query(create)
                .execute(&db.pool)
                .await
                .expect("recreate");
        }
        db.pool.close().await;
    });
}

#[test]
fn audit_verify_names_the_row_changed_out_of_band() {
    let server = start();
    let verify = || {
        trusca()
            .args(["server", "audit", "verify"])
            .env("DATABASE_URL", &server.database_url)
            .output()
            .expect("verify")
    };
    let out = verify();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit log intact: 4 rows"));
    behind_the_triggers(
        &server,
        "UPDATE audit_log SET actor = 'mallory' WHERE id = 2",
    );
    let out = verify();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("row 2 was edited"),
        "{}",
        stderr(&out)
    );
}
