//! Team administration (team admins and super admins), key revocation, and organisation
//! administration (super admins only: 404 to everyone else, so the routes are not disclosed).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};

use super::{json, JsonBody, Page};
use crate::auth::Caller;
use crate::db::identity;
use crate::db::portfolio::{self, AuditEntry, KeyOwner, Member, User};
use crate::error::ApiError;
use crate::state::AppState;
use crate::RequestId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/teams/{team}/members", get(members))
        .route("/v1/teams/{team}/members/{username}", put(set_member))
        .route("/v1/keys/{prefix}", delete(revoke_key))
        .route("/v1/admin/users", get(users))
        .route("/v1/admin/audit", get(audit))
}

pub(super) async fn team_admin(
    state: &AppState,
    caller: &Caller,
    team: &str,
) -> Result<crate::auth::TeamCtx, ApiError> {
    let ctx = caller.team(state, Some(team)).await?;
    if !ctx.is_admin(caller) {
        return Err(ApiError::Forbidden(format!(
            "only a team admin of `{team}` may do this"
        )));
    }
    Ok(ctx)
}

async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    let members = portfolio::members(&state.db, ctx.id).await?;
    Ok(json(
        StatusCode::OK,
        &MemberList {
            team: &ctx.name,
            members,
        },
    ))
}

/// `GET /v1/teams/{team}/members`.
#[derive(Serialize)]
struct MemberList<'a> {
    team: &'a str,
    members: Vec<Member>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    role: String,
}

async fn set_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((team, username)): Path<(String, String)>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    JsonBody(body): JsonBody<RoleBody>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    identity::set_member(
        &state.db,
        &ctx.name,
        &username,
        &body.role,
        &caller.username,
        Some(&request_id),
    )
    .await?;
    Ok(json(
        StatusCode::OK,
        &MemberSet {
            team: &ctx.name,
            username: &username,
            role: &body.role,
        },
    ))
}

/// `PUT /v1/teams/{team}/members/{username}`.
#[derive(Serialize)]
struct MemberSet<'a> {
    team: &'a str,
    username: &'a str,
    role: &'a str,
}

async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(prefix): Path<String>,
    Extension(RequestId(request_id)): Extension<RequestId>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(format!("no active key `{prefix}` you may revoke"));
    let owner = portfolio::key_owner(&state.db, &prefix)
        .await?
        .ok_or_else(not_found)?;
    if !may_revoke(&caller, owner) {
        return Err(not_found());
    }
    if !identity::revoke_key(&state.db, &prefix, &caller.username, Some(&request_id))
        .await
        .map_err(ApiError::internal)?
    {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Whether `caller` may revoke a key: a super admin, the owner, or a team admin of the key's
/// team (the API and the web page share this rule).
pub(crate) fn may_revoke(caller: &Caller, key: KeyOwner) -> bool {
    caller.super_admin
        || key.user_id == caller.user_id
        || key.team_id.is_some_and(|t| {
            caller
                .memberships
                .iter()
                .any(|m| m.team_id == t && m.role == "team_admin")
        })
}

pub(super) fn super_admin(caller: &Caller) -> Result<(), ApiError> {
    if caller.super_admin {
        Ok(())
    } else {
        Err(ApiError::NotFound("not found".into()))
    }
}

async fn users(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    super_admin(&caller)?;
    let users = portfolio::users(&state.db).await?;
    Ok(json(StatusCode::OK, &UserList { users }))
}

/// `GET /v1/admin/users`.
#[derive(Serialize)]
struct UserList {
    users: Vec<User>,
}

async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    super_admin(&caller)?;
    let entries = portfolio::audit_log(&state.db, page.limit(100, 1000)).await?;
    Ok(json(StatusCode::OK, &AuditList { entries }))
}

/// `GET /v1/admin/audit`.
#[derive(Serialize)]
struct AuditList {
    entries: Vec<AuditEntry>,
}
