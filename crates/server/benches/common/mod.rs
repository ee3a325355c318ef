//! What the server benchmarks share: the database they run on and the scan documents they
//! upload or store. Each benchmark uses a part of it.

#![allow(dead_code)]

use serde_json::{json, Value};
use trusca_server::db::Db;

/// Where a benchmark stores its data: a fresh SQLite file, or a schema of its own on the
/// PostgreSQL server that the environment variable `var` names, dropped by [`BenchDb::finish`].
pub struct BenchDb {
    /// The database URL to connect to.
    pub url: String,
    /// `sqlite` or `postgres`, for the printed figures.
    pub backend: &'static str,
    /// The server URL and the schema made for this run.
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl BenchDb {
    /// Makes the database named by `var` (unset or empty: SQLite).
    pub async fn new(var: &str) -> BenchDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let given = std::env::var(var).ok().filter(|u| !u.is_empty());
        match given {
            Some(pg) => {
                let schema = format!("trusca_bench_{}", uuid::Uuid::new_v4().simple());
                let admin = Db::connect(&pg, 1).await.expect("postgres");
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&admin.pool)
                    .await
                    .expect("schema");
                admin.pool.close().await;
                let sep = if pg.contains('?') { '&' } else { '?' };
                BenchDb {
                    url: format!("{pg}{sep}options=-c%20search_path%3D{schema}"),
                    backend: "postgres",
                    pg: Some((pg, schema)),
                    _dir: dir,
                }
            }
            None => BenchDb {
                url: format!("sqlite://{}", dir.path().join("bench.db").display()),
                backend: "sqlite",
                pg: None,
                _dir: dir,
            },
        }
    }

    /// Drops the PostgreSQL schema made for this run (close the benchmark's pool first).
    pub async fn finish(self) {
        if let Some((pg, schema)) = &self.pg {
            if let Ok(admin) = Db::connect(pg, 1).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&admin.pool)
                    .await;
            }
        }
    }
}

/// A trusca result for project `p<project>` with `components` npm packages and three findings;
/// `upload` varies the versions from one upload to the next.
pub fn document(project: usize, upload: usize, components: usize) -> Vec<u8> {
    let packages: Vec<Value> = (0..components)
        .map(|i| {
            let version = format!("1.{}.{}", i % 7, (upload + i) % 3);
            json!({
                "ecosystem": "npm", "name": format!("pkg-{i}"), "version": version,
                "purl": format!("pkg:npm/pkg-{i}@{version}"), "scope": "runtime",
                "direct": i < 50, "location": { "file": "package-lock.json", "line": i + 2 },
                "license": { "concluded": "MIT", "tier": "permissive" }
            })
        })
        .collect();
    let findings: Vec<Value> = (0..3)
        .map(|i| {
            let version = format!("1.{}.{}", i % 7, (upload + i) % 3);
            json!({
                "id": format!("GHSA-load-{i}"), "ecosystem": "npm", "aliases": [format!("CVE-2024-{}", 1000 + i)],
                "purl": format!("pkg:npm/pkg-{i}@{version}"), "package": format!("pkg-{i}"),
                "version": version, "location": { "file": "package-lock.json", "line": i + 2 },
                "severity": "high", "score": 7.5, "fixed_in": "2.0.0"
            })
        })
        .collect();
    json!({
        "schema_version": 1, "tool": { "name": "trusca", "version": "0.1.0" },
        "target": { "name": format!("p{project}"), "location": ".", "kind": "directory" },
        "generated_at": "2024-01-01T00:00:00Z", "files": [], "packages": packages,
        "findings": findings, "diagnostics": []
    })
    .to_string()
    .into_bytes()
}
