//! A finding's page (advisory, affected component, dates, triage state and history) and its
//! triage form, which records through the same function as the API (`portfolio::set_triage`),
//! so audit rows and carry-over to later scans are the same.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::advisory::{self, Advisories, Link};
use super::error::WebError;
use super::html;
use super::projects::{past, resolve, state_class, state_label};
use super::session::{SameOrigin, WebUser};
use super::view::{self, Chrome};
use crate::auth::TeamCtx;
use crate::db::portfolio::{self, ProjectFinding, ProjectRef, TriageSet};
use crate::db::sla;
use crate::db::types::TextEnum;
use crate::db::ui;
use crate::routes::projects::{check_triage, JUSTIFICATIONS};
use crate::rows::TriageState;
use crate::state::AppState;
use crate::RequestId;

/// An option of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Value sent.
    pub value: &'static str,
    /// Shown text.
    pub label: String,
    /// Preselected.
    pub selected: bool,
}

/// One past triage decision.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// State set.
    pub state: String,
    /// Its CSS class.
    pub state_class: &'static str,
    /// Justification given.
    pub justification: Option<String>,
    /// Comment given.
    pub comment: Option<String>,
}

/// `/t/{team}/p/{project}/findings/{advisory}?purl=`.
#[derive(Template)]
#[template(path = "finding.html")]
pub struct FindingPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// Team.
    pub team: String,
    /// Team, encoded for a query.
    pub team_q: String,
    /// Project.
    pub project: String,
    /// The project's page.
    pub project_href: String,
    /// Primary advisory id.
    pub advisory_id: String,
    /// Other ids.
    pub aliases: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Description, from the advisory record.
    pub details: Option<String>,
    /// Links, from the advisory record.
    pub references: Vec<Link>,
    /// Why there are no references.
    pub references_note: &'static str,
    /// Severity word.
    pub severity: &'static str,
    /// CVSS score.
    pub score: Option<String>,
    /// Affected component.
    pub purl: String,
    /// Its version.
    pub version: String,
    /// Fixing version.
    pub fixed_in: String,
    /// First seen (day).
    pub first_seen: String,
    /// Due (day).
    pub due: String,
    /// Past due and open.
    pub overdue: bool,
    /// Current state (`untriaged` when none).
    pub state: String,
    /// Its CSS class.
    pub state_class: &'static str,
    /// Current justification.
    pub justification: Option<String>,
    /// Current comment.
    pub comment: Option<String>,
    /// Decisions, newest first.
    pub history: Vec<HistoryLine>,
    /// Where the form posts.
    pub form_action: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// State choices.
    pub states: Vec<Choice>,
    /// Justification choices.
    pub justifications: Vec<Choice>,
    /// Confirmation after saving.
    pub saved: Option<String>,
    /// Why the last form was refused.
    pub error: Option<String>,
}

/// `?purl=&saved=`.
#[derive(Debug, Deserialize)]
pub struct FindingQuery {
    purl: Option<String>,
    saved: Option<String>,
}

/// The finding of the project's latest scan with this id (or alias) and purl (any purl when
/// none is given).
async fn latest_finding(
    state: &AppState,
    project: &ProjectRef,
    advisory: &str,
    purl: Option<&str>,
) -> Result<ProjectFinding, WebError> {
    let rows = match project.latest_scan_id {
        Some(id) => {
            portfolio::findings(
                &state.db,
                project.id,
                Some(id),
                portfolio::FindingState::Open,
            )
            .await?
        }
        None => Vec::new(),
    };
    rows.into_iter()
        .find(|f| f.is_named(advisory) && purl.is_none_or(|p| f.purl == p))
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "the latest scan of `{}` has no finding `{advisory}`{}",
                project.name,
                purl.map(|p| format!(" for `{p}`")).unwrap_or_default()
            ))
        })
}

