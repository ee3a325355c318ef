//! The API driven through `app()` with `oneshot`, on SQLite and (when configured) PostgreSQL.

mod support;

use serde_json::{json, Value};
use support::*;
use trusca_server::config::Config;

#[tokio::test]
async fn upload_list_query_and_triage_carry_over() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let doc = trusca_result(
            "web",
            &[("lodash", "4.17.20"), ("left-pad", "1.0.0")],
            &[("GHSA-aaaa", &["CVE-2021-0001"], "lodash", "4.17.20", "high")],
        );
        let a = upload(app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["team"], "alpha");
        assert_eq!(a.json["scan"]["summary"]["components"], 2);
        assert_eq!(a.json["scan"]["summary"]["high"], 1);
        let first_scan = a.json["scan"]["id"].as_i64().expect("scan id");

        // A plain CycloneDX SBOM into another project of the same team.
        let mut sbom = cyclonedx(3);
        sbom["components"][0] = json!({"name": "lodash", "version": "4.17.21",
            "purl": "pkg:npm/lodash@4.17.21"});
        let a = upload(app, &p.admin_a, "api", &sbom).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["scan"]["source_kind"], "cyclonedx");

        let a = send(app, "GET", "/v1/projects", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.status, 200);
        let names: Vec<&str> = a.json["projects"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, ["api", "web"], "{}", env.name);

        let a = send(app, "GET", "/v1/projects/web", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["latest_scan"]["summary"]["findings"], 1);

        // Which projects use lodash, at which versions.
        let a = send(
            app,
            "GET",
            "/v1/components?purl=pkg:npm/lodash",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        let uses: Vec<(String, String)> = a.json["components"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| {
                (
                    c["project"].as_str().unwrap_or("").to_owned(),
                    c["version"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            uses,
            [
                ("api".to_owned(), "4.17.21".to_owned()),
                ("web".to_owned(), "4.17.20".to_owned())
            ],
            "{}",
            env.name
        );
        let a = send(
            app,
            "GET",
            "/v1/components?name=left-pad",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["components"].as_array().map(Vec::len), Some(1));

        // Which projects are affected by an advisory, by alias too.
        let a = send(
            app,
            "GET",
            "/v1/advisories/CVE-2021-0001/projects",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["affected"][0]["project"], "web");
        assert_eq!(a.json["affected"][0]["advisory_id"], "GHSA-aaaa");

        // Scans, detail, components, document.
        let a = send(
            app,
            "GET",
            "/v1/projects/web/scans",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["scans"].as_array().map(Vec::len), Some(1));
        let a = send(
            app,
            "GET",
            &format!("/v1/projects/web/scans/{first_scan}"),
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["commit"], "abc123");
        let a = send(
            app,
            "GET",
            &format!("/v1/projects/web/scans/{first_scan}/components?limit=1"),
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["total"], 2);
        assert_eq!(a.json["components"].as_array().map(Vec::len), Some(1));
        assert_eq!(a.json["components"][0]["license"], "MIT");
        let a = send(
            app,
            "GET",
            &format!("/v1/projects/web/scans/{first_scan}/document"),
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json, doc);
        let a = send(
            app,
            "GET",
            "/v1/projects/web/scans/999999",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 404);

        // Triage: not_affected needs a justification; then it is recorded by alias.
        let triage = |body: Value| {
            send(
                app,
                "PUT",
                "/v1/projects/web/findings/CVE-2021-0001/triage",
                Some(&p.dev_a),
                json_body(&body),
                &[],
            )
        };
        let a = triage(json!({"purl": "pkg:npm/lodash@4.17.20", "state": "not_affected"})).await;
        assert_eq!(a.status, 422);
        assert_eq!(a.json["type"], "urn:trusca:problem:invalid-document");
        let a = triage(json!({"purl": "pkg:npm/lodash@4.17.20", "state": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path", "comment": "template helper unused"})).await;
        assert_eq!(a.status, 200, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["advisory_id"], "GHSA-aaaa");
        let a = triage(json!({"purl": "pkg:npm/nope@1", "state": "affected"})).await;
        assert_eq!(a.status, 404);

        // The next scan still has the finding: the triage carries over.
        let a = upload(app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 201);
        let second = a.json["scan"]["id"].as_i64().expect("id");
        assert_ne!(second, first_scan);
        let a = send(
            app,
            "GET",
            "/v1/projects/web/findings",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["scan_id"], second);
        assert_eq!(a.json["findings"][0]["triage"]["state"], "not_affected");
        assert_eq!(a.json["findings"][0]["triage"]["by"], "dev-a");
        let a = send(
            app,
            "GET",
            "/v1/advisories/GHSA-aaaa/projects",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["affected"][0]["triage_state"], "not_affected");
        env.finish().await;
    }
}

#[tokio::test]
async fn idempotency_replays_and_conflicts() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let doc = trusca_result("web", &[("a", "1.0.0")], &[]);
        let post = |doc: &Value, key: &'static str| {
            let (app, token, doc) = (env.app.clone(), p.dev_a.clone(), doc.clone());
            async move {
                send(
                    &app,
                    "POST",
                    "/v1/projects/web/scans",
                    Some(&token),
                    json_body(&doc),
                    &[("idempotency-key", key)],
                )
                .await
            }
        };
        let first = post(&doc, "k-1").await;
        assert_eq!(first.status, 201);
        let again = post(&doc, "k-1").await;
        assert_eq!(again.status, 201);
        assert_eq!(again.bytes, first.bytes, "{}", env.name);
        assert_eq!(
            again
                .headers
                .get("idempotent-replayed")
                .map(|v| v.as_bytes()),
            Some(&b"true"[..])
        );
        assert_eq!(count(&env.state.db, "scans").await, 1);
        let other = trusca_result("web", &[("b", "2.0.0")], &[]);
        let conflict = post(&other, "k-1").await;
        assert_eq!(conflict.status, 409);
        assert_eq!(
            conflict.json["type"],
            "urn:trusca:problem:idempotency-key-reused"
        );
        assert_eq!(count(&env.state.db, "scans").await, 1);
        // Concurrent requests with one key store once.
        let (x, y) = tokio::join!(post(&other, "k-2"), post(&other, "k-2"));
        assert_eq!(
            (x.status, y.status),
            (
                201.try_into().unwrap_or_default(),
                201.try_into().unwrap_or_default()
            )
        );
        assert_eq!(x.bytes, y.bytes);
        assert_eq!(count(&env.state.db, "scans").await, 2, "{}", env.name);
        env.finish().await;
    }
}

#[tokio::test]
async fn idempotency_records_and_expired_sessions_are_swept() {
    use std::time::{Duration, SystemTime};
    use trusca_server::db::{identity::SignedIn, retention, sessions};
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let post = |doc: Value| {
            let (app, token) = (env.app.clone(), p.dev_a.clone());
            async move {
                let key = [("idempotency-key", "k-1")];
                send(
                    &app,
                    "POST",
                    "/v1/projects/web/scans",
                    Some(&token),
                    json_body(&doc),
                    &key,
                )
                .await
            }
        };
        assert_eq!(
            post(trusca_result("web", &[("a", "1.0.0")], &[]))
                .await
                .status,
            201
        );
        let other = trusca_result("web", &[("b", "2.0.0")], &[]);
        assert_eq!(post(other.clone()).await.status, 409, "{}", env.name);
        let (user_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'dev-a'")
            .fetch_one(&db.pool)
            .await
            .expect("user");
        let user = SignedIn {
            user_id,
            username: "dev-a".into(),
            super_admin: false,
        };
        sessions::create(db, &user, None).await.expect("session");

        let day = Duration::from_secs(24 * 3600);
        let now = SystemTime::now();
        let kept = retention::sweep(db, now, day).await.expect("sweep");
        assert_eq!(kept, retention::Swept::default(), "{}", env.name);
        // A day and a minute later the key is forgotten, and the session (idle for over 12 h)
        // has expired.
        let later = retention::sweep(db, now + day + Duration::from_secs(60), day)
            .await
            .expect("sweep");
        assert_eq!((later.idempotency, later.sessions), (1, 1), "{}", env.name);
        let reused = post(other).await;
        assert_eq!(reused.status, 201, "{}: {:?}", env.name, reused.json);
        assert_eq!(count(db, "scans").await, 2);
        assert_eq!(count(db, "sessions").await, 0);
        env.finish().await;
    }
}

#[tokio::test]
async fn audit_rows_cannot_be_changed() {
    for env in backends(Config::default()).await {
        let _ = people(&env.state.db).await;
        let before = count(&env.state.db, "audit_log").await;
        assert!(before > 0);
        let update = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
            .execute(&env.state.db.pool)
            .await;
        assert!(update.is_err(), "{}: UPDATE went through", env.name);
        let delete = sqlx::query("DELETE FROM audit_log")
            .execute(&env.state.db.pool)
            .await;
        assert!(delete.is_err(), "{}: DELETE went through", env.name);
        assert_eq!(count(&env.state.db, "audit_log").await, before);
        let actors: Vec<(String,)> = sqlx::query_as("SELECT actor FROM audit_log")
            .fetch_all(&env.state.db.pool)
            .await
            .expect("select");
        assert!(actors.iter().all(|a| a.0 == "test"));
        env.finish().await;
    }
}

#[tokio::test]
async fn bulk_rows_must_name_an_existing_scan() {
    // PostgreSQL checks these references per statement (migration 0004), SQLite by foreign key:
    // either way a row cannot name a missing scan, and a scan with rows cannot go.
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let doc = trusca_result(
            "web",
            &[("lodash", "4.17.20")],
            &[("GHSA-aaaa", &["CVE-2021-0001"], "lodash", "4.17.20", "high")],
        );
        let a = upload(&env.app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        let scan = a.json["scan"]["id"].as_i64().expect("scan id");
        let pool = &env.state.db.pool;
        let refused = [
            "INSERT INTO components (scan_id, ord, purl, package, name, scope) \
             VALUES (987654, 987654, 'pkg:npm/x@1', 'pkg:npm/x', 'x', 'runtime')"
                .to_owned(),
            "INSERT INTO findings (scan_id, advisory_id, aliases, purl, package, version, severity) \
             VALUES (987654, 'GHSA-x', '', 'pkg:npm/x@1', 'pkg:npm/x', '1', 'high')"
                .to_owned(),
            "INSERT INTO finding_ids (scan_id, advisory_id, purl, alias) \
             VALUES (987654, 'GHSA-x', 'pkg:npm/x@1', 'GHSA-x')"
                .to_owned(),
            // Rows naming several scans, one of them missing.
            format!(
                "INSERT INTO finding_ids (scan_id, advisory_id, purl, alias) \
                 VALUES ({scan}, 'GHSA-x', 'pkg:npm/x@1', 'GHSA-x'), \
                 (987654, 'GHSA-x', 'pkg:npm/x@1', 'GHSA-x')"
            ),
            format!("UPDATE components SET scan_id = 987654 WHERE scan_id = {scan}"),
            format!("UPDATE scans SET id = 987654 WHERE id = {scan}"),
            format!("DELETE FROM scans WHERE id = {scan}"),
        ];
        for sql in &refused {
            let r = sqlx::query(sql).execute(pool).await;
            let code = match &r {
                Err(sqlx::Error::Database(e)) => e.code().map(|c| c.into_owned()),
                _ => None,
            };
            // 23503: foreign_key_violation; 787: SQLITE_CONSTRAINT_FOREIGNKEY.
            assert!(
                matches!(code.as_deref(), Some("23503" | "787")),
                "{}: {sql}: {r:?}",
                env.name
            );
        }
        assert_eq!(count(&env.state.db, "scans").await, 1, "{}", env.name);
        for table in ["components", "findings"] {
            assert_eq!(
                count(&env.state.db, table).await,
                1,
                "{}: {table}",
                env.name
            );
        }
        assert_eq!(count(&env.state.db, "finding_ids").await, 2, "{}", env.name);
        // Rows naming several scans that all exist are taken.
        let b = upload(&env.app, &p.dev_a, "api", &doc).await;
        let other = b.json["scan"]["id"].as_i64().expect("scan id");
        sqlx::query(&format!(
            "INSERT INTO finding_ids (scan_id, advisory_id, purl, alias) \
             VALUES ({scan}, 'GHSA-x', 'pkg:npm/x@1', 'GHSA-x'), \
             ({other}, 'GHSA-x', 'pkg:npm/x@1', 'GHSA-x')"
        ))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", env.name));
        assert_eq!(count(&env.state.db, "finding_ids").await, 6, "{}", env.name);
        env.finish().await;
    }
}

#[tokio::test]
async fn stored_text_reads_back_unchanged_and_nul_is_refused() {
    let names = [
        r#"a "quoted" name"#,
        r"back\slash\",
        "{braces},comma",
        "NULL",
        " spaced ",
        "ünïcødé 🦀",
        r#"\"{}\\"#,
    ];
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let mut sbom = cyclonedx(names.len());
        for (i, n) in names.iter().enumerate() {
            sbom["components"][i]["name"] = json!(n);
            sbom["components"][i]["licenses"] = json!([{ "license": { "name": n } }]);
        }
        let a = upload(&env.app, &p.dev_a, "web", &sbom).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        let scan = a.json["scan"]["id"].as_i64().expect("scan id");
        let path = format!("/v1/projects/web/scans/{scan}/components?limit=100");
        let a = send(&env.app, "GET", &path, Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.status, 200);
        let mut got: Vec<(String, String)> = a.json["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| {
                let text = |k: &str| c[k].as_str().unwrap_or("<missing>").to_owned();
                (text("name"), text("license"))
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = names
            .iter()
            .map(|n| (n.to_string(), n.to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{}", env.name);

        sbom["components"][2]["name"] = json!("nul\u{0}byte");
        let a = upload(&env.app, &p.dev_a, "web", &sbom).await;
        assert_eq!(a.status, 422, "{}: {:?}", env.name, a.json);
        let detail = a.json["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("component 3") && detail.contains("NUL"),
            "{detail}"
        );
        assert_eq!(count(&env.state.db, "scans").await, 1, "{}", env.name);
        env.finish().await;
    }
}

#[tokio::test]
async fn hostile_uploads_are_problems_and_store_nothing() {
    let config = Config {
        max_components: 150_000,
        ..Config::default()
    };
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let post = |ct: &'static str, body: Vec<u8>| {
            send(
                app,
                "POST",
                "/v1/projects/web/scans",
                Some(&p.dev_a),
                Some((ct, body)),
                &[],
            )
        };
        let doc = trusca_result("web", &[("a", "1.0.0")], &[]).to_string();

        let a = post("application/json", doc.as_bytes()[..doc.len() / 2].to_vec()).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json["type"], "urn:trusca:problem:malformed-json");
        assert_eq!(a.headers["content-type"], "application/problem+json");

        let a = post("application/json", vec![b' '; 100 << 20]).await;
        assert_eq!(a.status, 413, "{}", env.name);
        assert_eq!(a.json["type"], "urn:trusca:problem:body-too-large");

        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let a = post("application/json", deep.into_bytes()).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json["type"], "urn:trusca:problem:json-too-deep");

        let a = post("text/plain", doc.clone().into_bytes()).await;
        assert_eq!(a.status, 415);
        assert_eq!(a.json["type"], "urn:trusca:problem:unsupported-media-type");

        let a = post(
            "application/json",
            br#"{"schema_version": 1, "packages": "nope"}"#.to_vec(),
        )
        .await;
        assert_eq!(a.status, 422);
        let a = post("application/json", b"[1, 2]".to_vec()).await;
        assert_eq!(a.status, 422);

        assert_eq!(count(&env.state.db, "scans").await, 0);
        assert_eq!(count(&env.state.db, "projects").await, 0);
        assert_eq!(count(&env.state.db, "components").await, 0);

        // Over the component limit: refused whole.
        let a = post(
            "application/vnd.cyclonedx+json",
            cyclonedx(150_001).to_string().into_bytes(),
        )
        .await;
        assert_eq!(a.status, 413);
        assert_eq!(a.json["type"], "urn:trusca:problem:too-many-components");
        assert_eq!(count(&env.state.db, "components").await, 0);

        // 100k components fit in the default limits and are stored whole.
        let big = cyclonedx(100_000).to_string().into_bytes();
        assert!(big.len() < 32 << 20);
        let a = post("application/vnd.cyclonedx+json", big).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(count(&env.state.db, "components").await, 100_000);
        env.finish().await;
    }
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_a_problem_and_stores_nothing() {
    // No upload completes within a nanosecond: it waits on the database at least once, and the
    // timeout drops it there, rolling its transaction back.
    let config = Config {
        request_timeout: std::time::Duration::from_nanos(1),
        ..Config::default()
    };
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        let doc = trusca_result("web", &[("a", "1.0.0")], &[]);
        let a = upload(&env.app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 503, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["type"], "urn:trusca:problem:timeout");
        assert_eq!(a.headers["content-type"], "application/problem+json");
        assert_eq!(count(&env.state.db, "scans").await, 0);
        assert_eq!(count(&env.state.db, "projects").await, 0);
        env.finish().await;
    }
}

