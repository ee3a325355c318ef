//! The team policy page: the `trusca.toml` text the team keeps on the server, in a form (team
//! admins and super admins), saved through the API's own validation and audit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::admin::administered;
use super::error::WebError;
use super::html;
use super::session::{SameOrigin, WebUser};
use super::view::{self, Chrome};
use crate::db::policy;
use crate::error::{ApiError, PolicyProblem};
use crate::state::AppState;
use crate::RequestId;

/// `/t/{team}/admin/policy`.
#[derive(Template)]
#[template(path = "team_policy.html")]
pub struct PolicyPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// Team.
    pub team: String,
    /// Who set the policy and when, or that there is none.
    pub state: String,
    /// Confirmation of the last save.
    pub notice: Option<String>,
    /// Why the text sent was not saved.
    pub problems: Vec<PolicyProblem>,
    /// The text shown in the form.
    pub config: String,
    /// Where the form posts.
    pub action: String,
    /// The team page.
    pub back: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// `?saved=`.
#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

fn policy_href(team: &str) -> String {
    format!("{}/policy", view::team_admin_href(team))
}

async fn render(
    state: &AppState,
    user: &WebUser,
    team: &crate::auth::TeamCtx,
    text: Option<String>,
    problems: Vec<PolicyProblem>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let stored = policy::get(&state.db, team.id).await?;
    let described = match &stored {
        Some(s) => format!(
            "Set by {} on {}.",
            s.updated_by,
            view::minute(&s.updated_at)
        ),
        None => "The team keeps no policy yet: its uploads are judged under the built-in one."
            .to_owned(),
    };
    let config = text.unwrap_or_else(|| stored.map(|s| s.config).unwrap_or_default());
    html(&PolicyPage {
        chrome: Some(Chrome::new(user, Some(&team.name))),
        team: team.name.clone(),
        state: described,
        notice,
        problems,
        config,
        action: policy_href(&team.name),
        back: view::team_admin_href(&team.name),
        csrf: user.session.csrf.clone(),
    })
}

/// `GET /t/{team}/admin/policy`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(team): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, WebError> {
    let ctx = administered(&state, &user, &team).await?;
    let notice = q.saved.map(|_| "The policy was saved.".to_owned());
    render(&state, &user, &ctx, None, Vec::new(), notice).await
}

/// The policy form.
#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    config: String,
}

/// `POST /t/{team}/admin/policy`: saves the text (422 with every problem and the text kept when
/// it is not a valid `trusca.toml`).
pub async fn save(
    State(state): State<AppState>,
    _: SameOrigin,
    user: WebUser,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Path(team): Path<String>,
    Form(f): Form<PolicyForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let ctx = administered(&state, &user, &team).await?;
    // Browsers send text areas with CRLF line ends; the policy is kept as LF text.
    let text = f.config.replace("\r\n", "\n");
    let saved = crate::routes::policy::set(
        &state,
        &ctx,
        &text,
        &user.caller.username,
        Some(&request_id),
    )
    .await;
    match saved {
        Ok(_) => {
            let to = format!("{}?saved=1", policy_href(&ctx.name));
            Ok(Redirect::to(&to).into_response())
        }
        Err(ApiError::InvalidPolicy(problems)) => {
            let mut res = render(&state, &user, &ctx, Some(text), problems, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
