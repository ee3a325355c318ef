//! The signed-in user of a page (from the `trusca_session` cookie), the cookies themselves, and
//! the two CSRF defences of every form: the session's token in a hidden field, compared in
//! constant time, and an `Origin` (or `Referer`) that must name this very host.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use subtle::ConstantTimeEq;

use super::error::WebError;
use crate::auth::Caller;
use crate::db::identity;
use crate::db::sessions::{self, Session, MAX_AGE};
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "trusca_session";
/// The sign-in form's own CSRF cookie (there is no session yet to hold a token).
pub const LOGIN_COOKIE: &str = "trusca_login";

/// The value of cookie `name`, from any `Cookie` header.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for the session: HttpOnly, Secure, SameSite=Lax, the whole site, and a
/// lifetime of at most [`MAX_AGE`] (the server ends idle sessions sooner).
pub fn session_cookie(token: &str) -> HeaderValue {
    cookie_value(SESSION_COOKIE, token, "/", "Lax", MAX_AGE.as_secs())
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie() -> HeaderValue {
    cookie_value(SESSION_COOKIE, "", "/", "Lax", 0)
}

/// `Set-Cookie` for the sign-in form's token (an hour, sign-in page only).
pub fn login_cookie(token: &str) -> HeaderValue {
    cookie_value(LOGIN_COOKIE, token, "/login", "Strict", 3600)
}

/// `Set-Cookie` that removes the sign-in form's token.
pub fn clear_login_cookie() -> HeaderValue {
    cookie_value(LOGIN_COOKIE, "", "/login", "Strict", 0)
}

fn cookie_value(name: &str, value: &str, path: &str, same_site: &str, max_age: u64) -> HeaderValue {
    // Names, paths and values are hex or constants: always a valid header value.
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; Secure; SameSite={same_site}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The host a request was sent to (`Host`, or the authority of an HTTP/2 request).
fn request_host(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.as_str().to_owned()))
}

/// `scheme://authority` → authority; anything else (`null`, garbage) → `None`.
fn authority_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty())
}

/// Whether the request comes from a page of this site: its `Origin`, or failing that its
/// `Referer`, names the host the request was sent to. Neither header: refused.
pub fn same_origin(parts: &Parts) -> bool {
    let Some(host) = request_host(parts) else {
        return false;
    };
    let header_text = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let from = match header_text(header::ORIGIN) {
        Some(origin) => authority_of(origin),
        None => header_text(header::REFERER).and_then(authority_of),
    };
    from.is_some_and(|a| a.eq_ignore_ascii_case(&host))
}

/// Extracted by every form handler: refuses (403) a request whose `Origin`/`Referer` is not
/// this site.
#[derive(Debug, Clone, Copy)]
pub struct SameOrigin;

impl FromRequestParts<AppState> for SameOrigin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, WebError> {
        if same_origin(parts) {
            Ok(SameOrigin)
        } else {
            Err(WebError::Csrf)
        }
    }
}

/// The signed-in user of a page. Pages without one redirect to the sign-in page.
#[derive(Debug, Clone)]
pub struct WebUser {
    /// The session.
    pub session: Session,
    /// The cookie value (to end the session).
    pub token: String,
    /// The user as the API sees a caller, so that team scoping is the API's own.
    pub caller: Caller,
}

impl WebUser {
    /// Refuses anyone but a super admin, with the 404 every other missing page gets.
    pub fn require_super_admin(&self) -> Result<(), WebError> {
        if self.caller.super_admin {
            Ok(())
        } else {
            Err(WebError::NotFound(
                "There is no page at this address.".into(),
            ))
        }
    }

    /// Refuses (403) a form whose CSRF token is not the session's.
    pub fn check_csrf(&self, presented: &str) -> Result<(), WebError> {
        if same_secret(presented, &self.session.csrf) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        // After signing in, come back to the page asked for; a form cannot be sent again.
        let next = if parts.method == axum::http::Method::GET {
            parts
                .uri
                .path_and_query()
                .map_or("/projects", |p| p.as_str())
                .to_owned()
        } else {
            "/projects".to_owned()
        };
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(WebError::SignIn(next.clone()))?;
        let session = sessions::lookup(&state.db, &token)
            .await?
            .ok_or(WebError::SignIn(next))?;
        let memberships = identity::memberships(&state.db, session.user.user_id).await?;
        let caller = Caller {
            user_id: session.user.user_id,
            username: session.user.username.clone(),
            super_admin: session.user.super_admin,
            // A session is not an API key: no key row (ids start at 1) and no key team.
            key_id: 0,
            key_team: None,
            memberships,
        };
        Ok(WebUser {
            session,
            token,
            caller,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut req = Request::builder().method("POST").uri("/logout");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(())
            .map(|r| r.into_parts().0)
            .unwrap_or_else(|_| Request::new(()).into_parts().0)
    }

    #[test]
    fn origin_must_name_the_host() {
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(&parts(&[
            host,
            ("origin", "http://127.0.0.1:8080")
        ])));
        assert!(same_origin(&parts(&[
            host,
            ("origin", "https://127.0.0.1:8080")
        ])));
        assert!(!same_origin(&parts(&[
            host,
            ("origin", "http://evil.example")
        ])));
        assert!(!same_origin(&parts(&[
            host,
            ("origin", "http://127.0.0.1:8081")
        ])));
        assert!(!same_origin(&parts(&[host, ("origin", "null")])));
        assert!(!same_origin(&parts(&[host])));
        assert!(same_origin(&parts(&[
            host,
            ("referer", "http://127.0.0.1:8080/t/a/p/b?x=1")
        ])));
        assert!(!same_origin(&parts(&[
            host,
            ("referer", "http://127.0.0.1:8080.evil.example/")
        ])));
        // Origin wins over Referer.
        assert!(!same_origin(&parts(&[
            host,
            ("origin", "http://evil.example"),
            ("referer", "http://127.0.0.1:8080/")
        ])));
    }

    #[test]
    fn cookies_are_read_and_flagged() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; trusca_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        let set = session_cookie("abc");
        let set = set.to_str().unwrap_or("");
        for flag in [
            "trusca_session=abc",
            "HttpOnly",
            "Secure",
            "SameSite=Lax",
            "Path=/;",
        ] {
            assert!(set.contains(flag), "{set} lacks {flag}");
        }
        assert!(clear_session_cookie()
            .to_str()
            .is_ok_and(|v| v.contains("Max-Age=0")));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abcd", "abcd"));
        assert!(!same_secret("abcd", "abce"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", ""));
    }
}
