//! Server-side matching against the server's own vulnerability database, the finding
//! lifecycle, its webhook events, and the re-match after a refresh; on SQLite and (when
//! configured) PostgreSQL. The databases are imported from OSV records in `fixtures/osv`.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use sqlx::Row;
use support::*;
use trusca_core::progress::NoProgress;
use trusca_core::vulns::import::{self, ImportLimits};
use trusca_server::config::Config;
use trusca_server::db::Db;
use trusca_server::egress::Targets;
use trusca_server::vulndb::{self, Source};

const MINIMIST: &str = "npm/GHSA-xvch-5gv4-984h.json";
const ANSI_HTML: &str = "npm/GHSA-whgm-jr23-g3j9.json";
const LOG4J: &str = "Maven/GHSA-jfh8-c2jp-5v3q.json";

/// A directory holding copies of the given fixture records, `withdrawn` set on the ones named
/// in `withdraw`.
fn records(records: &[&str], withdraw: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for rel in records {
        let text = std::fs::read_to_string(osv(rel)).expect("fixture");
        let mut record: Value = serde_json::from_str(&text).expect("record");
        if withdraw.contains(rel) {
            record["withdrawn"] = json!("2025-01-01T00:00:00Z");
        }
        let name = Path::new(rel).file_name().expect("name");
        std::fs::write(dir.path().join(name), record.to_string()).expect("write");
    }
    dir
}

/// A vulnerability database at `path` built from fixture records.
fn build_db(path: &Path, rels: &[&str]) {
    let dir = records(rels, &[]);
    import::import(
        path,
        &[dir.path().to_owned()],
        ImportLimits::default(),
        &NoProgress,
    )
    .expect("import");
}

/// A CycloneDX SBOM with the given components (`(name, group, purl)`), and vulnerabilities.
fn sbom(components: &[(&str, Option<&str>, &str)], vulnerabilities: Value) -> Value {
    let components: Vec<Value> = components
        .iter()
        .map(|(name, group, purl)| {
            let version = purl.rsplit('@').next().unwrap_or("");
            let mut c = json!({ "type": "library", "name": name, "version": version,
                                "purl": purl, "bom-ref": purl });
            if let Some(g) = group {
                c["group"] = json!(g);
            }
            c
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": { "component": { "name": "app", "bom-ref": "root" } },
        "components": components,
        "vulnerabilities": vulnerabilities,
    })
}

fn ids(findings: &Value) -> Vec<String> {
    let mut out: Vec<String> = findings
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["id"].as_str().unwrap_or(""), f["purl"]))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn cyclonedx_uploads_are_matched_with_the_servers_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vuln_db = dir.path().join("vulns.db");
    build_db(&vuln_db, &[MINIMIST, ANSI_HTML, LOG4J]);
    let config = Config {
        vuln_db: vuln_db.clone(),
        ..Config::default()
    };
    for env in backends(config.clone()).await {
        let p = people(&env.state.db).await;
        // minimist is also reported by the document itself, under its CVE alias: one finding.
        let doc = sbom(
            &[
                ("ansi-html", None, "pkg:npm/ansi-html@0.0.7"),
                ("minimist", None, "pkg:npm/minimist@1.2.5"),
                ("lodash", None, "pkg:npm/lodash@4.17.21"),
                (
                    "log4j-core",
                    Some("org.apache.logging.log4j"),
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                ),
            ],
            json!([{ "id": "CVE-2021-44906", "ratings": [{ "severity": "critical" }],
                     "affects": [{ "ref": "pkg:npm/minimist@1.2.5" }] }]),
        );
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["scan"]["summary"]["findings"], 3, "{}", env.name);
        let a = send(
            &env.app,
            "GET",
            "/v1/projects/app/findings",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(
            ids(&a.json["findings"]),
            [
                "CVE-2021-44906 \"pkg:npm/minimist@1.2.5\"",
                "GHSA-jfh8-c2jp-5v3q \"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\"",
                "GHSA-whgm-jr23-g3j9 \"pkg:npm/ansi-html@0.0.7\"",
            ],
            "{}",
            env.name
        );
        for f in a.json["findings"].as_array().expect("findings") {
            assert_eq!(f["state"], "open");
            assert!(f["first_seen_at"].is_string(), "{f}");
            assert!(f.get("resolved_at").is_none(), "{f}");
            if f["id"] == "CVE-2021-44906" {
                // The document's own finding is kept, the missing fix taken from the match.
                assert_eq!(f["severity"], "critical");
                assert_eq!(f["fixed_in"], "1.2.6");
            }
            if f["id"] == "GHSA-jfh8-c2jp-5v3q" {
                assert_eq!(f["severity"], "critical");
                assert_eq!(f["fixed_in"], "2.15.0");
            }
        }
        // "Who is affected by" finds a server-side match by its alias.
        let a = send(
            &env.app,
            "GET",
            "/v1/advisories/CVE-2021-44228/projects",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200, "{:?}", a.json);
        assert!(a.json.to_string().contains("log4j-core"), "{}", a.json);
        let a = send(&env.app, "GET", "/health", None, None, &[]).await;
        assert_eq!(a.json["vuln_db"]["loaded"], true);
        assert_eq!(a.json["vuln_db"]["records"], 3);
        env.finish().await;
    }
}

