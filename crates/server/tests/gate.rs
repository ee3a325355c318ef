//! The server-side gate: a team's policy kept on the server (set and read through the API,
//! validated as the CLI reads `trusca.toml`, audited), and the decision under it that every
//! upload's answer carries; on SQLite and (when configured) PostgreSQL.

mod support;

use serde_json::{json, Value};
use support::*;
use trusca_server::config::Config;
use trusca_server::db::Db;

async fn put_policy(app: &axum::Router, token: &str, text: &str) -> Answer {
    send(
        app,
        "PUT",
        "/v1/teams/alpha/policy",
        Some(token),
        Some(("application/toml", text.as_bytes().to_vec())),
        &[],
    )
    .await
}

async fn audited(db: &Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

/// A trusca result with one MIT package and one high finding on it, made with a vulnerability
/// database.
fn result() -> Value {
    let mut doc = trusca_result(
        "web",
        &[("lodash", "4.17.20")],
        &[("GHSA-aaaa", &["CVE-2021-0001"], "lodash", "4.17.20", "high")],
    );
    doc["vuln_check"] = json!({"checked": 1, "not_checked": 0, "findings": 1});
    doc
}

#[tokio::test]
async fn a_team_policy_is_set_read_and_validated() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let a = send(
            app,
            "GET",
            "/v1/teams/alpha/policy",
            Some(&p.dev_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["source"], "default");
        assert_eq!(a.json["config"], "");

        let text = "fail_on = \"critical\"\n\n[licenses]\ndeny = [\"MIT\"]\n";
        assert_eq!(put_policy(app, &p.dev_a, text).await.status, 403);
        let a = put_policy(app, &p.admin_a, text).await;
        assert_eq!(a.status, 200, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["source"], "team");
        assert_eq!(a.json["updated_by"], "admin-a");
        for path in ["/v1/teams/alpha/policy", "/v1/policy"] {
            let a = send(app, "GET", path, Some(&p.dev_a), None, &[]).await;
            assert_eq!(a.status, 200, "{path}");
            assert_eq!(a.json["config"], text, "{path}");
        }
        assert_eq!(audited(&env.state.db, "policy.set").await, 1);

        // Every problem at once, each with its line; nothing stored.
        let bad = "fail_on = \"sometimes\"\ncolour = \"blue\"\n\n[[exceptions]]\nid = \"X\"\n";
        let a = put_policy(app, &p.admin_a, bad).await;
        assert_eq!(a.status, 422, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["type"], "urn:trusca:problem:invalid-policy");
        let lines: Vec<i64> = a.json["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .filter_map(|p| p["line"].as_i64())
            .collect();
        assert!(
            lines.contains(&1) && lines.contains(&2) && lines.len() >= 3,
            "{lines:?}"
        );
        assert!(a.json["detail"].as_str().unwrap_or("").contains("line 2"));
        let a = send(app, "GET", "/v1/policy", Some(&p.dev_a), None, &[]).await;
        assert_eq!(a.json["config"], text);

        // JSON, and the wrong media type.
        let a = send(
            app,
            "PUT",
            "/v1/teams/alpha/policy",
            Some(&p.admin_a),
            json_body(&json!({"config": "fail_on = \"low\"\n"})),
            &[],
        )
        .await;
        assert_eq!(a.status, 200, "{:?}", a.json);
        let a = send(
            app,
            "PUT",
            "/v1/teams/alpha/policy",
            Some(&p.admin_a),
            Some(("application/x-www-form-urlencoded", b"fail_on=low".to_vec())),
            &[],
        )
        .await;
        assert_eq!(a.status, 415);
        env.finish().await;
    }
}

#[tokio::test]
async fn an_upload_is_answered_with_the_decision_under_the_teams_policy() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        // No policy: the built-in one fails on a high finding.
        let a = upload(app, &p.dev_a, "web", &result()).await;
        assert_eq!(a.status, 201, "{:?}", a.json);
        assert_eq!(a.json["policy"]["source"], "default");
        assert_eq!(a.json["policy"]["decision"], "fail");
        assert_eq!(a.json["policy"]["violations"][0]["id"], "GHSA-aaaa");

        // The team waives it by an alias, until a date to come.
        let waiver = "[[exceptions]]\nid = \"CVE-2021-0001\"\npackage = \"lodash\"\n\
                      reason = \"not reachable from our code\"\nexpires = 2099-12-31\n";
        assert_eq!(put_policy(app, &p.admin_a, waiver).await.status, 200);
        let a = upload(app, &p.dev_a, "web", &result()).await;
        assert_eq!(a.json["policy"]["source"], "team");
        assert_eq!(
            a.json["policy"]["decision"], "pass",
            "{:?}",
            a.json["policy"]
        );
        assert_eq!(
            a.json["policy"]["waived"][0]["reason"],
            "not reachable from our code"
        );

        // Licenses are tiered again under the team's settings.
        let deny = "[licenses]\ndeny = [\"MIT\"]\nfail_on = \"none\"\n";
        let a = put_policy(app, &p.admin_a, deny).await;
        assert_eq!(a.status, 422, "`fail_on` belongs before the tables");
        let deny = "fail_on = \"none\"\n[licenses]\ndeny = [\"MIT\"]\n";
        assert_eq!(put_policy(app, &p.admin_a, deny).await.status, 200);
        let a = upload(app, &p.dev_a, "web", &result()).await;
        assert_eq!(a.json["policy"]["decision"], "fail");
        assert_eq!(a.json["policy"]["violations"][0]["kind"], "license");
        assert_eq!(a.json["policy"]["violations"][0]["id"], "MIT");

        // A replayed upload answers as the first time.
        let first = send(
            app,
            "POST",
            "/v1/projects/web/scans",
            Some(&p.dev_a),
            json_body(&result()),
            &[("idempotency-key", "gate-1")],
        )
        .await;
        let again = send(
            app,
            "POST",
            "/v1/projects/web/scans",
            Some(&p.dev_a),
            json_body(&result()),
            &[("idempotency-key", "gate-1")],
        )
        .await;
        assert_eq!(first.json["policy"], again.json["policy"]);

        // A result made without a vulnerability database, and a CycloneDX SBOM without a
        // `vulnerabilities` section, and no server database: nothing checked them.
        let mut unchecked = result();
        unchecked.as_object_mut().map(|o| o.remove("vuln_check"));
        let a = upload(app, &p.dev_a, "web", &unchecked).await;
        assert_eq!(
            a.json["policy"]["decision"], "error",
            "{:?}",
            a.json["policy"]
        );
        assert!(a.json["policy"]["error"]
            .as_str()
            .unwrap_or("")
            .contains("not checked"));
        let a = upload(app, &p.dev_a, "sbom", &cyclonedx(2)).await;
        assert_eq!(a.status, 201);
        assert_eq!(a.json["policy"]["decision"], "error");
        let licenses_only = "fail_open = true\n[scan]\nscanners = [\"license\"]\n";
        assert_eq!(put_policy(app, &p.admin_a, licenses_only).await.status, 200);
        let a = upload(app, &p.dev_a, "sbom", &cyclonedx(2)).await;
        assert_eq!(
            a.json["policy"]["decision"], "pass",
            "{:?}",
            a.json["policy"]
        );
        assert_eq!(a.json["policy"]["fail_open"], true);
        env.finish().await;
    }
}

