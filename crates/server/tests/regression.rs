//! Regression tests for problems found by probing a running server, each named after what it
//! guards against; on SQLite and (when configured) PostgreSQL.

mod support;

use serde_json::json;
use support::*;
use trusca_server::config::Config;

/// The form body of a sign-in attempt with the cookie it needs.
async fn login_form(app: &axum::Router, username: &str) -> (Vec<u8>, String) {
    let a = send(app, "GET", "/login", None, None, &[]).await;
    let cookie = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("trusca_login="))
        .and_then(|c| c.split(';').next())
        .expect("login cookie")
        .to_owned();
    let token = cookie.trim_start_matches("trusca_login=").to_owned();
    let body = format!("csrf={token}&username={username}&password=whatever+it+is&next=%2F");
    (body.into_bytes(), cookie)
}

#[tokio::test]
async fn nul_characters_are_refused_before_any_query() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        let upload = trusca_result(
            "web",
            &[("a", "1.0.0")],
            &[("GHSA-1", &[], "a", "1.0.0", "high")],
        );
        assert_eq!(upload_doc(app, &p.dev_a, "web", &upload).await, 201);

        for (path, what) in [
            ("/v1/teams/al%00pha/sla", "a path"),
            ("/v1/projects?team=al%00pha", "a query"),
            ("/v1/components?purl=pkg:npm/a%00", "a query"),
        ] {
            let a = send(app, "GET", path, Some(&p.dev_a), None, &[]).await;
            assert_eq!(a.status, 400, "{} {what}: {:?}", env.name, a.json);
            assert_eq!(a.json["type"], "urn:trusca:problem:bad-request");
            assert!(a.headers.contains_key("content-security-policy"));
        }

        let body = json!({"purl": "pkg:npm/a@1.0.0\u{0}", "state": "affected"});
        let a = send(
            app,
            "PUT",
            "/v1/projects/web/findings/GHSA-1/triage",
            Some(&p.dev_a),
            json_body(&body),
            &[],
        )
        .await;
        assert_eq!(a.status, 422, "{}: {:?}", env.name, a.json);
        assert!(a.json["detail"].as_str().unwrap_or("").contains("NUL"));

        // A page, and the sign-in form that needs no session.
        let a = send(app, "GET", "/t/al%00pha/admin", None, None, &[]).await;
        assert_eq!(a.status, 400, "{}", env.name);
        assert!(content_type(&a).starts_with("text/html"));
        let (form, cookie) = login_form(app, "dev%00a").await;
        let a = send(
            app,
            "POST",
            "/login",
            None,
            Some(("application/x-www-form-urlencoded", form)),
            &[
                ("host", "trusca.example"),
                ("origin", "http://trusca.example"),
                ("cookie", &cookie),
            ],
        )
        .await;
        assert_eq!(a.status, 400, "{}", env.name);
        assert!(content_type(&a).starts_with("text/html"));
        env.finish().await;
    }
}

fn content_type(a: &Answer) -> String {
    a.headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn upload_doc(
    app: &axum::Router,
    token: &str,
    project: &str,
    doc: &serde_json::Value,
) -> u16 {
    upload(app, token, project, doc).await.status.as_u16()
}

#[tokio::test]
async fn metrics_labels_stay_bounded_whatever_the_requests() {
    for env in backends(Config::default()).await {
        let app = &env.app;
        let a = send(app, "GET", "/metrics", None, None, &[]).await;
        let before = a.bytes.len();
        for i in 0..300 {
            let method = format!("PROBE{i}");
            send(app, &method, "/v1/projects", None, None, &[]).await;
            send(app, "GET", &format!("/no/such/page/{i}"), None, None, &[]).await;
        }
        let a = send(app, "GET", "/metrics", None, None, &[]).await;
        let text = String::from_utf8_lossy(&a.bytes);
        assert!(!text.contains("PROBE"), "{text}");
        assert!(!text.contains("/no/such"), "{text}");
        assert!(text.contains("method=\"other\""), "{text}");
        assert!(
            a.bytes.len() < before + 8 * 1024,
            "{}: /metrics grew from {before} to {} bytes",
            env.name,
            a.bytes.len()
        );
        env.finish().await;
    }
}

/// Serves `app` on a free port of 127.0.0.1 the way `trusca server` does.
async fn listening(
    app: axum::Router,
    header_read_timeout: std::time::Duration,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(trusca_server::listen::serve(
        listener,
        app,
        header_read_timeout,
        std::future::pending(),
    ));
    addr
}

#[tokio::test]
async fn a_client_sending_its_head_slowly_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let env = backends(Config::default()).await.remove(0);
    let addr = listening(env.app.clone(), std::time::Duration::from_secs(1)).await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: trusca.example\r\n")
        .await
        .expect("partial head");
    let start = std::time::Instant::now();
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), slow.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "the connection was still open after {:?}",
        start.elapsed()
    );
    // A client that sends its head in time is served.
    let mut quick = tokio::net::TcpStream::connect(addr).await.expect("connect");
    quick
        .write_all(b"GET /health HTTP/1.1\r\nHost: trusca.example\r\nConnection: close\r\n\r\n")
        .await
        .expect("head");
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    env.finish().await;
}

