//! Uploads, projects, scans, components of a scan, findings and triage.

use std::io::{Read, Write};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use trusca_core::policy::Date;

use super::{json, json_text, read_json_body, JsonBody, Page, TeamQuery};
use crate::auth::{Caller, TeamCtx};
use crate::db::portfolio::{
    self, FindingState, ProjectFinding, ProjectRef, ProjectSummary, TeamScope, TriageSet,
};
use crate::db::scans::{self, NewScan, ScanComponent, Stored, StoredScan};
use crate::db::types::TextEnum as _;
use crate::error::ApiError;
use crate::gate;
use crate::ingest;
use crate::rows::TriageState;
use crate::state::AppState;
use crate::RequestId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/projects", get(list_projects))
        .route("/v1/projects/{project}", get(project_detail))
        .route("/v1/projects/{project}/scans", get(list_scans).post(upload))
        .route("/v1/projects/{project}/scans/{scan}", get(scan_detail))
        .route(
            "/v1/projects/{project}/scans/{scan}/document",
            get(scan_document),
        )
        .route(
            "/v1/projects/{project}/scans/{scan}/components",
            get(scan_components),
        )
        .route("/v1/projects/{project}/findings", get(findings))
        .route(
            "/v1/projects/{project}/findings/{advisory}/triage",
            put(set_triage),
        )
}

fn check_project_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(
            "a project name must be 1 to 200 characters without control characters".into(),
        ));
    }
    Ok(())
}

async fn resolve(
    state: &AppState,
    caller: &Caller,
    team: Option<&str>,
    project: &str,
) -> Result<(TeamCtx, ProjectRef), ApiError> {
    let team = caller.team(state, team).await?;
    let project = portfolio::project(&state.db, team.id, project)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("team `{}` has no project `{project}`", team.name))
        })?;
    Ok((team, project))
}

async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(project): Path<String>,
    Query(q): Query<TeamQuery>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    check_project_name(&project)?;
    let team = caller.team(&state, q.team.as_deref()).await?;
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .ok()
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "`Idempotency-Key` must be 1 to 200 visible ASCII characters".into(),
                    )
                })
        })
        .transpose()?;
    // The memory the upload will take is reserved before its body is read, when its size is
    // declared (a body larger than declared is refused while reading).
    let declared = super::declared_length(&headers)
        .filter(|n| *n <= state.config.max_body_bytes as u64)
        .and_then(|n| usize::try_from(n).ok());
    let early = declared.map(|n| state.uploads.try_reserve(n)).transpose()?;
    let bytes = read_json_body(&state, &headers, body).await?;
    let _reserved = match early {
        Some(r) => r,
        None => state.uploads.try_reserve(bytes.len())?,
    };
    let hash = {
        let mut h = Sha256::new();
        h.update(project.as_bytes());
        h.update([0]);
        h.update(&bytes);
        hex::encode(h.finalize())
    };
    if let Some(key) = &key {
        if let Some((status, body)) =
            scans::idempotent_replay(&state.db, team.id, key, &hash).await?
        {
            return Ok(replayed(status, body));
        }
    }
    let max_components = state.config.max_components;
    let vulns = state.vulns.get();
    let policy = match crate::db::policy::get(&state.db, team.id).await? {
        None => Ok(gate::TeamPolicy::builtin()),
        Some(stored) => gate::TeamPolicy::stored(&stored.config),
    };
    let (ingest, document, verdict) = tokio::task::spawn_blocking(move || {
        let mut ingest = ingest::parse(&bytes, max_components)?;
        let matched = vulns.is_some();
        if let Some(vulns) = vulns {
            ingest::apply_server_db(&mut ingest, vulns.as_ref()).map_err(ApiError::internal)?;
        }
        let verdict = match &policy {
            Ok(policy) => gate::judge(&ingest, policy, matched, Date::today()),
            Err(why) => gate::unreadable(why.clone()),
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes).map_err(ApiError::internal)?;
        let document = gz.finish().map_err(ApiError::internal)?;
        Ok::<_, ApiError>((ingest, document, verdict))
    })
    .await
    .map_err(ApiError::internal)??;
    let stored = scans::store_judged(
        &state.db,
        NewScan {
            team_id: team.id,
            team: &team.name,
            project: &project,
            user_id: caller.user_id,
            actor: &caller.username,
            request_id: &request_id,
            ingest: &ingest,
            document,
            idempotency: key.as_deref().map(|k| (k, hash.as_str())),
        },
        Some(&verdict),
    )
    .await?;
    match stored {
        Stored::Created(body) => {
            // The upload queued `scan.completed` (and maybe `finding.new`) deliveries.
            crate::webhooks::wake();
            state.metrics.uploads.inc();
            state
                .metrics
                .components
                .inc_by(ingest.components.len() as u64);
            Ok(json_text(StatusCode::CREATED, body))
        }
        Stored::Replay(status, body) => Ok(replayed(status, body)),
    }
}

