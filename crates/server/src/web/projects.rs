//! The projects list and a project's page (latest scan, findings, components).

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::time::SystemTime;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use trusca_core::model::Tier;
use trusca_core::vulns::SeverityLevel;

use super::error::WebError;
use super::html;
use super::session::WebUser;
use super::view::{self, Chrome};
use crate::auth::TeamCtx;
use crate::db::portfolio::{self, ProjectRef};
use crate::db::types::TextEnum;
use crate::db::ui;
use crate::db::{scans, sla};
use crate::rows::{Summary, TriageState};
use crate::state::AppState;

/// Components shown per page of a project.
const COMPONENTS_PER_PAGE: i64 = 200;

/// A license-tier count.
#[derive(Debug, Clone)]
pub struct TierCount {
    /// CSS class.
    pub class: &'static str,
    /// Shown name.
    pub label: &'static str,
    /// Components.
    pub count: i64,
}

/// One line of the projects list.
#[derive(Debug, Clone)]
pub struct ProjectRow {
    /// Team.
    pub team: String,
    /// Project.
    pub name: String,
    /// Its page.
    pub href: String,
    /// When the latest scan was uploaded (`—` when none).
    pub scanned: String,
    /// Findings by severity.
    pub critical: i64,
    /// High.
    pub high: i64,
    /// Medium.
    pub medium: i64,
    /// Low.
    pub low: i64,
    /// Unknown.
    pub unknown: i64,
    /// Findings without a closing triage state.
    pub open: i64,
    /// Components whose license needs attention (forbidden, conditional, unknown).
    pub tiers: Vec<TierCount>,
    /// Components.
    pub components: i64,
}

/// `/projects`.
#[derive(Template)]
#[template(path = "projects.html")]
pub struct ProjectsPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// The team filtered on, if any.
    pub team: Option<String>,
    /// The projects.
    pub rows: Vec<ProjectRow>,
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct TeamFilter {
    team: Option<String>,
}

/// Tiers worth a look, most serious first.
fn tier_counts(tiers: Option<&BTreeMap<Tier, i64>>) -> Vec<TierCount> {
    let Some(tiers) = tiers else {
        return Vec::new();
    };
    [Tier::Forbidden, Tier::Conditional, Tier::Unknown]
        .into_iter()
        .filter_map(|tier| {
            let count = tiers.get(&tier).copied().unwrap_or(0);
            (count > 0).then_some(TierCount {
                class: tier.text(),
                label: tier.text(),
                count,
            })
        })
        .collect()
}

/// `GET /projects[?team=]`: the projects of the user's teams (every team for a super admin).
pub async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<TeamFilter>,
) -> Result<Response, WebError> {
    let team = q.team.filter(|t| !t.is_empty());
    let scope = user.caller.scope(&state, team.as_deref()).await?;
    let items = portfolio::projects(&state.db, &scope, None).await?;
    let open = ui::open_findings(&state.db, &scope).await?;
    let tiers = ui::license_tiers(&state.db, &scope).await?;
    let rows = items
        .into_iter()
        .map(|p| {
            let key = (p.team, p.name);
            let summary = p
                .latest_scan
                .as_ref()
                .map(|s| s.summary.clone())
                .unwrap_or_default();
            let Summary {
                critical,
                high,
                medium,
                low,
                unknown,
                components,
                ..
            } = summary;
            ProjectRow {
                href: view::project_href(&key.0, &key.1),
                scanned: p
                    .latest_scan
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |s| view::minute(&s.created_at)),
                critical,
                high,
                medium,
                low,
                unknown,
                open: open.get(&key).copied().unwrap_or(0),
                tiers: tier_counts(tiers.get(&key)),
                components,
                team: key.0,
                name: key.1,
            }
        })
        .collect();
    html(&ProjectsPage {
        chrome: Some(Chrome::new(&user, team.as_deref())),
        team,
        rows,
    })
}

/// The latest scan as the project page heads it.
#[derive(Debug, Clone)]
pub struct ScanLine {
    /// Scan id.
    pub id: i64,
    /// Uploaded.
    pub when: String,
    /// Commit scanned.
    pub commit: Option<String>,
    /// Producing tool.
    pub tool: Option<String>,
    /// Components.
    pub components: i64,
}

/// A severity count of the project summary.
#[derive(Debug, Clone)]
pub struct SeverityCount {
    /// CSS class.
    pub class: &'static str,
    /// Shown name.
    pub label: &'static str,
    /// Findings.
    pub count: i64,
}