/// Builds the page; `form` preselects the last form's values after a refusal.
#[allow(clippy::too_many_arguments)]
async fn build(
    state: &AppState,
    user: &WebUser,
    advisories: Option<&Advisories>,
    team: &TeamCtx,
    project: &ProjectRef,
    advisory: &str,
    purl: Option<&str>,
    saved: Option<String>,
    error: Option<String>,
    form: Option<(&str, Option<&str>)>,
) -> Result<FindingPage, WebError> {
    // A layered source (tests) first, else the server's own vulnerability database.
    let server_db = state.vulns.get().map(|db| {
        let source: std::sync::Arc<dyn advisory::AdvisorySource> = db;
        Advisories(source)
    });
    let advisories = advisories.or(server_db.as_ref());
    let mut f = latest_finding(state, project, advisory, purl).await?;
    let scanned = f.scanned.take().unwrap_or_default();
    let record = advisory::lookup(advisories, &f.advisory_id, &scanned.aliases);
    let current = f.triage.as_ref().map(|t| t.state);
    let justification = f.triage.as_ref().and_then(|t| t.justification.clone());
    // The finding carries its first sighting (the lifecycle table's); the upload history is
    // read only when it lacks one.
    let first_seen = match &f.first_seen_at {
        Some(seen) => Some(seen.clone()),
        None => ui::first_uploaded(&state.db, project.id)
            .await?
            .remove(&(f.purl.clone(), f.advisory_id.clone())),
    };
    let policy = sla::policy(&state.db, team.id).await?;
    let due = first_seen
        .as_deref()
        .and_then(|s| policy.due_time(s, f.severity));
    let open = !current.is_some_and(TriageState::is_closed);
    let history = ui::triage_history(&state.db, project.id, &f.purl, &f.advisory_id)
        .await?
        .into_iter()
        .map(|h| HistoryLine {
            at: view::minute(&h.at),
            actor: h.actor,
            state_class: state_class(Some(h.record.state)),
            state: view::label(h.record.state.text()),
            justification: h.record.justification.as_deref().map(view::label),
            comment: h.record.comment.filter(|c| !c.is_empty()),
        })
        .collect();
    let (pick_state, pick_just) = match form {
        Some((s, j)) => (Some(s), j),
        None => (
            Some(current.unwrap_or(TriageState::InTriage).text()),
            justification.as_deref(),
        ),
    };
    let project_href = view::project_href(&team.name, &project.name);
    let (summary, details, references) = match record {
        Some(r) => (scanned.summary.or(r.summary), r.details, r.references),
        None => (scanned.summary, None, Vec::new()),
    };
    let id = f.advisory_id;
    Ok(FindingPage {
        chrome: Some(Chrome::new(user, Some(&team.name))),
        team: team.name.clone(),
        team_q: view::encode(&team.name),
        project: project.name.clone(),
        form_action: format!("{project_href}/findings/{}/triage", view::encode(&id)),
        project_href,
        references_note: if advisories.is_some() {
            "The advisory record lists no references."
        } else {
            "References are shown when the server has a vulnerability database."
        },
        aliases: scanned.aliases,
        summary,
        details,
        references,
        severity: f.severity.text(),
        score: scanned.score.map(|s| format!("{s:.1}")),
        version: f.version,
        fixed_in: scanned
            .fixed_in
            .unwrap_or_else(|| "no fixed version known".to_owned()),
        first_seen: first_seen
            .as_deref()
            .map_or_else(|| "—".to_owned(), view::day),
        due: due.map_or_else(
            || "no SLA for this severity".to_owned(),
            |d| view::day(&humantime::format_rfc3339(d).to_string()),
        ),
        overdue: open && past(due),
        state: state_label(current),
        state_class: state_class(current),
        justification: justification.as_deref().map(view::label),
        comment: f.triage.and_then(|t| t.comment).filter(|c| !c.is_empty()),
        history,
        csrf: user.session.csrf.clone(),
        states: TriageState::ALL
            .iter()
            .map(|s| Choice {
                value: s.text(),
                label: view::label(s.text()),
                selected: pick_state == Some(s.text()),
            })
            .collect(),
        justifications: JUSTIFICATIONS
            .iter()
            .map(|s| Choice {
                value: s,
                label: view::label(s),
                selected: pick_just == Some(*s),
            })
            .collect(),
        saved,
        error,
        advisory_id: id,
        purl: f.purl,
    })
}

/// `GET /t/{team}/p/{project}/findings/{advisory}?purl=`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    advisories: Option<Extension<Advisories>>,
    Path((team, project, advisory)): Path<(String, String, String)>,
    Query(q): Query<FindingQuery>,
) -> Result<Response, WebError> {
    let (team, project) = resolve(&state, &user, &team, &project).await?;
    // Only a known state is echoed: the query cannot put words on the page.
    let saved = q
        .saved
        .and_then(|s| TriageState::parse(&s).ok())
        .map(|s| format!("Triage saved: {}.", view::label(s.text())));
    let page = build(
        &state,
        &user,
        advisories.as_ref().map(|e| &e.0),
        &team,
        &project,
        &advisory,
        q.purl.as_deref(),
        saved,
        None,
        None,
    )
    .await?;
    html(&page)
}

/// The triage form.
#[derive(Debug, Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    csrf: String,
    purl: String,
    state: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    comment: String,
}

/// `POST /t/{team}/p/{project}/findings/{advisory}/triage`: records the decision, then goes
/// back to the finding's page, which shows it. A refused decision shows the page again with
/// the reason (422).
#[allow(clippy::too_many_arguments)]
pub async fn triage(
    State(state): State<AppState>,
    _: SameOrigin,
    user: WebUser,
    advisories: Option<Extension<Advisories>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Path((team, project, advisory)): Path<(String, String, String)>,
    Form(f): Form<TriageForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let (team, project) = resolve(&state, &user, &team, &project).await?;
    let justification = Some(f.justification.as_str()).filter(|j| !j.is_empty());
    let comment = Some(f.comment.trim()).filter(|c| !c.is_empty());
    let triage = match check_triage(&f.state, justification, comment) {
        Ok(triage) => triage,
        Err(e) => {
            let page = build(
                &state,
                &user,
                advisories.as_ref().map(|e| &e.0),
                &team,
                &project,
                &advisory,
                Some(&f.purl),
                None,
                Some(e.to_string()),
                Some((&f.state, justification)),
            )
            .await?;
            let mut res = html(&page)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    let result = portfolio::set_triage(
        &state.db,
        TriageSet {
            project: &project,
            team_id: team.id,
            purl: &f.purl,
            advisory: &advisory,
            state: triage,
            justification,
            comment,
            user_id: user.caller.user_id,
            actor: &user.caller.username,
            request_id: &request_id,
        },
    )
    .await?
    .ok_or_else(|| {
        WebError::NotFound(format!(
            "project `{}` has no finding `{advisory}` for `{}`",
            project.name, f.purl
        ))
    })?;
    let to = format!(
        "{}&saved={}",
        view::finding_href(&team.name, &project.name, &result.advisory_id, &f.purl),
        view::encode(triage.text())
    );
    Ok(Redirect::to(&to).into_response())
}
