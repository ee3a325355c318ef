//! Backup and restore of a large server database: N projects of M components each are stored
//! in-process (`db::scans::store`, the upload path without HTTP), then `backup::create` and
//! `backup::restore --confirm` are timed. Prints figures; asserts nothing beyond success. Run
//! through `benches/backup.sh` at the repository root.
//!
//! Environment: `BACKUP_DATABASE_URL` (default: a fresh SQLite file; a `postgres://` URL gets a
//! schema of its own, dropped at the end), `BACKUP_PROJECTS` (1000), `BACKUP_COMPONENTS` (1000),
//! `BACKUP_WORKERS` (4).

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use trusca_server::backup;
use trusca_server::db::scans::{self, NewScan};
use trusca_server::db::{identity, Db};
use trusca_server::ingest;

mod common;
use common::document;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

#[tokio::main]
async fn main() {
    let projects = env("BACKUP_PROJECTS", 1000);
    let components = env("BACKUP_COMPONENTS", 1000);
    let workers = env("BACKUP_WORKERS", 4).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let given = std::env::var("BACKUP_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let schema = format!("trusca_bench_{}", uuid::Uuid::new_v4().simple());
    let url = match &given {
        Some(pg) => {
            let admin = Db::connect(pg, 1).await.expect("postgres");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin.pool)
                .await
                .expect("schema");
            admin.pool.close().await;
            let sep = if pg.contains('?') { '&' } else { '?' };
            format!("{pg}{sep}options=-c%20search_path%3D{schema}")
        }
        None => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let backend = if given.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let db = Db::connect(&url, workers as u32 + 1).await.expect("db");
    db.migrate().await.expect("migrate");
    let team_id = identity::create_team(&db, "bench", "bench")
        .await
        .expect("team");
    let user_id = identity::create_user(&db, "bench", "user", "bench")
        .await
        .expect("user");

    println!("backend {backend}: {projects} projects × {components} components");
    let start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (db, next) = (db.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let p = next.fetch_add(1, Ordering::Relaxed);
                if p >= projects {
                    break;
                }
                let (parsed, gz) = tokio::task::spawn_blocking(move || {
                    let body = document(p, p, components);
                    let parsed = ingest::parse(&body, usize::MAX).expect("parse");
                    let mut gz =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                    gz.write_all(&body).expect("gzip");
                    (parsed, gz.finish().expect("gzip"))
                })
                .await
                .expect("prepare");
                let project = format!("p{p}");
                let request_id = format!("bench-{p}");
                scans::store(
                    &db,
                    NewScan {
                        team_id,
                        team: "bench",
                        project: &project,
                        user_id,
                        actor: "bench",
                        request_id: &request_id,
                        ingest: &parsed,
                        document: gz,
                        idempotency: None,
                    },
                )
                .await
                .expect("store");
            }
        }));
    }
    for t in tasks {
        t.await.expect("worker");
    }
    db.pool.close().await;
    println!(
        "stored in {:.1} s{}",
        start.elapsed().as_secs_f64(),
        match &given {
            None => format!("; database file {:.1} MiB", mib(dir_bytes(dir.path()))),
            Some(_) => String::new(),
        }
    );

    let out = dir.path().join("backups");
    let t = Instant::now();
    let done = backup::create(&url, &out, false).await.expect("backup");
    let backup_secs = t.elapsed().as_secs_f64();
    let rows: i64 = done.manifest.tables.values().sum();
    println!(
        "backup  {backup_secs:>7.1} s  {:>8.1} MiB  ({rows} rows, components {})",
        mib(dir_bytes(&done.dir)),
        done.manifest.tables.get("components").copied().unwrap_or(0)
    );
    let t = Instant::now();
    backup::restore(&url, &done.dir, true)
        .await
        .expect("restore");
    println!("restore {:>7.1} s", t.elapsed().as_secs_f64());

    if let Some(pg) = &given {
        let admin = Db::connect(pg, 1).await.expect("postgres");
        let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&admin.pool)
            .await;
    }
}