async fn team_id(db: &Db, name: &str) -> i64 {
    sqlx::query("SELECT id FROM teams WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await
        .expect("team")
        .get("id")
}

async fn deliveries(db: &Db, event: &str) -> Vec<Value> {
    let rows =
        sqlx::query("SELECT payload, status FROM webhook_deliveries WHERE event = $1 ORDER BY id")
            .bind(event)
            .fetch_all(&db.pool)
            .await
            .expect("deliveries");
    rows.iter()
        .map(|r| {
            assert_eq!(r.get::<String, _>("status"), "pending");
            serde_json::from_str(&r.get::<String, _>("payload")).expect("payload")
        })
        .collect()
}

/// (first_seen_at, last_seen_at, resolved_at) of a project's lifecycle row.
async fn lifecycle(db: &Db, advisory: &str) -> (String, String, Option<String>) {
    let r = sqlx::query(
        "SELECT first_seen_at, last_seen_at, resolved_at FROM project_findings \
         WHERE advisory_id = $1",
    )
    .bind(advisory)
    .fetch_one(&db.pool)
    .await
    .expect("lifecycle row");
    (
        r.get("first_seen_at"),
        r.get("last_seen_at"),
        r.get("resolved_at"),
    )
}

async fn findings(env: &Env, token: &str, query: &str) -> Value {
    let a = send(
        &env.app,
        "GET",
        &format!("/v1/projects/app/findings{query}"),
        Some(token),
        None,
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{:?}", a.json);
    a.json
}

#[tokio::test]
async fn a_rematch_finds_new_advisories_once_and_resolves_withdrawn_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vuln_db = dir.path().join("vulns.db");
    // Only ansi-html's advisory exists when the project is uploaded.
    build_db(&vuln_db, &[ANSI_HTML]);
    let config = Config {
        vuln_db: vuln_db.clone(),
        ..Config::default()
    };
    for env in backends(config.clone()).await {
        build_db(&vuln_db, &[ANSI_HTML]);
        let db = &env.state.db;
        let p = people(db).await;
        let alpha = team_id(db, "alpha").await;
        sqlx::query(
            "INSERT INTO webhooks (team_id, url, secret, events, created_at) \
             VALUES ($1, 'http://hooks.example/a', 's', 'scan.completed,finding.new', 'now')",
        )
        .bind(alpha)
        .execute(&db.pool)
        .await
        .expect("webhook");

        let doc = sbom(
            &[
                ("ansi-html", None, "pkg:npm/ansi-html@0.0.7"),
                ("minimist", None, "pkg:npm/minimist@1.2.5"),
            ],
            json!([]),
        );
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        let scan_id = a.json["scan"]["id"].as_i64().expect("scan id");
        assert_eq!(a.json["scan"]["summary"]["findings"], 1);
        let completed = deliveries(db, "scan.completed").await;
        assert_eq!(completed.len(), 1, "{}", env.name);
        assert_eq!(completed[0]["id"], format!("scan.completed:{scan_id}"));
        assert_eq!(completed[0]["data"]["summary"]["findings"], 1);
        assert_eq!(deliveries(db, "finding.new").await.len(), 1);

        // The minimist advisory is published: the re-match finds it and announces it once.
        let source = |rels: &[&str], withdraw: &[&str]| {
            let d = records(rels, withdraw);
            (Source::Import(vec![d.path().to_owned()]), d)
        };
        let (src, _keep) = source(&[ANSI_HTML, MINIMIST], &[]);
        let s = vulndb::refresh(db, &env.state.vulns, src, "test")
            .await
            .expect("refresh");
        assert_eq!(
            (s.records, s.rematch.projects, s.rematch.failed),
            (2, 1, 0),
            "{}",
            env.name
        );
        assert_eq!(
            (s.rematch.new_findings, s.rematch.resolved_findings),
            (1, 0)
        );
        let (first_seen, last_seen, resolved) = lifecycle(db, "GHSA-xvch-5gv4-984h").await;
        assert_eq!(first_seen, last_seen);
        assert!(resolved.is_none());
        let news = deliveries(db, "finding.new").await;
        assert_eq!(news.len(), 2, "{}", env.name);
        let data = &news[1]["data"];
        assert_eq!(data["advisory_id"], "GHSA-xvch-5gv4-984h");
        assert_eq!(data["project"], "app");
        assert_eq!(data["team"], "alpha");
        assert_eq!(data["purl"], "pkg:npm/minimist@1.2.5");
        assert_eq!(data["first_seen_at"], first_seen.as_str());
        assert_eq!(data["fixed_in"], "1.2.6");
        assert_eq!(data["aliases"], json!(["CVE-2021-44906"]));
        assert!(news[1]["id"]
            .as_str()
            .is_some_and(|k| k.starts_with("finding.new:") && k.ends_with(&first_seen)));
        let listed = findings(&env, &p.dev_a, "").await;
        assert_eq!(
            ids(&listed["findings"]),
            [
                "GHSA-whgm-jr23-g3j9 \"pkg:npm/ansi-html@0.0.7\"",
                "GHSA-xvch-5gv4-984h \"pkg:npm/minimist@1.2.5\"",
            ]
        );
        let a = send(
            &env.app,
            "GET",
            "/v1/projects/app",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["latest_scan"]["summary"]["findings"], 2);

        // The same data again: nothing new, no second delivery; the finding is seen again.
        let (src, _keep) = source(&[ANSI_HTML, MINIMIST], &[]);
        let s = vulndb::refresh(db, &env.state.vulns, src, "test")
            .await
            .expect("refresh");
        assert_eq!(
            (s.rematch.new_findings, s.rematch.resolved_findings),
            (0, 0)
        );
        assert_eq!(deliveries(db, "finding.new").await.len(), 2);
        let (first_again, last_again, _) = lifecycle(db, "GHSA-xvch-5gv4-984h").await;
        assert_eq!(first_again, first_seen);
        assert!(last_again >= last_seen);

        // The advisory is withdrawn: the finding is resolved, and listed as such.
        let (src, _keep) = source(&[ANSI_HTML, MINIMIST], &[MINIMIST]);
        let s = vulndb::refresh(db, &env.state.vulns, src, "test")
            .await
            .expect("refresh");
        assert_eq!(
            (s.rematch.new_findings, s.rematch.resolved_findings),
            (0, 1)
        );
        let (_, _, resolved) = lifecycle(db, "GHSA-xvch-5gv4-984h").await;
        assert!(resolved.is_some(), "{}", env.name);
        let open = findings(&env, &p.dev_a, "").await;
        assert_eq!(ids(&open["findings"]).len(), 1);
        let gone = findings(&env, &p.dev_a, "?state=resolved").await;
        let gone = gone["findings"].as_array().expect("list");
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0]["id"], "GHSA-xvch-5gv4-984h");
        assert_eq!(gone[0]["state"], "resolved");
        assert_eq!(gone[0]["version"], "1.2.5");
        assert_eq!(gone[0]["first_seen_at"], first_seen.as_str());
        assert_eq!(gone[0]["resolved_at"], resolved.as_deref().unwrap_or(""));
        let all = findings(&env, &p.dev_a, "?state=all").await;
        assert_eq!(ids(&all["findings"]).len(), 2);
        let a = send(
            &env.app,
            "GET",
            "/v1/projects/app/findings?state=closed",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 400);

        // Published again: reopened under its first sighting, no new event.
        let (src, _keep) = source(&[ANSI_HTML, MINIMIST], &[]);
        let s = vulndb::refresh(db, &env.state.vulns, src, "test")
            .await
            .expect("refresh");
        assert_eq!(s.rematch.new_findings, 0);
        let (first_back, _, resolved) = lifecycle(db, "GHSA-xvch-5gv4-984h").await;
        assert_eq!((first_back.as_str(), resolved), (first_seen.as_str(), None));
        assert_eq!(deliveries(db, "finding.new").await.len(), 2);

        // An upload without minimist resolves it as well.
        let doc = sbom(&[("ansi-html", None, "pkg:npm/ansi-html@0.0.7")], json!([]));
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.status, 201);
        let (_, _, resolved) = lifecycle(db, "GHSA-xvch-5gv4-984h").await;
        assert!(resolved.is_some());
        assert_eq!(deliveries(db, "scan.completed").await.len(), 2);

        // Each refresh is recorded, and a failed one too (the data stays in use).
        let bad = Source::Import(vec![dir.path().join("no-such-dir")]);
        assert!(vulndb::refresh(db, &env.state.vulns, bad, "test")
            .await
            .is_err());
        let rows = sqlx::query(
            "SELECT finished_at, records, projects, error FROM vuln_db_refreshes ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("refreshes");
        assert_eq!(rows.len(), 5, "{}", env.name);
        for r in &rows[..4] {
            assert!(r.get::<Option<String>, _>("finished_at").is_some());
            assert_eq!(r.get::<Option<i64>, _>("records"), Some(2));
            assert_eq!(r.get::<Option<i64>, _>("projects"), Some(1));
        }
        assert!(rows[4].get::<Option<String>, _>("error").is_some());
        assert!(env.state.vulns.get().is_some());
        env.finish().await;
    }
}

