//! The web pages over HTTP (no browser): sign-in and sessions, cookie flags, CSRF refusals,
//! team scoping, escaping, security headers and HTML error pages. The browser test is
//! `browser.rs`.

mod support;

use axum::Router;
use support::*;
use trusca_server::config::Config;
use trusca_server::db::{identity, Db};
use trusca_server::web::view::encode;

const HOST: &str = "ui.example";
const ORIGIN: &str = "http://ui.example";
const PASSWORD: &str = "correct horse battery";

/// Team alpha's project `app` with one critical finding on `pkg:npm/shared@1.0.0`, passwords
/// for everyone, and the API keys of [`people`].
async fn seed(env: &Env) -> People {
    let p = people(&env.state.db).await;
    for user in ["dev-a", "admin-a", "dev-b", "root"] {
        identity::set_password(&env.state.db, user, PASSWORD, "test")
            .await
            .expect("password");
    }
    let doc = trusca_result(
        "app",
        &[("shared", "1.0.0"), ("only-a", "2.0.0")],
        &[("GHSA-1111", &["CVE-2024-1"], "shared", "1.0.0", "critical")],
    );
    assert_eq!(upload(&env.app, &p.dev_a, "app", &doc).await.status, 201);
    let doc = trusca_result("svc", &[("shared", "2.0.0")], &[]);
    assert_eq!(upload(&env.app, &p.dev_b, "svc", &doc).await.status, 201);
    p
}

fn form(pairs: &[(&str, &str)]) -> Option<(&'static str, Vec<u8>)> {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    Some((
        "application/x-www-form-urlencoded",
        body.join("&").into_bytes(),
    ))
}

