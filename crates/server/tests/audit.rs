//! The audit log's hash chain: rows changed out of band are found and named, also when the
//! database's own guards were switched off (as a database superuser or the SQLite file's owner
//! can), rows written before the chain are sealed by the migration, and appends from several
//! servers sharing one PostgreSQL database form one chain.

mod support;

use serde_json::json;
use support::*;
use trusca_server::chain::Break;
use trusca_server::config::Config;
use trusca_server::db::{audit, identity, Backend, Db};

/// Runs `sql` with the audit log's triggers off, as someone with full rights over the database
/// can.
async fn behind_the_triggers(db: &Db, sql: &str) {
    let mut conn = db.pool.acquire().await.expect("connection");
    match db.backend {
        Backend::Postgres => {
            for step in [
                "ALTER TABLE audit_log DISABLE TRIGGER USER",
                sql,
                "ALTER TABLE audit_log ENABLE TRIGGER USER",
            ] {
                sqlx::query(step)
                    .execute(&mut *conn)
                    .await
                    .unwrap_or_else(|e| panic!("{step}: {e}"));
            }
        }
        Backend::Sqlite => {
            let triggers: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = 'trigger' AND tbl_name = 'audit_log'",
            )
            .fetch_all(&mut *conn)
            .await
            .expect("triggers");
            for (name, _) in &triggers {
                sqlx::query(&format!("DROP TRIGGER {name}"))
                    .execute(&mut *conn)
                    .await
                    .expect("drop trigger");
            }
            sqlx::query(sql)
                .execute(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            for (_, create) in &triggers {
                sqlx::query(create)
                    .execute(&mut *conn)
                    .await
                    .expect("recreate trigger");
            }
        }
    }
}

/// A log with a dozen rows: people, an upload and a triage decision.
async fn busy_log(env: &Env) {
    let p = people(&env.state.db).await;
    let doc = trusca_result(
        "web",
        &[("a", "1.0.0")],
        &[("GHSA-1", &[], "a", "1.0.0", "high")],
    );
    assert_eq!(upload(&env.app, &p.dev_a, "web", &doc).await.status, 201);
    let body = json!({"purl": "pkg:npm/a@1.0.0", "state": "affected"});
    let a = send(
        &env.app,
        "PUT",
        "/v1/projects/web/findings/GHSA-1/triage",
        Some(&p.dev_a),
        json_body(&body),
        &[],
    )
    .await;
    assert_eq!(a.status, 200);
}

async fn broken(db: &Db) -> Option<Break> {
    audit::verify(db).await.expect("verify").broken
}

#[tokio::test]
async fn an_untouched_log_verifies() {
    for env in backends(Config::default()).await {
        busy_log(&env).await;
        let report = audit::verify(&env.state.db).await.expect("verify");
        assert_eq!(report.broken, None, "{}", env.name);
        assert_eq!(report.rows as i64, count(&env.state.db, "audit_log").await);
        assert!(report.rows >= 10, "{}", report.rows);
        env.finish().await;
    }
}

#[tokio::test]
async fn rows_edited_deleted_or_inserted_behind_the_triggers_are_named() {
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        busy_log(&env).await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("ids");
        let (third, fifth) = (ids[2], ids[4]);

        behind_the_triggers(
            db,
            &format!("UPDATE audit_log SET actor = 'mallory' WHERE id = {third}"),
        )
        .await;
        assert_eq!(broken(db).await, Some(Break::Edited(third)), "{}", env.name);
        behind_the_triggers(
            db,
            &format!("UPDATE audit_log SET actor = 'test' WHERE id = {third}"),
        )
        .await;
        assert_eq!(broken(db).await, None, "{}: edit undone", env.name);

        behind_the_triggers(db, &format!("DELETE FROM audit_log WHERE id = {fifth}")).await;
        assert_eq!(
            broken(db).await,
            Some(Break::Gap {
                after: Some(ids[3]),
                at: ids[5]
            }),
            "{}",
            env.name
        );
        env.finish().await;
    }
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        busy_log(&env).await;
        // A row added by hand, as an older server would have written it.
        behind_the_triggers(
            db,
            "INSERT INTO audit_log (id, at, actor, action, target) \
             VALUES (100000, '2026-01-01T00:00:00.000Z', 'mallory', 'key.create', 'key:x')",
        )
        .await;
        assert_eq!(
            broken(db).await,
            Some(Break::Unhashed(100000)),
            "{}",
            env.name
        );
        env.finish().await;
    }
}

#[tokio::test]
async fn insert_or_replace_cannot_rewrite_a_row_on_sqlite() {
    let env = backends(Config::default()).await.remove(0);
    let db = &env.state.db;
    busy_log(&env).await;
    let replaced = sqlx::query(
        "INSERT OR REPLACE INTO audit_log (id, at, actor, action, target) \
         VALUES (1, '2026-01-01T00:00:00.000Z', 'mallory', 'team.create', 'team:alpha')",
    )
    .execute(&db.pool)
    .await;
    assert!(replaced.is_err(), "INSERT OR REPLACE went through");
    let actor: String = sqlx::query_scalar("SELECT actor FROM audit_log WHERE id = 1")
        .fetch_one(&db.pool)
        .await
        .expect("row 1");
    assert_eq!(actor, "test");
    // With the guards dropped the file's owner can replace it, and the chain names it.
    behind_the_triggers(
        db,
        "INSERT OR REPLACE INTO audit_log (id, at, actor, action, target, prev_hash, hash) \
         SELECT 1, at, 'mallory', action, target, prev_hash, hash FROM audit_log WHERE id = 1",
    )
    .await;
    assert_eq!(broken(db).await, Some(Break::Edited(1)));
    env.finish().await;
}

