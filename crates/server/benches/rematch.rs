//! Re-match benchmark: seeds projects of CycloneDX SBOMs (stored in-process through
//! `db::scans::store`, with no vulnerability database, so they have no findings), imports a
//! vulnerability database, then times the re-match of every project twice (the first finds
//! everything new, the second nothing). Prints figures; asserts nothing. Run through
//! `benches/rematch.sh` at the repository root.
//!
//! Environment: `REMATCH_DATABASE_URL` (default: a fresh SQLite file), `REMATCH_PROJECTS`
//! (1000), `REMATCH_COMPONENTS` (1000), `REMATCH_OSV` (OSV data to import; default
//! `shared/data/osv/all.zip` beside the repository, else `fixtures/osv`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use trusca_core::progress::NoProgress;
use trusca_core::vulns::db::Db as VulnStore;
use trusca_core::vulns::import::{self, ImportLimits};
use trusca_server::db::scans::{self, NewScan};
use trusca_server::db::{identity, Db};
use trusca_server::ingest;
use trusca_server::rematch;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Packages with advisories in the OSV data, at affected versions: (purl type, name, version).
const VULNERABLE: &[(&str, &str, &str)] = &[
    ("pypi", "django", "2.2.0"),
    ("pypi", "pillow", "6.0.0"),
    ("pypi", "tensorflow", "2.4.0"),
    ("pypi", "jinja2", "2.10"),
    ("pypi", "pyyaml", "5.1"),
    ("pypi", "urllib3", "1.24.1"),
    ("pypi", "requests", "2.19.0"),
    ("pypi", "flask", "0.12"),
    ("pypi", "cryptography", "2.2"),
    ("pypi", "lxml", "4.6.0"),
    ("pypi", "numpy", "1.16.0"),
    ("pypi", "paramiko", "2.4.0"),
    ("pypi", "sqlalchemy", "1.2.0"),
    ("pypi", "werkzeug", "0.15.0"),
    ("pypi", "twisted", "19.2.0"),
    ("pypi", "ansible", "2.8.0"),
    ("pypi", "salt", "2019.2.0"),
    ("pypi", "pycrypto", "2.6.1"),
    ("pypi", "httplib2", "0.17.0"),
    ("pypi", "tornado", "5.0"),
    ("pypi", "aiohttp", "3.7.0"),
    ("pypi", "bleach", "3.1.0"),
    ("pypi", "mistune", "0.8.0"),
    ("pypi", "nltk", "3.5"),
    ("pypi", "pip", "19.0"),
    ("pypi", "setuptools", "50.0.0"),
    ("pypi", "babel", "2.8.0"),
    ("pypi", "celery", "4.0.0"),
    ("pypi", "notebook", "6.0.0"),
    ("pypi", "ipython", "7.0.0"),
    ("pypi", "scrapy", "1.8.0"),
    ("pypi", "gunicorn", "19.9.0"),
    ("pypi", "waitress", "1.4.0"),
    ("pypi", "pyjwt", "1.7.0"),
    ("pypi", "rsa", "4.0"),
    ("pypi", "ecdsa", "0.13"),
    ("pypi", "oauthlib", "3.0.0"),
    ("pypi", "pygments", "2.5.0"),
    ("pypi", "dnspython", "1.16.0"),
    ("pypi", "sqlparse", "0.4.0"),
    ("pypi", "psutil", "5.6.0"),
    ("pypi", "reportlab", "3.5.0"),
    ("pypi", "mako", "1.0.0"),
    ("pypi", "django-rest-registration", "0.4.0"),
    ("pypi", "djangorestframework", "3.9.0"),
    ("cargo", "openssl", "0.8.0"),
    ("cargo", "hyper", "0.14.0"),
    ("cargo", "tokio", "1.0.0"),
    ("cargo", "smallvec", "1.6.0"),
    ("cargo", "time", "0.1.40"),
    ("cargo", "regex", "1.5.0"),
    ("cargo", "net2", "0.2.37"),
    ("npm", "minimist", "1.2.5"),
    ("npm", "ansi-html", "0.0.7"),
];

