//! Several servers on one database: scheduled work runs once per schedule across them (a job
//! lease in the `jobs` table), a job whose server died is taken over once its lease runs out,
//! each webhook delivery is made once, and the limit on failed authentications is shared.

mod support;

use std::time::{Duration, SystemTime};

use serde_json::json;
use support::receiver::receiver;
use support::*;
use trusca_server::config::Config;
use trusca_server::db::jobs::{self, When};
use trusca_server::db::{rfc3339, Db};
use trusca_server::egress::Targets;
use trusca_server::scheduler::{self, Schedules};
use trusca_server::state::AppState;

const MINIMIST: &str = "npm/GHSA-xvch-5gv4-984h.json";
const ANSI_HTML: &str = "npm/GHSA-whgm-jr23-g3j9.json";

/// Schedules that make every job due at once, then not again during a test.
fn once(lease: Duration) -> Schedules {
    Schedules {
        refresh: Some(Duration::from_secs(3600)),
        sla_check: Duration::from_secs(3600),
        sweep: Duration::from_secs(3600),
        backup: None,
        lease,
        poll: Duration::from_millis(100),
    }
}

async fn wait_for<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn three_servers_run_each_scheduled_job_once() {
    let local = Config {
        webhook_targets: Targets::Any,
        ..Config::default()
    };
    let Some(env) = backends(local)
        .await
        .into_iter()
        .find(|e| e.name == "postgres")
    else {
        eprintln!("skipped: several servers share PostgreSQL only");
        return;
    };
    let db = &env.state.db;
    let p = people(db).await;
    // A project whose component the coming data finds vulnerable, and one with a finding
    // long overdue.
    let sbom = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": {"component": {"name": "app", "bom-ref": "root"}},
        "components": [{"type": "library", "name": "minimist", "version": "1.2.5",
                        "purl": "pkg:npm/minimist@1.2.5", "bom-ref": "m"}]
    });
    assert_eq!(upload(&env.app, &p.dev_a, "app", &sbom).await.status, 201);
    let old = trusca_result(
        "old",
        &[("a", "1.0.0")],
        &[("GHSA-1", &[], "a", "1.0.0", "high")],
    );
    assert_eq!(upload(&env.app, &p.dev_a, "old", &old).await.status, 201);
    sqlx::query(
        "UPDATE project_findings SET first_seen_at = '2020-01-01T00:00:00.000Z' \
         WHERE advisory_id = 'GHSA-1'",
    )
    .execute(&db.pool)
    .await
    .expect("overdue");
    let (url, inbox) = receiver("replica-secret-0123456789", 0).await;
    let hook = json!({"url": url, "events": ["finding.new", "sla.breached"],
                      "secret": "replica-secret-0123456789"});
    let a = send(
        &env.app,
        "POST",
        "/v1/teams/alpha/webhooks",
        Some(&p.admin_a),
        json_body(&hook),
        &[],
    )
    .await;
    assert_eq!(a.status, 201, "{:?}", a.json);

    let mirror = mirror(&[MINIMIST, ANSI_HTML]);
    let files = tempfile::tempdir().expect("dir");
    let mut servers = Vec::new();
    for i in 0..3 {
        let db = Db::connect(&env.state.config.database_url, 4)
            .await
            .expect("connect");
        let state = AppState::new(
            db,
            Config {
                database_url: env.state.config.database_url.clone(),
                vuln_db: files.path().join(format!("vulns-{i}.db")),
                db_mirror: Some(mirror.path().display().to_string()),
                webhook_targets: Targets::Any,
                ..Config::default()
            },
        );
        let tasks = scheduler::start(&state, once(Duration::from_secs(30)));
        servers.push((state, tasks));
    }

    let accepted = |event: &'static str| {
        let inbox = inbox.clone();
        move || {
            let inbox = inbox.clone();
            async move {
                let inbox = inbox.lock().expect("inbox");
                inbox.seen.iter().filter(|s| s.event == event).count() > 0
            }
        }
    };
    wait_for("finding.new", accepted("finding.new")).await;
    wait_for("sla.breached", accepted("sla.breached")).await;
    for (state, _) in &servers {
        let vulns = state.vulns.clone();
        wait_for("every server's vulnerability database", move || {
            let vulns = vulns.clone();
            async move { vulns.get().is_some() }
        })
        .await;
    }
    // Time for a duplicate to show, if there were one.
    tokio::time::sleep(Duration::from_secs(6)).await;

    let refreshes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vuln_db_refreshes")
        .fetch_one(&db.pool)
        .await
        .expect("refreshes");
    assert_eq!(refreshes, 1, "one refresh for the schedule");
    let breaches: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'sla.breached'")
            .fetch_one(&db.pool)
            .await
            .expect("breaches");
    assert_eq!(breaches, 1, "one breach event");
    {
        let inbox = inbox.lock().expect("inbox");
        let count = |event: &str| inbox.seen.iter().filter(|s| s.event == event).count();
        assert_eq!(count("finding.new"), 1, "{:?}", inbox.accepted);
        assert_eq!(count("sla.breached"), 1, "{:?}", inbox.accepted);
        assert!(
            inbox.accepted.values().all(|n| *n == 1),
            "{:?}",
            inbox.accepted
        );
    }
    for name in ["vuln-db-refresh", "sla-check", "sweep"] {
        let job = jobs::state(db, name)
            .await
            .expect("job")
            .expect("scheduled");
        assert!(job.last_finished_at.is_some(), "{name}: {job:?}");
        assert_eq!(job.holder, None, "{name}");
        assert_eq!(job.last_error, None, "{name}");
    }
    for (state, tasks) in servers {
        for t in tasks {
            t.abort();
        }
        state.db.pool.close().await;
    }
    env.finish().await;
}

