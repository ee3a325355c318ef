//! Test environments: a fresh SQLite file always, and a fresh PostgreSQL schema when
//! `TRUSCA_TEST_DATABASE_URL` is set; identities for the authorisation tests; request helpers.

#![allow(dead_code)]

pub mod receiver;

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use trusca_server::config::Config;
use trusca_server::db::{identity, Backend, Db};
use trusca_server::state::AppState;

/// One backend under test.
pub struct Env {
    pub name: &'static str,
    pub state: AppState,
    pub app: Router,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Env {
    /// Drops the PostgreSQL schema made for this test.
    pub async fn finish(self) {
        if let Some((url, schema)) = self.pg {
            self.state.db.pool.close().await;
            if let Ok(db) = Db::connect(&url, 1).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&db.pool)
                    .await;
            }
        }
    }
}

/// Every backend to run against, each freshly migrated.
pub async fn backends(config: Config) -> Vec<Env> {
    backends_with(config, None).await
}

async fn backends_with(config: Config, version: Option<i64>) -> Vec<Env> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    out.push(make("sqlite", &url, None, config.clone(), dir, version).await);
    if let Ok(base) = std::env::var("TRUSCA_TEST_DATABASE_URL") {
        let schema = format!("trusca_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(&base, 1).await.expect("postgres");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin.pool)
            .await
            .expect("create schema");
        admin.pool.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let dir = tempfile::tempdir().expect("temp dir");
        out.push(make("postgres", &url, Some((base, schema)), config, dir, version).await);
    } else {
        eprintln!("skipped: PostgreSQL (set TRUSCA_TEST_DATABASE_URL to run against it)");
    }
    out
}

/// Like [`backends`], with the schema only as far as migration `version`, as an older trusca
/// left it: for testing the migrations after it (the app itself needs the latest schema).
pub async fn backends_at_version(version: i64) -> Vec<Env> {
    backends_with(Config::default(), Some(version)).await
}

/// Applies the migrations of the backend's flavour up to `version` (from the files, as an
/// older trusca shipped them).
pub async fn migrate_to(db: &Db, version: i64) {
    let flavour = match db.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(flavour);
    let dir = tempfile::tempdir().expect("dir");
    for entry in std::fs::read_dir(&src).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let number: i64 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(i64::MAX);
        if number <= version {
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
        }
    }
    sqlx::migrate::Migrator::new(dir.path())
        .await
        .expect("migrator")
        .run(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("migrate to {version}: {e}"));
}

async fn make(
    name: &'static str,
    url: &str,
    pg: Option<(String, String)>,
    config: Config,
    dir: tempfile::TempDir,
    version: Option<i64>,
) -> Env {
    let db = Db::connect(url, 5).await.expect("connect");
    match version {
        None => db.migrate().await.expect("migrate"),
        Some(v) => migrate_to(&db, v).await,
    }
    let state = AppState::new(
        db,
        Config {
            database_url: url.to_owned(),
            ..config
        },
    );
    let app = trusca_server::app(state.clone());
    Env {
        name,
        state,
        app,
        pg,
        _dir: dir,
    }
}

/// The people of the authorisation matrix.
pub struct People {
    pub dev_a: String,
    pub admin_a: String,
    pub dev_b: String,
    pub super_admin: String,
}

/// Teams `alpha` and `beta`; `dev-a` and `admin-a` in alpha, `dev-b` in beta, `root` a super
/// admin in no team.
pub async fn people(db: &Db) -> People {
    identity::create_team(db, "alpha", "test")
        .await
        .expect("team");
    identity::create_team(db, "beta", "test")
        .await
        .expect("team");
    for (user, role) in [
        ("dev-a", "user"),
        ("admin-a", "user"),
        ("dev-b", "user"),
        ("root", "super_admin"),
    ] {
        identity::create_user(db, user, role, "test")
            .await
            .expect("user");
    }
    identity::set_member(db, "alpha", "dev-a", "developer", "test", None)
        .await
        .expect("member");
    identity::set_member(db, "alpha", "admin-a", "team_admin", "test", None)
        .await
        .expect("member");
    identity::set_member(db, "beta", "dev-b", "developer", "test", None)
        .await
        .expect("member");
    let key = |u: &'static str| async move {
        identity::create_key(db, u, None, "test")
            .await
            .expect("key")
            .token
    };
    People {
        dev_a: key("dev-a").await,
        admin_a: key("admin-a").await,
        dev_b: key("dev-b").await,
        super_admin: key("root").await,
    }
}

