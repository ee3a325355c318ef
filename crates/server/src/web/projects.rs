//! The projects list and a project's page (latest scan, findings, components).

use std::collections::BTreeMap;
use std::time::SystemTime;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::error::WebError;
use super::html;
use super::session::WebUser;
use super::view::{self, Chrome};
use crate::auth::TeamCtx;
use crate::db::portfolio::{self, ProjectRef};
use crate::db::sla::CLOSED_STATES;
use crate::db::ui;
use crate::db::{scans, sla};
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

fn count(v: &Value, key: &str) -> i64 {
    v["latest_scan"]["summary"][key].as_i64().unwrap_or(0)
}

/// Tiers worth a look, most serious first.
fn tier_counts(tiers: Option<&BTreeMap<String, i64>>) -> Vec<TierCount> {
    let Some(tiers) = tiers else {
        return Vec::new();
    };
    [
        ("forbidden", "forbidden"),
        ("conditional", "conditional"),
        ("unknown", "unknown"),
    ]
    .into_iter()
    .filter_map(|(class, label)| {
        let count = tiers.get(class).copied().unwrap_or(0);
        (count > 0).then_some(TierCount {
            class,
            label,
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
        .iter()
        .map(|p| {
            let team = p["team"].as_str().unwrap_or_default().to_owned();
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let key = (team.clone(), name.clone());
            ProjectRow {
                href: view::project_href(&team, &name),
                scanned: p["latest_scan"]["created_at"]
                    .as_str()
                    .map_or_else(|| "—".to_owned(), view::minute),
                critical: count(p, "critical"),
                high: count(p, "high"),
                medium: count(p, "medium"),
                low: count(p, "low"),
                unknown: count(p, "unknown"),
                open: open.get(&key).copied().unwrap_or(0),
                tiers: tier_counts(tiers.get(&key)),
                components: count(p, "components"),
                team,
                name,
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
pub fn state_class(state: Option<&str>) -> &'static str {
    match state {
        None => "none",
        Some(s) if CLOSED_STATES.contains(&s) => "closed",
        Some("affected") => "affected",
        Some(_) => "open",
    }
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
    let uploaded = if rows.iter().any(|f| f["first_seen_at"].is_null()) {
        ui::first_uploaded(&state.db, project.id).await?
    } else {
        Default::default()
    };
    let mut findings: Vec<FindingLine> = rows
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            let (advisory, purl, severity) = (text("id"), text("purl"), text("severity"));
            let state = f["triage"]["state"].as_str();
            let seen = f["first_seen_at"].as_str().or_else(|| {
                uploaded
                    .get(&(purl.clone(), advisory.clone()))
                    .map(String::as_str)
            });
            let due = seen.and_then(|s| policy.due_time(s, &severity));
            let open = !state.is_some_and(|s| CLOSED_STATES.contains(&s));
            FindingLine {
                severity: view::severity(&severity),
                summary: f["summary"].as_str().map(str::to_owned),
                href: view::finding_href(&team.name, &project.name, &advisory, &purl),
                package: view::package_name(&purl),
                version: text("version"),
                fixed_in: f["fixed_in"].as_str().unwrap_or("—").to_owned(),
                state: view::label(state.unwrap_or("untriaged")),
                state_class: state_class(state),
                first_seen: seen.map_or_else(|| "—".to_owned(), view::day),
                due: due.map_or_else(
                    || "—".to_owned(),
                    |d| view::day(&humantime::format_rfc3339(d).to_string()),
                ),
                overdue: open && past(due),
                advisory,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        view::severity_rank(a.severity)
            .cmp(&view::severity_rank(b.severity))
            .then_with(|| a.advisory.cmp(&b.advisory))
            .then_with(|| a.package.cmp(&b.package))
    });
    let mut counts = BTreeMap::new();
    for f in &findings {
        *counts.entry(view::severity_rank(f.severity)).or_insert(0) += 1;
    }
    let counts = [
        ("critical", 0u8),
        ("high", 1),
        ("medium", 2),
        ("low", 3),
        ("unknown", 4),
    ]
    .into_iter()
    .map(|(label, rank)| SeverityCount {
        class: label,
        label,
        count: counts.get(&rank).copied().unwrap_or(0),
    })
    .collect();
    let open = findings
        .iter()
        .filter(|f| f.state_class != "closed")
        .count();
    let resolved = resolved
        .iter()
        .filter_map(|l| {
            Some(ResolvedLine {
                resolved: view::day(l.resolved_at.as_deref()?),
                severity: view::severity(&l.severity),
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
    let components: Vec<ComponentLine> = components
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or("—").to_owned();
            ComponentLine {
                name: text("name"),
                version: text("version"),
                scope: text("scope"),
                direct: match c["direct"].as_bool() {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "—",
                },
                license: text("license"),
                tier: view::tier(c["license_tier"].as_str()),
                location: text("location"),
            }
        })
        .collect();
    let shown_to = offset.saturating_add(components.len() as i64);
    let page = |o: i64| format!("{href}?offset={o}");
    let scan = scan.map(|s| ScanLine {
        id: s["id"].as_i64().unwrap_or(0),
        when: s["created_at"]
            .as_str()
            .map(view::minute)
            .unwrap_or_default(),
        commit: s["commit"].as_str().map(str::to_owned),
        tool: s["tool"].as_str().map(str::to_owned),
        components: s["summary"]["components"].as_i64().unwrap_or(0),
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
