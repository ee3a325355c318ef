//! Cross-project queries over each project's latest scan, limited to the caller's teams.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::{json, TeamQuery};
use crate::auth::Caller;
use crate::db::portfolio::{self, AffectedProject, ComponentUser};
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
    let components =
        portfolio::component_users(&state.db, &scope, q.purl.as_deref(), q.name.as_deref()).await?;
    Ok(json(StatusCode::OK, &ComponentUsers { components }))
}

/// `GET /v1/components`.
#[derive(Serialize)]
struct ComponentUsers {
    components: Vec<ComponentUser>,
}

async fn advisory_projects(
    State(state): State<AppState>,
    caller: Caller,
    Path(advisory): Path<String>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&state, q.team.as_deref()).await?;
    let affected = portfolio::advisory_projects(&state.db, &scope, &advisory).await?;
    Ok(json(
        StatusCode::OK,
        &AdvisoryProjects {
            advisory: &advisory,
            affected,
        },
    ))
}

/// `GET /v1/advisories/{advisory}/projects`.
#[derive(Serialize)]
struct AdvisoryProjects<'a> {
    advisory: &'a str,
    affected: Vec<AffectedProject>,
}
