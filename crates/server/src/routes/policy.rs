//! A team's policy kept on the server: read by members (`trusca policy pull` writes it for
//! local runs), set by team admins and super admins as a `trusca.toml` text, validated as the
//! CLI reads it, every problem given with its line.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::{Deserialize, Serialize};
use trusca_core::config::MAX_CONFIG_BYTES;

use super::admin::team_admin;
use super::{json, TeamQuery};
use crate::auth::{Caller, TeamCtx};
use crate::db::policy::{self, Change, StoredPolicy};
use crate::error::{ApiError, PolicyProblem};
use crate::gate::{self, PolicySource};
use crate::state::AppState;
use crate::RequestId;

/// The media types a policy text may be sent as.
const TEXT_TYPES: [&str; 3] = ["application/toml", "text/plain", "text/x-toml"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/teams/{team}/policy", get(read_named).put(write))
        .route("/v1/policy", get(read_own))
}

/// A team's policy, as read and written: its text, or an empty one (the built-in policy) when
/// the team keeps none.
#[derive(Serialize)]
struct TeamPolicy<'a> {
    team: &'a str,
    source: PolicySource,
    config: &'a str,
    updated_by: Option<&'a str>,
    updated_at: Option<&'a str>,
}

impl<'a> TeamPolicy<'a> {
    fn of(team: &'a str, stored: Option<&'a StoredPolicy>) -> Self {
        match stored {
            Some(s) => TeamPolicy {
                team,
                source: PolicySource::Team,
                config: &s.config,
                updated_by: Some(&s.updated_by),
                updated_at: Some(&s.updated_at),
            },
            None => TeamPolicy {
                team,
                source: PolicySource::Default,
                config: "",
                updated_by: None,
                updated_at: None,
            },
        }
    }
}

/// `PUT` as JSON: `{"config": "<trusca.toml text>"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyBody {
    config: String,
}

async fn read_named(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
) -> Result<Response, ApiError> {
    let ctx = caller.team(&state, Some(&team)).await?;
    read(&state, &ctx).await
}

/// `GET /v1/policy[?team=]`: the policy of the team the request acts in.
async fn read_own(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let ctx = caller.team(&state, q.team.as_deref()).await?;
    read(&state, &ctx).await
}

async fn read(state: &AppState, ctx: &TeamCtx) -> Result<Response, ApiError> {
    let stored = policy::get(&state.db, ctx.id).await?;
    Ok(json(
        StatusCode::OK,
        &TeamPolicy::of(&ctx.name, stored.as_ref()),
    ))
}

async fn write(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    let text = if is_json(&headers) {
        let bytes = super::read_json_body(&state, &headers, body).await?;
        super::parse_json::<PolicyBody>(&bytes)?.config
    } else {
        read_text(&headers, body).await?
    };
    let stored = set(&state, &ctx, &text, &caller.username, Some(&request_id)).await?;
    Ok(json(
        StatusCode::OK,
        &TeamPolicy::of(&ctx.name, Some(&stored)),
    ))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Validates `text` and stores it as the policy of team `ctx` (shared by the API and the admin
/// page); its problems, each with its line, when it is not a valid `trusca.toml`.
pub(crate) async fn set(
    state: &AppState,
    ctx: &TeamCtx,
    text: &str,
    actor: &str,
    request_id: Option<&str>,
) -> Result<StoredPolicy, ApiError> {
    let config = checked(text)?;
    let change = Change::of(text, config.exceptions.len());
    Ok(policy::set(&state.db, ctx.id, text, &change, actor, request_id).await?)
}

/// `text` read as `trusca.toml`, or every problem with its line.
pub(crate) fn checked(text: &str) -> Result<trusca_core::config::Config, ApiError> {
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ApiError::TooLarge(MAX_CONFIG_BYTES as usize));
    }
    if text.contains('\0') {
        return Err(ApiError::Invalid(
            "the policy contains a NUL character (U+0000), which cannot be stored".into(),
        ));
    }
    gate::validate(text).map_err(|problems| {
        ApiError::InvalidPolicy(
            problems
                .into_iter()
                .map(|p| PolicyProblem {
                    line: p.line,
                    message: p.message,
                    help: p.help,
                })
                .collect(),
        )
    })
}

/// The body as UTF-8 text of at most [`MAX_CONFIG_BYTES`], sent as one of [`TEXT_TYPES`].
async fn read_text(headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    if !media.as_deref().is_some_and(|m| TEXT_TYPES.contains(&m)) {
        return Err(ApiError::UnsupportedMediaType(
            "send the policy as `trusca.toml` text (`Content-Type: application/toml`) or as \
             JSON (`{\"config\": \"…\"}`)"
                .into(),
        ));
    }
    let max = MAX_CONFIG_BYTES as usize;
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
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        ApiError::Invalid(format!(
            "the policy is not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}
