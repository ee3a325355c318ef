//! Cross-project queries over each project's latest scan, limited to the caller's teams.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::{json_value, TeamQuery};
use crate::auth::Caller;
use crate::db::portfolio;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/components", get(component_users))
        .route("/v1/advisories/{advisory}/projects", get(advisory_projects))
}

#[derive(Debug, Deserialize)]
struct ComponentQuery {
    team: Option<String>,
    purl: Option<String>,
    name: Option<String>,
}

async fn component_users(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ComponentQuery>,
) -> Result<Response, ApiError> {
    if q.purl.is_none() && q.name.is_none() {
        return Err(ApiError::BadRequest(
            "give `purl` (with or without version) or `name`".into(),
        ));
    }
    let scope = caller.scope(&state, q.team.as_deref()).await?;
    let items =
        portfolio::component_users(&state.db, &scope, q.purl.as_deref(), q.name.as_deref()).await?;
    Ok(json_value(StatusCode::OK, &json!({ "components": items })))
}

async fn advisory_projects(
    State(state): State<AppState>,
    caller: Caller,
    Path(advisory): Path<String>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&state, q.team.as_deref()).await?;
    let items = portfolio::advisory_projects(&state.db, &scope, &advisory).await?;
    Ok(json_value(
        StatusCode::OK,
        &json!({ "advisory": advisory, "affected": items }),
    ))
}