/// A CycloneDX SBOM: the vulnerable packages, then npm packages without advisories.
fn document(project: usize, components: usize) -> Vec<u8> {
    let mut list: Vec<Value> = VULNERABLE
        .iter()
        .take(components)
        .map(|(ty, name, version)| {
            json!({ "type": "library", "name": name, "version": version,
                    "purl": format!("pkg:{ty}/{name}@{version}") })
        })
        .collect();
    for i in list.len()..components {
        let version = format!("1.{}.{}", i % 7, project % 3);
        list.push(
            json!({ "type": "library", "name": format!("pkg-{i}"), "version": version,
                          "purl": format!("pkg:npm/pkg-{i}@{version}") }),
        );
    }
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": { "component": { "name": format!("p{project}") } },
        "components": list,
    })
    .to_string()
    .into_bytes()
}

fn osv_input() -> PathBuf {
    if let Ok(p) = std::env::var("REMATCH_OSV") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data/osv/all.zip");
    if shared.is_file() {
        shared
    } else {
        root.join("fixtures/osv")
    }
}

mod common;
use common::BenchDb;

#[tokio::main]
async fn main() {
    let projects = env("REMATCH_PROJECTS", 1000);
    let components = env("REMATCH_COMPONENTS", 1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let bench_db = BenchDb::new("REMATCH_DATABASE_URL").await;
    let (url, backend) = (bench_db.url.clone(), bench_db.backend);
    let db = Db::connect(&url, 16).await.expect("db");
    db.migrate().await.expect("migrate");
    let team_id = identity::create_team(&db, "bench", "bench")
        .await
        .expect("team");
    let user_id = identity::create_user(&db, "bench", "user", "bench")
        .await
        .expect("user");

    // Seeding: parse and compress off the clock, store four at a time.
    let start = Instant::now();
    let mut next = 0;
    while next < projects {
        let mut tasks = tokio::task::JoinSet::new();
        for p in next..(next + 4).min(projects) {
            let db = db.clone();
            tasks.spawn(async move {
                let body = document(p, components);
                let parsed = ingest::parse(&body, usize::MAX).expect("parse");
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(&body).expect("gzip");
                let name = format!("p{p}");
                scans::store(
                    &db,
                    NewScan {
                        team_id,
                        team: "bench",
                        project: &name,
                        user_id,
                        actor: "bench",
                        request_id: "bench",
                        ingest: &parsed,
                        document: gz.finish().expect("gzip"),
                        idempotency: None,
                    },
                )
                .await
                .expect("store");
            });
        }
        while tasks.join_next().await.is_some() {}
        next += 4;
    }
    let seeded = start.elapsed().as_secs_f64();

    let input = osv_input();
    let vuln_path = dir.path().join("vulns.db");
    let start = Instant::now();
    let (report, _) = import::import(
        &vuln_path,
        std::slice::from_ref(&input),
        ImportLimits::default(),
        &NoProgress,
    )
    .expect("import");
    let imported = start.elapsed().as_secs_f64();
    let store = Arc::new(VulnStore::open(&vuln_path).expect("open"));

    println!(
        "backend {backend}: {projects} projects x {components} components \
         ({} with advisories each)",
        VULNERABLE.len().min(components)
    );
    println!("seed (store)         {seeded:8.1} s");
    println!(
        "import               {imported:8.1} s  ({} records from {})",
        report.records,
        input.display()
    );
    for (label, round) in [("re-match (all new)", 1), ("re-match (no change)", 2)] {
        let start = Instant::now();
        let s = rematch::run(&db, store.clone(), "bench").await;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{label:20} {secs:8.1} s  {:7.1} projects/s  new findings {}  resolved {}  \
             failed {}  (round {round})",
            s.projects as f64 / secs.max(1e-9),
            s.new_findings,
            s.resolved_findings,
            s.failed
        );
    }

    db.pool.close().await;
    bench_db.finish().await;
}