#[tokio::test]
async fn an_expired_exception_is_audited_once() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let lapsed = "[[exceptions]]\nid = \"GHSA-aaaa\"\npackage = \"lodash@4.17.20\"\n\
                      reason = \"fix scheduled\"\nexpires = 2020-01-31\n";
        assert_eq!(put_policy(app, &p.admin_a, lapsed).await.status, 200);
        for _ in 0..3 {
            let a = upload(app, &p.dev_a, "web", &result()).await;
            assert_eq!(a.json["policy"]["decision"], "fail");
            assert_eq!(a.json["policy"]["expired"][0]["expires"], "2020-01-31");
        }
        assert_eq!(
            audited(&env.state.db, "policy.exception_expired").await,
            1,
            "{}",
            env.name
        );
        // Renewed, and lapsed again on another date: that one is audited once too.
        let renewed = lapsed.replace("2020-01-31", "2020-06-30");
        assert_eq!(put_policy(app, &p.admin_a, &renewed).await.status, 200);
        upload(app, &p.dev_a, "web", &result()).await;
        upload(app, &p.dev_a, "web", &result()).await;
        assert_eq!(audited(&env.state.db, "policy.exception_expired").await, 2);
        env.finish().await;
    }
}

/// A session cookie and its CSRF token for `user`, opened without the sign-in form.
async fn session_of(db: &Db, user: &str) -> (String, String) {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(user)
        .fetch_one(&db.pool)
        .await
        .expect("user");
    let signed_in = trusca_server::db::identity::SignedIn {
        user_id: id,
        username: user.to_owned(),
        super_admin: false,
    };
    let s = trusca_server::db::sessions::create(db, &signed_in, None)
        .await
        .expect("session");
    (format!("trusca_session={}", s.token), s.csrf)
}

