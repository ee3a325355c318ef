//! Page times of the web UI: a team with `UI_PROJECTS` projects of `UI_COMPONENTS` components
//! and `UI_FINDINGS` findings each (SQLite), then the projects list, a project page and a
//! finding page are requested through the app and timed, and so is a sign-in (argon2).
//! Prints figures; asserts nothing. Run through `benches/server-ui.sh` at the repository root.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use trusca_server::config::Config;
use trusca_server::db::{identity, sessions, Db};
use trusca_server::state::AppState;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn document(components: usize, findings: usize) -> Vec<u8> {
    let packages: Vec<Value> = (0..components)
        .map(|i| {
            let tier = ["permissive", "conditional", "unknown", "forbidden"][i % 4];
            json!({
                "ecosystem": "npm", "name": format!("pkg-{i}"), "version": "1.0.0",
                "purl": format!("pkg:npm/pkg-{i}@1.0.0"), "scope": "runtime", "direct": i < 50,
                "location": { "file": "package-lock.json", "line": i + 2 },
                "license": { "concluded": "MIT", "tier": tier }
            })
        })
        .collect();
    let findings: Vec<Value> = (0..findings)
        .map(|i| {
            let severity = ["critical", "high", "medium", "low"][i % 4];
            json!({
                "id": format!("GHSA-ui-{i}"), "aliases": [format!("CVE-2024-{}", 1000 + i)],
                "purl": format!("pkg:npm/pkg-{i}@1.0.0"), "ecosystem": "npm", "package": format!("pkg-{i}"),
                "version": "1.0.0", "location": { "file": "package-lock.json", "line": i + 2 },
                "severity": severity, "score": 7.5,
                "fixed_in": "2.0.0", "summary": format!("Finding {i}")
            })
        })
        .collect();
    json!({
        "schema_version": 1, "tool": { "name": "trusca", "version": "0.1.0" },
        "target": { "name": "bench", "location": ".", "kind": "directory" },
        "generated_at": "2024-01-01T00:00:00Z", "files": [], "packages": packages,
        "findings": findings, "diagnostics": []
    })
    .to_string()
    .into_bytes()
}

async fn request(app: &axum::Router, req: Request<Body>) -> (u16, usize) {
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, body.len())
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .expect("request")
}

async fn time(app: &axum::Router, what: &str, n: usize, make: impl Fn() -> Request<Body>) {
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    let mut size = 0;
    for _ in 0..n {
        let start = Instant::now();
        let (status, len) = request(app, make()).await;
        times.push(start.elapsed());
        assert!(status < 400, "{what}: HTTP {status}");
        size = len;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<40} median {:>7.1} ms   max {:>7.1} ms   {:>6} KiB   ({n} requests)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        size / 1024
    );
}

#[tokio::main]
async fn main() {
    let projects = env("UI_PROJECTS", 100);
    let components = env("UI_COMPONENTS", 1000);
    let findings = env("UI_FINDINGS", 100);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ui.db").display());
    let db = Db::connect(&url, 8).await.expect("db");
    db.migrate().await.expect("migrate");
    identity::create_team(&db, "bench", "bench")
        .await
        .expect("team");
    identity::create_user(&db, "ana", "user", "bench")
        .await
        .expect("user");
    identity::set_member(&db, "bench", "ana", "developer", "bench", None)
        .await
        .expect("member");
    identity::set_password(&db, "ana", "bench password", "bench")
        .await
        .expect("password");
    let token = identity::create_key(&db, "ana", Some("bench"), "bench")
        .await
        .expect("key")
        .token;
    let app = trusca_server::app(AppState::new(db.clone(), Config::default()));
    let doc = document(components, findings);
    let start = Instant::now();
    for p in 0..projects {
        let req = Request::post(format!("/v1/projects/p{p}/scans"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(doc.clone()))
            .expect("request");
        let res = app.clone().oneshot(req).await.expect("response");
        let status = res.status().as_u16();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    }
    println!(
        "seeded {projects} projects of {components} components and {findings} findings in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let user = identity::check_password(&db, "ana", "bench password")
        .await
        .expect("check")
        .expect("signed in");
    let session = sessions::create(&db, &user, None).await.expect("session");
    let cookie = format!("trusca_session={}", session.token);

    time(&app, "GET /projects", 20, || get("/projects", &cookie)).await;
    time(&app, "GET /t/bench/p/p0 (findings, 200 comps)", 20, || {
        get("/t/bench/p/p0", &cookie)
    })
    .await;
    time(&app, "GET finding page", 20, || {
        get(
            "/t/bench/p/p0/findings/GHSA-ui-1?purl=pkg%3Anpm%2Fpkg-1%401.0.0",
            &cookie,
        )
    })
    .await;
    let t = Instant::now();
    let n = 5;
    for _ in 0..n {
        identity::check_password(&db, "ana", "bench password")
            .await
            .expect("check");
    }
    println!(
        "{:<40} {:>7.1} ms each (argon2, the cost of a sign-in)",
        "password check",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
