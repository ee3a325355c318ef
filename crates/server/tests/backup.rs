//! Backup and restore on both backends: every table round-trips; a damaged backup, a newer
//! schema and a dry run change nothing; an older schema is migrated forward; retention removes
//! only old automatic backups.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::json;
use sqlx::{AnyConnection, Row};
use support::*;
use trusca_server::backup::{self, BackupError, Manifest};
use trusca_server::config::Config;
use trusca_server::db::backup::{current_schema, quote_ident, tables};
use trusca_server::db::{identity, latest_schema_version, Backend, Db};

/// One value of a row, whatever its type.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

fn cell(row: &sqlx::any::AnyRow, i: usize) -> Cell {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or(Cell::Null, Cell::Int);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map_or(Cell::Null, Cell::Float);
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return v.map_or(Cell::Null, Cell::Bool);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or(Cell::Null, Cell::Text);
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return v.map_or(Cell::Null, Cell::Bytes);
    }
    panic!("column {i}: no decodable type");
}

/// Every row of every table the catalogue lists (sqlx's own table by version and checksum),
/// sorted, per table.
type Snapshot = Vec<(String, Vec<Vec<Cell>>)>;

async fn snapshot(db: &Db) -> Snapshot {
    let mut conn = db.pool.acquire().await.expect("conn");
    let conn: &mut AnyConnection = &mut conn;
    let schema = match db.backend {
        Backend::Sqlite => None,
        Backend::Postgres => current_schema(conn).await.expect("schema"),
    };
    let mut out = Vec::new();
    for table in tables(conn, db.backend, schema.as_deref())
        .await
        .expect("tables")
    {
        let sql = if table == "_sqlx_migrations" {
            // installed_on is a timestamp the Any driver cannot read on PostgreSQL.
            "SELECT version, description, checksum FROM _sqlx_migrations".to_owned()
        } else {
            format!("SELECT * FROM {}", quote_ident(&table))
        };
        let rows = sqlx::query(&sql).fetch_all(&mut *conn).await.expect(&sql);
        let mut rows: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| (0..r.len()).map(|i| cell(r, i)).collect())
            .collect();
        rows.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        out.push((table, rows));
    }
    out
}

/// A snapshot without the audit rows of restores, and how many there were.
fn without_restores(mut s: Snapshot) -> (Snapshot, usize) {
    let mut removed = 0;
    for (table, rows) in &mut s {
        if table == "audit_log" {
            let before = rows.len();
            rows.retain(|r| !r.contains(&Cell::Text("backup.restore".into())));
            removed = before - rows.len();
        }
    }
    (s, removed)
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql).execute(&db.pool).await.expect(sql);
}

