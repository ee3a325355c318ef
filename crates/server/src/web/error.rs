//! Errors of the web pages, answered with an HTML page (never problem+json, which is for `/v1`).

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::view::Chrome;
use crate::db::DbError;
use crate::error::ApiError;

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Not signed in: go to the sign-in page, then back to this path.
    #[error("sign in first")]
    SignIn(String),
    /// A form without the session's token, or sent from another site.
    #[error("the form was not sent from this site or has expired; reload the page and retry")]
    Csrf,
    /// Nothing there.
    #[error("{0}")]
    NotFound(String),
    /// Not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// The request cannot be understood.
    #[error("{0}")]
    BadRequest(String),
    /// Too many failed sign-ins from this address.
    #[error("too many failed sign-ins; retry in {0} seconds")]
    RateLimited(u64),
    /// Anything else: logged, never described.
    #[error("internal error")]
    Internal(String),
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound(m) => WebError::NotFound(m),
            ApiError::Forbidden(m) => WebError::Forbidden(m),
            ApiError::RateLimited { retry_after } => WebError::RateLimited(retry_after),
            ApiError::Internal(m) => WebError::Internal(m),
            other => {
                let (status, _, _) = other.parts();
                if status.is_server_error() {
                    WebError::Internal(other.to_string())
                } else {
                    WebError::BadRequest(other.to_string())
                }
            }
        }
    }
}

impl From<DbError> for WebError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Invalid(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// No navigation on error pages.
    pub chrome: Option<Chrome>,
    /// HTTP status code.
    pub status: u16,
    /// Its reason phrase.
    pub title: String,
    /// What went wrong.
    pub message: String,
}

/// An HTML page for `status` with `message`.
pub fn page(status: StatusCode, message: &str) -> Response {
    let body = ErrorPage {
        chrome: None,
        status: status.as_u16(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        message: message.to_owned(),
    }
    .render()
    .unwrap_or_else(|_| message.to_owned());
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The page for a status no handler described (an unknown page, a wrong method, a timeout).
pub fn generic(status: StatusCode) -> Response {
    let message = match status.as_u16() {
        404 => "There is no page at this address.",
        405 => "This page does not accept that kind of request.",
        413 => "What was sent is too large.",
        s if s >= 500 => "The server met an error; it has been logged.",
        _ => "The request could not be handled.",
    };
    page(status, message)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::SignIn(next) => {
                let to = format!("/login?next={}", super::view::encode(next));
                return Redirect::to(&to).into_response();
            }
            WebError::Csrf | WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(inner) => {
                tracing::error!(error = %inner, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match &self {
            WebError::Internal(_) => "The server met an error; it has been logged.".to_owned(),
            other => other.to_string(),
        };
        let mut res = page(status, &message);
        if let WebError::RateLimited(secs) = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}