#[tokio::test]
async fn deleting_the_newest_rows_shows_once_a_checkpoint_names_them() {
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        busy_log(&env).await;
        identity::create_team(db, "earlier", "test")
            .await
            .expect("team");
        let newest = audit::checkpoint(db)
            .await
            .expect("checkpoint")
            .expect("a row");
        identity::create_team(db, "later", "test")
            .await
            .expect("team");
        assert_eq!(broken(db).await, None);
        behind_the_triggers(db, &format!("DELETE FROM audit_log WHERE id >= {newest}")).await;
        let b = broken(db).await;
        assert!(
            matches!(b, Some(Break::Truncated { checkpoint, .. }) if checkpoint == newest),
            "{}: {b:?}",
            env.name
        );
        env.finish().await;
    }
}

#[tokio::test]
async fn rows_written_before_the_chain_are_sealed_by_the_migration() {
    for env in backends_at_version(5).await {
        let db = &env.state.db;
        for id in 1..=3 {
            sqlx::query(
                "INSERT INTO audit_log (at, actor, action, target, team_id, detail) \
                 VALUES ('2025-01-01T00:00:00.000Z', 'cli', 'team.create', $1, NULL, NULL)",
            )
            .bind(format!("team:t{id}"))
            .execute(&db.pool)
            .await
            .expect("old row");
        }
        db.migrate().await.expect("migrate");
        let hashed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE hash IS NOT NULL")
                .fetch_one(&db.pool)
                .await
                .expect("count");
        assert_eq!(hashed, 3, "{}", env.name);
        identity::create_team(db, "new", "test")
            .await
            .expect("team");
        let report = audit::verify(db).await.expect("verify");
        assert_eq!(report.broken, None, "{}", env.name);
        assert_eq!(report.rows, 4);
        // Sealed rows are as fixed as any other, and the seal is not done twice.
        let edit = sqlx::query("UPDATE audit_log SET hash = NULL, prev_hash = NULL")
            .execute(&db.pool)
            .await;
        assert!(edit.is_err(), "{}: a sealed row was changed", env.name);
        db.migrate().await.expect("migrate again");
        assert_eq!(audit::verify(db).await.expect("verify").broken, None);
        env.finish().await;
    }
}

#[tokio::test]
async fn appends_from_several_servers_form_one_chain() {
    let Ok(_) = std::env::var("TRUSCA_TEST_DATABASE_URL") else {
        eprintln!("skipped: several servers share PostgreSQL only");
        return;
    };
    let Some(env) = backends(Config::default())
        .await
        .into_iter()
        .find(|e| e.name == "postgres")
    else {
        return;
    };
    let url = env.state.config.database_url.clone();
    let mut servers = Vec::new();
    for _ in 0..3 {
        servers.push(Db::connect(&url, 4).await.expect("connect"));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (s, db) in servers.iter().enumerate() {
        for n in 0..20 {
            let db = db.clone();
            tasks.spawn(async move {
                identity::create_team(&db, &format!("team-{s}-{n}"), "test")
                    .await
                    .expect("team");
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("append");
    }
    let report = audit::verify(&env.state.db).await.expect("verify");
    assert_eq!(report.broken, None);
    assert_eq!(report.rows, 60);
    for db in servers {
        db.pool.close().await;
    }
    env.finish().await;
}

#[tokio::test]
async fn a_backup_whose_chain_is_broken_is_not_restored_unless_accepted() {
    use trusca_server::backup::{self, BackupError, Restore};
    for env in backends(Config::default()).await {
        let present = ["pg_dump", "pg_restore"].iter().all(|t| {
            std::process::Command::new(t)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if env.name == "postgres" && !present {
            env.finish().await;
            continue;
        }
        let db = &env.state.db;
        let url = env.state.config.database_url.clone();
        busy_log(&env).await;
        let out = tempfile::tempdir().expect("dir");
        let intact = backup::create(&url, out.path(), false)
            .await
            .expect("backup");
        behind_the_triggers(db, "UPDATE audit_log SET detail = '{}' WHERE id = 2").await;
        let tampered = backup::create(&url, out.path(), false)
            .await
            .expect("backup");
        // Back to the intact data, so that what the restores do shows.
        db.pool.close().await;
        backup::restore(&url, &intact.dir, true)
            .await
            .expect("intact restore");
        let e = backup::restore(&url, &tampered.dir, true)
            .await
            .expect_err("a broken chain restored");
        assert!(matches!(e, BackupError::AuditChain(_)), "{}: {e}", env.name);
        assert!(e.to_string().contains("row 2 was edited"), "{e}");
        let reopened = Db::connect(&url, 1).await.expect("reopen");
        assert_eq!(audit::verify(&reopened).await.expect("verify").broken, None);
        reopened.pool.close().await;

        let how = Restore {
            confirm: true,
            accept_broken_chain: true,
        };
        let text = backup::restore_with(&url, &tampered.dir, how)
            .await
            .expect("accepted restore");
        assert!(text.contains("WARNING"), "{text}");
        let reopened = Db::connect(&url, 1).await.expect("reopen");
        assert_eq!(
            audit::verify(&reopened).await.expect("verify").broken,
            Some(Break::Edited(2))
        );
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'backup.restore' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&reopened.pool)
        .await
        .expect("restore row");
        assert!(detail.contains("audit_chain_broken"), "{detail}");
        reopened.pool.close().await;
        env.finish().await;
    }
}