fn form(fields: &[(&str, &str)]) -> Option<(&'static str, Vec<u8>)> {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let v: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
            format!("{k}={v}")
        })
        .collect();
    Some((
        "application/x-www-form-urlencoded",
        body.join("&").into_bytes(),
    ))
}

#[tokio::test]
async fn team_admins_edit_the_policy_on_its_page() {
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        people(db).await;
        let app = &env.app;
        let page = "/t/alpha/admin/policy";
        let (dev, _) = session_of(db, "dev-a").await;
        let a = send(app, "GET", page, None, None, &[("cookie", &dev)]).await;
        assert_eq!(a.status, 403, "{}", env.name);
        let (cookie, csrf) = session_of(db, "admin-a").await;
        let a = send(app, "GET", page, None, None, &[("cookie", &cookie)]).await;
        assert_eq!(a.status, 200);
        assert!(String::from_utf8_lossy(&a.bytes).contains("keeps no policy yet"));
        let origin = [
            ("cookie", cookie.as_str()),
            ("host", "trusca.example"),
            ("origin", "http://trusca.example"),
        ];
        // Without the session's token: refused.
        let a = send(
            app,
            "POST",
            page,
            None,
            form(&[("config", "fail_on = \"low\"\n")]),
            &origin,
        )
        .await;
        assert_eq!(a.status, 403);
        // Problems are listed with their lines, and the text is kept in the form.
        let bad = "fail_on = \"low\"\r\nshade = \"green\"\r\n";
        let a = send(
            app,
            "POST",
            page,
            None,
            form(&[("csrf", &csrf), ("config", bad)]),
            &origin,
        )
        .await;
        assert_eq!(a.status, 422, "{}", env.name);
        let html = String::from_utf8_lossy(&a.bytes);
        assert!(html.contains("line 2") && html.contains("shade"), "{html}");
        assert_eq!(audited(db, "policy.set").await, 0);
        let good = "fail_on = \"low\"\r\n\r\n[[exceptions]]\r\nid = \"MIT\"\r\npackage = \"x\"\r\nreason = \"ok <fine>\"\r\n";
        let a = send(
            app,
            "POST",
            page,
            None,
            form(&[("csrf", &csrf), ("config", good)]),
            &origin,
        )
        .await;
        assert_eq!(
            a.status,
            303,
            "{}: {}",
            env.name,
            String::from_utf8_lossy(&a.bytes)
        );
        assert_eq!(audited(db, "policy.set").await, 1);
        let a = send(
            app,
            "GET",
            "/t/alpha/admin/policy?saved=1",
            None,
            None,
            &[("cookie", &cookie)],
        )
        .await;
        let html = String::from_utf8_lossy(&a.bytes);
        assert!(
            html.contains("The policy was saved") && html.contains("Set by admin-a"),
            "{html}"
        );
        assert!(
            html.contains("reason = &#34;ok &#60;fine&#62;&#34;"),
            "escaped: {html}"
        );
        let a = send(app, "GET", "/v1/policy?team=alpha", None, None, &[]).await;
        assert_eq!(a.status, 401);
        env.finish().await;
    }
}