/// Puts at least one row into every table, through the API where there is one.
async fn seed(env: &Env) {
    let db = &env.state.db;
    let p = people(db).await;
    let doc = trusca_result(
        "web",
        &[("lodash", "4.17.20"), ("left-pad", "1.0.0")],
        &[("GHSA-aaaa", &["CVE-2021-0001"], "lodash", "4.17.20", "high")],
    );
    let a = send(
        &env.app,
        "POST",
        "/v1/projects/web/scans",
        Some(&p.dev_a),
        json_body(&doc),
        &[("idempotency-key", "seed-1")],
    )
    .await;
    assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
    let a = send(
        &env.app,
        "PUT",
        "/v1/projects/web/findings/CVE-2021-0001/triage",
        Some(&p.dev_a),
        json_body(
            &json!({"purl": "pkg:npm/lodash@4.17.20", "state": "affected",
                          "comment": "upgrade planned"}),
        ),
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{}: {:?}", env.name, a.json);
    // Tables no route writes yet: plain rows, only where the API left them empty.
    let direct = [
        (
            "project_findings",
            "INSERT INTO project_findings (project_id, purl, advisory_id, severity, \
             first_seen_at, last_seen_at) SELECT id, 'pkg:npm/lodash@4.17.20', 'GHSA-aaaa', \
             'high', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z' FROM projects",
        ),
        (
            "sla_policies",
            "INSERT INTO sla_policies (team_id, severity, days) SELECT id, 'high', 21 FROM teams",
        ),
        (
            "webhooks",
            "INSERT INTO webhooks (team_id, url, secret, events, created_at) SELECT id, \
             'https://hooks.example/t', 's3cret', 'scan.completed,finding.new', \
             '2024-01-01T00:00:00.000Z' FROM teams",
        ),
        (
            "webhook_deliveries",
            "INSERT INTO webhook_deliveries (webhook_id, event, idem_key, payload, status, \
             attempts, next_attempt_at, response_status, created_at) SELECT id, \
             'scan.completed', 'scan.completed:1', '{\"event\":\"scan.completed\"}', \
             'delivered', 2, '2024-01-01T00:00:00.000Z', 204, '2024-01-01T00:00:00.000Z' \
             FROM webhooks",
        ),
        (
            "sessions",
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             SELECT 'h-' || username, id, 'csrf', '2024-01-01T00:00:00.000Z', \
             '2024-01-02T00:00:00.000Z' FROM users",
        ),
        (
            "vuln_db_refreshes",
            "INSERT INTO vuln_db_refreshes (started_at, finished_at, source, records, projects, \
             new_findings, resolved_findings) VALUES ('2024-01-01T00:00:00.000Z', \
             '2024-01-01T00:01:00.000Z', 'mirror.example', 1234, 1, 1, 0)",
        ),
        (
            "jobs",
            "INSERT INTO jobs (name, due_at, last_started_at, last_finished_at) VALUES \
             ('sweep', '2024-01-01T01:00:00.000Z', '2024-01-01T00:00:00.000Z', \
             '2024-01-01T00:00:01.000Z')",
        ),
        (
            "team_policies",
            "INSERT INTO team_policies (team_id, config, updated_by, updated_at) \
             SELECT id, 'fail_on = \"critical\"', 'admin-a', '2024-01-01T00:00:00.000Z' \
             FROM teams",
        ),
        (
            "policy_expiries",
            "INSERT INTO policy_expiries (team_id, exception_id, package, expires, recorded_at) \
             SELECT id, 'GHSA-aaaa', 'lodash', '2023-12-31', '2024-01-01T00:00:00.000Z' \
             FROM teams",
        ),
        (
            "auth_failures",
            "INSERT INTO auth_failures (client, window_start, failures) \
             VALUES ('192.0.2.7', '2024-01-01T00:00:00.000Z', 3)",
        ),
    ];
    for (table, sql) in direct {
        if count(db, table).await == 0 {
            exec(db, sql).await;
        }
    }
    exec(
        db,
        "UPDATE users SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' \
         WHERE username = 'dev-a'",
    )
    .await;
    for (table, rows) in snapshot(db).await {
        assert!(
            !rows.is_empty(),
            "{}: table `{table}` has no rows: extend the seed in tests/backup.rs",
            env.name
        );
    }
}

/// Changes rows in several tables, deletes some, adds others.
async fn change(env: &Env) {
    let db = &env.state.db;
    identity::create_team(db, "gamma", "test")
        .await
        .expect("team");
    identity::create_user(db, "late", "user", "test")
        .await
        .expect("user");
    exec(db, "DELETE FROM triage").await;
    exec(db, "DELETE FROM sessions").await;
    exec(
        db,
        "UPDATE users SET role = 'super_admin' WHERE username = 'dev-b'",
    )
    .await;
    exec(db, "UPDATE scans SET tool = 'changed'").await;
}

fn pg_tools_missing(env: &Env) -> bool {
    if env.name != "postgres" {
        return false;
    }
    let present = ["pg_dump", "pg_restore"].iter().all(|t| {
        std::process::Command::new(t)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !present {
        eprintln!("skipped: PostgreSQL backup tests (pg_dump/pg_restore not installed)");
    }
    !present
}

/// A copy of a backup directory, to damage.
fn copy_backup(from: &Path, to: &Path) -> PathBuf {
    let dir = to.join(from.file_name().expect("name"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    dir
}

#[tokio::test]
async fn backup_then_restore_round_trips_every_table() {
    for env in backends(Config::default()).await {
        if pg_tools_missing(&env) {
            env.finish().await;
            continue;
        }
        let url = env.state.config.database_url.clone();
        seed(&env).await;
        let seeded = snapshot(&env.state.db).await;
        let out = tempfile::tempdir().expect("dir");
        let done = backup::create(&url, out.path(), false)
            .await
            .unwrap_or_else(|e| panic!("{}: backup: {e}", env.name));

        // The manifest describes what was dumped.
        let m = Manifest::read(&done.dir).expect("manifest");
        assert_eq!(m, done.manifest);
        assert_eq!(m.backend, env.name);
        assert_eq!(m.schema_version, latest_schema_version());
        assert!(!m.automatic);
        assert!(done
            .dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("trusca-backup-") && n.ends_with('Z')));
        for (table, rows) in &seeded {
            assert_eq!(
                m.tables.get(table).copied(),
                Some(rows.len() as i64),
                "{}: {table}",
                env.name
            );
        }
        assert_eq!(m.tables.len(), seeded.len());
        m.verify(&done.dir).expect("verify");
        let leftovers: Vec<_> = std::fs::read_dir(out.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{}: {leftovers:?}", env.name);

        change(&env).await;
        let changed = snapshot(&env.state.db).await;
        assert_ne!(changed, seeded);

        // Dry run: an account, and nothing touched.
        let text = backup::restore(&url, &done.dir, false)
            .await
            .unwrap_or_else(|e| panic!("{}: dry run: {e}", env.name));
        assert!(text.contains("Nothing was changed"), "{text}");
        assert!(text.contains(&format!("Backend:   {}", env.name)), "{text}");
        assert!(text.contains(&m.created_at), "{text}");
        assert!(text.contains("users"), "{text}");
        assert_eq!(snapshot(&env.state.db).await, changed, "{}", env.name);

        // One flipped byte: refused, live data untouched.
        let damaged = tempfile::tempdir().expect("dir");
        let bad = copy_backup(&done.dir, damaged.path());
        let dump = bad.join(&m.files[0].name);
        let mut bytes = std::fs::read(&dump).expect("read");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x01;
        std::fs::write(&dump, &bytes).expect("write");
        let e = backup::restore(&url, &bad, true)
            .await
            .expect_err("damaged backup restored");
        assert!(matches!(e, BackupError::Corrupt(_)), "{}: {e}", env.name);
        assert!(e.to_string().contains("SHA-256"), "{e}");
        assert_eq!(snapshot(&env.state.db).await, changed, "{}", env.name);

        // A backup of a newer schema: refused, with the way out.
        let newer = copy_backup(&done.dir, damaged.path().join("newer").as_path());
        let mut m999 = m.clone();
        m999.schema_version = 999;
        m999.write(&newer).expect("write");
        let e = backup::restore(&url, &newer, true)
            .await
            .expect_err("newer schema restored");
        assert!(
            matches!(e, BackupError::NewerSchema { backup: 999, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("upgrade trusca"), "{e}");
        assert_eq!(snapshot(&env.state.db).await, changed, "{}", env.name);

        // A dump that matches its manifest but is no dump: the restore gets as far as loading
        // it, fails, and undoes what it did; live data untouched.
        let broken = copy_backup(&done.dir, damaged.path().join("broken").as_path());
        let junk = {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&b"not a database dump ".repeat(4096))
                .expect("gzip");
            gz.finish().expect("gzip")
        };
        std::fs::write(broken.join(&m.files[0].name), &junk).expect("write");
        let mut mb = m.clone();
        mb.files[0].bytes = junk.len() as u64;
        mb.files[0].sha256 = {
            use sha2::Digest as _;
            sha2::Sha256::digest(&junk)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        mb.write(&broken).expect("write");
        let e = backup::restore(&url, &broken, true)
            .await
            .expect_err("a dump of junk restored");
        let stage = match env.state.db.backend {
            Backend::Sqlite => "not a database",
            Backend::Postgres => "pg_restore failed",
        };
        assert!(e.to_string().contains(stage), "{}: {e}", env.name);
        assert_eq!(snapshot(&env.state.db).await, changed, "{}: {e}", env.name);

        // The real restore, with the server's pool closed.
        env.state.db.pool.close().await;
        let text = backup::restore(&url, &done.dir, true)
            .await
            .unwrap_or_else(|e| panic!("{}: restore: {e}", env.name));
        assert!(text.contains("Restored."), "{text}");
        assert!(!text.contains("were applied"), "{text}");
        let db = Db::connect(&url, 2).await.expect("reopen");
        // The backup's data, and one audit row more: the restore itself.
        let (restored, restores) = without_restores(snapshot(&db).await);
        assert_eq!(restored, seeded, "{}", env.name);
        assert_eq!(restores, 1, "{}", env.name);
        let (target, actor): (String, String) =
            sqlx::query_as("SELECT target, actor FROM audit_log WHERE action = 'backup.restore'")
                .fetch_one(&db.pool)
                .await
                .expect("restore row");
        let name = done
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        assert_eq!(Some(target), name.map(|n| format!("backup:{n}")));
        assert_eq!(actor, "cli");
        // Identity sequences continue after the restored rows.
        identity::create_user(&db, "after-restore", "user", "test")
            .await
            .expect("insert after restore");
        // The audit log is still append-only.
        assert!(sqlx::query("DELETE FROM audit_log")
            .execute(&db.pool)
            .await
            .is_err());
        if env.name == "postgres" {
            let mut conn = db.pool.acquire().await.expect("conn");
            let left: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM pg_namespace WHERE nspname LIKE 'trusca_prev_%' \
                 OR nspname LIKE 'trusca_park_%'",
            )
            .fetch_one(&mut *conn)
            .await
            .expect("schemas")
            .try_get("n")
            .expect("n");
            assert_eq!(left, 0, "schemas left behind by the restore");
        }
        db.pool.close().await;
        env.finish().await;
    }
}

#[tokio::test]
async fn an_older_schema_is_restored_then_migrated() {
    assert!(latest_schema_version() > 1);
    for env in backends(Config::default()).await {
        if pg_tools_missing(&env) {
            env.finish().await;
            continue;
        }
        let target_url = env.state.config.database_url.clone();
        // The old database: another SQLite file, or another PostgreSQL schema (so the dump's
        // schema name differs from the target's).
        let dir = tempfile::tempdir().expect("dir");
        let (old_url, old_schema) = match env.state.db.backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("old.db").display()),
                None,
            ),
            Backend::Postgres => {
                let base = std::env::var("TRUSCA_TEST_DATABASE_URL").expect("pg url");
                let schema = format!("trusca_old_{}", uuid::Uuid::new_v4().simple());
                let admin = Db::connect(&base, 1).await.expect("pg");
                exec(&admin, &format!("CREATE SCHEMA {schema}")).await;
                admin.pool.close().await;
                let sep = if base.contains('?') { '&' } else { '?' };
                (
                    format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                    Some((base, schema)),
                )
            }
        };
        let old = Db::connect(&old_url, 1).await.expect("old");
        migrate_to(&old, 1).await;
        exec(
            &old,
            "INSERT INTO users (username, role, created_at) \
             VALUES ('veteran', 'super_admin', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        let before = snapshot(&old).await;
        let out = tempfile::tempdir().expect("dir");
        let done = backup::create(&old_url, out.path(), false)
            .await
            .unwrap_or_else(|e| panic!("{}: backup: {e}", env.name));
        assert_eq!(done.manifest.schema_version, 1);

        env.state.db.pool.close().await;
        let text = backup::restore(&target_url, &done.dir, false)
            .await
            .expect("dry run");
        assert!(text.contains("migrated forward"), "{text}");
        let text = backup::restore(&target_url, &done.dir, true)
            .await
            .unwrap_or_else(|e| panic!("{}: restore: {e}", env.name));
        assert!(
            text.contains(&format!(
                "migrations 2..={} were applied",
                latest_schema_version()
            )),
            "{text}"
        );
        let db = Db::connect(&target_url, 1).await.expect("reopen");
        let users: Vec<String> = sqlx::query("SELECT username FROM users")
            .fetch_all(&db.pool)
            .await
            .expect("users")
            .iter()
            .map(|r| r.try_get("username").expect("name"))
            .collect();
        assert_eq!(users, ["veteran"]);
        assert_eq!(count(&db, "sessions").await, 0, "0002 tables exist");
        let version: i64 = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations")
            .fetch_one(&db.pool)
            .await
            .expect("version")
            .try_get("v")
            .expect("v");
        assert_eq!(version, latest_schema_version());
        db.pool.close().await;
        // The source of the backup is as it was (on PostgreSQL its schema was parked aside
        // while the dump recreated a schema of that name).
        assert_eq!(snapshot(&old).await, before);
        old.pool.close().await;
        if let Some((base, schema)) = old_schema {
            let admin = Db::connect(&base, 1).await.expect("pg");
            exec(&admin, &format!("DROP SCHEMA {schema} CASCADE")).await;
            admin.pool.close().await;
        }
        env.finish().await;
    }
}

fn fake_backup(root: &Path, name: &str, age_days: u64, automatic: bool) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let at = SystemTime::now() - Duration::from_secs(age_days * 86_400);
    Manifest {
        format_version: backup::manifest::FORMAT_VERSION,
        created_at: humantime::format_rfc3339_millis(at).to_string(),
        backend: "sqlite".into(),
        schema_version: 2,
        trusca_version: "0.1.0".into(),
        files: Vec::new(),
        tables: Default::default(),
        automatic,
        pg_schema: None,
    }
    .write(&dir)
    .expect("manifest");
    dir
}

#[tokio::test]
async fn retention_removes_only_old_automatic_backups() {
    let root = tempfile::tempdir().expect("dir");
    let r = root.path();
    let old_auto = fake_backup(r, "trusca-backup-20240101T000000Z", 20, true);
    let new_auto = fake_backup(r, "trusca-backup-20240201T000000Z", 1, true);
    let old_manual = fake_backup(r, "trusca-backup-20240102T000000Z", 20, false);
    let other = fake_backup(r, "something-else", 30, true);
    let no_manifest = r.join("trusca-backup-20240103T000000Z");
    std::fs::create_dir_all(&no_manifest).expect("mkdir");
    let bad_manifest = r.join("trusca-backup-20240104T000000Z");
    std::fs::create_dir_all(&bad_manifest).expect("mkdir");
    std::fs::write(bad_manifest.join("manifest.json"), b"{\"automatic\": true}").expect("write");

    let removed = backup::prune::prune(r, 14, SystemTime::now()).expect("prune");
    assert_eq!(removed, vec![old_auto.clone()]);
    assert!(!old_auto.exists());
    for kept in [&new_auto, &old_manual, &other, &no_manifest, &bad_manifest] {
        assert!(kept.exists(), "{} removed", kept.display());
    }
    assert!(backup::prune::prune(r, 14, SystemTime::now())
        .expect("prune")
        .is_empty());

    // Real backups: the automatic one goes once it is old enough, the manual one stays.
    let mut envs = backends(Config::default()).await.into_iter();
    let env = envs.next().expect("sqlite");
    // SQLite is enough here; the PostgreSQL schema made for this test is dropped at once.
    for other in envs {
        other.finish().await;
    }
    let url = env.state.config.database_url.clone();
    let out = tempfile::tempdir().expect("dir");
    let auto = backup::create(&url, out.path(), true)
        .await
        .expect("backup");
    let manual = backup::create(&url, out.path(), false)
        .await
        .expect("backup");
    assert_ne!(auto.dir, manual.dir);
    assert_eq!(
        backup::prune::newest_automatic(out.path()),
        humantime::parse_rfc3339(&auto.manifest.created_at).ok()
    );
    let later = SystemTime::now() + Duration::from_secs(2 * 86_400);
    let removed = backup::prune::prune(out.path(), 1, later).expect("prune");
    assert_eq!(removed, vec![auto.dir.clone()]);
    assert!(manual.dir.exists());
    env.finish().await;
}

#[tokio::test]
async fn backup_of_a_missing_database_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("absent.db").display());
    let out = dir.path().join("backups");
    let e = backup::create(&url, &out, false)
        .await
        .expect_err("backed up nothing");
    assert!(e.to_string().contains("no SQLite database"), "{e}");
    assert!(!dir.path().join("absent.db").exists());
    assert_eq!(std::fs::read_dir(&out).expect("read").count(), 0);
}