fn set_cookies(a: &Answer) -> Vec<String> {
    a.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

/// The value a `Set-Cookie` gives cookie `name`.
fn cookie_value(a: &Answer, name: &str) -> Option<String> {
    set_cookies(a).iter().find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The value of the hidden input `name` of a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn text(a: &Answer) -> String {
    String::from_utf8_lossy(&a.bytes).into_owned()
}

/// A signed-in browser: its session cookie and the session's CSRF token.
struct Session {
    cookie: String,
    token: String,
    csrf: String,
}

async fn get(app: &Router, uri: &str, s: Option<&Session>) -> Answer {
    let mut extra = vec![("host", HOST)];
    if let Some(s) = s {
        extra.push(("cookie", s.cookie.as_str()));
    }
    send(app, "GET", uri, None, None, &extra).await
}

async fn post(
    app: &Router,
    uri: &str,
    s: &Session,
    fields: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Answer {
    let mut headers = vec![("host", HOST), ("cookie", s.cookie.as_str())];
    headers.extend_from_slice(extra);
    send(app, "POST", uri, None, form(fields), &headers).await
}

async fn try_sign_in(app: &Router, user: &str, password: &str) -> Answer {
    let page = get(app, "/login", None).await;
    assert_eq!(page.status, 200);
    let login = cookie_value(&page, "trusca_login").expect("login cookie");
    let csrf = hidden(&text(&page), "csrf");
    assert_eq!(csrf, login, "the form and the cookie carry one token");
    let cookie = format!("trusca_login={login}");
    send(
        app,
        "POST",
        "/login",
        None,
        form(&[
            ("csrf", &csrf),
            ("username", user),
            ("password", password),
            ("next", "/projects"),
        ]),
        &[("host", HOST), ("origin", ORIGIN), ("cookie", &cookie)],
    )
    .await
}

async fn sign_in(app: &Router, user: &str) -> Session {
    let a = try_sign_in(app, user, PASSWORD).await;
    assert_eq!(a.status, 303, "{}", text(&a));
    assert_eq!(a.headers["location"], "/projects");
    let token = cookie_value(&a, "trusca_session").expect("session cookie");
    let cookie = format!("trusca_session={token}");
    let page = get(
        app,
        "/projects",
        Some(&Session {
            cookie: cookie.clone(),
            token: token.clone(),
            csrf: String::new(),
        }),
    )
    .await;
    assert_eq!(page.status, 200);
    let csrf = hidden(&text(&page), "csrf");
    Session {
        cookie,
        token,
        csrf,
    }
}

async fn session_rows(db: &Db) -> Vec<String> {
    sqlx::query_as::<_, (String,)>("SELECT id_hash FROM sessions")
        .fetch_all(&db.pool)
        .await
        .expect("sessions")
        .into_iter()
        .map(|r| r.0)
        .collect()
}

async fn audit_actions(db: &Db) -> Vec<String> {
    sqlx::query_as::<_, (String,)>("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| r.0)
        .collect()
}

#[tokio::test]
async fn sign_in_opens_a_flagged_session_and_sign_out_ends_it() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let app = &env.app;

        // Not signed in: the sign-in page, then back.
        let a = get(app, "/t/alpha/p/app", None).await;
        assert_eq!(a.status, 303);
        assert_eq!(a.headers["location"], "/login?next=%2Ft%2Falpha%2Fp%2Fapp");

        let a = try_sign_in(app, "dev-a", PASSWORD).await;
        assert_eq!(a.status, 303);
        let cookie = set_cookies(&a)
            .into_iter()
            .find(|c| c.starts_with("trusca_session="))
            .expect("session cookie");
        for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/;", "Max-Age="] {
            assert!(cookie.contains(flag), "{cookie} lacks {flag}");
        }
        let token = cookie_value(&a, "trusca_session").expect("token");
        assert_eq!(token.len(), 64, "32 random bytes, hex");
        // Only the SHA-256 of the token is stored.
        let rows = session_rows(&env.state.db).await;
        assert_eq!(rows, vec![trusca_server::db::sessions::hash(&token)]);
        assert!(!rows.contains(&token));

        let s = sign_in(app, "dev-a").await;
        let page = get(app, "/projects", Some(&s)).await;
        assert!(text(&page).contains("href=\"/t/alpha/p/app\""));
        assert!(text(&page).contains(">dev-a<"));

        let a = post(
            app,
            "/logout",
            &s,
            &[("csrf", &s.csrf)],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 303);
        assert_eq!(a.headers["location"], "/login");
        assert!(set_cookies(&a)
            .iter()
            .any(|c| c.starts_with("trusca_session=;") && c.contains("Max-Age=0")));
        assert!(!session_rows(&env.state.db)
            .await
            .contains(&trusca_server::db::sessions::hash(&s.token)));
        // The old cookie no longer works.
        assert_eq!(get(app, "/projects", Some(&s)).await.status, 303);

        let actions = audit_actions(&env.state.db).await;
        assert!(actions.contains(&"user.set_password".to_owned()));
        assert!(actions.contains(&"session.create".to_owned()));
        assert!(actions.contains(&"session.delete".to_owned()));
        env.finish().await;
    }
}

#[tokio::test]
async fn wrong_passwords_and_forged_sign_ins_are_refused() {
    let config = Config {
        auth_failures_per_minute: 3,
        ..Config::default()
    };
    for env in backends(config).await {
        seed(&env).await;
        let app = &env.app;
        let a = try_sign_in(app, "dev-a", "wrong password").await;
        assert_eq!(a.status, 401);
        assert!(text(&a).contains("Wrong username or password."));
        assert!(cookie_value(&a, "trusca_session").is_none());
        let a = try_sign_in(app, "nobody", PASSWORD).await;
        assert_eq!(a.status, 401);

        // Without the form's cookie, or from another site: 403.
        let page = get(app, "/login", None).await;
        let csrf = hidden(&text(&page), "csrf");
        let fields = [
            ("csrf", csrf.as_str()),
            ("username", "dev-a"),
            ("password", PASSWORD),
        ];
        let a = send(
            app,
            "POST",
            "/login",
            None,
            form(&fields),
            &[("host", HOST), ("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 403);
        let cookie = format!("trusca_login={csrf}");
        let a = send(
            app,
            "POST",
            "/login",
            None,
            form(&fields),
            &[
                ("host", HOST),
                ("origin", "http://evil.example"),
                ("cookie", &cookie),
            ],
        )
        .await;
        assert_eq!(a.status, 403);
        assert!(a.headers["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/html")));

        // A third failure reaches the limit: the right password is refused too, for now.
        assert_eq!(try_sign_in(app, "dev-a", "again wrong").await.status, 401);
        let a = try_sign_in(app, "dev-a", PASSWORD).await;
        assert_eq!(a.status, 429);
        assert!(a.headers.contains_key("retry-after"));
        assert!(session_rows(&env.state.db).await.is_empty());
        env.finish().await;
    }
}

#[tokio::test]
async fn expired_sessions_send_back_to_sign_in() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let s = sign_in(&env.app, "dev-a").await;
        sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'")
            .execute(&env.state.db.pool)
            .await
            .expect("expire");
        let a = get(&env.app, "/projects", Some(&s)).await;
        assert_eq!(a.status, 303);
        assert_eq!(a.headers["location"], "/login?next=%2Fprojects");
        env.finish().await;
    }
}

#[tokio::test]
async fn triage_forms_need_the_token_and_this_origin() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let app = &env.app;
        let s = sign_in(app, "dev-a").await;
        let purl = "pkg:npm/shared@1.0.0";
        // The finding is reached by an alias too, and its page links the form.
        let page = get(
            app,
            &format!("/t/alpha/p/app/findings/CVE-2024-1?purl={}", encode(purl)),
            Some(&s),
        )
        .await;
        assert_eq!(page.status, 200);
        let html = text(&page);
        assert!(html.contains("GHSA-1111"));
        assert!(html.contains("action=\"/t/alpha/p/app/findings/GHSA-1111/triage\""));
        assert!(html.contains("id=\"triage-state\">untriaged<"));
        assert_eq!(hidden(&html, "csrf"), s.csrf);

        let uri = "/t/alpha/p/app/findings/GHSA-1111/triage";
        let good = [
            ("csrf", s.csrf.as_str()),
            ("purl", purl),
            ("state", "not_affected"),
            ("justification", "code_not_reachable"),
            ("comment", "only in tests"),
        ];
        let mut missing = good.to_vec();
        missing.remove(0);
        let mut wrong = good.to_vec();
        let forged = "0".repeat(s.csrf.len());
        wrong[0] = ("csrf", forged.as_str());
        let origin = [("origin", ORIGIN)];
        for (fields, extra) in [
            (&missing[..], &origin[..]),
            (&wrong[..], &origin[..]),
            (&good[..], &[("origin", "http://evil.example")][..]),
            (&good[..], &[("origin", "null")][..]),
            (&good[..], &[][..]),
            (&good[..], &[("referer", "http://evil.example/page")][..]),
        ] {
            let a = post(app, uri, &s, fields, extra).await;
            assert_eq!(a.status, 403, "{fields:?} {extra:?}");
        }
        assert_eq!(count(&env.state.db, "triage").await, 0);

        // A refused value shows the page again with the reason.
        let bad = [
            ("csrf", s.csrf.as_str()),
            ("purl", purl),
            ("state", "not_affected"),
        ];
        let a = post(app, uri, &s, &bad, &origin).await;
        assert_eq!(a.status, 422);
        assert!(text(&a).contains("needs a `justification`"));

        // The right token from this site (a Referer alone will do too).
        let a = post(
            app,
            uri,
            &s,
            &good,
            &[("referer", "http://ui.example/t/alpha/p/app")],
        )
        .await;
        assert_eq!(a.status, 303, "{}", text(&a));
        let to = a.headers["location"].to_str().expect("location").to_owned();
        assert_eq!(
            to,
            format!(
                "/t/alpha/p/app/findings/GHSA-1111?purl={}&saved=not_affected",
                encode(purl)
            )
        );
        let page = text(&get(app, &to, Some(&s)).await);
        assert!(page.contains("Triage saved: not affected."));
        let forged = get(
            app,
            &to.replace("saved=not_affected", "saved=Call+us+now"),
            Some(&s),
        )
        .await;
        assert!(!text(&forged).contains("Call us now") && !text(&forged).contains("Triage saved"));
        assert!(page.contains("id=\"triage-state\">not affected<"));
        assert!(page.contains("only in tests"));
        assert!(page.contains("<strong>dev-a</strong> set"));

        // Recorded as the API records it: the API sees the state, and the audit row is the
        // API's `triage.set`.
        let api = send(
            app,
            "GET",
            "/v1/projects/app/findings?team=alpha",
            Some(&people_key(&env).await),
            None,
            &[],
        )
        .await;
        assert_eq!(api.json["findings"][0]["triage"]["state"], "not_affected");
        assert_eq!(api.json["findings"][0]["triage"]["by"], "dev-a");
        assert!(audit_actions(&env.state.db)
            .await
            .contains(&"triage.set".to_owned()));

        // The project page shows it closed, and no longer open.
        let page = text(&get(app, "/t/alpha/p/app", Some(&s)).await);
        assert!(page.contains("not affected"));
        assert!(page.contains("0 open"));
        env.finish().await;
    }
}

