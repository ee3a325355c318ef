//! The authorisation matrix: every route × {no key, bad key, developer of team A, team admin of
//! A, developer of B, super admin}, and nothing of team A visible to team B.

mod support;

use serde_json::json;
use support::*;
use trusca_server::config::Config;
use trusca_server::db::{identity, webhooks};

/// Method, route template, concrete URI ([`FRESH_KEY`], [`FRESH_WEBHOOK`]: a new one to delete
/// for each identity), body, and the status expected for each identity.
type Case = (
    &'static str,
    &'static str,
    String,
    Option<serde_json::Value>,
    [u16; 6],
);

const BAD: &str = "trs_0123456789ab_notthesecret";
/// Revoke a fresh key of developer A.
const FRESH_KEY: &str = "{fresh-key}";
/// Delete a fresh webhook of team A.
const FRESH_WEBHOOK: &str = "{fresh-webhook}";

/// A webhook of team `alpha`, made directly in the database.
async fn webhook(db: &trusca_server::db::Db) -> i64 {
    let team = identity::team_id(db, "alpha")
        .await
        .expect("query")
        .expect("team");
    webhooks::create(
        db,
        webhooks::NewWebhook {
            team_id: team,
            url: "https://hooks.example/a",
            events: &["finding.new".to_owned()],
            secret: "0123456789abcdef",
            actor: "test",
            request_id: None,
        },
    )
    .await
    .expect("webhook")
    .id
}

