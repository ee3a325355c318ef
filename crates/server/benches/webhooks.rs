//! Webhook and SLA figures: deliveries per second to a receiver on 127.0.0.1, and the overdue
//! listing and breach check over many open findings. Prints figures; asserts nothing. Run
//! through `benches/server-webhooks.sh` at the repository root.
//!
//! Environment: `BENCH_DATABASE_URL` (default: a fresh SQLite file), `BENCH_DELIVERIES` (2000),
//! `BENCH_PROJECTS` (1000), `BENCH_FINDINGS` (10 open overdue findings per project).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::http::StatusCode;
use axum::routing::post;
use serde_json::json;
use trusca_server::db::{events, identity, sla, webhooks, Db};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn receiver(count: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new().route(
        "/hook",
        post(move || {
            let count = count.clone();
            async move {
                count.fetch_add(1, Ordering::Relaxed);
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/hook")
}

mod common;
use common::BenchDb;

#[tokio::main]
async fn main() {
    let deliveries = env("BENCH_DELIVERIES", 2000);
    let projects = env("BENCH_PROJECTS", 1000);
    let per_project = env("BENCH_FINDINGS", 10);
    let bench_db = BenchDb::new("BENCH_DATABASE_URL").await;
    let (url, backend) = (bench_db.url.clone(), bench_db.backend);
    let db = Db::connect(&url, 16).await.expect("db");
    db.migrate().await.expect("migrate");
    let team = identity::create_team(&db, "bench", "bench")
        .await
        .expect("team");
    let count = Arc::new(AtomicUsize::new(0));
    let url = receiver(count.clone()).await;
    let all = events::EVENTS.map(str::to_owned);
    webhooks::create(
        &db,
        webhooks::NewWebhook {
            team_id: team,
            url: &url,
            events: &all,
            secret: "bench-secret-0123456789",
            actor: "bench",
            request_id: None,
        },
    )
    .await
    .expect("webhook");

    // Deliveries.
    {
        let mut tx = db.pool.begin().await.expect("tx");
        for i in 0..deliveries {
            events::enqueue(
                &mut tx,
                team,
                events::SCAN_COMPLETED,
                &format!("scan.completed:{i}"),
                json!({ "project": format!("p{i}"), "scan_id": i }),
            )
            .await
            .expect("enqueue");
        }
        tx.commit().await.expect("commit");
    }
    let client =
        trusca_server::webhooks::client(trusca_server::egress::Targets::Any).expect("client");
    let start = Instant::now();
    let round = trusca_server::webhooks::deliver_due(&db, &client, SystemTime::now())
        .await
        .expect("deliver");
    let elapsed = start.elapsed();
    println!(
        "backend {backend}: {} deliveries in {:.2} s = {:.0}/s (receiver got {}, retried {}, failed {})",
        round.delivered,
        elapsed.as_secs_f64(),
        round.delivered as f64 / elapsed.as_secs_f64(),
        count.load(Ordering::Relaxed),
        round.retried,
        round.failed,
    );

    // Overdue findings: `per_project` critical findings first seen 30 days ago in each project.
    let seen =
        humantime::format_rfc3339_millis(SystemTime::now() - Duration::from_secs(30 * 86_400))
            .to_string();
    {
        let mut tx = db.pool.begin().await.expect("tx");
        for p in 0..projects {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO projects (team_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(team)
            .bind(format!("p{p}"))
            .bind(&seen)
            .fetch_one(&mut *tx)
            .await
            .expect("project");
            for f in 0..per_project {
                sqlx::query(
                    "INSERT INTO project_findings (project_id, purl, advisory_id, severity, \
                     first_seen_at, last_seen_at) VALUES ($1, $2, $3, 'critical', $4, $4)",
                )
                .bind(id)
                .bind(format!("pkg:npm/c{f}@1.0.0"))
                .bind(format!("GHSA-bench-{f}"))
                .bind(&seen)
                .execute(&mut *tx)
                .await
                .expect("finding");
            }
        }
        tx.commit().await.expect("commit");
    }
    let policy = sla::policy(&db, team).await.expect("policy");
    let start = Instant::now();
    let listed = sla::overdue(&db, team, &policy, SystemTime::now(), false)
        .await
        .expect("overdue");
    println!(
        "overdue listing: {} findings of {projects} projects in {:.1} ms",
        listed.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let start = Instant::now();
    let raised = sla::check_breaches(&db, SystemTime::now())
        .await
        .expect("check");
    println!(
        "breach check: {raised} breaches raised and queued in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let again = sla::check_breaches(&db, SystemTime::now())
        .await
        .expect("check");
    println!(
        "breach check again: {again} raised in {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    db.pool.close().await;
    bench_db.finish().await;
}