/// A fresh API key of dev-a.
async fn people_key(env: &Env) -> String {
    identity::create_key(&env.state.db, "dev-a", None, "test")
        .await
        .expect("key")
        .token
}

#[tokio::test]
async fn pages_are_scoped_like_the_api() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let app = &env.app;
        let dev_b = sign_in(app, "dev-b").await;
        let dev_a = sign_in(app, "dev-a").await;
        let admin_a = sign_in(app, "admin-a").await;
        let root = sign_in(app, "root").await;
        let finding = "/t/alpha/p/app/findings/GHSA-1111?purl=pkg%3Anpm%2Fshared%401.0.0";

        // Team B sees nothing of team A.
        let list = text(&get(app, "/projects", Some(&dev_b)).await);
        assert!(list.contains("/t/beta/p/svc"));
        assert!(!list.contains("/t/alpha/p/app"));
        for uri in [
            "/t/alpha/p/app",
            finding,
            "/t/alpha/admin",
            "/projects?team=alpha",
        ] {
            let a = get(app, uri, Some(&dev_b)).await;
            assert_eq!(a.status, 403, "{uri}");
            assert!(!text(&a).contains("GHSA-1111"));
        }
        // Without a session a form goes to the sign-in page, which then opens the projects.
        let anonymous = Session {
            cookie: String::new(),
            token: String::new(),
            csrf: String::new(),
        };
        let a = post(
            app,
            "/t/alpha/p/app/findings/GHSA-1111/triage",
            &anonymous,
            &[],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 303);
        assert_eq!(a.headers["location"], "/login?next=%2Fprojects");
        let a = post(
            app,
            "/t/alpha/p/app/findings/GHSA-1111/triage",
            &dev_b,
            &[
                ("csrf", &dev_b.csrf),
                ("purl", "pkg:npm/shared@1.0.0"),
                ("state", "affected"),
            ],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 403);

        // A developer reads the team's pages but not its admin page; the team admin does.
        assert_eq!(get(app, finding, Some(&dev_a)).await.status, 200);
        assert_eq!(get(app, "/t/alpha/admin", Some(&dev_a)).await.status, 403);
        let admin = get(app, "/t/alpha/admin", Some(&admin_a)).await;
        assert_eq!(admin.status, 200);
        let html = text(&admin);
        assert!(html.contains("dev-a") && html.contains("admin-a"));
        assert!(!html.contains("dev-b"));
        assert!(html.contains("Days to fix"));

        // Unknown project of one's own team: 404.
        assert_eq!(get(app, "/t/alpha/p/nope", Some(&dev_a)).await.status, 404);

        // The audit log is for super admins; others get the page-not-found page.
        assert_eq!(get(app, "/admin/audit", Some(&admin_a)).await.status, 404);
        let audit = get(app, "/admin/audit", Some(&root)).await;
        assert_eq!(audit.status, 200);
        assert!(text(&audit).contains("scan.upload"));
        // Pages of 50, newest first, with links both ways.
        for i in 0..60 {
            identity::create_user(&env.state.db, &format!("filler-{i:02}"), "user", "test")
                .await
                .expect("user");
        }
        let first = text(&get(app, "/admin/audit", Some(&root)).await);
        assert!(first.contains("user:filler-59") && !first.contains("user:filler-09<"));
        let start = first.find("/admin/audit?before=").expect("older link");
        let older: String = first[start..].chars().take_while(|c| *c != '"').collect();
        let second = text(&get(app, &older, Some(&root)).await);
        assert!(second.contains("user:filler-09<") && !second.contains("user:filler-59<"));
        assert!(second.contains("← Newest") && !first.contains("← Newest"));

        // A super admin sees every team.
        let list = text(&get(app, "/projects", Some(&root)).await);
        assert!(list.contains("/t/alpha/p/app") && list.contains("/t/beta/p/svc"));
        assert_eq!(get(app, finding, Some(&root)).await.status, 200);
        env.finish().await;
    }
}

