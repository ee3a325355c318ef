//! Webhooks end to end: the admin API, and deliveries to a receiving server on 127.0.0.1 that
//! checks the HMAC signature itself, answers as told, and counts events per delivery id.

mod support;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use support::receiver::receiver;
use support::*;
use trusca_server::config::Config;
use trusca_server::db::{events, identity, Db};
use trusca_server::egress::Targets;
use trusca_server::webhooks::{self, deliver_due, Round, MAX_ATTEMPTS};

/// Creates a webhook through the API as the team admin of alpha.
async fn create_hook(env: &Env, admin: &str, url: &str, secret: Option<&str>) -> Value {
    let mut body = json!({ "url": url, "events": ["finding.new", "scan.completed"] });
    if let Some(s) = secret {
        body["secret"] = json!(s);
    }
    let a = send(
        &env.app,
        "POST",
        "/v1/teams/alpha/webhooks",
        Some(admin),
        json_body(&body),
        &[],
    )
    .await;
    assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
    a.json
}

async fn alpha(db: &Db) -> i64 {
    identity::team_id(db, "alpha")
        .await
        .expect("query")
        .expect("team")
}

async fn enqueue(db: &Db, team: i64, event: &str, key: &str) -> u64 {
    let mut conn = db.pool.acquire().await.expect("connection");
    events::enqueue(&mut conn, team, event, key, json!({ "project": "web" }))
        .await
        .expect("enqueue")
}

async fn deliveries(env: &Env, admin: &str, hook: i64) -> Value {
    let a = send(
        &env.app,
        "GET",
        &format!("/v1/teams/alpha/webhooks/{hook}/deliveries"),
        Some(admin),
        None,
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{:?}", a.json);
    a.json
}

const SECRET: &str = "correct-horse-battery-staple";

/// The receivers of these tests listen on 127.0.0.1, an internal address.
fn local() -> Config {
    Config {
        webhook_targets: Targets::Any,
        ..Config::default()
    }
}

#[tokio::test]
async fn internal_targets_are_refused_unless_allowed() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let (url, inbox) = receiver(SECRET, 0).await;
        let body = json!({ "url": url, "events": ["finding.new"] });
        let a = send(
            &env.app,
            "POST",
            "/v1/teams/alpha/webhooks",
            Some(&p.admin_a),
            json_body(&body),
            &[],
        )
        .await;
        assert_eq!(a.status, 422, "{}: {:?}", env.name, a.json);
        let detail = a.json["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("internal address"), "{detail}");
        assert_eq!(count(&env.state.db, "webhooks").await, 0);

        // One stored while internal targets were allowed is not delivered once they are not.
        let db = &env.state.db;
        let team = alpha(db).await;
        let allowed = trusca_server::app(trusca_server::state::AppState::new(db.clone(), local()));
        let a = send(
            &allowed,
            "POST",
            "/v1/teams/alpha/webhooks",
            Some(&p.admin_a),
            json_body(&body),
            &[],
        )
        .await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        assert_eq!(
            enqueue(db, team, events::FINDING_NEW, "finding.new:x").await,
            1
        );
        let client = webhooks::client(Targets::Public).expect("client");
        let round = deliver_due(db, &client, SystemTime::now())
            .await
            .expect("deliver");
        assert_eq!(round.retried, 1, "{}", env.name);
        let (error,): (Option<String>,) =
            sqlx::query_as("SELECT last_error FROM webhook_deliveries")
                .fetch_one(&db.pool)
                .await
                .expect("delivery");
        let error = error.unwrap_or_default();
        assert!(error.contains("internal address"), "{}: {error}", env.name);
        assert!(
            inbox.lock().map(|i| i.seen.is_empty()).unwrap_or(false),
            "{}",
            env.name
        );
        env.finish().await;
    }
}