/// One finding of the project page.
#[derive(Debug, Clone)]
pub struct FindingLine {
    /// Severity word (also its CSS class).
    pub severity: &'static str,
    /// Advisory id.
    pub advisory: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// The finding's page.
    pub href: String,
    /// Package (purl without version).
    pub package: String,
    /// Version found.
    pub version: String,
    /// Version that fixes it (`—` when none is known).
    pub fixed_in: String,
    /// Triage state (`untriaged` when none).
    pub state: String,
    /// CSS class of the state.
    pub state_class: &'static str,
    /// First seen (day).
    pub first_seen: String,
    /// Due (day, `—` when the severity has no SLA).
    pub due: String,
    /// Past due and still open.
    pub overdue: bool,
}

/// A finding that disappeared.
#[derive(Debug, Clone)]
pub struct ResolvedLine {
    /// Severity word.
    pub severity: &'static str,
    /// Advisory id.
    pub advisory: String,
    /// Package.
    pub package: String,
    /// First seen (day).
    pub first_seen: String,
    /// Resolved (day).
    pub resolved: String,
}

/// One component of the latest scan.
#[derive(Debug, Clone)]
pub struct ComponentLine {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Scope.
    pub scope: String,
    /// `yes`, `no` or `—`.
    pub direct: &'static str,
    /// License expression.
    pub license: String,
    /// Tier word (also its CSS class).
    pub tier: &'static str,
    /// Where declared.
    pub location: String,
}

/// `/t/{team}/p/{project}`.
#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// Team.
    pub team: String,
    /// Team, encoded for a query.
    pub team_q: String,
    /// Project.
    pub name: String,
    /// Latest scan.
    pub scan: Option<ScanLine>,
    /// Findings by severity.
    pub counts: Vec<SeverityCount>,
    /// Open findings.
    pub open: usize,
    /// Findings of the latest scan, most severe first.
    pub findings: Vec<FindingLine>,
    /// Findings that disappeared.
    pub resolved: Vec<ResolvedLine>,
    /// One page of components.
    pub components: Vec<ComponentLine>,
    /// All components.
    pub comp_total: i64,
    /// `1–200 of 450`.
    pub comp_range: String,
    /// The previous page.
    pub comp_prev: Option<String>,
    /// The next page.
    pub comp_next: Option<String>,
}

/// The team (scoped as the API does) and the project, or 403/404.
pub async fn resolve(
    state: &AppState,
    user: &WebUser,
    team: &str,
    project: &str,
) -> Result<(TeamCtx, ProjectRef), WebError> {
    let team = user.caller.team(state, Some(team)).await?;
    let project = portfolio::project(&state.db, team.id, project)
        .await?
        .ok_or_else(|| {
            WebError::NotFound(format!("team `{}` has no project `{project}`", team.name))
        })?;
    Ok((team, project))
}

/// The CSS class of a triage state.
pub fn state_class(state: Option<TriageState>) -> &'static str {
    match state {
        None => "none",
        Some(s) if s.is_closed() => "closed",
        Some(TriageState::Affected) => "affected",
        Some(_) => "open",
    }
}

/// The label of a triage state (`untriaged` when there is none).
pub fn state_label(state: Option<TriageState>) -> String {
    view::label(state.map_or("untriaged", TriageState::text))
}

/// Whether a due date has passed.
pub fn past(due: Option<SystemTime>) -> bool {
    due.is_some_and(|d| d < SystemTime::now())
}

/// `?offset=` of the components.
#[derive(Debug, Deserialize)]
pub struct Offset {
    offset: Option<i64>,
}

