//! `trusca server db import|status` end to end: a project stored before the database existed is
//! matched again after the import, and the refresh is recorded.

use std::io::Write;
use std::path::Path;

use trusca_server::db::scans::{self, NewScan};
use trusca_server::db::{identity, Db};
use trusca_server::ingest;

use crate::support::{fixture, trusca};

/// A SQLite server database with team `alpha` and project `app`, whose one scan is a CycloneDX
/// SBOM naming minimist 1.2.5 (affected by GHSA-xvch-5gv4-984h in `fixtures/osv`).
fn seed(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let db = Db::connect(url, 1).await.expect("db");
        db.migrate().await.expect("migrate");
        let team_id = identity::create_team(&db, "alpha", "test")
            .await
            .expect("team");
        let user_id = identity::create_user(&db, "dev", "user", "test")
            .await
            .expect("user");
        let doc = br#"{"bomFormat":"CycloneDX","specVersion":"1.5",
            "components":[{"name":"minimist","version":"1.2.5","purl":"pkg:npm/minimist@1.2.5"}]}"#;
        let parsed = ingest::parse(doc, 10).expect("parse");
        assert!(parsed.findings.is_empty());
        scans::store(
            &db,
            NewScan {
                team_id,
                team: "alpha",
                project: "app",
                user_id,
                actor: "test",
                request_id: "test",
                ingest: &parsed,
                document: gzip(doc),
                idempotency: None,
            },
        )
        .await
        .expect("store");
    });
}

/// `data` gzipped, as the server stores documents.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).expect("gzip");
    gz.finish().expect("gzip")
}

fn server_db(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = trusca()
        .env("DATABASE_URL", url)
        .env("TRUSCA_SERVER_VULN_DB", dir.join("vulns.db"))
        .args(["server", "db"])
        .args(args)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn import_rematches_the_stored_projects() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("server.db").display());
    seed(&url);
    let status = server_db(dir.path(), &url, &["status"]);
    assert!(status.contains("missing"), "{status}");
    assert!(status.contains("none recorded"), "{status}");

    let osv = fixture("osv");
    let out = server_db(dir.path(), &url, &["import", osv.to_str().expect("path")]);
    assert!(
        out.contains("14 records; re-matched 1 projects: 1 new findings, 0 resolved"),
        "{out}"
    );
    // Again: the same data finds nothing new.
    let out = server_db(dir.path(), &url, &["import", osv.to_str().expect("path")]);
    assert!(
        out.contains("re-matched 1 projects: 0 new findings"),
        "{out}"
    );

    let status = server_db(dir.path(), &url, &["status"]);
    assert!(status.contains("records   14 (1 withdrawn)"), "{status}");
    assert_eq!(
        status.matches("14 records, 1 projects").count(),
        2,
        "{status}"
    );
}
