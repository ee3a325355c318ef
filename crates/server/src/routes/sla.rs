//! Remediation SLAs of a team: the policy (read by members, set by team admins and super
//! admins) and the overdue open findings.

use std::time::SystemTime;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};

use super::admin::team_admin;
use super::{json, JsonBody, Page};
use crate::auth::Caller;
use crate::db::sla::{self, Overdue, SlaPolicy};
use crate::error::ApiError;
use crate::state::AppState;
use crate::RequestId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/teams/{team}/sla", get(read).put(write))
        .route("/v1/teams/{team}/findings/overdue", get(overdue))
}

/// A team's policy, as read and written.
#[derive(Serialize)]
struct Policy<'a> {
    team: &'a str,
    days: &'a SlaPolicy,
}

async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
) -> Result<Response, ApiError> {
    let ctx = caller.team(&state, Some(&team)).await?;
    let policy = sla::policy(&state.db, ctx.id).await?;
    Ok(json(
        StatusCode::OK,
        &Policy {
            team: &ctx.name,
            days: &policy,
        },
    ))
}

/// Every severity's days, all required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyBody {
    critical: i64,
    high: i64,
    medium: i64,
    low: i64,
}

async fn write(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    JsonBody(body): JsonBody<PolicyBody>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    let policy = SlaPolicy {
        critical: body.critical,
        high: body.high,
        medium: body.medium,
        low: body.low,
    };
    sla::set_policy(
        &state.db,
        ctx.id,
        &policy,
        &caller.username,
        Some(&request_id),
    )
    .await?;
    Ok(json(
        StatusCode::OK,
        &Policy {
            team: &ctx.name,
            days: &policy,
        },
    ))
}

async fn overdue(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let ctx = caller.team(&state, Some(&team)).await?;
    let policy = sla::policy(&state.db, ctx.id).await?;
    let all = sla::overdue(&state.db, ctx.id, &policy, SystemTime::now(), false).await?;
    let total = all.len();
    let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit(100, 1000)).unwrap_or(100);
    let findings: Vec<Overdue> = all.into_iter().skip(skip).take(take).collect();
    Ok(json(
        StatusCode::OK,
        &OverdueList {
            team: &ctx.name,
            total,
            findings,
        },
    ))
}

/// `GET /v1/teams/{team}/findings/overdue`.
#[derive(Serialize)]
struct OverdueList<'a> {
    team: &'a str,
    total: usize,
    findings: Vec<Overdue>,
}
