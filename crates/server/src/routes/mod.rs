//! The HTTP API. Each module has a `router()`; they are merged here. [`ROUTES`] lists every
//! route, and a test checks that the OpenAPI document names each of them.

pub(crate) mod admin;
mod meta;
pub(crate) mod policy;
mod portfolio;
pub(crate) mod projects;
mod sla;
mod vulndb;
mod webhooks;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::ingest::too_deep;
use crate::state::AppState;

/// Every route: method and path template.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/metrics"),
    ("GET", "/v1/openapi.json"),
    ("GET", "/v1/projects"),
    ("GET", "/v1/projects/{project}"),
    ("POST", "/v1/projects/{project}/scans"),
    ("GET", "/v1/projects/{project}/scans"),
    ("GET", "/v1/projects/{project}/scans/{scan}"),
    ("GET", "/v1/projects/{project}/scans/{scan}/document"),
    ("GET", "/v1/projects/{project}/scans/{scan}/components"),
    ("GET", "/v1/projects/{project}/findings"),
    ("PUT", "/v1/projects/{project}/findings/{advisory}/triage"),
    ("GET", "/v1/components"),
    ("GET", "/v1/advisories/{advisory}/projects"),
    ("GET", "/v1/teams/{team}/members"),
    ("PUT", "/v1/teams/{team}/members/{username}"),
    ("GET", "/v1/teams/{team}/webhooks"),
    ("POST", "/v1/teams/{team}/webhooks"),
    ("DELETE", "/v1/teams/{team}/webhooks/{id}"),
    ("GET", "/v1/teams/{team}/webhooks/{id}/deliveries"),
    ("POST", "/v1/teams/{team}/webhooks/{id}/test"),
    ("GET", "/v1/teams/{team}/sla"),
    ("PUT", "/v1/teams/{team}/sla"),
    ("GET", "/v1/teams/{team}/findings/overdue"),
    ("GET", "/v1/teams/{team}/policy"),
    ("PUT", "/v1/teams/{team}/policy"),
    ("GET", "/v1/policy"),
    ("DELETE", "/v1/keys/{prefix}"),
    ("GET", "/v1/admin/vuln-db"),
    ("POST", "/v1/admin/vuln-db/refresh"),
    ("GET", "/v1/admin/users"),
    ("GET", "/v1/admin/audit"),
];

/// All routes, without state.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(meta::router())
        .merge(projects::router())
        .merge(portfolio::router())
        .merge(admin::router())
        .merge(webhooks::router())
        .merge(sla::router())
        .merge(policy::router())
        .merge(vulndb::router())
}

/// `?team=NAME`, accepted by every team-scoped route.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TeamQuery {
    /// The team to act in.
    pub team: Option<String>,
}

/// Reads a JSON request body within the configured size and depth limits. A body that is not
/// declared as JSON is 415.
pub async fn read_json_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match media.as_deref() {
        Some(m)
            if m == "application/json"
                || (m.starts_with("application/") && m.ends_with("+json")) => {}
        Some(m) => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "the body must be JSON (`application/json`), not `{m}`"
            )))
        }
        None => {
            return Err(ApiError::UnsupportedMediaType(
                "the body must be JSON: send `Content-Type: application/json`".into(),
            ))
        }
    }
    let bytes = read_limited(state, headers, body).await?;
    if too_deep(&bytes, state.config.max_json_depth) {
        return Err(ApiError::TooDeep(state.config.max_json_depth));
    }
    Ok(bytes)
}

/// The length a request declares (`Content-Length`), if any.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// The body, refused (413) beyond `max_body_bytes`.
async fn read_limited(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ApiError> {
    let max = state.config.max_body_bytes;
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > max as u64) {
        return Err(ApiError::TooLarge(max));
    }
    let bytes = Limited::new(body, max)
        .collect()
        .await
        .map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                ApiError::TooLarge(max)
            } else {
                ApiError::BadRequest("the request body could not be read".into())
            }
        })?
        .to_bytes();
    Ok(bytes)
}

/// A small JSON body deserialised into `T`, with problem responses for every failure.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = read_json_body(state, &parts.headers, body).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Like [`JsonBody`], for a body that may be left out: none at all, or only whitespace, is
/// `T::default()` (with or without a `Content-Type`).
#[derive(Debug)]
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default> FromRequest<AppState> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = if parts.headers.contains_key(header::CONTENT_TYPE) {
            read_json_body(state, &parts.headers, body).await?
        } else {
            read_limited(state, &parts.headers, body).await?
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBody(T::default()));
        }
        if !parts.headers.contains_key(header::CONTENT_TYPE) {
            return Err(ApiError::UnsupportedMediaType(
                "the body must be JSON: send `Content-Type: application/json`".into(),
            ));
        }
        parse_json(&bytes).map(OptionalJsonBody)
    }
}

/// A JSON body deserialised, with problem responses for malformed JSON (400) and for JSON of
/// the wrong shape or holding a NUL character (422).
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::MalformedJson(format!("the body is not valid JSON: {e}"))
        } else {
            ApiError::Invalid(format!("invalid request: {e}"))
        }
    })?;
    // PostgreSQL text cannot hold a NUL: refused before any query binds it.
    if crate::guard::json_nul(bytes) {
        return Err(ApiError::Invalid(
            "the body contains a NUL character (U+0000), which cannot be stored".into(),
        ));
    }
    Ok(value)
}

/// A JSON response from already-serialised text.
pub fn json_text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A JSON response from a typed body, written as [`crate::json::text`] writes it.
pub fn json<T: serde::Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match crate::json::text(body) {
        Ok(text) => json_text(status, text),
        Err(e) => ApiError::internal(format!("cannot write the response: {e}")).into_response(),
    }
}

/// `?limit=&offset=` for paged lists.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Page {
    /// Team.
    pub team: Option<String>,
    /// At most this many items (capped).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

impl Page {
    /// The limit within `1..=max`, `default` when absent.
    pub fn limit(&self, default: i64, max: i64) -> i64 {
        self.limit.unwrap_or(default).clamp(1, max)
    }

    /// The offset, never negative.
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}
