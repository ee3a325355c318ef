//! `/admin/vuln-db`, for super admins (404 to everyone else): the server's vulnerability
//! database, its recent refreshes, and a button that starts one now.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::admin::TokenForm;
use super::error::WebError;
use super::html;
use super::session::{SameOrigin, WebUser};
use super::view::{self, Chrome};
use crate::db::rematch;
use crate::state::AppState;
use crate::vulndb;

/// Refreshes listed.
const REFRESHES_SHOWN: i64 = 20;

/// One refresh as shown.
#[derive(Debug, Clone)]
pub struct RefreshLine {
    /// When it started.
    pub started: String,
    /// `running`, `done` or `failed`.
    pub state: &'static str,
    /// Where its records came from.
    pub source: String,
    /// Records in the new database.
    pub records: String,
    /// Projects re-matched.
    pub projects: String,
    /// New findings.
    pub new_findings: String,
    /// Findings resolved.
    pub resolved: String,
    /// Why it failed.
    pub error: String,
}

/// `/admin/vuln-db`.
#[derive(Template)]
#[template(path = "vulndb.html")]
pub struct VulnDbPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// Whether matching is on.
    pub loaded: bool,
    /// When the data was built.
    pub built: String,
    /// Records in it.
    pub records: String,
    /// Where it came from.
    pub source: String,
    /// Whether a refresh runs now.
    pub refreshing: bool,
    /// What the last button press did, if anything.
    pub notice: Option<&'static str>,
    /// The latest refreshes, newest first.
    pub refreshes: Vec<RefreshLine>,
}

/// `?started=1` or `?busy=1` after the button.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    #[serde(default)]
    started: Option<String>,
    #[serde(default)]
    busy: Option<String>,
}

/// A number of a refresh row, or a dash while it has none.
fn count(n: Option<i64>) -> String {
    n.map_or_else(|| "—".to_owned(), |n| n.to_string())
}

pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<Notice>,
) -> Result<Response, WebError> {
    user.require_super_admin()?;
    let status = state.vulns.state();
    let refreshes = rematch::recent_refreshes(&state.db, REFRESHES_SHOWN)
        .await?
        .into_iter()
        .map(|r| {
            let error = r.error.unwrap_or_default();
            let state = match (r.finished_at.is_none(), error.is_empty()) {
                (true, true) => "running",
                (_, false) => "failed",
                (false, true) => "done",
            };
            RefreshLine {
                started: view::minute(&r.started_at),
                state,
                source: r.source,
                records: count(r.records),
                projects: count(r.projects),
                new_findings: count(r.new_findings),
                resolved: count(r.resolved_findings),
                error,
            }
        })
        .collect();
    let notice = match (q.started, q.busy) {
        (Some(_), _) => Some("Refresh started. Reload this page to follow it."),
        (None, Some(_)) => Some("A refresh is already running."),
        (None, None) => None,
    };
    let loaded = status.database;
    html(&VulnDbPage {
        chrome: Some(Chrome::new(&user, None)),
        loaded: status.loaded,
        built: loaded
            .as_ref()
            .map_or_else(|| "—".to_owned(), |d| view::minute(&d.built_at)),
        records: loaded
            .as_ref()
            .map_or_else(|| "—".to_owned(), |d| d.records.to_string()),
        source: loaded.map_or_else(|| "—".to_owned(), |d| d.source),
        refreshing: state.vulns.refreshing(),
        notice,
        refreshes,
    })
}

/// `POST /admin/vuln-db/refresh`: the API's refresh, from the page's button.
pub async fn refresh(
    State(state): State<AppState>,
    _: SameOrigin,
    user: WebUser,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require_super_admin()?;
    let to = match vulndb::start_refresh(&state, &user.caller.username, Vec::new()).await {
        Ok(_) => "/admin/vuln-db?started=1",
        Err(vulndb::Busy) => "/admin/vuln-db?busy=1",
    };
    Ok(Redirect::to(to).into_response())
}
