//! The web UI: server-rendered pages for people, beside the `/v1` API for tools.
//!
//! Templates are askama's: they are compiled with the server, so a template that names a
//! missing field or has a syntax error fails the build instead of a page at run time, and
//! every value is HTML-escaped unless a template says otherwise (none does). Pages work without
//! JavaScript (there is none) and share one small stylesheet compiled into the binary.
//!
//! Signing in opens a session (see [`session`]); every form is guarded against cross-site
//! requests by the session's CSRF token and by an `Origin` check. Team scoping is the API's:
//! the signed-in user is turned into an API [`crate::auth::Caller`].

pub mod admin;
pub mod advisory;
pub mod error;
pub mod finding;
pub mod login;
pub mod policy;
pub mod projects;
pub mod session;
pub mod view;
pub mod vulndb;

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;
pub use error::WebError;

/// The stylesheet, compiled in.
const APP_CSS: &str = include_str!("../../static/app.css");

/// Every page route (method, path template). Not part of the API's [`crate::ROUTES`].
pub const PAGES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/projects"),
    ("GET", "/t/{team}/p/{project}"),
    ("GET", "/t/{team}/p/{project}/findings/{advisory}"),
    ("POST", "/t/{team}/p/{project}/findings/{advisory}/triage"),
    ("GET", "/t/{team}/admin"),
    ("POST", "/t/{team}/admin/keys/{prefix}/revoke"),
    ("GET", "/t/{team}/admin/policy"),
    ("POST", "/t/{team}/admin/policy"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/vuln-db"),
    ("POST", "/admin/vuln-db/refresh"),
    ("GET", "/static/app.css"),
];

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/projects", get(projects::list))
        .route("/t/{team}/p/{project}", get(projects::project))
        .route(
            "/t/{team}/p/{project}/findings/{advisory}",
            get(finding::page),
        )
        .route(
            "/t/{team}/p/{project}/findings/{advisory}/triage",
            post(finding::triage),
        )
        .route("/t/{team}/admin", get(admin::team))
        .route(
            "/t/{team}/admin/keys/{prefix}/revoke",
            post(admin::revoke_key),
        )
        .route(
            "/t/{team}/admin/policy",
            get(policy::page).post(policy::save),
        )
        .route("/admin/audit", get(admin::audit))
        .route("/admin/vuln-db", get(vulndb::page))
        .route("/admin/vuln-db/refresh", post(vulndb::refresh))
        .route("/static/app.css", get(stylesheet))
}

/// Whether a path belongs to the API (errors as problem+json) rather than to the pages (errors
/// as HTML).
pub fn is_api_path(path: &str) -> bool {
    path == "/health" || path == "/metrics" || path == "/v1" || path.starts_with("/v1/")
}

/// Sets the headers every response carries: a content security policy that allows nothing but
/// this site's own stylesheet and images (no script at all), no framing, no referrer to other
/// sites, and no content sniffing.
pub fn security_headers(headers: &mut HeaderMap) {
    const CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
                       style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// A rendered page: HTML, never cached (pages show team data).
pub fn html<T: Template>(page: &T) -> Result<Response, WebError> {
    let body = page.render()?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// `/`: the projects (which send a visitor who is not signed in to the sign-in page).
async fn home() -> Redirect {
    Redirect::to("/projects")
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
        .into_response()
}
