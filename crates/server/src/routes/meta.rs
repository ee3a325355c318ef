//! `/health`, `/metrics` and the OpenAPI document; none needs a key.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;
use crate::vulndb;

/// The OpenAPI document, maintained by hand beside the code; a test checks every route is in it.
pub const OPENAPI: &str = include_str!("../../openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/v1/openapi.json", get(openapi))
}

/// `GET /health`.
#[derive(Serialize)]
struct Health {
    status: &'static str,
    vuln_db: vulndb::Status,
}

async fn health(State(state): State<AppState>) -> Response {
    let latest = crate::db::latest_schema_version();
    match state.db.schema_version().await {
        Ok(Some(v)) if v >= latest => super::json(
            StatusCode::OK,
            &Health {
                status: "ok",
                vuln_db: state.vulns.state(),
            },
        ),
        Ok(applied) => ApiError::Unavailable(format!(
            "the database schema is at version {} of {latest}: run `trusca server migrate`",
            applied.unwrap_or(0)
        ))
        .into_response(),
        Err(e) => ApiError::internal(format!("health check: {e}")).into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.db.pool_stats());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
