//! Sign-in and sign-out.
//!
//! The sign-in form has no session to take a CSRF token from, so it gets its own: a random
//! token in a short-lived `trusca_login` cookie and in a hidden field, which must match; and
//! like every form, its `Origin` must be this site. Failed sign-ins count towards the same
//! per-address limit as failed API keys.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::error::WebError;
use super::html;
use super::session::{self, SameOrigin, WebUser};
use super::view::Chrome;
use crate::db::{identity, sessions};
use crate::state::AppState;
use crate::RequestId;

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// No navigation before signing in.
    pub chrome: Option<Chrome>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The name typed last time.
    pub username: String,
    /// Where to go after signing in.
    pub next: String,
    /// The form's token (also in the `trusca_login` cookie).
    pub csrf: String,
}

/// A local path to return to after signing in; anything else (another site, `//host`,
/// backslashes, control characters) becomes `/projects`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && n.len() <= 2000
                && !n.starts_with("/login") =>
        {
            n.to_owned()
        }
        _ => "/projects".to_owned(),
    }
}

/// `?next=`.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_page(
    status: StatusCode,
    error: Option<String>,
    username: String,
    next: String,
) -> Result<Response, WebError> {
    let csrf = identity::random_token(32)?;
    let page = LoginPage {
        chrome: None,
        error,
        username,
        next,
        csrf,
    };
    let mut res = html(&page)?;
    *res.status_mut() = status;
    res.headers_mut()
        .append(header::SET_COOKIE, session::login_cookie(&page.csrf));
    Ok(res)
}

/// `GET /login`.
pub async fn form(Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    login_page(
        StatusCode::OK,
        None,
        String::new(),
        safe_next(q.next.as_deref()),
    )
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`: checks the password and opens a session.
pub async fn submit(
    State(state): State<AppState>,
    _: SameOrigin,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let cookie = session::cookie(&headers, session::LOGIN_COOKIE).unwrap_or_default();
    if !session::same_secret(&f.csrf, &cookie) {
        return Err(WebError::Csrf);
    }
    let next = safe_next(f.next.as_deref());
    let ip = crate::auth::client_ip(&state, &headers, &extensions);
    crate::auth::check_limit(&state, ip).await?;
    let Some(user) = identity::check_password(&state.db, &f.username, &f.password).await? else {
        crate::auth::count_failure(&state, ip).await;
        return login_page(
            StatusCode::UNAUTHORIZED,
            Some("Wrong username or password.".into()),
            f.username,
            next,
        );
    };
    let new = sessions::create(&state.db, &user, Some(&request_id)).await?;
    let mut res = Redirect::to(&next).into_response();
    let headers = res.headers_mut();
    headers.append(header::SET_COOKIE, session::session_cookie(&new.token));
    headers.append(header::SET_COOKIE, session::clear_login_cookie());
    Ok(res)
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: ends the session (its row is deleted) and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    _: SameOrigin,
    user: WebUser,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Form(f): Form<LogoutForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    sessions::delete(
        &state.db,
        &user.token,
        &user.caller.username,
        Some(&request_id),
    )
    .await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, session::clear_session_cookie());
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/t/a/p/b?x=1")), "/t/a/p/b?x=1");
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/login?next=/x",
            "relative",
        ] {
            assert_eq!(safe_next(Some(bad)), "/projects", "{bad}");
        }
        assert_eq!(safe_next(None), "/projects");
    }
}