#[tokio::test]
async fn team_admins_revoke_keys_from_the_page() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let app = &env.app;
        let bound = identity::create_key(&env.state.db, "dev-a", Some("alpha"), "test")
            .await
            .expect("key");
        let admin_a = sign_in(app, "admin-a").await;
        let dev_a = sign_in(app, "dev-a").await;
        let page = text(&get(app, "/t/alpha/admin", Some(&admin_a)).await);
        let action = format!("/t/alpha/admin/keys/{}/revoke", bound.prefix);
        assert!(page.contains(&action));
        assert!(page.contains(&format!("trs_{}_…", bound.prefix)));
        assert!(!page.contains(&bound.token), "a key is never shown again");

        // Without the token: refused, the key still works.
        let a = post(app, &action, &admin_a, &[], &[("origin", ORIGIN)]).await;
        assert_eq!(a.status, 403);
        let a = post(
            app,
            &action,
            &admin_a,
            &[("csrf", &admin_a.csrf)],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 303);
        let a = send(app, "GET", "/v1/projects", Some(&bound.token), None, &[]).await;
        assert_eq!(a.status, 401);
        let page = text(&get(app, "/t/alpha/admin?revoked=x", Some(&admin_a)).await);
        assert!(page.contains("revoked "));

        // A developer cannot reach the page nor revoke through it.
        let other = identity::create_key(&env.state.db, "admin-a", Some("alpha"), "test")
            .await
            .expect("key");
        let uri = format!("/t/alpha/admin/keys/{}/revoke", other.prefix);
        let a = post(
            app,
            &uri,
            &dev_a,
            &[("csrf", &dev_a.csrf)],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 403);
        let a = send(app, "GET", "/v1/projects", Some(&other.token), None, &[]).await;
        assert_eq!(a.status, 200);
        env.finish().await;
    }
}