/// `GET /t/{team}/p/{project}`.
pub async fn project(
    State(state): State<AppState>,
    user: WebUser,
    Path((team, project)): Path<(String, String)>,
    Query(q): Query<Offset>,
) -> Result<Response, WebError> {
    let (team, project) = resolve(&state, &user, &team, &project).await?;
    let href = view::project_href(&team.name, &project.name);
    let scan = match project.latest_scan_id {
        Some(id) => scans::detail(&state.db, project.id, id).await?,
        None => None,
    };
    let policy = sla::policy(&state.db, team.id).await?;
    let resolved = ui::resolved(&state.db, project.id).await?;
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
    // Findings carry their first sighting (the lifecycle table's); the upload history is read
    // only when one lacks it.
    let uploaded = if rows.iter().any(|f| f.first_seen_at.is_none()) {
        ui::first_uploaded(&state.db, project.id).await?
    } else {
        Default::default()
    };
    let mut findings: Vec<(SeverityLevel, FindingLine)> = rows
        .into_iter()
        .map(|f| {
            let state = f.triage.as_ref().map(|t| t.state);
            let seen = f.first_seen_at.clone().or_else(|| {
                uploaded
                    .get(&(f.purl.clone(), f.advisory_id.clone()))
                    .cloned()
            });
            let due = seen.as_deref().and_then(|s| policy.due_time(s, f.severity));
            let open = !state.is_some_and(TriageState::is_closed);
            let scanned = f.scanned.unwrap_or_default();
            let line = FindingLine {
                severity: f.severity.text(),
                summary: scanned.summary,
                href: view::finding_href(&team.name, &project.name, &f.advisory_id, &f.purl),
                package: view::package_name(&f.purl),
                version: f.version,
                fixed_in: scanned.fixed_in.unwrap_or_else(|| "—".to_owned()),
                state: state_label(state),
                state_class: state_class(state),
                first_seen: seen.as_deref().map_or_else(|| "—".to_owned(), view::day),
                due: due.map_or_else(
                    || "—".to_owned(),
                    |d| view::day(&humantime::format_rfc3339(d).to_string()),
                ),
                overdue: open && past(due),
                advisory: f.advisory_id,
            };
            (f.severity, line)
        })
        .collect();
    // Most severe first.
    findings.sort_by(|(sa, a), (sb, b)| {
        (Reverse(sa), &a.advisory, &a.package).cmp(&(Reverse(sb), &b.advisory, &b.package))
    });
    let mut by_severity: BTreeMap<SeverityLevel, i64> = BTreeMap::new();
    for (severity, _) in &findings {
        *by_severity.entry(*severity).or_insert(0) += 1;
    }
    let counts = SeverityLevel::ALL
        .iter()
        .rev()
        .map(|severity| SeverityCount {
            class: severity.text(),
            label: severity.text(),
            count: by_severity.get(severity).copied().unwrap_or(0),
        })
        .collect();
    let findings: Vec<FindingLine> = findings.into_iter().map(|(_, line)| line).collect();
    let open = findings
        .iter()
        .filter(|f| f.state_class != "closed")
        .count();
    let resolved = resolved
        .iter()
        .filter_map(|l| {
            Some(ResolvedLine {
                resolved: view::day(l.resolved_at.as_deref()?),
                severity: l.severity.text(),
                advisory: l.advisory_id.clone(),
                package: view::package_name(&l.purl),
                first_seen: view::day(&l.first_seen_at),
            })
        })
        .collect();
    let offset = q.offset.unwrap_or(0).max(0);
    let (comp_total, components) = match project.latest_scan_id {
        Some(id) => scans::components(&state.db, id, COMPONENTS_PER_PAGE, offset).await?,
        None => (0, Vec::new()),
    };
    let dash = || "—".to_owned();
    let components: Vec<ComponentLine> = components
        .into_iter()
        .map(|c| ComponentLine {
            name: c.name,
            version: c.version.unwrap_or_else(dash),
            scope: c.scope.text().to_owned(),
            direct: match c.direct {
                Some(true) => "yes",
                Some(false) => "no",
                None => "—",
            },
            license: c.license.unwrap_or_else(dash),
            tier: c.license_tier.unwrap_or(Tier::Unknown).text(),
            location: c.location.unwrap_or_else(dash),
        })
        .collect();
    let shown_to = offset.saturating_add(components.len() as i64);
    let page = |o: i64| format!("{href}?offset={o}");
    let scan = scan.map(|s| ScanLine {
        id: s.id,
        when: view::minute(&s.created_at),
        commit: s.commit,
        tool: s.tool,
        components: s.summary.components,
    });
    html(&ProjectPage {
        chrome: Some(Chrome::new(&user, Some(&team.name))),
        team_q: view::encode(&team.name),
        team: team.name.clone(),
        name: project.name.clone(),
        scan,
        counts,
        open,
        findings,
        resolved,
        comp_range: format!(
            "{}–{shown_to} of {comp_total}",
            offset.saturating_add(1).min(shown_to)
        ),
        comp_prev: (offset > 0).then(|| page((offset - COMPONENTS_PER_PAGE).max(0))),
        comp_next: (shown_to < comp_total).then(|| page(shown_to)),
        components,
        comp_total,
    })
}
