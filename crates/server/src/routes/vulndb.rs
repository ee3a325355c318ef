//! The server's vulnerability database, for super admins (404 to everyone else): its state and
//! recent refreshes, and a refresh started now instead of at the next scheduled one.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::admin::super_admin;
use super::{json, OptionalJsonBody};
use crate::auth::Caller;
use crate::db::rematch::{self, Refresh};
use crate::error::ApiError;
use crate::state::AppState;
use crate::vulndb;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/vuln-db", get(status))
        .route("/v1/admin/vuln-db/refresh", post(refresh))
}

async fn status(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    super_admin(&caller)?;
    let refreshes = rematch::recent_refreshes(&state.db, 20).await?;
    Ok(json(
        StatusCode::OK,
        &VulnDbState {
            database: state.vulns.state(),
            refreshing: state.vulns.refreshing(),
            refreshes,
        },
    ))
}

/// `GET /v1/admin/vuln-db`.
#[derive(Serialize)]
struct VulnDbState {
    database: vulndb::Status,
    refreshing: bool,
    refreshes: Vec<Refresh>,
}

/// `POST /v1/admin/vuln-db/refresh`.
#[derive(Serialize)]
struct RefreshStarted {
    refresh: &'static str,
    source: String,
}

/// The optional body of a refresh request.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshBody {
    /// Only these ecosystems (default: all the mirror offers).
    #[serde(default)]
    ecosystems: Vec<String>,
}

/// Starts a refresh from the configured mirror (`--db-mirror`) and answers 202 at once; the
/// refresh, its re-match and its outcome appear in `GET /v1/admin/vuln-db` and the audit log.
async fn refresh(
    State(state): State<AppState>,
    caller: Caller,
    OptionalJsonBody(body): OptionalJsonBody<RefreshBody>,
) -> Result<Response, ApiError> {
    super_admin(&caller)?;
    let described = vulndb::start_refresh(&state, &caller.username, body.ecosystems)
        .await
        .map_err(|e| ApiError::Conflict(format!("{e}; see GET /v1/admin/vuln-db")))?;
    let mut res = json(
        StatusCode::ACCEPTED,
        &RefreshStarted {
            refresh: "started",
            source: described,
        },
    );
    res.headers_mut().insert(
        header::LOCATION,
        header::HeaderValue::from_static("/v1/admin/vuln-db"),
    );
    Ok(res.into_response())
}