#[tokio::test]
async fn every_route_by_every_identity() {
    // A refresh the matrix starts reads an empty mirror and writes beside the test's files.
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        auth_failures_per_minute: 10_000,
        vuln_db: dir.path().join("vulns.db"),
        db_mirror: Some(dir.path().display().to_string()),
        ..Config::default()
    };
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let shared = trusca_result(
            "x",
            &[("shared", "1.0.0"), ("only-a", "1.0.0")],
            &[("GHSA-1111", &["CVE-1"], "shared", "1.0.0", "critical")],
        );
        let a = upload(app, &p.dev_a, "app", &shared).await;
        assert_eq!(a.status, 201);
        let scan_a = a.json["scan"]["id"].as_i64().expect("id");
        let b_doc = trusca_result(
            "y",
            &[("shared", "2.0.0")],
            &[("GHSA-1111", &["CVE-1"], "shared", "2.0.0", "critical")],
        );
        assert_eq!(upload(app, &p.dev_b, "svc", &b_doc).await.status, 201);

        // [no key, bad key, dev A, admin A, dev B, super admin]
        const READ: [u16; 6] = [401, 401, 200, 200, 403, 200];
        const WRITE: [u16; 6] = [401, 401, 201, 201, 403, 201];
        const TEAM_ADMIN: [u16; 6] = [401, 401, 403, 200, 403, 200];
        const SUPER: [u16; 6] = [401, 401, 404, 404, 404, 200];
        const OPEN: [u16; 6] = [200; 6];
        let triage = json!({"purl": "pkg:npm/shared@1.0.0", "state": "in_triage"});
        let role = json!({"role": "developer"});
        let hook = webhook(&env.state.db).await;
        let new_hook = json!({"url": "https://hooks.example/b", "events": ["sla.breached"]});
        let sla_days = json!({"critical": 5, "high": 20, "medium": 60, "low": 120});
        let cases: Vec<Case> = vec![
            ("GET", "/health", "/health".into(), None, OPEN),
            ("GET", "/metrics", "/metrics".into(), None, OPEN),
            (
                "GET",
                "/v1/openapi.json",
                "/v1/openapi.json".into(),
                None,
                OPEN,
            ),
            (
                "GET",
                "/v1/projects",
                "/v1/projects?team=alpha".into(),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/projects/{project}",
                "/v1/projects/app?team=alpha".into(),
                None,
                READ,
            ),
            (
                "POST",
                "/v1/projects/{project}/scans",
                "/v1/projects/app/scans?team=alpha".into(),
                Some(shared.clone()),
                WRITE,
            ),
            (
                "GET",
                "/v1/projects/{project}/scans",
                "/v1/projects/app/scans?team=alpha".into(),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/projects/{project}/scans/{scan}",
                format!("/v1/projects/app/scans/{scan_a}?team=alpha"),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/projects/{project}/scans/{scan}/document",
                format!("/v1/projects/app/scans/{scan_a}/document?team=alpha"),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/projects/{project}/scans/{scan}/components",
                format!("/v1/projects/app/scans/{scan_a}/components?team=alpha"),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/projects/{project}/findings",
                "/v1/projects/app/findings?team=alpha".into(),
                None,
                READ,
            ),
            (
                "PUT",
                "/v1/projects/{project}/findings/{advisory}/triage",
                "/v1/projects/app/findings/GHSA-1111/triage?team=alpha".into(),
                Some(triage),
                READ,
            ),
            (
                "GET",
                "/v1/components",
                "/v1/components?name=shared&team=alpha".into(),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/advisories/{advisory}/projects",
                "/v1/advisories/CVE-1/projects?team=alpha".into(),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/teams/{team}/members",
                "/v1/teams/alpha/members".into(),
                None,
                TEAM_ADMIN,
            ),
            (
                "PUT",
                "/v1/teams/{team}/members/{username}",
                "/v1/teams/alpha/members/dev-a".into(),
                Some(role),
                TEAM_ADMIN,
            ),
            (
                "GET",
                "/v1/teams/{team}/webhooks",
                "/v1/teams/alpha/webhooks".into(),
                None,
                TEAM_ADMIN,
            ),
            (
                "POST",
                "/v1/teams/{team}/webhooks",
                "/v1/teams/alpha/webhooks".into(),
                Some(new_hook),
                [401, 401, 403, 201, 403, 201],
            ),
            (
                "DELETE",
                "/v1/teams/{team}/webhooks/{id}",
                FRESH_WEBHOOK.into(),
                None,
                [401, 401, 403, 204, 403, 204],
            ),
            (
                "GET",
                "/v1/teams/{team}/webhooks/{id}/deliveries",
                format!("/v1/teams/alpha/webhooks/{hook}/deliveries"),
                None,
                TEAM_ADMIN,
            ),
            (
                "POST",
                "/v1/teams/{team}/webhooks/{id}/test",
                format!("/v1/teams/alpha/webhooks/{hook}/test"),
                None,
                [401, 401, 403, 202, 403, 202],
            ),
            (
                "GET",
                "/v1/teams/{team}/sla",
                "/v1/teams/alpha/sla".into(),
                None,
                READ,
            ),
            (
                "PUT",
                "/v1/teams/{team}/sla",
                "/v1/teams/alpha/sla".into(),
                Some(sla_days),
                TEAM_ADMIN,
            ),
            (
                "GET",
                "/v1/teams/{team}/policy",
                "/v1/teams/alpha/policy".into(),
                None,
                READ,
            ),
            (
                "PUT",
                "/v1/teams/{team}/policy",
                "/v1/teams/alpha/policy".into(),
                Some(json!({"config": "fail_on = \"critical\"\n"})),
                TEAM_ADMIN,
            ),
            (
                "GET",
                "/v1/policy",
                "/v1/policy?team=alpha".into(),
                None,
                READ,
            ),
            (
                "GET",
                "/v1/teams/{team}/findings/overdue",
                "/v1/teams/alpha/findings/overdue".into(),
                None,
                READ,
            ),
            (
                "DELETE",
                "/v1/keys/{prefix}",
                FRESH_KEY.into(),
                None,
                [401, 401, 204, 204, 404, 204],
            ),
            (
                "GET",
                "/v1/admin/users",
                "/v1/admin/users".into(),
                None,
                SUPER,
            ),
            (
                "GET",
                "/v1/admin/audit",
                "/v1/admin/audit".into(),
                None,
                SUPER,
            ),
            (
                "GET",
                "/v1/admin/vuln-db",
                "/v1/admin/vuln-db".into(),
                None,
                SUPER,
            ),
            (
                "POST",
                "/v1/admin/vuln-db/refresh",
                "/v1/admin/vuln-db/refresh".into(),
                Some(json!({})),
                [401, 401, 404, 404, 404, 202],
            ),
        ];
        for (method, route, _, _, _) in &cases {
            assert!(
                trusca_server::ROUTES.contains(&(*method, *route)),
                "{method} {route} is not a route"
            );
        }
        for (method, route) in trusca_server::ROUTES {
            assert!(
                cases.iter().any(|c| c.0 == *method && c.1 == *route),
                "{method} {route} is not in the matrix"
            );
        }
        let who: [(&str, Option<&str>); 6] = [
            ("no key", None),
            ("bad key", Some(BAD)),
            ("developer of A", Some(&p.dev_a)),
            ("team admin of A", Some(&p.admin_a)),
            ("developer of B", Some(&p.dev_b)),
            ("super admin", Some(&p.super_admin)),
        ];
        for (method, _route, uri, body, expected) in &cases {
            for (i, (name, token)) in who.iter().enumerate() {
                let uri = if uri == FRESH_KEY {
                    // A fresh key of developer A, bound to team A, to revoke.
                    let key = identity::create_key(&env.state.db, "dev-a", Some("alpha"), "test")
                        .await
                        .expect("key");
                    format!("/v1/keys/{}", key.prefix)
                } else if uri == FRESH_WEBHOOK {
                    format!("/v1/teams/alpha/webhooks/{}", webhook(&env.state.db).await)
                } else {
                    uri.clone()
                };
                let a = send(
                    app,
                    method,
                    &uri,
                    *token,
                    body.as_ref().and_then(json_body),
                    &[],
                )
                .await;
                assert_eq!(
                    a.status.as_u16(),
                    expected[i],
                    "{}: {method} {uri} as {name}: {:?}",
                    env.name,
                    a.json
                );
                if a.status.as_u16() >= 400 {
                    assert_eq!(
                        a.headers["content-type"], "application/problem+json",
                        "{method} {uri} as {name}"
                    );
                }
            }
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn nothing_of_team_a_is_visible_to_team_b() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let a_doc = trusca_result(
            "a",
            &[("shared", "1.0.0")],
            &[("GHSA-2222", &[], "shared", "1.0.0", "high")],
        );
        let b_doc = trusca_result(
            "b",
            &[("shared", "2.0.0")],
            &[("GHSA-2222", &[], "shared", "2.0.0", "high")],
        );
        assert_eq!(upload(app, &p.dev_a, "app", &a_doc).await.status, 201);
        assert_eq!(upload(app, &p.dev_b, "svc", &b_doc).await.status, 201);
        // The same project name in B is B's own project, not A's.
        assert_eq!(upload(app, &p.dev_b, "app", &b_doc).await.status, 201);

        for uri in [
            "/v1/projects",
            "/v1/components?name=shared",
            "/v1/advisories/GHSA-2222/projects",
        ] {
            let a = send(app, "GET", uri, Some(&p.dev_b), None, &[]).await;
            assert_eq!(a.status, 200);
            let text = a.json.to_string();
            assert!(
                !text.contains("alpha") && !text.contains("1.0.0"),
                "{}: {uri} leaks team A: {text}",
                env.name
            );
            assert!(text.contains("beta"));
        }
        let a = send(app, "GET", "/v1/projects/app", Some(&p.dev_b), None, &[]).await;
        assert_eq!(a.json["team"], "beta");
        let a = send(
            app,
            "GET",
            "/v1/projects/app?team=alpha",
            Some(&p.dev_b),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 403);
        // A super admin sees both teams.
        let a = send(
            app,
            "GET",
            "/v1/components?name=shared",
            Some(&p.super_admin),
            None,
            &[],
        )
        .await;
        assert_eq!(a.json["components"].as_array().map(Vec::len), Some(3));
        // A key bound to team A cannot act in B even for a member of both.
        identity::set_member(&env.state.db, "beta", "dev-a", "developer", "test", None)
            .await
            .expect("member");
        let bound = identity::create_key(&env.state.db, "dev-a", Some("alpha"), "test")
            .await
            .expect("key");
        let a = send(
            app,
            "GET",
            "/v1/projects?team=beta",
            Some(&bound.token),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 403);
        let a = send(app, "GET", "/v1/projects", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.json["projects"].as_array().map(Vec::len), Some(3));
        let a = send(
            app,
            "POST",
            "/v1/projects/new/scans",
            Some(&p.dev_a),
            json_body(&a_doc),
            &[],
        )
        .await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json["type"], "urn:trusca:problem:team-required");
        env.finish().await;
    }
}