#[tokio::test]
async fn hostile_names_are_escaped() {
    for env in backends(Config::default()).await {
        let p = seed(&env).await;
        let app = &env.app;
        let name = "<script>alert(1)</script>\"'&";
        let doc = trusca_result("x", &[("<img src=x onerror=alert(2)>", "1.0.0")], &[]);
        let a = send(
            app,
            "POST",
            &format!("/v1/projects/{}/scans", encode(name)),
            Some(&p.dev_a),
            json_body(&doc),
            &[],
        )
        .await;
        assert_eq!(a.status, 201, "{:?}", a.json);
        let s = sign_in(app, "dev-a").await;
        let list = text(&get(app, "/projects", Some(&s)).await);
        assert!(!list.contains("<script>alert"), "{list}");
        assert!(
            list.contains("&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;"),
            "{list}"
        );
        let href = format!("/t/alpha/p/{}", encode(name));
        assert!(list.contains(&href));
        let page = get(app, &href, Some(&s)).await;
        assert_eq!(page.status, 200);
        let page = text(&page);
        assert!(!page.contains("<script>") && !page.contains("<img src=x"));
        assert!(
            page.contains("&#60;img src=x onerror=alert(2)&#62;"),
            "{page}"
        );
        env.finish().await;
    }
}

#[tokio::test]
async fn pages_carry_security_headers_and_html_errors() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let app = &env.app;
        let a = get(app, "/login", None).await;
        let csp = a.headers["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'none'"));
        assert_eq!(a.headers["x-frame-options"], "DENY");
        assert_eq!(a.headers["referrer-policy"], "same-origin");
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        assert_eq!(a.headers["cache-control"], "no-store");
        assert!(!text(&a).contains("<script"), "pages have no script");

        let css = get(app, "/static/app.css", None).await;
        assert_eq!(css.status, 200);
        assert!(css.headers["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/css")));
        assert!(text(&css).contains(".sev-critical"));

        // Unknown pages and wrong methods are HTML; the API keeps problem+json.
        let a = get(app, "/no/such/page", None).await;
        assert_eq!(a.status, 404);
        assert!(a.headers["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/html")));
        assert!(text(&a).contains("There is no page at this address."));
        let a = send(app, "DELETE", "/projects", None, None, &[]).await;
        assert_eq!(a.status, 405);
        assert!(a.headers["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/html")));
        // Every page route exists: a visitor is sent to sign in, a form from nowhere is refused.
        for (method, template) in trusca_server::web::PAGES {
            let uri = template
                .replace("{team}", "alpha")
                .replace("{project}", "app")
                .replace("{advisory}", "GHSA-1111")
                .replace("{prefix}", "abc");
            let a = send(app, method, &uri, None, None, &[("host", HOST)]).await;
            let expected = match (*method, uri.as_str()) {
                ("GET", "/login" | "/static/app.css") => 200,
                ("GET", _) => 303,
                _ => 403,
            };
            assert_eq!(a.status, expected, "{method} {uri}");
        }
        let a = send(app, "GET", "/v1/nope", None, None, &[]).await;
        assert_eq!(a.headers["content-type"], "application/problem+json");
        env.finish().await;
    }
}

