//! `trusca upload` and `trusca scan --upload` against a server started on 127.0.0.1 that fails
//! the first attempt with 503: the retry reuses the `Idempotency-Key` and the scan is stored once.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trusca_server::config::Config;
use trusca_server::db::{identity, Db};
use trusca_server::state::AppState;

use crate::support::{fixture, fixture_copy, trusca};

/// A server on 127.0.0.1 with one team, one developer key, and a layer that answers the first
/// upload attempt with 503 (after recording its `Idempotency-Key`).
struct Server {
    addr: SocketAddr,
    token: String,
    keys: Arc<Mutex<Vec<String>>>,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn start() -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("server.db").display());
    let keys: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = keys.clone();
    let (addr, token) = runtime.block_on(async move {
        let db = Db::connect(&url, 4).await.expect("db");
        db.migrate().await.expect("migrate");
        identity::create_team(&db, "alpha", "test")
            .await
            .expect("team");
        identity::create_user(&db, "dev", "user", "test")
            .await
            .expect("user");
        identity::set_member(&db, "alpha", "dev", "developer", "test", None)
            .await
            .expect("member");
        let token = identity::create_key(&db, "dev", None, "test")
            .await
            .expect("key")
            .token;
        let app = trusca_server::app(AppState::new(db, Config::default())).layer(
            axum::middleware::from_fn(move |req: Request, next: Next| {
                let seen = seen.clone();
                async move { fail_first_upload(&seen, req, next).await }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (addr, token)
    });
    Server {
        addr,
        token,
        keys,
        _runtime: runtime,
        _dir: dir,
    }
}

async fn fail_first_upload(seen: &Mutex<Vec<String>>, req: Request, next: Next) -> Response {
    if req.method() == "POST" {
        let key = req
            .headers()
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let first = {
            let mut seen = seen.lock().expect("lock");
            seen.push(key);
            seen.len() == 1
        };
        if first {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    next.run(req).await
}

fn scans(server: &Server, project: &str) -> usize {
    let text = ureq::get(format!(
        "http://{}/v1/projects/{project}/scans",
        server.addr
    ))
    .header("authorization", &format!("Bearer {}", server.token))
    .call()
    .expect("list scans")
    .body_mut()
    .read_to_string()
    .expect("body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("json");
    body["scans"].as_array().map_or(0, Vec::len)
}

fn assert_one_key_two_attempts(server: &Server) {
    let keys = server.keys.lock().expect("lock").clone();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(!keys[0].is_empty());
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn upload_retries_with_the_same_idempotency_key() {
    let server = start();
    let dir = tempfile::tempdir().expect("temp dir");
    let result = dir.path().join("result.json");
    let out = trusca()
        .args(["scan", "--format", "json", "--no-progress", "-o"])
        .arg(&result)
        .arg(fixture("scan/mixed"))
        .output()
        .expect("scan");
    assert!(out.status.success() || out.status.code() == Some(1));
    let out = trusca()
        .arg("upload")
        .arg(&result)
        .args([
            "--server",
            &format!("http://{}", server.addr),
            "--project",
            "web",
        ])
        .env("TRUSCA_TOKEN", &server.token)
        .output()
        .expect("upload");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("retrying"), "{stderr}");
    assert!(stderr.contains("uploaded to project `web`"), "{stderr}");
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json answer");
    assert_eq!(answer["project"], "web");
    assert_one_key_two_attempts(&server);
    assert_eq!(scans(&server, "web"), 1);
}

#[test]
fn scan_upload_names_the_project_after_the_target() {
    let server = start();
    let out = trusca()
        .args(["scan", "--format", "json", "--no-progress", "--upload"])
        .arg(fixture("scan/mixed"))
        .env("TRUSCA_SERVER", format!("http://{}", server.addr))
        .env("TRUSCA_TOKEN", &server.token)
        .output()
        .expect("scan");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("uploaded to project `mixed`"), "{stderr}");
    assert_one_key_two_attempts(&server);
    assert_eq!(scans(&server, "mixed"), 1);
}

#[test]
fn the_server_url_can_come_from_trusca_toml() {
    let server = start();
    let (_keep, dir) = fixture_copy("scan/mixed");
    std::fs::write(
        dir.join("trusca.toml"),
        format!("[server]\nurl = \"http://{}\"\n", server.addr),
    )
    .expect("write trusca.toml");
    let out = trusca()
        .args(["scan", "--format", "json", "--no-progress", "--upload"])
        .arg(&dir)
        .env_remove("TRUSCA_SERVER")
        .env("TRUSCA_TOKEN", &server.token)
        .output()
        .expect("scan");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(scans(&server, "mixed"), 1);
    // `trusca upload` reads the trusca.toml of the working directory.
    std::fs::write(dir.join("r.json"), &out.stdout).expect("write result");
    let out = trusca()
        .args(["upload", "r.json", "--project", "again"])
        .current_dir(&dir)
        .env_remove("TRUSCA_SERVER")
        .env("TRUSCA_TOKEN", &server.token)
        .output()
        .expect("upload");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(scans(&server, "again"), 1);
}

#[test]
fn upload_without_a_key_or_server_is_an_error() {
    let out = trusca()
        .args(["upload", "nope.json", "--server", "http://127.0.0.1:9"])
        .env_remove("TRUSCA_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("r.json");
    std::fs::write(&file, "{}").expect("write");
    let out = trusca()
        .arg("upload")
        .arg(&file)
        .current_dir(dir.path())
        .env_remove("TRUSCA_SERVER")
        .env("TRUSCA_TOKEN", "trs_a_b")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no server"));
}
