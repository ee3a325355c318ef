//! The trusca team server: stores uploaded scans and serves portfolio views (see DESIGN.md,
//! Server).
//!
//! [`app`] builds the axum router over an [`state::AppState`]; [`serve`] opens the database,
//! migrates it and listens. The command-line entry points are in [`cli`].

pub mod auth;
pub mod backup;
pub mod budget;
pub mod chain;
pub mod cli;
pub mod config;
pub mod db;
pub mod egress;
pub mod error;
pub mod gate;
pub mod guard;
pub mod housekeeping;
pub mod ingest;
pub mod json;
pub mod listen;
pub mod metrics;
pub mod proxy;
pub mod rematch;
pub mod routes;
pub mod rows;
pub mod scheduler;
pub mod sla_check;
pub mod state;
pub mod vulndb;
pub mod web;
pub mod webhooks;

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tracing::Instrument;

use crate::config::Config;
use crate::db::{Db, DbError};
use crate::error::{ApiError, PROBLEM_JSON};
use crate::state::AppState;

pub use routes::ROUTES;

/// The id of one request, sent back as `X-Request-Id` and written to the audit log.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    routes::router()
        .merge(web::router())
        .route_layer(middleware::from_fn(tag_route))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::refuse_nul,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Opens the database, applies migrations, starts this server's part of the scheduled work
/// ([`scheduler`]) and serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let db = Db::connect(&config.database_url, config.pool_size).await?;
    db.migrate().await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServeError::Bind(config.listen, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(config.listen, e))?;
    tracing::info!(%addr, backend = ?db.backend, "listening");
    let state = AppState::new(db, config);
    let _scheduled = scheduler::start(&state, scheduler::Schedules::of(&state.config));
    let header_read_timeout = state.config.header_read_timeout;
    listen::serve(listener, app(state), header_read_timeout, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Database trouble.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The address is taken or not ours.
    #[error("cannot listen on `{0}`: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// A backup or restore failed.
    #[error(transparent)]
    Backup(#[from] backup::BackupError),
    /// The audit log's hash chain is broken.
    #[error("the audit log was changed out of band: {0}")]
    AuditBroken(String),
    /// The runtime could not start.
    #[error("server error: {0}")]
    Io(std::io::Error),
}

/// Copies the matched route onto the response so the outer layer can label metrics and logs
/// with the route template rather than the raw path.
async fn tag_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// The outermost layer: request id, timeout, error bodies (problem+json for the API, HTML for
/// pages), security headers, metrics, and one log line per request (method, route template,
/// status, latency; never headers or bodies).
async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().clone();
    let api = web::is_api_path(req.uri().path());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = metrics::method_label(&method)
    );
    let timeout = state.config.request_timeout;
    let mut res = match tokio::time::timeout(timeout, next.run(req).instrument(span.clone())).await
    {
        Ok(res) => res,
        Err(_) => ApiError::Timeout.into_response(),
    };
    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(HeaderValue::as_bytes);
        // A response no handler described (unknown route, wrong method, a panic): give it the
        // generic body of its status, problem+json for the API and an HTML page otherwise.
        let replacement = if api && content_type != Some(PROBLEM_JSON.as_bytes()) {
            Some(error::generic(status))
        } else if !api && !content_type.is_some_and(|c| c.starts_with(b"text/html")) {
            Some(web::error::generic(status))
        } else {
            None
        };
        if let Some(replacement) = replacement {
            let extensions = std::mem::take(res.extensions_mut());
            res = replacement;
            *res.extensions_mut() = extensions;
        }
    }
    web::security_headers(res.headers_mut());
    let route = res
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let elapsed = start.elapsed();
    state
        .metrics
        .observe(&method, &route, status.as_u16(), elapsed.as_secs_f64());
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    span.in_scope(|| {
        tracing::info!(
            route = %route,
            status = status.as_u16(),
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        );
    });
    res
}

/// Sets up `tracing` output on stderr: JSON when `TRUSCA_LOG_FORMAT=json`, filtered by
/// `RUST_LOG` (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let json = std::env::var("TRUSCA_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