/// An advisory database of one record.
struct OneRecord(trusca_core::vulns::osv::Vulnerability);

impl trusca_server::web::advisory::AdvisorySource for OneRecord {
    fn record(&self, id: &str) -> Option<trusca_core::vulns::osv::Vulnerability> {
        (id == self.0.id).then(|| self.0.clone())
    }
}

#[tokio::test]
async fn finding_pages_show_the_advisory_record_when_the_server_has_one() {
    for env in backends(Config::default()).await {
        seed(&env).await;
        let s = sign_in(&env.app, "dev-a").await;
        let uri = "/t/alpha/p/app/findings/GHSA-1111?purl=pkg%3Anpm%2Fshared%401.0.0";
        let page = text(&get(&env.app, uri, Some(&s)).await);
        assert!(page.contains("References are shown when the server has a vulnerability database."));

        let record = trusca_core::vulns::osv::Vulnerability::from_json(
            br#"{"id":"CVE-2024-1","details":"Long <b>details</b>.",
                 "references":[{"type":"ADVISORY","url":"https://adv.example/CVE-2024-1"},
                               {"type":"WEB","url":"javascript:alert(1)"}]}"#,
        )
        .expect("record");
        let app = env.app.clone().layer(axum::Extension(
            trusca_server::web::advisory::Advisories::new(OneRecord(record)),
        ));
        let page = text(&get(&app, uri, Some(&s)).await);
        // Found through the alias; details escaped; only web links.
        assert!(
            page.contains("Long &#60;b&#62;details&#60;/b&#62;."),
            "{page}"
        );
        assert!(page.contains("href=\"https://adv.example/CVE-2024-1\""));
        assert!(!page.contains("javascript:"));
        env.finish().await;
    }
}