fn replayed(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
    let mut res = json_text(status, body);
    res.headers_mut().insert(
        "idempotent-replayed",
        header::HeaderValue::from_static("true"),
    );
    res
}

async fn list_projects(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let scope = caller.scope(&state, q.team.as_deref()).await?;
    let projects = portfolio::projects(&state.db, &scope, None).await?;
    Ok(json(StatusCode::OK, &ProjectList { projects }))
}

/// `GET /v1/projects`.
#[derive(Serialize)]
struct ProjectList {
    projects: Vec<ProjectSummary>,
}

async fn project_detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(project): Path<String>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let (team, project) = resolve(&state, &caller, q.team.as_deref(), &project).await?;
    let items = portfolio::projects(
        &state.db,
        &TeamScope::Teams(vec![team.id]),
        Some(project.id),
    )
    .await?;
    let item = items
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::NotFound("no such project".into()))?;
    Ok(json(StatusCode::OK, &item))
}

async fn list_scans(
    State(state): State<AppState>,
    caller: Caller,
    Path(project): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let (_, project) = resolve(&state, &caller, page.team.as_deref(), &project).await?;
    let scans = scans::list(&state.db, project.id, page.limit(100, 1000), page.offset()).await?;
    Ok(json(StatusCode::OK, &ScanList { scans }))
}

/// `GET /v1/projects/{project}/scans`.
#[derive(Serialize)]
struct ScanList {
    scans: Vec<StoredScan>,
}

async fn scan_detail(
    State(state): State<AppState>,
    caller: Caller,
    Path((project, scan)): Path<(String, i64)>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let (_, project) = resolve(&state, &caller, q.team.as_deref(), &project).await?;
    let item = scans::detail(&state.db, project.id, scan)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no scan {scan} in this project")))?;
    Ok(json(StatusCode::OK, &item))
}

async fn scan_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((project, scan)): Path<(String, i64)>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let (_, project) = resolve(&state, &caller, q.team.as_deref(), &project).await?;
    let (media, gz) = scans::document(&state.db, project.id, scan)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no scan {scan} in this project")))?;
    let text = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_end(&mut out)
            .map(|_| out)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, media)], text).into_response())
}

async fn scan_components(
    State(state): State<AppState>,
    caller: Caller,
    Path((project, scan)): Path<(String, i64)>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let (_, project) = resolve(&state, &caller, page.team.as_deref(), &project).await?;
    scans::detail(&state.db, project.id, scan)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no scan {scan} in this project")))?;
    let (total, components) =
        scans::components(&state.db, scan, page.limit(1000, 10_000), page.offset()).await?;
    Ok(json(StatusCode::OK, &ComponentPage { total, components }))
}

/// `GET /v1/projects/{project}/scans/{scan}/components`.
#[derive(Serialize)]
struct ComponentPage {
    total: i64,
    components: Vec<ScanComponent>,
}

#[derive(Debug, Deserialize)]
struct FindingsQuery {
    team: Option<String>,
    scan: Option<i64>,
    state: Option<String>,
}

