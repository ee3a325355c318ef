//! API errors, rendered as RFC 7807 `application/problem+json` with a stable `type` per problem.
//! Internal detail (database errors, panics) is logged with the request id and never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;
use crate::ingest::IngestError;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every problem the API reports. The `type` of each is `urn:trusca:problem:<slug>`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credentials were sent.
    #[error("an API key is required (`Authorization: Bearer trs_…` or `X-API-Key`)")]
    Unauthenticated,
    /// Credentials were sent but are not a valid, unrevoked key.
    #[error("the API key is not valid")]
    BadCredentials,
    /// Too many failed authentications from this address.
    #[error("too many failed authentications; retry later")]
    RateLimited {
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// Authenticated, but the resource belongs to a team the caller is not in, or needs a
    /// higher role.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing there (also what non-admins get for admin routes).
    #[error("{0}")]
    NotFound(String),
    /// The request cannot be understood.
    #[error("{0}")]
    BadRequest(String),
    /// The key or caller has no team to act in; name one with `?team=`.
    #[error("{0}")]
    TeamRequired(String),
    /// The body is JSON of the wrong shape or with invalid values.
    #[error("{0}")]
    Invalid(String),
    /// The body is not well-formed JSON.
    #[error("{0}")]
    MalformedJson(String),
    /// A policy text (`trusca.toml`) has problems, each with its line.
    #[error("`trusca.toml` has {}: {}", count(.0.len()), summary(.0))]
    InvalidPolicy(Vec<PolicyProblem>),
    /// The JSON nests deeper than allowed.
    #[error("the JSON document nests deeper than {0} levels")]
    TooDeep(usize),
    /// The body is larger than allowed.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// The upload has more components than allowed.
    #[error("the document lists {found} components, more than the {limit} accepted")]
    TooManyComponents {
        /// How many were found.
        found: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The same `Idempotency-Key` was used with a different request.
    #[error("the `Idempotency-Key` was already used with a different request")]
    IdempotencyConflict,
    /// A uniqueness rule was broken.
    #[error("{0}")]
    Conflict(String),
    /// Other uploads hold the memory this one needs; retry later.
    #[error("the server is busy with other large uploads; retry in {retry_after} seconds")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The server cannot serve now (its database is not ready).
    #[error("{0}")]
    Unavailable(String),
    /// The request took longer than the server allows.
    #[error("the request took too long and was abandoned; nothing was stored")]
    Timeout,
    /// Anything else: logged, never described to the client.
    #[error("internal error")]
    Internal(String),
}

/// The JSON body of a problem.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A stable URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short human title of the kind.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// Every problem of a policy text, for `invalid-policy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<PolicyProblem>>,
}

/// One problem of a policy text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    /// The 1-based line it is on.
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

fn summary(problems: &[PolicyProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect();
    lines.join("; ")
}

impl ApiError {
    /// The HTTP status, the type slug and the title.
    pub fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        use ApiError::*;
        match self {
            Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Authentication required",
            ),
            BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad-credentials",
                "Invalid API key",
            ),
            RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many failed authentications",
            ),
            Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            TeamRequired(_) => (StatusCode::BAD_REQUEST, "team-required", "Team required"),
            Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-document",
                "Invalid document",
            ),
            MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed-json", "Malformed JSON"),
            InvalidPolicy(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-policy",
                "Invalid policy",
            ),
            TooDeep(_) => (
                StatusCode::BAD_REQUEST,
                "json-too-deep",
                "JSON nested too deeply",
            ),
            TooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Request body too large",
            ),
            TooManyComponents { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-many-components",
                "Too many components",
            ),
            UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            IdempotencyConflict => (
                StatusCode::CONFLICT,
                "idempotency-key-reused",
                "Idempotency key reused",
            ),
            Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Busy { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "server-busy",
                "Server busy",
            ),
            Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            Timeout => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Request timed out",
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }

    /// Wraps an internal error; the detail goes to the log only.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// A refused value is the caller's mistake (422), a reused idempotency key a conflict (409);
/// anything else is ours.
impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Invalid(m) => ApiError::Invalid(m),
            DbError::IdempotencyConflict => ApiError::IdempotencyConflict,
            other => ApiError::internal(other),
        }
    }
}

/// An upload the server cannot read is the caller's mistake.
impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::MalformedJson(m) => ApiError::MalformedJson(m),
            IngestError::Invalid(m) => ApiError::Invalid(m),
            IngestError::TooManyComponents { found, limit } => {
                ApiError::TooManyComponents { found, limit }
            }
        }
    }
}

/// A problem response for a status that no handler described (an unknown route, a wrong method,
/// a panic): the generic type for the status.
pub fn generic(status: StatusCode) -> Response {
    let (slug, title) = generic_kind(status);
    let detail = status.canonical_reason().unwrap_or("error").to_lowercase();
    render(status, slug, title, detail)
}

/// The body of [`generic`], for answers written without a [`Response`] (see [`crate::listen`]).
pub fn generic_body(status: StatusCode) -> Vec<u8> {
    let (slug, title) = generic_kind(status);
    let detail = status.canonical_reason().unwrap_or("error").to_lowercase();
    problem_bytes(status, slug, title, detail, None)
}

/// The type slug and title of a status no handler described.
fn generic_kind(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthenticated", "Authentication required"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        408 => ("timeout", "Request timed out"),
        413 => ("body-too-large", "Request body too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        414 => ("uri-too-long", "URI too long"),
        422 => ("invalid-document", "Invalid document"),
        431 => ("headers-too-large", "Request headers too large"),
        s if s >= 500 => ("internal", "Internal server error"),
        _ => ("client-error", "Client error"),
    }
}

fn problem_bytes(
    status: StatusCode,
    slug: &str,
    title: &'static str,
    detail: String,
    problems: Option<Vec<PolicyProblem>>,
) -> Vec<u8> {
    let body = Problem {
        kind: format!("urn:trusca:problem:{slug}"),
        title,
        status: status.as_u16(),
        detail,
        problems,
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

fn render(status: StatusCode, slug: &str, title: &'static str, detail: String) -> Response {
    render_with(status, slug, title, detail, None)
}

fn render_with(
    status: StatusCode,
    slug: &str,
    title: &'static str,
    detail: String,
    problems: Option<Vec<PolicyProblem>>,
) -> Response {
    let bytes = problem_bytes(status, slug, title, detail, problems);
    let mut res = (status, bytes).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, title) = self.parts();
        let detail = match &self {
            ApiError::Internal(inner) => {
                // The request id is attached by the request span.
                tracing::error!(error = %inner, "internal error");
                "the server met an internal error; it has been logged".to_owned()
            }
            other => other.to_string(),
        };
        let problems = match &self {
            ApiError::InvalidPolicy(p) => Some(p.clone()),
            _ => None,
        };
        let mut res = render_with(status, slug, title, detail, problems);
        match &self {
            ApiError::RateLimited { retry_after } | ApiError::Busy { retry_after } => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            ApiError::Unauthenticated | ApiError::BadCredentials => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        res
    }
}