#[tokio::test]
async fn finding_pages_read_the_servers_vulnerability_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        vuln_db: dir.path().join("vulns.db"),
        ..Config::default()
    };
    let records = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        records.path().join("CVE-2024-1.json"),
        r#"{"id":"CVE-2024-1","modified":"2024-01-01T00:00:00Z","details":"From the database.",
            "affected":[{"package":{"ecosystem":"npm","name":"unrelated"},"versions":["9.9.9"]}],
            "references":[{"type":"FIX","url":"https://fix.example/CVE-2024-1"}]}"#,
    )
    .expect("record");
    for env in backends(config.clone()).await {
        seed(&env).await;
        let source = trusca_server::vulndb::Source::Import(vec![records.path().to_owned()]);
        trusca_server::vulndb::refresh(&env.state.db, &env.state.vulns, source, "test")
            .await
            .expect("import");
        let s = sign_in(&env.app, "dev-a").await;
        let uri = "/t/alpha/p/app/findings/GHSA-1111?purl=pkg%3Anpm%2Fshared%401.0.0";
        let page = text(&get(&env.app, uri, Some(&s)).await);
        assert!(page.contains("From the database."), "{}: {page}", env.name);
        assert!(page.contains("href=\"https://fix.example/CVE-2024-1\""));
        env.finish().await;
    }
}

#[tokio::test]
async fn super_admins_refresh_the_vulnerability_database_from_the_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let osv_mirror = mirror(&["npm/GHSA-xvch-5gv4-984h.json"]);
    for env in backends(Config::default()).await {
        // Each backend its own database file, refreshed from the mirror.
        let config = Config {
            vuln_db: dir.path().join(format!("{}.db", env.name)),
            db_mirror: Some(osv_mirror.path().display().to_string()),
            ..(*env.state.config).clone()
        };
        let state = trusca_server::state::AppState::new(env.state.db.clone(), config);
        let app = &trusca_server::app(state);
        seed(&env).await;
        let root = sign_in(app, "root").await;
        let dev_a = sign_in(app, "dev-a").await;

        assert_eq!(get(app, "/admin/vuln-db", Some(&dev_a)).await.status, 404);
        let a = post(
            app,
            "/admin/vuln-db/refresh",
            &dev_a,
            &[("csrf", &dev_a.csrf)],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 404);
        let page = text(&get(app, "/projects", Some(&root)).await);
        assert!(page.contains("href=\"/admin/vuln-db\""));
        let page = text(&get(app, "/admin/vuln-db", Some(&root)).await);
        assert!(page.contains("No database yet"), "{page}");
        assert!(page.contains("Refresh now"));

        // Without the token, or from another site: refused, nothing started.
        let a = post(
            app,
            "/admin/vuln-db/refresh",
            &root,
            &[],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 403);
        let a = post(
            app,
            "/admin/vuln-db/refresh",
            &root,
            &[("csrf", &root.csrf)],
            &[("origin", "http://evil.example")],
        )
        .await;
        assert_eq!(a.status, 403);
        assert_eq!(count(&env.state.db, "vuln_db_refreshes").await, 0);

        let a = post(
            app,
            "/admin/vuln-db/refresh",
            &root,
            &[("csrf", &root.csrf)],
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(a.status, 303, "{}", text(&a));
        assert_eq!(a.headers["location"], "/admin/vuln-db?started=1");
        let mut page = String::new();
        for _ in 0..200 {
            page = text(&get(app, "/admin/vuln-db?started=1", Some(&root)).await);
            if page.contains(">done<") || page.contains(">failed<") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(page.contains("Refresh started."), "{page}");
        assert!(page.contains(">done<"), "{}: {page}", env.name);
        assert!(page.contains("<dt>Records</dt><dd>1</dd>"), "{page}");
        let actions = audit_actions(&env.state.db).await;
        assert!(actions.iter().any(|a| a == "vulndb.refresh"), "{actions:?}");
        env.finish().await;
    }
}