#[tokio::test]
async fn an_overlong_url_is_answered_with_the_security_headers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let env = backends(Config::default()).await.remove(0);
    let addr = listening(env.app.clone(), std::time::Duration::from_secs(10)).await;
    let mut client = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let path = format!("/v1/projects?x={}", "a".repeat(100_000));
    let head = format!("GET {path} HTTP/1.1\r\nHost: trusca.example\r\n\r\n");
    let _ = client.write_all(head.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client.read_to_end(&mut answer),
    )
    .await;
    let text = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 414"), "{text}");
    assert!(
        text.contains("content-security-policy: default-src 'self'"),
        "{text}"
    );
    assert!(text.contains("x-content-type-options: nosniff"), "{text}");
    assert!(text.contains("urn:trusca:problem:uri-too-long"), "{text}");
    env.finish().await;
}

#[tokio::test]
async fn a_team_bound_key_cannot_tell_which_teams_exist() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let bound =
            trusca_server::db::identity::create_key(&env.state.db, "dev-a", Some("alpha"), "test")
                .await
                .expect("bound key")
                .token;
        for token in [&bound, &p.dev_a] {
            let existing = send(
                &env.app,
                "GET",
                "/v1/projects?team=beta",
                Some(token),
                None,
                &[],
            )
            .await;
            let missing = send(
                &env.app,
                "GET",
                "/v1/projects?team=gamma",
                Some(token),
                None,
                &[],
            )
            .await;
            assert_eq!(existing.status, missing.status, "{}", env.name);
            assert_eq!(existing.status, 403);
            let detail = |a: &Answer, name: &str| {
                a.json["detail"]
                    .as_str()
                    .unwrap_or("")
                    .replace(name, "NAME")
            };
            assert_eq!(
                detail(&existing, "beta"),
                detail(&missing, "gamma"),
                "{}",
                env.name
            );
            assert_eq!(existing.json["type"], missing.json["type"]);
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn health_is_unhealthy_until_the_schema_is_migrated() {
    for version in [0, 3] {
        for env in backends_at_version(version).await {
            let a = send(&env.app, "GET", "/health", None, None, &[]).await;
            assert_eq!(a.status, 503, "{} at {version}: {:?}", env.name, a.json);
            assert_eq!(a.json["type"], "urn:trusca:problem:unavailable");
            env.state.db.migrate().await.expect("migrate");
            let a = send(&env.app, "GET", "/health", None, None, &[]).await;
            assert_eq!(a.status, 200, "{}: {:?}", env.name, a.json);
            env.finish().await;
        }
    }
}

#[tokio::test]
async fn set_password_ends_the_users_sessions() {
    use trusca_server::db::{identity, sessions};
    for env in backends(Config::default()).await {
        let db = &env.state.db;
        people(db).await;
        identity::set_password(db, "dev-a", "first password", "test")
            .await
            .expect("password");
        let user = identity::check_password(db, "dev-a", "first password")
            .await
            .expect("check")
            .expect("signed in");
        let other = identity::check_password(db, "dev-b", "x")
            .await
            .expect("check");
        assert!(other.is_none());
        let session = sessions::create(db, &user, None).await.expect("session");
        assert!(sessions::lookup(db, &session.token)
            .await
            .expect("lookup")
            .is_some());
        identity::set_password(db, "dev-a", "second password", "test")
            .await
            .expect("new password");
        assert!(
            sessions::lookup(db, &session.token)
                .await
                .expect("lookup")
                .is_none(),
            "{}: the old session still works",
            env.name
        );
        env.finish().await;
    }
}

#[tokio::test]
async fn json_nested_as_deep_as_documented_is_read() {
    let config = Config::default();
    let limit = config.max_json_depth;
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        // A trusca result and a CycloneDX SBOM (read as a JSON tree), each `depth` levels deep
        // in all: the document is one level, `x` holds the rest.
        let nested = |mut doc: serde_json::Value, depth: usize| {
            let mut value = json!(1);
            for _ in 0..depth - 1 {
                value = json!([value]);
            }
            doc["x"] = value;
            doc
        };
        for doc in [trusca_result("web", &[("a", "1.0.0")], &[]), cyclonedx(2)] {
            let a = upload(&env.app, &p.dev_a, "web", &nested(doc.clone(), limit)).await;
            assert_eq!(a.status, 201, "{} at {limit}: {:?}", env.name, a.json);
            let a = upload(&env.app, &p.dev_a, "web", &nested(doc, limit + 1)).await;
            assert_eq!(a.status, 400, "{}: {:?}", env.name, a.json);
            assert_eq!(a.json["type"], "urn:trusca:problem:json-too-deep");
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn webhooks_to_internal_addresses_in_ipv6_clothing_are_refused() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let create = |host: &str| {
            let body = json!({"url": format!("http://[{host}]/hook"), "events": ["finding.new"]});
            let token = p.admin_a.clone();
            let app = env.app.clone();
            async move {
                send(
                    &app,
                    "POST",
                    "/v1/teams/alpha/webhooks",
                    Some(&token),
                    json_body(&body),
                    &[],
                )
                .await
            }
        };
        for (host, what) in [
            ("2002:7f00:1::1", "6to4 of 127.0.0.1"),
            ("2002:a00:1::", "6to4 of 10.0.0.1"),
            ("2001:0:a00:1::1", "Teredo with server 10.0.0.1"),
            (
                "2001:0:4136:e378:8000:63bf:80ff:fffe",
                "Teredo with client 127.0.0.1",
            ),
            ("64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"),
            ("64:ff9b:1::c0a8:101", "local-use NAT64 of 192.168.1.1"),
        ] {
            let a = create(host).await;
            assert_eq!(a.status, 422, "{} {what}: {:?}", env.name, a.json);
        }
        for host in ["2002:808:808::1", "64:ff9b:1::808:808"] {
            let a = create(host).await;
            assert_eq!(a.status, 201, "{} {host}: {:?}", env.name, a.json);
        }
        env.finish().await;
    }
}

/// A session cookie for `user` (who must exist), opened without the sign-in form.
async fn session_of(db: &trusca_server::db::Db, user: &str, super_admin: bool) -> String {
    let row: (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(user)
        .fetch_one(&db.pool)
        .await
        .expect("user");
    let signed_in = trusca_server::db::identity::SignedIn {
        user_id: row.0,
        username: user.to_owned(),
        super_admin,
    };
    let session = trusca_server::db::sessions::create(db, &signed_in, None)
        .await
        .expect("session");
    format!("trusca_session={}", session.token)
}

#[tokio::test]
async fn triage_history_is_kept_per_finding_whatever_the_names() {
    for env in backends(Config::default()).await {
        let p = people(&env.state.db).await;
        let app = &env.app;
        // Project `hx` with advisory `y/finding:GHSA-1`, and project `hx/finding:y` with
        // `GHSA-1`: joined into one text, their audit targets read the same.
        let first = trusca_result(
            "hx",
            &[("a", "1.0.0")],
            &[("y/finding:GHSA-1", &[], "a", "1.0.0", "high")],
        );
        let second = trusca_result(
            "x",
            &[("a", "1.0.0")],
            &[("GHSA-1", &[], "a", "1.0.0", "high")],
        );
        assert_eq!(upload(app, &p.dev_a, "hx", &first).await.status, 201);
        assert_eq!(
            upload(app, &p.dev_a, "hx%2Ffinding%3Ay", &second)
                .await
                .status,
            201
        );
        for (project, advisory, comment) in [
            ("hx", "y%2Ffinding%3AGHSA-1", "decided for the first"),
            ("hx%2Ffinding%3Ay", "GHSA-1", "decided for the second"),
        ] {
            let body = json!({"purl": "pkg:npm/a@1.0.0", "state": "affected", "comment": comment});
            let path = format!("/v1/projects/{project}/findings/{advisory}/triage");
            let a = send(app, "PUT", &path, Some(&p.dev_a), json_body(&body), &[]).await;
            assert_eq!(a.status, 200, "{}: {:?}", env.name, a.json);
        }
        let cookie = session_of(&env.state.db, "dev-a", false).await;
        for (project, advisory, own, other) in [
            (
                "hx%2Ffinding%3Ay",
                "GHSA-1",
                "decided for the second",
                "decided for the first",
            ),
            (
                "hx",
                "y%2Ffinding%3AGHSA-1",
                "decided for the first",
                "decided for the second",
            ),
        ] {
            let path =
                format!("/t/alpha/p/{project}/findings/{advisory}?purl=pkg%3Anpm%2Fa%401.0.0");
            let a = send(app, "GET", &path, None, None, &[("cookie", &cookie)]).await;
            assert_eq!(a.status, 200, "{}", env.name);
            let page = String::from_utf8_lossy(&a.bytes);
            assert!(page.contains(own), "{}: {page}", env.name);
            assert!(
                !page.contains(other),
                "{}: the history mixes in another finding's",
                env.name
            );
        }
        env.finish().await;
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_failure_budget() {
    let config = Config {
        auth_failures_per_minute: 2,
        trusted_proxies: vec!["127.0.0.0/8".parse().expect("range")],
        ..Config::default()
    };
    let env = backends(config).await.remove(0);
    let addr = listening(env.app.clone(), std::time::Duration::from_secs(10)).await;
    let client = reqwest::Client::new();
    let attempt = |forwarded: &'static str| {
        let client = client.clone();
        async move {
            client
                .get(format!("http://{addr}/v1/projects"))
                .header("authorization", "Bearer trs_000000000000_bad")
                .header("x-forwarded-for", forwarded)
                .send()
                .await
                .expect("answer")
                .status()
                .as_u16()
        }
    };
    // The client at 203.0.113.1 spends its budget, also when it claims to be another.
    assert_eq!(attempt("203.0.113.1").await, 401);
    assert_eq!(attempt("198.51.100.7, 203.0.113.1").await, 401);
    assert_eq!(attempt("203.0.113.1").await, 429);
    // Another client behind the same proxy is not blocked.
    assert_eq!(attempt("203.0.113.2").await, 401);
    env.finish().await;
}

#[tokio::test]
async fn large_uploads_beyond_the_memory_budget_are_told_to_retry() {
    let config = Config {
        max_upload_memory: 64 << 20,
        ..Config::default()
    };
    for env in backends(config).await {
        let p = people(&env.state.db).await;
        let doc = cyclonedx(12_000); // about 1.2 MB: 29 MiB of the 64 reserved
        let size = doc.to_string().len();
        assert!(size > 1 << 20, "{size}");
        // Another upload of that size is running.
        let running = env.state.uploads.try_reserve(size).expect("first share");
        let other = env.state.uploads.try_reserve(size).expect("second share");
        let a = upload(&env.app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 503, "{}: {:?}", env.name, a.json);
        assert_eq!(a.json["type"], "urn:trusca:problem:server-busy");
        assert!(a.headers.contains_key("retry-after"));
        // Small uploads still go through.
        let small = trusca_result("web", &[("a", "1.0.0")], &[]);
        assert_eq!(upload(&env.app, &p.dev_a, "web", &small).await.status, 201);
        drop((running, other));
        let a = upload(&env.app, &p.dev_a, "web", &doc).await;
        assert_eq!(a.status, 201, "{}: {:?}", env.name, a.json);
        env.finish().await;
    }
}
