//! Remediation SLAs: the policy API, the overdue listing, and breaches raised once.

mod support;

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use support::*;
use trusca_core::vulns::SeverityLevel;
use trusca_server::config::Config;
use trusca_server::db::{identity, sla, Db};

const DAY: u64 = 86_400;

fn days_ago(now: SystemTime, days: u64) -> String {
    humantime::format_rfc3339_millis(now - Duration::from_secs(days * DAY + 60)).to_string()
}

async fn project(db: &Db, team: &str, name: &str) -> i64 {
    let team = identity::team_id(db, team)
        .await
        .expect("query")
        .expect("team");
    sqlx::query_scalar(
        "INSERT INTO projects (team_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(team)
    .bind(name)
    .bind(trusca_server::db::now())
    .fetch_one(&db.pool)
    .await
    .expect("project")
}

/// A finding row; `resolved` marks it gone from the latest scan.
async fn finding(
    db: &Db,
    project: i64,
    advisory: &str,
    severity: &str,
    seen: &str,
    resolved: bool,
) {
    sqlx::query(
        "INSERT INTO project_findings (project_id, purl, advisory_id, severity, first_seen_at, \
         last_seen_at, resolved_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(project)
    .bind(format!("pkg:npm/{advisory}@1.0.0"))
    .bind(advisory)
    .bind(severity)
    .bind(seen)
    .bind(resolved.then(trusca_server::db::now))
    .execute(&db.pool)
    .await
    .expect("finding");
}

async fn triage(db: &Db, project: i64, advisory: &str, state: &str) {
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'dev-a'")
        .fetch_one(&db.pool)
        .await
        .expect("user");
    sqlx::query(
        "INSERT INTO triage (project_id, purl, advisory_id, state, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(project)
    .bind(format!("pkg:npm/{advisory}@1.0.0"))
    .bind(advisory)
    .bind(state)
    .bind(user)
    .bind(trusca_server::db::now())
    .execute(&db.pool)
    .await
    .expect("triage");
}

#[tokio::test]
async fn policy_defaults_validation_and_audit() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let a = send(app, "GET", "/v1/teams/alpha/sla", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.status, 200);
        assert_eq!(
            a.json,
            json!({"team": "alpha", "days": {"critical": 7, "high": 30, "medium": 90, "low": 180}})
        );
        let put = |token: String, body: Value| async move {
            send(
                app,
                "PUT",
                "/v1/teams/alpha/sla",
                Some(&token),
                json_body(&body),
                &[],
            )
            .await
        };
        for (body, status) in [
            (
                json!({"critical": 0, "high": 30, "medium": 90, "low": 180}),
                422,
            ),
            (
                json!({"critical": 7, "high": -1, "medium": 90, "low": 180}),
                422,
            ),
            (
                json!({"critical": 7, "high": 30, "medium": 90, "low": 3651}),
                422,
            ),
            (json!({"critical": 7, "high": 30, "medium": 90}), 422),
            (
                json!({"critical": 7, "high": 30, "medium": 90, "low": 180, "unknown": 1}),
                422,
            ),
            (
                json!({"critical": "7", "high": 30, "medium": 90, "low": 180}),
                422,
            ),
        ] {
            let a = put(p.admin_a.clone(), body.clone()).await;
            assert_eq!(a.status, status, "{}: {body}: {:?}", env.name, a.json);
            assert_eq!(a.json["type"], "urn:trusca:problem:invalid-document");
        }
        let good = json!({"critical": 3, "high": 14, "medium": 60, "low": 3650});
        assert_eq!(put(p.dev_a.clone(), good.clone()).await.status, 403);
        assert_eq!(put(p.dev_b.clone(), good.clone()).await.status, 403);
        let a = put(p.admin_a.clone(), good.clone()).await;
        assert_eq!(a.status, 200, "{:?}", a.json);
        let a = send(app, "GET", "/v1/teams/alpha/sla", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.json["days"], good);
        // Beta keeps the defaults.
        let a = send(app, "GET", "/v1/teams/beta/sla", Some(&p.dev_b), None, &[]).await;
        assert_eq!(a.json["days"]["critical"], 7);
        let audits: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sla.set'")
                .fetch_one(&env.state.db.pool)
                .await
                .expect("audit");
        assert_eq!(audits, 1, "only the accepted change is audited");
        env.finish().await;
    }
}

#[tokio::test]
async fn overdue_findings_are_listed_and_breach_once() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let now = SystemTime::now();
        let web = project(db, "alpha", "web").await;
        let api = project(db, "alpha", "api").await;
        let other = project(db, "beta", "svc").await;
        // Default days: critical 7, high 30, medium 90, low 180.
        finding(db, web, "CRIT-LATE", "critical", &days_ago(now, 10), false).await;
        finding(db, api, "HIGH-LATE", "high", &days_ago(now, 40), false).await;
        finding(db, web, "MED-ONTIME", "medium", &days_ago(now, 10), false).await;
        finding(db, api, "LOW-LATE", "low", &days_ago(now, 365), false).await;
        finding(db, web, "UNK-OLD", "unknown", &days_ago(now, 365), false).await;
        finding(
            db,
            web,
            "CRIT-RESOLVED",
            "critical",
            &days_ago(now, 365),
            true,
        )
        .await;
        finding(db, web, "CRIT-NA", "critical", &days_ago(now, 365), false).await;
        finding(db, web, "CRIT-FP", "critical", &days_ago(now, 365), false).await;
        finding(
            db,
            web,
            "CRIT-TRIAGING",
            "critical",
            &days_ago(now, 8),
            false,
        )
        .await;
        finding(
            db,
            other,
            "BETA-LATE",
            "critical",
            &days_ago(now, 30),
            false,
        )
        .await;
        triage(db, web, "CRIT-NA", "not_affected").await;
        triage(db, web, "CRIT-FP", "false_positive").await;
        triage(db, web, "CRIT-TRIAGING", "in_triage").await;

        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/findings/overdue",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200, "{:?}", a.json);
        let rows: Vec<(String, String, i64)> = a.json["findings"]
            .as_array()
            .expect("list")
            .iter()
            .map(|f| {
                (
                    f["project"].as_str().unwrap_or("").to_owned(),
                    f["advisory_id"].as_str().unwrap_or("").to_owned(),
                    f["days_overdue"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        let expected = [
            ("api", "LOW-LATE", 185),
            ("api", "HIGH-LATE", 10),
            ("web", "CRIT-LATE", 3),
            ("web", "CRIT-TRIAGING", 1),
        ]
        .map(|(p, a, d)| (p.to_owned(), a.to_owned(), d));
        assert_eq!(rows, expected, "{}", env.name);
        assert_eq!(a.json["total"], 4);
        let first = &a.json["findings"][0];
        assert_eq!(first["severity"], "low");
        assert_eq!(first["purl"], "pkg:npm/LOW-LATE@1.0.0");
        assert!(first["sla_breached_at"].is_null());
        let due = sla::SlaPolicy::default()
            .due_at(
                first["first_seen_at"].as_str().unwrap_or(""),
                SeverityLevel::Low,
            )
            .expect("due");
        assert_eq!(first["due_at"], due.as_str());
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/findings/overdue?limit=1&offset=1",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["findings"][0]["advisory_id"], "HIGH-LATE");
        assert_eq!(a.json["total"], 4);
        // A stricter policy makes the medium finding overdue too.
        sla::set_policy(
            db,
            identity::team_id(db, "alpha")
                .await
                .expect("q")
                .expect("team"),
            &sla::SlaPolicy {
                medium: 5,
                ..sla::SlaPolicy::default()
            },
            "test",
            None,
        )
        .await
        .expect("policy");
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/findings/overdue",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["total"], 5);

        // Webhooks subscribed to `sla.breached` in both teams.
        for (team, token) in [("alpha", &p.admin_a), ("beta", &p.super_admin)] {
            let a = send(
                &env.app,
                "POST",
                &format!("/v1/teams/{team}/webhooks"),
                Some(token),
                json_body(&json!({"url": "https://hooks.example/sla", "events": ["sla.breached"]})),
                &[],
            )
            .await;
            assert_eq!(a.status, 201, "{:?}", a.json);
        }
        assert_eq!(
            sla::check_breaches(db, now).await.expect("check"),
            6,
            "{}",
            env.name
        );
        assert_eq!(sla::check_breaches(db, now).await.expect("check"), 0);
        assert_eq!(
            sla::check_breaches(db, now + Duration::from_secs(DAY))
                .await
                .expect("check"),
            0,
            "a breach is raised once"
        );
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT idem_key FROM webhook_deliveries WHERE event = 'sla.breached' ORDER BY idem_key",
        )
        .fetch_all(&db.pool)
        .await
        .expect("deliveries");
        let mut expected: Vec<String> = [
            (web, "CRIT-LATE"),
            (api, "HIGH-LATE"),
            (web, "MED-ONTIME"),
            (api, "LOW-LATE"),
            (web, "CRIT-TRIAGING"),
            (other, "BETA-LATE"),
        ]
        .iter()
        .map(|(project, adv)| format!("sla.breached:{project}:pkg:npm/{adv}@1.0.0:{adv}"))
        .collect();
        expected.sort();
        assert_eq!(keys, expected, "{}", env.name);
        let payload: String = sqlx::query_scalar(
            "SELECT d.payload FROM webhook_deliveries d WHERE d.idem_key LIKE '%LOW-LATE'",
        )
        .fetch_one(&db.pool)
        .await
        .expect("payload");
        let payload: Value = serde_json::from_str(&payload).expect("json");
        assert_eq!(payload["event"], "sla.breached");
        assert_eq!(payload["data"]["project"], "api");
        assert_eq!(payload["data"]["severity"], "low");
        assert_eq!(payload["data"]["due_at"], due.as_str());
        // Triaged findings never breached.
        let untouched: Vec<String> = sqlx::query_scalar(
            "SELECT advisory_id FROM project_findings WHERE sla_breached_at IS NULL \
             ORDER BY advisory_id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("rows");
        assert_eq!(
            untouched,
            ["CRIT-FP", "CRIT-NA", "CRIT-RESOLVED", "UNK-OLD"]
        );
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/findings/overdue",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert!(a.json["findings"][0]["sla_breached_at"].is_string());
        // Team B sees only its own overdue finding; team A's list is 403 to it.
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/beta/findings/overdue",
            Some(&p.dev_b),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["total"], 1);
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/findings/overdue",
            Some(&p.dev_b),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 403);
        env.finish().await;
    }
}
