//! The web UI in a real headless Chromium, driven over WebDriver (chromedriver): sign in, open a
//! project, open a finding, triage it, and see the new state; then the team admin and audit
//! pages, and a refresh of the vulnerability database from its page. Skipped, with a `skipped:` line, when Chromium or chromedriver is not installed
//! (`.ci/run` installs them).
//!
//! With `TRUSCA_UPDATE_SCREENSHOTS=1` each page is saved as a 1366×768 PNG under
//! `docs/screenshots/`.

mod support;

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use support::*;
use trusca_server::config::Config;
use trusca_server::db::{identity, Db};
use trusca_server::state::AppState;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &[&str] = &["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const PASSWORD: &str = "correct horse battery";

/// Ends chromedriver (the process this test started) however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A trusca result with licenses of every tier and findings of every severity.
fn demo_scan() -> Value {
    let packages: Vec<Value> = [
        ("express", "4.17.1", "MIT", "permissive"),
        ("lodash", "4.17.20", "MIT", "permissive"),
        ("minimist", "1.2.5", "MIT", "permissive"),
        (
            "node-forge",
            "0.10.0",
            "BSD-3-Clause OR GPL-2.0",
            "conditional",
        ),
        ("ghostscript-wrap", "2.1.0", "AGPL-3.0-only", "forbidden"),
        ("left-pad", "1.3.0", "WTFPL", "unknown"),
        ("axios", "0.21.1", "MIT", "permissive"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (n, v, l, t))| {
        json!({
            "ecosystem": "npm", "name": n, "version": v, "purl": format!("pkg:npm/{n}@{v}"),
            "scope": if i == 5 { "dev" } else { "runtime" }, "direct": i < 4,
            "location": { "file": "package-lock.json", "line": 10 + i },
            "license": { "concluded": l, "tier": t }
        })
    })
    .collect();
    let findings: Vec<Value> = [
        (
            "GHSA-p6mc-m468-83gw",
            "CVE-2020-8203",
            "lodash",
            "4.17.20",
            "high",
            7.4,
            Some("4.17.21"),
            "Prototype pollution in lodash",
        ),
        (
            "GHSA-xvch-5gv4-984h",
            "CVE-2021-44906",
            "minimist",
            "1.2.5",
            "critical",
            9.8,
            Some("1.2.6"),
            "Prototype pollution in minimist",
        ),
        (
            "GHSA-cfm4-qjh2-4765",
            "CVE-2022-24771",
            "node-forge",
            "0.10.0",
            "high",
            7.5,
            Some("1.3.0"),
            "Improper verification of RSA signatures in node-forge",
        ),
        (
            "GHSA-4w2v-q235-vp99",
            "CVE-2020-28168",
            "axios",
            "0.21.1",
            "medium",
            5.9,
            Some("0.21.2"),
            "Server-side request forgery in axios",
        ),
        (
            "GHSA-rv95-896h-c2vc",
            "CVE-2022-24999",
            "express",
            "4.17.1",
            "low",
            3.7,
            None,
            "Open redirect in express",
        ),
    ]
    .iter()
    .map(|(id, alias, n, v, sev, score, fixed, summary)| {
        json!({
            "id": id, "aliases": [alias], "purl": format!("pkg:npm/{n}@{v}"), "ecosystem": "npm",
            "package": n, "version": v, "location": { "file": "package-lock.json", "line": 10 },
            "severity": sev, "score": score, "fixed_in": fixed, "summary": summary
        })
    })
    .collect();
    json!({
        "schema_version": 1,
        "tool": { "name": "trusca", "version": "0.1.0" },
        "target": { "name": "storefront", "location": ".", "kind": "directory", "commit": "9f3c2e1" },
        "generated_at": "2026-01-01T00:00:00Z",
        "files": [], "packages": packages, "findings": findings, "diagnostics": []
    })
}

/// Users with passwords, two teams' projects, a finding first seen long ago (overdue), a
/// resolved one, and a webhook with deliveries.
async fn seed(state: &AppState, app: &axum::Router) {
    let db = &state.db;
    let p = people(db).await;
    for user in ["dev-a", "admin-a", "dev-b", "root"] {
        identity::set_password(db, user, PASSWORD, "test")
            .await
            .expect("password");
    }
    assert_eq!(
        upload(app, &p.admin_a, "storefront", &demo_scan())
            .await
            .status,
        201
    );
    let small = trusca_result(
        "billing",
        &[("stripe", "8.0.0"), ("dayjs", "1.11.0")],
        &[("GHSA-2222", &["CVE-2023-2"], "dayjs", "1.11.0", "medium")],
    );
    assert_eq!(upload(app, &p.dev_a, "billing", &small).await.status, 201);
    let other = trusca_result("ledger", &[("pg", "8.0.0")], &[]);
    assert_eq!(upload(app, &p.dev_b, "ledger", &other).await.status, 201);
    identity::create_key(db, "dev-a", Some("alpha"), "test")
        .await
        .expect("key");
    let project: (i64,) = sqlx::query_as("SELECT id FROM projects WHERE name = 'storefront'")
        .fetch_one(&db.pool)
        .await
        .expect("project");
    for (purl, id, sev, seen, resolved) in [
        (
            "pkg:npm/minimist@1.2.5",
            "GHSA-xvch-5gv4-984h",
            "critical",
            "2026-01-02T09:00:00.000Z",
            None,
        ),
        (
            "pkg:npm/qs@6.5.2",
            "GHSA-hrpp-h998-j3pp",
            "high",
            "2025-11-20T09:00:00.000Z",
            Some("2026-01-05T09:00:00.000Z"),
        ),
    ] {
        sqlx::query(
            "INSERT INTO project_findings (project_id, purl, advisory_id, severity, first_seen_at, \
             last_seen_at, resolved_at) VALUES ($1, $2, $3, $4, $5, $5, $6) \
             ON CONFLICT (project_id, purl, advisory_id) DO UPDATE SET \
             first_seen_at = excluded.first_seen_at, resolved_at = excluded.resolved_at",
        )
        .bind(project.0)
        .bind(purl)
        .bind(id)
        .bind(sev)
        .bind(seen)
        .bind(resolved)
        .execute(&db.pool)
        .await
        .expect("lifecycle");
    }
    let team: (i64,) = sqlx::query_as("SELECT id FROM teams WHERE name = 'alpha'")
        .fetch_one(&db.pool)
        .await
        .expect("team");
    let hook: (i64,) = sqlx::query_as(
        "INSERT INTO webhooks (team_id, url, secret, events, created_at) \
         VALUES ($1, 'https://hooks.example/trusca', 'x', 'scan.completed,finding.new', $2) \
         RETURNING id",
    )
    .bind(team.0)
    .bind(trusca_server::db::now())
    .fetch_one(&db.pool)
    .await
    .expect("webhook");
    for (i, (event, status, attempts, code)) in [
        ("scan.completed", "delivered", 1i64, Some(200i64)),
        ("finding.new", "failed", 6, Some(503)),
        ("finding.new", "pending", 2, None),
    ]
    .iter()
    .enumerate()
    {
        let at = trusca_server::db::now();
        sqlx::query(
            "INSERT INTO webhook_deliveries (webhook_id, event, idem_key, payload, status, \
             attempts, next_attempt_at, last_attempt_at, response_status, last_error, created_at) \
             VALUES ($1, $2, $3, '{}', $4, $5, $6, $6, $7, $8, $6)",
        )
        .bind(hook.0)
        .bind(*event)
        .bind(format!("{event}:{i}"))
        .bind(*status)
        .bind(*attempts)
        .bind(&at)
        .bind(*code)
        .bind(code.is_none().then_some("connection refused"))
        .execute(&db.pool)
        .await
        .expect("delivery");
    }
}

fn screenshots_dir() -> Option<PathBuf> {
    std::env::var_os("TRUSCA_UPDATE_SCREENSHOTS")
        .filter(|v| v == "1")
        .map(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots"))
}

async fn shot(client: &Client, name: &str) {
    if let Some(dir) = screenshots_dir() {
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

/// The text of the first `css` element, once the page shows one (a page that is still
/// loading answers with a stale or missing element for a moment).
async fn text_of(client: &Client, css: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        match client.find(Locator::Css(css)).await {
            Ok(e) => match e.text().await {
                Ok(t) => return t,
                Err(err) => last = err.to_string(),
            },
            Err(err) => last = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no `{css}` on the page: {last}");
}

/// Clicks `what` and waits for the browser to reach a URL that `arrived` accepts.
async fn click_to(client: &Client, what: Locator<'_>, arrived: impl Fn(&url::Url) -> bool) {
    client
        .find(what)
        .await
        .unwrap_or_else(|e| panic!("nothing to click for {what:?}: {e}"))
        .click()
        .await
        .expect("click");
    let mut at = None;
    for _ in 0..100 {
        let url = client.current_url().await.expect("url");
        if arrived(&url) {
            return;
        }
        at = Some(url);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("after clicking {what:?} the browser is still at {at:?}");
}

fn path_is(path: &'static str) -> impl Fn(&url::Url) -> bool {
    move |u| u.path() == path
}

async fn sign_in(client: &Client, base: &str, user: &str) {
    client.goto(&format!("{base}/")).await.expect("open");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), "/login", "not signed in: the sign-in page");
    client
        .find(Locator::Css("#username"))
        .await
        .expect("username")
        .send_keys(user)
        .await
        .expect("type");
    client
        .find(Locator::Css("#password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    if user == "admin-a" {
        shot(client, "sign-in").await;
    }
    click_to(
        client,
        Locator::Css("form[action='/login'] button[type=submit]"),
        path_is("/projects"),
    )
    .await;
}

#[tokio::test]
async fn sign_in_triage_and_see_the_new_state_in_chromium() {
    let Some(chromium) = CHROMIUM.iter().find(|p| Path::new(p).exists()) else {
        eprintln!("skipped: Chromium is not installed (apt-get install chromium chromium-driver)");
        return;
    };
    if !Path::new(CHROMEDRIVER).exists() {
        eprintln!("skipped: chromedriver is not installed (apt-get install chromium-driver)");
        return;
    }

    // The real server on a free port over a seeded SQLite database.
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ui.db").display());
    let db = Db::connect(&url, 5).await.expect("connect");
    db.migrate().await.expect("migrate");
    let osv_mirror = mirror(&[
        "npm/GHSA-xvch-5gv4-984h.json",
        "npm/GHSA-whgm-jr23-g3j9.json",
    ]);
    let state = AppState::new(
        db,
        Config {
            database_url: url,
            vuln_db: dir.path().join("vulns.db"),
            db_mirror: Some(osv_mirror.path().display().to_string()),
            ..Config::default()
        },
    );
    let app = trusca_server::app(state.clone());
    seed(&state, &app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let base = format!("http://{addr}");

    // chromedriver, then a headless Chromium session at 1366×768.
    let port = free_port();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let mut ready = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "chromedriver did not start listening");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1366,768", "--hide-scrollbars", "--force-device-scale-factor=1"]
        }
    });
    let Value::Object(caps) = caps else {
        unreachable!("an object literal")
    };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");

    // Sign in as team alpha's admin and see the projects.
    sign_in(&client, &base, "admin-a").await;
    assert!(text_of(&client, "table.grid").await.contains("storefront"));
    shot(&client, "projects").await;

    // Open the project: its findings, most severe first, and the overdue one.
    click_to(
        &client,
        Locator::LinkText("storefront"),
        path_is("/t/alpha/p/storefront"),
    )
    .await;
    let findings = text_of(&client, "table.grid").await;
    assert!(findings.contains("GHSA-xvch-5gv4-984h"), "{findings}");
    assert!(findings.contains("overdue"), "{findings}");
    shot(&client, "project").await;

    // Open a finding and triage it.
    click_to(
        &client,
        Locator::LinkText("GHSA-p6mc-m468-83gw"),
        path_is("/t/alpha/p/storefront/findings/GHSA-p6mc-m468-83gw"),
    )
    .await;
    assert_eq!(text_of(&client, "#triage-state").await, "untriaged");
    client
        .find(Locator::Css("#state"))
        .await
        .expect("state")
        .select_by_value("not_affected")
        .await
        .expect("choose state");
    client
        .find(Locator::Css("#justification"))
        .await
        .expect("justification")
        .select_by_value("vulnerable_code_not_in_execute_path")
        .await
        .expect("choose justification");
    client
        .find(Locator::Css("#comment"))
        .await
        .expect("comment")
        .send_keys("Only _.merge is affected; we never call it.")
        .await
        .expect("type");
    click_to(
        &client,
        Locator::Css("form.triage button[type=submit]"),
        |u| u.query().is_some_and(|q| q.contains("saved=not_affected")),
    )
    .await;

    // Back on the finding's page, with the new state and the decision in the history.
    assert_eq!(text_of(&client, "#triage-state").await, "not affected");
    assert!(text_of(&client, ".notice").await.contains("Triage saved"));
    assert!(text_of(&client, ".history")
        .await
        .contains("admin-a set not affected"));
    shot(&client, "finding").await;

    // The project page shows it closed.
    click_to(
        &client,
        Locator::LinkText("storefront"),
        path_is("/t/alpha/p/storefront"),
    )
    .await;
    assert!(text_of(&client, "table.grid")
        .await
        .contains("not affected"));

    // Team admin page.
    click_to(
        &client,
        Locator::LinkText("Team admin"),
        path_is("/t/alpha/admin"),
    )
    .await;
    let page = text_of(&client, "main").await;
    assert!(
        page.contains("Members") && page.contains("hooks.example"),
        "{page}"
    );
    shot(&client, "team-admin").await;

    // The team's policy: a text with a problem is refused with its line, then saved.
    click_to(
        &client,
        Locator::LinkText("Policy"),
        path_is("/t/alpha/admin/policy"),
    )
    .await;
    let config = client
        .find(Locator::Css("#config"))
        .await
        .expect("policy text");
    config.clear().await.expect("clear");
    config
        .send_keys("fail_on = \"critical\"\ncolour = \"blue\"\n")
        .await
        .expect("type");
    click_to(
        &client,
        Locator::Css("form.stack button[type=submit]"),
        path_is("/t/alpha/admin/policy"),
    )
    .await;
    let alert = text_of(&client, ".alert").await;
    assert!(
        alert.contains("line 2") && alert.contains("colour"),
        "{alert}"
    );
    let config = client
        .find(Locator::Css("#config"))
        .await
        .expect("policy text");
    config.clear().await.expect("clear");
    config
        .send_keys("fail_on = \"critical\"\n")
        .await
        .expect("type");
    click_to(
        &client,
        Locator::Css("form.stack button[type=submit]"),
        |u| u.query() == Some("saved=1"),
    )
    .await;
    assert!(text_of(&client, ".notice")
        .await
        .contains("The policy was saved"));
    click_to(
        &client,
        Locator::LinkText("Back to the team"),
        path_is("/t/alpha/admin"),
    )
    .await;

    // Sign out, then the super admin's audit log shows the triage.
    click_to(
        &client,
        Locator::Css("form[action='/logout'] button"),
        path_is("/login"),
    )
    .await;
    sign_in(&client, &base, "root").await;
    click_to(
        &client,
        Locator::LinkText("Audit log"),
        path_is("/admin/audit"),
    )
    .await;
    assert!(text_of(&client, "table.grid").await.contains("triage.set"));
    shot(&client, "audit").await;

    // The vulnerability database page: a refresh started from its button, followed to its end.
    click_to(
        &client,
        Locator::LinkText("Vulnerability DB"),
        path_is("/admin/vuln-db"),
    )
    .await;
    click_to(
        &client,
        Locator::Css("form[action='/admin/vuln-db/refresh'] button"),
        |u| u.query() == Some("started=1"),
    )
    .await;
    let mut page = String::new();
    for _ in 0..100 {
        client.refresh().await.expect("reload");
        page = text_of(&client, "main").await;
        if page.contains("done") || page.contains("failed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        page.contains("done") && page.contains("Refresh now"),
        "{page}"
    );
    shot(&client, "vuln-db").await;

    client.close().await.expect("close");
}