#[tokio::test]
async fn a_job_whose_server_died_is_taken_over_when_its_lease_runs_out() {
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        let now = SystemTime::now();
        let soon = now + Duration::from_secs(2);
        // A server took the sweep and died holding it.
        assert!(jobs::take(db, "sweep", "dead", now, soon, now, When::Due)
            .await
            .expect("take"));
        assert!(!jobs::take(db, "sweep", "alive", now, soon, now, When::Due)
            .await
            .expect("take"));
        assert!(!jobs::take(db, "sweep", "alive", now, soon, now, When::Now)
            .await
            .expect("take"));
        let tasks = scheduler::start(&env.state, once(Duration::from_secs(30)));
        let started = rfc3339(SystemTime::now());
        wait_for("the sweep taken over", || async {
            jobs::state(db, "sweep")
                .await
                .ok()
                .flatten()
                .is_some_and(|j| j.last_finished_at.is_some() && j.holder.is_none())
        })
        .await;
        let job = jobs::state(db, "sweep").await.expect("job").expect("row");
        assert!(
            job.last_started_at
                .as_deref()
                .is_some_and(|s| s >= started.as_str()),
            "{}: {job:?}",
            env.name
        );
        assert!(job.due_at.as_str() > started.as_str(), "{job:?}");
        for t in tasks {
            t.abort();
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn failed_authentications_count_at_every_server() {
    let config = Config {
        auth_failures_per_minute: 3,
        ..Config::default()
    };
    for env in backends(config.clone()).await {
        let p = people(&env.state.db).await;
        // A second server on the same database, with its own memory.
        let other = trusca_server::app(AppState::new(
            env.state.db.clone(),
            Config {
                database_url: env.state.config.database_url.clone(),
                ..config.clone()
            },
        ));
        for app in [&env.app, &other, &env.app] {
            let a = send(
                app,
                "GET",
                "/v1/projects",
                Some("trs_000000000000_bad"),
                None,
                &[],
            )
            .await;
            assert_eq!(a.status, 401, "{}", env.name);
        }
        for app in [&other, &env.app] {
            let a = send(app, "GET", "/v1/projects", Some(&p.dev_a), None, &[]).await;
            assert_eq!(a.status, 429, "{}", env.name);
        }
        env.finish().await;
    }
}
