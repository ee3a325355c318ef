//! Load generator for the server: N concurrent clients upload scans of 1,000 components each,
//! then the portfolio queries are timed with the resulting projects stored. Prints figures;
//! asserts nothing. Run through `benches/server-load.sh` at the repository root.
//!
//! Environment: `LOAD_DATABASE_URL` (default: a fresh SQLite file), `LOAD_CLIENTS` (8),
//! `LOAD_UPLOADS` (2000), `LOAD_PROJECTS` (1000), `LOAD_COMPONENTS` (1000).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use trusca_server::config::Config;
use trusca_server::db::{identity, Db};
use trusca_server::state::AppState;

mod common;
use common::{document, BenchDb};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let clients = env("LOAD_CLIENTS", 8);
    let uploads = env("LOAD_UPLOADS", 2000);
    let projects = env("LOAD_PROJECTS", 1000);
    let components = env("LOAD_COMPONENTS", 1000);
    let bench_db = BenchDb::new("LOAD_DATABASE_URL").await;
    let (url, backend) = (bench_db.url.clone(), bench_db.backend);
    let db = Db::connect(&url, 16).await.expect("db");
    db.migrate().await.expect("migrate");
    let team = format!("load-{}", uuid::Uuid::new_v4().simple());
    identity::create_team(&db, &team, "bench")
        .await
        .expect("team");
    identity::create_user(&db, &team, "user", "bench")
        .await
        .expect("user");
    identity::set_member(&db, &team, &team, "developer", "bench", None)
        .await
        .expect("member");
    let token = identity::create_key(&db, &team, Some(&team), "bench")
        .await
        .expect("key")
        .token;
    let app = trusca_server::app(AppState::new(db, Config::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    // Documents are made before timing starts: the server's work is measured, not ours.
    let docs: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..uploads.min(64))
            .map(|i| document(i % projects, i, components))
            .collect(),
    );
    println!(
        "backend {backend}: {uploads} uploads of {components} components ({} KiB each), \
         {clients} clients, {projects} projects",
        docs.first().map_or(0, Vec::len) / 1024
    );
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, next, docs, base, token) = (
            client.clone(),
            next.clone(),
            docs.clone(),
            base.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= uploads {
                    break;
                }
                let body = docs[i % docs.len()].clone();
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/v1/projects/p{}/scans", i % projects))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .header("idempotency-key", format!("load-{i}"))
                    .body(body)
                    .send()
                    .await;
                let ok = match res {
                    Ok(r) => {
                        let ok = r.status().as_u16() == 201;
                        let _ = r.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("client");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed();
    latencies.sort();
    println!(
        "uploads: {:.1}/s over {:.1} s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {errors}",
        uploads as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );

    // A project that exists whatever the sizes chosen.
    let p = format!("p{}", 7.min(uploads.min(projects).saturating_sub(1)));
    let queries = [
        ("projects list", "/v1/projects".to_owned()),
        ("project detail", format!("/v1/projects/{p}")),
        (
            "findings of a project",
            format!("/v1/projects/{p}/findings"),
        ),
        ("who uses (name)", "/v1/components?name=pkg-17".to_owned()),
        (
            "who uses (purl)",
            "/v1/components?purl=pkg:npm/pkg-17".to_owned(),
        ),
        (
            "affected by advisory (alias)",
            "/v1/advisories/CVE-2024-1001/projects".to_owned(),
        ),
        (
            "components of a scan (page)",
            format!("/v1/projects/{p}/scans"),
        ),
    ];
    for (name, path) in queries {
        let mut times = Vec::new();
        let mut size = 0;
        let mut path = path;
        if name.starts_with("components of a scan") {
            let text = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("scans")
                .text()
                .await
                .unwrap_or_default();
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let id = v
                .pointer("/scans/0/id")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            path = format!("/v1/projects/{p}/scans/{id}/components?limit=1000");
        }
        for _ in 0..20 {
            let t = Instant::now();
            let res = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("query");
            let status = res.status();
            let body = res.bytes().await.unwrap_or_default();
            times.push(t.elapsed());
            assert!(status.is_success(), "{path}: {status}");
            size = body.len();
        }
        times.sort();
        println!(
            "query {name:<30} p50 {:>7.1} ms  max {:>7.1} ms  ({} KiB)",
            percentile(&times, 0.5),
            percentile(&times, 1.0),
            size / 1024
        );
    }
    bench_db.finish().await;
}