#[test]
fn the_first_scheduled_refresh_waits_only_for_fresh_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vulns.db");
    let day = std::time::Duration::from_secs(24 * 3600);
    let missing = vulndb::VulnDb::open(&path);
    assert!(missing.get().is_none());
    assert_eq!(missing.status()["loaded"], false);
    assert_eq!(
        vulndb::first_delay(&missing, day),
        std::time::Duration::ZERO
    );
    build_db(&path, &[ANSI_HTML]);
    // The file appeared: the next look picks it up.
    assert!(missing.get().is_some());
    let fresh = vulndb::VulnDb::open(&path);
    assert_eq!(vulndb::first_delay(&fresh, day), day);
    assert_eq!(
        vulndb::first_delay(&fresh, std::time::Duration::ZERO),
        std::time::Duration::ZERO
    );
}

#[tokio::test]
async fn db_update_announces_a_new_advisory_to_a_webhook_once() {
    use support::receiver::receiver;
    use trusca_server::webhooks::{self, deliver_due};
    const SECRET: &str = "a-long-enough-webhook-secret";
    let dir = tempfile::tempdir().expect("temp dir");
    let vuln_db = dir.path().join("vulns.db");
    let config = Config {
        vuln_db: vuln_db.clone(),
        webhook_targets: Targets::Any, // the receiver listens on 127.0.0.1
        ..Config::default()
    };
    build_db(&vuln_db, &[ANSI_HTML]);
    for env in backends(config.clone()).await {
        // The server's data knows only ansi-html when the project is scanned.
        let first = records(&[ANSI_HTML], &[]);
        let src = Source::Import(vec![first.path().to_owned()]);
        vulndb::refresh(&env.state.db, &env.state.vulns, src, "test")
            .await
            .expect("first data");
        let db = &env.state.db;
        let p = people(db).await;
        let (url, inbox) = receiver(SECRET, 1).await;
        let a = send(
            &env.app,
            "POST",
            "/v1/teams/alpha/webhooks",
            Some(&p.admin_a),
            json_body(&json!({ "url": url, "events": ["finding.new"], "secret": SECRET })),
            &[],
        )
        .await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        let doc = sbom(&[("minimist", None, "pkg:npm/minimist@1.2.5")], json!([]));
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["scan"]["summary"]["findings"], 0);

        // `db update` from a mirror that now has the minimist advisory.
        let osv_mirror = mirror(&[ANSI_HTML, MINIMIST]);
        let update = || Source::Update {
            mirror: osv_mirror.path().display().to_string(),
            ecosystems: vec!["npm".into()],
        };
        let s = vulndb::refresh(db, &env.state.vulns, update(), "test")
            .await
            .expect("update");
        assert_eq!(s.rematch.new_findings, 1, "{}", env.name);

        // The receiver answers the first attempt 500, the retry 200: one event counted.
        let client = webhooks::client(Targets::Any).expect("client");
        let t0 = std::time::SystemTime::now();
        assert_eq!(
            deliver_due(db, &client, t0).await.expect("deliver").retried,
            1
        );
        let later = t0 + std::time::Duration::from_secs(60);
        assert_eq!(
            deliver_due(db, &client, later)
                .await
                .expect("deliver")
                .delivered,
            1
        );
        // The same data again announces nothing more.
        let s = vulndb::refresh(db, &env.state.vulns, update(), "test")
            .await
            .expect("update again");
        assert_eq!(s.rematch.new_findings, 0);
        let much_later = t0 + std::time::Duration::from_secs(7200);
        assert_eq!(
            deliver_due(db, &client, much_later)
                .await
                .expect("deliver")
                .total(),
            0
        );

        {
            let inbox = inbox.lock().expect("inbox");
            assert_eq!(inbox.seen.len(), 2, "{}", env.name);
            assert!(inbox.seen.iter().all(|s| s.signature_ok));
            assert_eq!(inbox.seen[0].delivery, inbox.seen[1].delivery);
            assert_eq!(inbox.accepted.len(), 1);
            assert_eq!(inbox.accepted.values().sum::<usize>(), 1);
            let body: Value = serde_json::from_slice(&inbox.seen[1].body).expect("json");
            assert_eq!(body["event"], "finding.new");
            assert_eq!(body["data"]["advisory_id"], "GHSA-xvch-5gv4-984h");
            assert_eq!(body["data"]["purl"], "pkg:npm/minimist@1.2.5");
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn a_super_admin_starts_a_refresh_through_the_api() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vuln_db = dir.path().join("vulns.db");
    build_db(&vuln_db, &[ANSI_HTML]);
    let osv_mirror = mirror(&[ANSI_HTML, MINIMIST]);
    let config = Config {
        vuln_db: vuln_db.clone(),
        db_mirror: Some(osv_mirror.path().display().to_string()),
        ..Config::default()
    };
    for env in backends(config.clone()).await {
        // The server's data knows only ansi-html when the project is scanned.
        let first = records(&[ANSI_HTML], &[]);
        let src = Source::Import(vec![first.path().to_owned()]);
        vulndb::refresh(&env.state.db, &env.state.vulns, src, "test")
            .await
            .expect("first data");
        let p = people(&env.state.db).await;
        let doc = sbom(&[("minimist", None, "pkg:npm/minimist@1.2.5")], json!([]));
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.json["scan"]["summary"]["findings"], 0, "{}", env.name);

        let body = json!({ "ecosystems": ["npm"] });
        let path = "/v1/admin/vuln-db/refresh";
        let a = send(
            &env.app,
            "POST",
            path,
            Some(&p.admin_a),
            json_body(&body),
            &[],
        )
        .await;
        assert_eq!(a.status, 404, "only super admins");
        let bad = json!({ "ecosystem": "npm" });
        let a = send(
            &env.app,
            "POST",
            path,
            Some(&p.super_admin),
            json_body(&bad),
            &[],
        )
        .await;
        assert_eq!(a.status, 422, "{}: {:?}", env.name, a.json);
        let a = send(
            &env.app,
            "POST",
            path,
            Some(&p.super_admin),
            json_body(&body),
            &[],
        )
        .await;
        assert_eq!(a.status, 202, "{}: {:?}", env.name, a.json);
        assert_eq!(a.headers["location"], "/v1/admin/vuln-db");

        // The refresh runs in the background; its outcome shows in the status route.
        let mut status = Value::Null;
        for _ in 0..200 {
            let a = send(
                &env.app,
                "GET",
                "/v1/admin/vuln-db",
                Some(&p.super_admin),
                None,
                &[],
            )
            .await;
            assert_eq!(a.status, 200);
            status = a.json;
            if status["refreshing"] == false && !status["refreshes"][0]["finished_at"].is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let latest = &status["refreshes"][0];
        assert!(latest["error"].is_null(), "{}: {status}", env.name);
        assert_eq!(latest["new_findings"], 1, "{}: {status}", env.name);
        assert!(latest["source"]
            .as_str()
            .unwrap_or_default()
            .starts_with("update "));
        assert_eq!(status["database"]["loaded"], true);
        let a = send(
            &env.app,
            "GET",
            "/v1/projects/app/findings",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(
            a.json["findings"].as_array().map(Vec::len),
            Some(1),
            "{}",
            env.name
        );
        let (actor,): (String,) = sqlx::query_as(
            "SELECT actor FROM audit_log WHERE action = 'vulndb.refresh' ORDER BY id DESC",
        )
        .fetch_one(&env.state.db.pool)
        .await
        .expect("audit");
        assert_eq!(actor, "root");
        env.finish().await;
    }
}

#[tokio::test]
async fn findings_a_document_carries_go_when_their_advisory_is_withdrawn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vuln_db = dir.path().join("vulns.db");
    let config = Config {
        vuln_db: vuln_db.clone(),
        ..Config::default()
    };
    for env in backends(config.clone()).await {
        let db = &env.state.db;
        import(&env, &[MINIMIST], &[]).await;
        let p = people(db).await;
        // The CLI found minimist's advisory and says so in its result.
        let doc = trusca_result(
            "app",
            &[("minimist", "1.2.5")],
            &[(
                "GHSA-xvch-5gv4-984h",
                &["CVE-2021-44906"],
                "minimist",
                "1.2.5",
                "critical",
            )],
        );
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.json["scan"]["summary"]["findings"], 1, "{}", env.name);

        // The advisory is withdrawn: the re-match resolves the finding, though the stored
        // document still carries it.
        let s = import(&env, &[MINIMIST], &[MINIMIST]).await;
        assert_eq!(s.rematch.resolved_findings, 1, "{}", env.name);
        let open = findings(&env, &p.dev_a, "").await;
        assert_eq!(open["findings"], json!([]), "{}", env.name);

        // The same document uploaded again: the withdrawn finding is not taken.
        let a = upload(&env.app, &p.dev_a, "app", &doc).await;
        assert_eq!(a.json["scan"]["summary"]["findings"], 0, "{}", env.name);
        env.finish().await;
    }
}

/// Refreshes the server's database from copies of the given fixture records (`withdraw`n ones
/// marked withdrawn).
async fn import(env: &Env, rels: &[&str], withdraw: &[&str]) -> vulndb::RefreshSummary {
    let d = records(rels, withdraw);
    let src = Source::Import(vec![d.path().to_owned()]);
    vulndb::refresh(&env.state.db, &env.state.vulns, src, "test")
        .await
        .expect("refresh")
}