async fn findings(
    State(state): State<AppState>,
    caller: Caller,
    Path(project): Path<String>,
    Query(q): Query<FindingsQuery>,
) -> Result<Response, ApiError> {
    let (_, project) = resolve(&state, &caller, q.team.as_deref(), &project).await?;
    let which = match q.state.as_deref() {
        None | Some("open") => FindingState::Open,
        Some("resolved") => FindingState::Resolved,
        Some("all") => FindingState::All,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "unknown state `{other}`: use `open`, `resolved` or `all`"
            )))
        }
    };
    let scan = match q.scan {
        Some(_) if which != FindingState::Open => {
            return Err(ApiError::BadRequest(
                "`scan` lists the findings of one scan: use it without `state` or with \
                 `state=open`"
                    .into(),
            ))
        }
        Some(id) => {
            scans::detail(&state.db, project.id, id)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no scan {id} in this project")))?;
            Some(id)
        }
        None => project.latest_scan_id,
    };
    let findings = portfolio::findings(&state.db, project.id, scan, which).await?;
    Ok(json(
        StatusCode::OK,
        &FindingList {
            project: &project.name,
            scan_id: scan,
            findings,
        },
    ))
}

/// `GET /v1/projects/{project}/findings`.
#[derive(Serialize)]
struct FindingList<'a> {
    project: &'a str,
    scan_id: Option<i64>,
    findings: Vec<ProjectFinding>,
}
/// CycloneDX `analysis.justification` and OpenVEX `justification` values.
pub(crate) const JUSTIFICATIONS: &[&str] = &[
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

/// Checks a triage decision's values (the API and the web form share it); the state named.
pub(crate) fn check_triage(
    state: &str,
    justification: Option<&str>,
    comment: Option<&str>,
) -> Result<TriageState, ApiError> {
    let state = TriageState::parse(state).map_err(|_| {
        let states: Vec<&str> = TriageState::ALL.iter().map(|s| s.text()).collect();
        ApiError::Invalid(format!(
            "unknown state `{state}`: use one of {}",
            states.join(", ")
        ))
    })?;
    if let Some(j) = justification {
        if !JUSTIFICATIONS.contains(&j) {
            return Err(ApiError::Invalid(format!(
                "unknown justification `{j}`: use a CycloneDX or OpenVEX justification"
            )));
        }
    } else if state == TriageState::NotAffected {
        return Err(ApiError::Invalid(
            "`not_affected` needs a `justification`".into(),
        ));
    }
    if comment.is_some_and(|c| c.len() > 10_000) {
        return Err(ApiError::Invalid(
            "the comment is longer than 10000 bytes".into(),
        ));
    }
    Ok(state)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageBody {
    purl: String,
    state: String,
    justification: Option<String>,
    comment: Option<String>,
}

async fn set_triage(
    State(state): State<AppState>,
    caller: Caller,
    Path((project, advisory)): Path<(String, String)>,
    Query(q): Query<TeamQuery>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    JsonBody(body): JsonBody<TriageBody>,
) -> Result<Response, ApiError> {
    let (team, project) = resolve(&state, &caller, q.team.as_deref(), &project).await?;
    let triage = check_triage(
        &body.state,
        body.justification.as_deref(),
        body.comment.as_deref(),
    )?;
    let result = portfolio::set_triage(
        &state.db,
        TriageSet {
            project: &project,
            team_id: team.id,
            purl: &body.purl,
            advisory: &advisory,
            state: triage,
            justification: body.justification.as_deref(),
            comment: body.comment.as_deref(),
            user_id: caller.user_id,
            actor: &caller.username,
            request_id: &request_id,
        },
    )
    .await?
    .ok_or_else(|| {
        ApiError::NotFound(format!(
            "project `{}` has no finding `{advisory}` for `{}`",
            project.name, body.purl
        ))
    })?;
    Ok(json(StatusCode::OK, &result))
}