#[tokio::test]
async fn failed_authentication_is_rate_limited() {
    let config = Config {
        auth_failures_per_minute: 3,
        ..Config::default()
    };
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        for _ in 0..3 {
            let a = send(
                &env.app,
                "GET",
                "/v1/projects",
                Some("trs_000000000000_bad"),
                None,
                &[],
            )
            .await;
            assert_eq!(a.status, 401);
            assert_eq!(a.json["type"], "urn:trusca:problem:bad-credentials");
        }
        let a = send(
            &env.app,
            "GET",
            "/v1/projects",
            Some("trs_000000000000_bad"),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 429);
        assert_eq!(a.json["type"], "urn:trusca:problem:rate-limited");
        let retry: u64 = a.headers["retry-after"]
            .to_str()
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!((1..=60).contains(&retry));
        // While blocked, even a good key from that address waits.
        let a = send(&env.app, "GET", "/v1/projects", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.status, 429);
        env.finish().await;
    }
}

#[tokio::test]
async fn revoked_keys_stop_working() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let a = send(&env.app, "GET", "/v1/projects", Some(&p.dev_b), None, &[]).await;
        assert_eq!(a.status, 200);
        let prefix = p.dev_b.split('_').nth(1).expect("prefix");
        let a = send(
            &env.app,
            "DELETE",
            &format!("/v1/keys/{prefix}"),
            Some(&p.dev_b),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 204);
        let a = send(&env.app, "GET", "/v1/projects", Some(&p.dev_b), None, &[]).await;
        assert_eq!(a.status, 401);
        let a = send(
            &env.app,
            "GET",
            "/v1/admin/audit",
            Some(&p.super_admin),
            None,
            &[],
        )
        .await;
        let actions: Vec<&str> = a.json["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert!(actions.contains(&"key.revoke"));
        env.finish().await;
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    for env in backends(Config::default()).await {
        let a = send(&env.app, "GET", "/v1/nope", None, None, &[]).await;
        assert_eq!(a.status, 404);
        assert_eq!(a.headers["content-type"], "application/problem+json");
        let a = send(&env.app, "DELETE", "/health", None, None, &[]).await;
        assert_eq!(a.status, 405);
        assert_eq!(a.json["type"], "urn:trusca:problem:method-not-allowed");
        let a = send(
            &env.app,
            "GET",
            "/v1/projects/x/scans/notanumber",
            Some("trs_a_b"),
            None,
            &[],
        )
        .await;
        assert!(a.status.is_client_error());
        assert_eq!(a.headers["content-type"], "application/problem+json");
        env.finish().await;
    }
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let a = send(&env.app, "GET", "/health", None, None, &[]).await;
        assert_eq!(a.status, 200);
        let _ = upload(
            &env.app,
            &p.dev_a,
            "web",
            &trusca_result("web", &[("a", "1")], &[]),
        )
        .await;
        let a = send(&env.app, "GET", "/metrics", None, None, &[]).await;
        let text = String::from_utf8_lossy(&a.bytes);
        assert!(text.contains("trusca_http_requests_total{method=\"POST\",route=\"/v1/projects/{project}/scans\",status=\"201\"} 1"), "{text}");
        assert!(text.contains("trusca_uploads_total 1"));
        assert!(text.contains("trusca_http_request_duration_seconds_bucket"));
        assert!(text.contains("trusca_db_pool_connections"));
        let a = send(&env.app, "GET", "/v1/openapi.json", None, None, &[]).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["openapi"], "3.1.0");
        env.finish().await;
    }
}

#[test]
fn openapi_lists_every_route() {
    let doc: Value = serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json");
    for (method, path) in trusca_server::ROUTES {
        let op = &doc["paths"][path][method.to_ascii_lowercase()];
        assert!(op.is_object(), "openapi.json lacks {method} {path}");
    }
    let listed: usize = doc["paths"].as_object().map_or(0, |p| {
        p.values()
            .map(|m| m.as_object().map_or(0, |m| m.len()))
            .sum()
    });
    assert_eq!(
        listed,
        trusca_server::ROUTES.len(),
        "openapi.json lists routes the server lacks"
    );
}