/// A response, its body parsed as JSON where it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub bytes: Vec<u8>,
}

/// Sends one request.
pub async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some((ct, bytes)) => req
            .header("content-type", ct)
            .body(Body::from(bytes))
            .expect("request"),
        None => req.body(Body::empty()).expect("request"),
    };
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        json,
        bytes,
    }
}

/// A JSON body.
pub fn json_body(v: &Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", v.to_string().into_bytes()))
}

/// Uploads a document to a project and returns the answer.
pub async fn upload(app: &Router, token: &str, project: &str, doc: &Value) -> Answer {
    send(
        app,
        "POST",
        &format!("/v1/projects/{project}/scans"),
        Some(token),
        json_body(doc),
        &[],
    )
    .await
}

/// A trusca result with the given packages (`(name, version)`, npm) and findings
/// (`(advisory, aliases, package name, version, severity)`).
pub fn trusca_result(
    target: &str,
    packages: &[(&str, &str)],
    findings: &[(&str, &[&str], &str, &str, &str)],
) -> Value {
    let packages: Vec<Value> = packages
        .iter()
        .map(|(n, v)| {
            json!({
                "ecosystem": "npm", "name": n, "version": v,
                "purl": format!("pkg:npm/{n}@{v}"), "scope": "runtime", "direct": true,
                "location": { "file": "package-lock.json", "line": 3 },
                "license": { "concluded": "MIT", "tier": "permissive" }
            })
        })
        .collect();
    let findings: Vec<Value> = findings
        .iter()
        .map(|(id, aliases, n, v, sev)| {
            json!({
                "id": id, "aliases": aliases, "purl": format!("pkg:npm/{n}@{v}"), "ecosystem": "npm",
                "package": n, "version": v,
                "location": { "file": "package-lock.json", "line": 3 },
                "severity": sev, "score": 7.5, "fixed_in": "9.9.9"
            })
        })
        .collect();
    json!({
        "schema_version": 1,
        "tool": { "name": "trusca", "version": "0.1.0" },
        "target": { "name": target, "location": ".", "kind": "directory", "commit": "abc123" },
        "generated_at": "2024-01-01T00:00:00Z",
        "files": [],
        "packages": packages,
        "findings": findings,
        "diagnostics": []
    })
}

/// A plain CycloneDX SBOM with `n` npm components named `c<i>`.
pub fn cyclonedx(n: usize) -> Value {
    let components: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "type": "library", "name": format!("c{i}"), "version": "1.0.0",
                    "purl": format!("pkg:npm/c{i}@1.0.0"), "bom-ref": format!("c{i}") })
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": { "component": { "name": "sbom-app", "bom-ref": "root" } },
        "components": components
    })
}

/// Counts rows of a table.
pub async fn count(db: &Db, table: &str) -> i64 {
    let row: (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&db.pool)
        .await
        .expect("count");
    row.0
}

/// A fixture OSV record (`fixtures/osv/<ecosystem>/<file>`).
pub fn osv(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/osv")
        .join(rel)
}

/// An OSV mirror directory in the bulk layout (`<dir>/<Ecosystem>/all.zip`) holding the given
/// fixture records.
pub fn mirror(rels: &[&str]) -> tempfile::TempDir {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut by_ecosystem: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for rel in rels {
        let (ecosystem, _) = rel.split_once('/').expect("ecosystem/record");
        by_ecosystem.entry(ecosystem).or_default().push(rel);
    }
    for (ecosystem, rels) in by_ecosystem {
        std::fs::create_dir_all(dir.path().join(ecosystem)).expect("mkdir");
        let file = std::fs::File::create(dir.path().join(ecosystem).join("all.zip")).expect("zip");
        let mut zip = zip::ZipWriter::new(file);
        for rel in rels {
            let name = Path::new(rel).file_name().expect("name").to_string_lossy();
            zip.start_file(name.as_ref(), zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(&std::fs::read(osv(rel)).expect("fixture"))
                .expect("write entry");
        }
        zip.finish().expect("finish zip");
    }
    dir
}