#[tokio::test]
async fn a_failed_delivery_is_retried_and_counted_once() {
    for env in backends(local()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let (url, inbox) = receiver(SECRET, 1).await;
        let hook = create_hook(&env, &p.admin_a, &url, Some(SECRET)).await;
        assert!(hook.get("secret").is_none(), "a given secret is not echoed");
        let hook_id = hook["id"].as_i64().expect("id");
        let team = alpha(db).await;
        let key = "finding.new:1:pkg:npm/a@1:GHSA-x:2026-01-01T00:00:00.000Z";
        // The same occurrence raised twice is one delivery; an unsubscribed event is none.
        assert_eq!(enqueue(db, team, events::FINDING_NEW, key).await, 1);
        assert_eq!(enqueue(db, team, events::FINDING_NEW, key).await, 0);
        assert_eq!(
            enqueue(db, team, events::SLA_BREACHED, "sla.breached:x").await,
            0
        );

        let client = webhooks::client(Targets::Any).expect("client");
        let t0 = SystemTime::now();
        let round = deliver_due(db, &client, t0).await.expect("deliver");
        assert_eq!(
            round,
            Round {
                retried: 1,
                ..Round::default()
            },
            "{}",
            env.name
        );
        let list = deliveries(&env, &p.admin_a, hook_id).await;
        let d = &list["deliveries"][0];
        assert_eq!(list["total"], 1);
        assert_eq!(
            (d["status"].as_str(), d["attempts"].as_i64()),
            (Some("pending"), Some(1))
        );
        assert_eq!(d["response_status"], 500);
        assert_eq!(d["delivery"], key);
        assert!(
            d["next_attempt_at"].as_str()
                > Some(humantime::format_rfc3339_millis(t0).to_string().as_str())
        );

        // Not due again yet; due within the first backoff (30 s ± 20 %).
        assert_eq!(
            deliver_due(db, &client, t0).await.expect("deliver").total(),
            0
        );
        let round = deliver_due(db, &client, t0 + Duration::from_secs(37))
            .await
            .expect("deliver");
        assert_eq!(round.delivered, 1, "{}", env.name);
        assert_eq!(
            deliver_due(db, &client, t0 + Duration::from_secs(3600))
                .await
                .expect("deliver")
                .total(),
            0
        );

        let list = deliveries(&env, &p.admin_a, hook_id).await;
        let d = &list["deliveries"][0];
        assert_eq!(
            (
                d["status"].as_str(),
                d["attempts"].as_i64(),
                d["response_status"].as_i64()
            ),
            (Some("delivered"), Some(2), Some(200)),
            "{}",
            env.name
        );
        assert!(d["next_attempt_at"].is_null());
        let payload: String = sqlx::query_scalar("SELECT payload FROM webhook_deliveries")
            .fetch_one(&db.pool)
            .await
            .expect("payload");
        {
            let inbox = inbox.lock().expect("inbox");
            assert_eq!(inbox.seen.len(), 2);
            for seen in &inbox.seen {
                assert!(seen.signature_ok);
                assert_eq!(seen.delivery, key, "the key is stable across retries");
                assert_eq!(seen.event, "finding.new");
                assert!(seen.user_agent.starts_with("trusca-server/"));
                assert_eq!(
                    seen.body,
                    payload.as_bytes(),
                    "the body is sent byte for byte"
                );
            }
            assert_eq!(inbox.accepted, HashMap::from([(key.to_owned(), 1)]));
            let body: Value = serde_json::from_slice(&inbox.seen[0].body).expect("json");
            assert_eq!(body["event"], "finding.new");
            assert_eq!(body["id"], key);
            assert_eq!(body["data"]["project"], "web");
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn a_wrong_secret_fails_the_receivers_check() {
    for env in backends(local()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let (url, inbox) = receiver("not-the-secret-of-this-hook", 0).await;
        let hook = create_hook(&env, &p.admin_a, &url, None).await;
        let secret = hook["secret"]
            .as_str()
            .expect("generated secret")
            .to_owned();
        assert_eq!(secret.len(), 64);
        assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
        // Secrets are never shown again.
        let a = send(
            &env.app,
            "GET",
            "/v1/teams/alpha/webhooks",
            Some(&p.admin_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["webhooks"][0]["url"], url.as_str());
        assert!(!a
            .bytes
            .windows(secret.len())
            .any(|w| w == secret.as_bytes()));
        assert!(a.json["webhooks"][0].get("secret").is_none());

        enqueue(
            db,
            alpha(db).await,
            events::SCAN_COMPLETED,
            "scan.completed:1",
        )
        .await;
        let client = webhooks::client(Targets::Any).expect("client");
        let t0 = SystemTime::now();
        let round = deliver_due(db, &client, t0).await.expect("deliver");
        assert_eq!(round.retried, 1);
        {
            let mut inbox = inbox.lock().expect("inbox");
            assert_eq!(inbox.seen.len(), 1);
            assert!(
                !inbox.seen[0].signature_ok,
                "{}: a wrong secret must not verify",
                env.name
            );
            assert!(inbox.accepted.is_empty());
            // The receiver learns the right secret: the retry verifies.
            inbox.secret = secret;
        }
        let list = deliveries(&env, &p.admin_a, hook["id"].as_i64().expect("id")).await;
        assert_eq!(list["deliveries"][0]["response_status"], 401);
        assert!(list["deliveries"][0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("401")));
        let round = deliver_due(db, &client, t0 + Duration::from_secs(3600))
            .await
            .expect("deliver");
        assert_eq!(round.delivered, 1, "{}", env.name);
        assert!(inbox.lock().expect("inbox").seen[1].signature_ok);
        env.finish().await;
    }
}

#[tokio::test]
async fn a_delivery_fails_for_good_after_the_last_attempt() {
    for env in backends(local()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let (url, inbox) = receiver(SECRET, usize::MAX).await;
        let hook = create_hook(&env, &p.admin_a, &url, Some(SECRET)).await;
        enqueue(db, alpha(db).await, events::FINDING_NEW, "finding.new:k").await;
        let client = webhooks::client(Targets::Any).expect("client");
        let mut now = SystemTime::now();
        for attempt in 1..=MAX_ATTEMPTS {
            let round = deliver_due(db, &client, now).await.expect("deliver");
            let expected = if attempt == MAX_ATTEMPTS {
                Round {
                    failed: 1,
                    ..Round::default()
                }
            } else {
                Round {
                    retried: 1,
                    ..Round::default()
                }
            };
            assert_eq!(round, expected, "{}: attempt {attempt}", env.name);
            // Past the longest backoff (6 h + 20 %).
            now += Duration::from_secs(8 * 3600);
        }
        assert_eq!(
            deliver_due(db, &client, now)
                .await
                .expect("deliver")
                .total(),
            0
        );
        let list = deliveries(&env, &p.admin_a, hook["id"].as_i64().expect("id")).await;
        let d = &list["deliveries"][0];
        assert_eq!(
            (d["status"].as_str(), d["attempts"].as_i64()),
            (Some("failed"), Some(MAX_ATTEMPTS))
        );
        {
            let inbox = inbox.lock().expect("inbox");
            assert_eq!(
                inbox.seen.len(),
                usize::try_from(MAX_ATTEMPTS).expect("small")
            );
            assert!(inbox.accepted.is_empty());
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn concurrent_workers_send_each_delivery_once() {
    for env in backends(local()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let (url, inbox) = receiver(SECRET, 0).await;
        create_hook(&env, &p.admin_a, &url, Some(SECRET)).await;
        let team = alpha(db).await;
        for i in 0..40 {
            enqueue(
                db,
                team,
                events::SCAN_COMPLETED,
                &format!("scan.completed:{i}"),
            )
            .await;
        }
        let client = webhooks::client(Targets::Any).expect("client");
        let now = SystemTime::now();
        // Two instances on one database (two pools, as two processes would have).
        let other = Db::connect(&env.state.config.database_url, 5)
            .await
            .expect("second pool");
        let (a, b) = tokio::join!(
            deliver_due(db, &client, now),
            deliver_due(&other, &client, now)
        );
        let (a, b) = (a.expect("worker a"), b.expect("worker b"));
        assert_eq!(a.delivered + b.delivered, 40, "{}: {a:?} {b:?}", env.name);
        {
            let inbox = inbox.lock().expect("inbox");
            assert_eq!(
                inbox.seen.len(),
                40,
                "{}: a delivery was sent twice",
                env.name
            );
            assert_eq!(inbox.accepted.len(), 40);
            assert!(inbox.accepted.values().all(|n| *n == 1));
        }
        other.pool.close().await;
        env.finish().await;
    }
}

#[tokio::test]
async fn admin_api_validates_deletes_pings_and_audits() {
    for env in backends(local()).await {
        let p = people(&env.state.db).await;
        let db = &env.state.db;
        let app = &env.app;
        let post = |body: Value| {
            let admin = p.admin_a.clone();
            async move {
                send(
                    app,
                    "POST",
                    "/v1/teams/alpha/webhooks",
                    Some(&admin),
                    json_body(&body),
                    &[],
                )
                .await
            }
        };
        for (body, needle) in [
            (
                json!({"url": "ftp://hooks.example/", "events": ["finding.new"]}),
                "http",
            ),
            (
                json!({"url": "not a url", "events": ["finding.new"]}),
                "URL",
            ),
            (
                json!({"url": "https://hooks.example/", "events": ["finding.old"]}),
                "unknown event",
            ),
            (
                json!({"url": "https://hooks.example/", "events": []}),
                "at least one",
            ),
            (
                json!({"url": "https://hooks.example/", "events": ["finding.new"], "secret": "short"}),
                "secret",
            ),
            (
                json!({"url": "https://hooks.example/", "events": ["finding.new"], "x": 1}),
                "unknown field",
            ),
        ] {
            let a = post(body.clone()).await;
            assert_eq!(a.status, 422, "{body}: {:?}", a.json);
            assert_eq!(a.json["type"], "urn:trusca:problem:invalid-document");
            assert!(
                a.json["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains(needle)),
                "{:?}",
                a.json
            );
        }

        let (url, inbox) = receiver(SECRET, 0).await;
        let hook = create_hook(&env, &p.admin_a, &url, Some(SECRET)).await;
        let id = hook["id"].as_i64().expect("id");
        assert_eq!(hook["events"], json!(["scan.completed", "finding.new"]));
        let a = send(
            app,
            "POST",
            &format!("/v1/teams/alpha/webhooks/{id}/test"),
            Some(&p.admin_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 202, "{:?}", a.json);
        let client = webhooks::client(Targets::Any).expect("client");
        assert_eq!(
            deliver_due(db, &client, SystemTime::now())
                .await
                .expect("deliver")
                .delivered,
            1
        );
        assert_eq!(inbox.lock().expect("inbox").seen[0].event, "ping");

        // A pending delivery of a deleted webhook is given up; nothing new is queued for it.
        let team = alpha(db).await;
        assert_eq!(
            enqueue(db, team, events::FINDING_NEW, "finding.new:before").await,
            1
        );
        let a = send(
            app,
            "DELETE",
            &format!("/v1/teams/alpha/webhooks/{id}"),
            Some(&p.admin_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 204);
        let a = send(
            app,
            "DELETE",
            &format!("/v1/teams/alpha/webhooks/{id}"),
            Some(&p.admin_a),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 404);
        assert_eq!(
            enqueue(db, team, events::FINDING_NEW, "finding.new:after").await,
            0
        );
        let list = deliveries(&env, &p.admin_a, id).await;
        assert_eq!(list["deliveries"][0]["status"], "failed");
        assert_eq!(list["deliveries"][0]["last_error"], "webhook deleted");
        let a = send(
            app,
            "GET",
            "/v1/teams/alpha/webhooks",
            Some(&p.admin_a),
            None,
            &[],
        )
        .await;
        assert!(a.json["webhooks"][0]["disabled_at"].is_string());
        // Another team's webhook ids are not found through this team.
        let a = send(
            app,
            "GET",
            &format!("/v1/teams/beta/webhooks/{id}/deliveries"),
            Some(&p.super_admin),
            None,
            &[],
        )
        .await;
        assert_eq!(a.status, 404);

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'webhook.%' ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("audit");
        assert_eq!(
            actions,
            ["webhook.create", "webhook.test", "webhook.delete"]
        );
        let detail: String =
            sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'webhook.create'")
                .fetch_one(&db.pool)
                .await
                .expect("audit");
        assert!(!detail.contains(SECRET));

        env.state.metrics.webhook_round(1, 2, 0);
        let a = send(app, "GET", "/metrics", None, None, &[]).await;
        let text = String::from_utf8_lossy(&a.bytes);
        assert!(
            text.contains("trusca_webhook_deliveries_total{outcome=\"retry\"} 2"),
            "{text}"
        );
        env.finish().await;
    }
}
