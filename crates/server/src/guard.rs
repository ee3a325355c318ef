//! Refusing the NUL character (U+0000) before any handler runs a query with it: PostgreSQL text
//! cannot hold one (a query binding it fails), SQLite can, and both backends must answer alike.
//!
//! The path and query are checked here for every request, and so is the body of a form
//! (`application/x-www-form-urlencoded`, the web pages' forms, sign-in included). JSON bodies
//! are checked where they are parsed ([`crate::routes::JsonBody`]; uploads name the component).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{self, WebError};

/// What a refused request is told.
pub const NUL_REFUSED: &str = "the request contains a NUL character (U+0000), which is refused";

/// Whether URL-encoded text (a path, a query, a form body) holds a NUL, raw or as `%00`.
pub fn encoded_nul(text: &[u8]) -> bool {
    text.contains(&0) || text.windows(3).any(|w| w == b"%00")
}

/// Whether a JSON text holds a NUL inside a string: the escape `\u0000` (a raw NUL is not valid
/// JSON and fails parsing anyway).
pub fn json_nul(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            0 => return true,
            // Outside strings valid JSON has no backslash, so every one starts an escape.
            b'\\' => {
                if text.get(i + 1..i + 6) == Some(b"u0000".as_slice()) {
                    return true;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    false
}

/// The middleware: 400 for a NUL in the path, the query or a form body (a problem document for
/// the API, an HTML page otherwise).
pub async fn refuse_nul(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = web::is_api_path(req.uri().path());
    let refuse = |api: bool| {
        if api {
            ApiError::BadRequest(NUL_REFUSED.into()).into_response()
        } else {
            WebError::BadRequest(NUL_REFUSED.into()).into_response()
        }
    };
    let uri = req.uri();
    if encoded_nul(uri.path().as_bytes()) || uri.query().is_some_and(|q| encoded_nul(q.as_bytes()))
    {
        return refuse(api);
    }
    if !is_form(&req) {
        return next.run(req).await;
    }
    // Forms are small: read the body here, within the body limit, and hand it on.
    let (parts, body) = req.into_parts();
    let max = state.config.max_body_bytes;
    let bytes = match Limited::new(body, max).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return if api {
                ApiError::TooLarge(max).into_response()
            } else {
                web::error::generic(axum::http::StatusCode::PAYLOAD_TOO_LARGE)
            };
        }
        Err(_) => return refuse_unreadable(api),
    };
    if encoded_nul(&bytes) {
        return refuse(api);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn refuse_unreadable(api: bool) -> Response {
    let message = "the request body could not be read";
    if api {
        ApiError::BadRequest(message.into()).into_response()
    } else {
        WebError::BadRequest(message.into()).into_response()
    }
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_nul_is_found_raw_or_escaped() {
        assert!(encoded_nul(b"/v1/teams/a%00b"));
        assert!(encoded_nul(b"a=\0"));
        assert!(!encoded_nul(b"/v1/teams/a%2500b"));
        assert!(!encoded_nul(b"a=%20b"));
    }

    #[test]
    fn json_nul_is_the_escape_inside_a_string() {
        assert!(json_nul(br#"{"a":"x\u0000"}"#));
        assert!(!json_nul(br#"{"a":"x\\u0000"}"#));
        assert!(json_nul(br#"{"a":"x\\\u0000"}"#));
        assert!(!json_nul(br#"{"a":"\u0001"}"#));
    }
}
