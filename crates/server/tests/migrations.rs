//! Migrations carry data forward: a database an older trusca left is brought up to date with
//! nothing lost, on SQLite and (when configured) PostgreSQL.

mod support;

use sqlx::Row;
use support::*;

async fn exec(db: &trusca_server::db::Db, sql: &str) {
    sqlx::query(sql)
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn migration_4_keeps_components_and_counts_license_tiers_of_latest_scans() {
    for env in backends_at_version(3).await {
        let db = &env.state.db;
        exec(
            db,
            "INSERT INTO users (id, username, role, created_at) \
                  VALUES (1, 'veteran', 'super_admin', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        exec(
            db,
            "INSERT INTO teams (id, name, created_at) \
                  VALUES (1, 'alpha', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        exec(
            db,
            "INSERT INTO projects (id, team_id, name, created_at) \
                  VALUES (1, 1, 'web', '2023-01-01T00:00:00.000Z'), \
                         (2, 1, 'empty', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        for (scan, project) in [(1, 1), (2, 1), (3, 2)] {
            sqlx::query(&format!(
                "INSERT INTO scans (id, project_id, created_at, source_kind, document, \
                 document_encoding, document_type, component_count, finding_count, \
                 critical_count, high_count, medium_count, low_count, unknown_count, \
                 forbidden_license_count, uploaded_by) \
                 VALUES ({scan}, {project}, '2023-01-0{scan}T00:00:00.000Z', 'trusca', $1, \
                 'gzip', 'application/json', 3, 0, 0, 0, 0, 0, 0, 0, 1)"
            ))
            .bind(vec![0u8])
            .execute(&db.pool)
            .await
            .expect("scan");
        }
        exec(db, "UPDATE projects SET latest_scan_id = 2 WHERE id = 1").await;
        exec(db, "UPDATE projects SET latest_scan_id = 3 WHERE id = 2").await;
        let tiers = [
            Some("permissive"),
            Some("permissive"),
            None,
            Some("forbidden"),
        ];
        for (i, tier) in tiers.iter().enumerate() {
            let scan = if i < 3 { 2 } else { 1 };
            let tier = tier.map_or("NULL".to_owned(), |t| format!("'{t}'"));
            exec(
                db,
                &format!(
                    "INSERT INTO components (scan_id, purl, package, name, scope, license_tier) \
                 VALUES ({scan}, 'pkg:npm/c{i}@1', 'pkg:npm/c{i}', 'c{i}', 'runtime', {tier})"
                ),
            )
            .await;
        }

        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", env.name));

        let stored: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, license_tiers FROM scans ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .expect("scans");
        let parsed: Vec<(i64, Option<serde_json::Value>)> = stored
            .into_iter()
            .map(|(id, t)| (id, t.map(|t| serde_json::from_str(&t).expect("json"))))
            .collect();
        assert_eq!(
            parsed,
            [
                (1, None),
                (
                    2,
                    Some(serde_json::json!({ "permissive": 2, "unknown": 1 }))
                ),
                (3, Some(serde_json::json!({}))),
            ],
            "{}",
            env.name
        );
        // Components keep their rows and their order, now as `ord`.
        let rows = sqlx::query("SELECT name FROM components WHERE scan_id = 2 ORDER BY ord")
            .fetch_all(&db.pool)
            .await
            .expect("components");
        let names: Vec<String> = rows.iter().map(|r| r.get("name")).collect();
        assert_eq!(names, ["c0", "c1", "c2"], "{}", env.name);
        assert_eq!(count(db, "components").await, 4);
        env.finish().await;
    }
}

#[tokio::test]
async fn migration_5_finds_recorded_triage_decisions_by_ids() {
    for env in backends_at_version(4).await {
        let db = &env.state.db;
        exec(
            db,
            "INSERT INTO teams (id, name, created_at) \
                  VALUES (1, 'alpha', '2023-01-01T00:00:00.000Z'), \
                         (2, 'beta', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        exec(
            db,
            "INSERT INTO projects (id, team_id, name, created_at) \
                  VALUES (1, 1, 'hx', '2023-01-01T00:00:00.000Z'), \
                         (2, 1, 'hx/finding:y', '2023-01-01T00:00:00.000Z'), \
                         (3, 2, 'hx', '2023-01-01T00:00:00.000Z')",
        )
        .await;
        let decided = |project: &str, advisory: &str| {
            serde_json::json!({"project": project, "advisory_id": advisory,
                "purl": "pkg:npm/a@1", "state": "affected", "justification": null,
                "comment": null, "by": "ana", "at": "2023-01-02T00:00:00.000Z"})
            .to_string()
        };
        for (id, team, detail, action) in [
            (1, 1, decided("hx", "y/finding:A"), "triage.set"),
            (2, 1, decided("hx/finding:y", "A"), "triage.set"),
            (3, 2, decided("hx", "B"), "triage.set"),
            (
                4,
                1,
                "{\"role\":\"developer\"}".to_owned(),
                "membership.set",
            ),
        ] {
            sqlx::query(
                "INSERT INTO audit_log (id, at, actor, action, target, team_id, detail) \
                 VALUES ($1, '2023-01-02T00:00:00.000Z', 'ana', $2, 't', $3, $4)",
            )
            .bind(id as i64)
            .bind(action)
            .bind(team as i64)
            .bind(detail)
            .execute(&db.pool)
            .await
            .expect("audit row");
        }
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", env.name));
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT audit_id, project_id, purl, advisory_id FROM triage_events ORDER BY audit_id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("triage events");
        let purl = "pkg:npm/a@1".to_owned();
        assert_eq!(
            rows,
            [
                (1, 1, purl.clone(), "y/finding:A".to_owned()),
                (2, 2, purl.clone(), "A".to_owned()),
                (3, 3, purl, "B".to_owned()),
            ],
            "{}",
            env.name
        );
        env.finish().await;
    }
}
