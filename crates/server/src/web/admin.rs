//! The team admin page (members, API keys with revocation, webhooks and their deliveries, SLA
//! days) for team admins and super admins, and the audit log for super admins.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::error::WebError;
use super::html;
use super::session::{SameOrigin, WebUser};
use super::view::{self, Chrome};
use crate::auth::TeamCtx;
use crate::db::portfolio::KeyOwner;
use crate::db::sla::{self, DEFAULT_DAYS};
use crate::db::types::TextEnum;
use crate::db::{identity, portfolio, ui, webhooks};
use crate::routes::admin::may_revoke;
use crate::state::AppState;
use crate::RequestId;

/// Deliveries listed on the team page.
const DELIVERIES_SHOWN: i64 = 25;
/// Audit rows per page.
const AUDIT_PER_PAGE: i64 = 50;

/// A member.
#[derive(Debug, Clone)]
pub struct MemberLine {
    /// Username.
    pub username: String,
    /// Team role.
    pub role: String,
}

/// An API key.
#[derive(Debug, Clone)]
pub struct KeyLine {
    /// Public prefix.
    pub prefix: String,
    /// Owner.
    pub owner: String,
    /// `this team` or `all the owner's teams`.
    pub bound: &'static str,
    /// Created.
    pub created: String,
    /// Last used (`never`).
    pub last_used: String,
    /// Not revoked.
    pub active: bool,
    /// `revoked <date>` when revoked.
    pub status: String,
    /// Where the revoke button posts, when the viewer may revoke it.
    pub revoke_action: Option<String>,
}

/// A webhook.
#[derive(Debug, Clone)]
pub struct WebhookLine {
    /// Receiver.
    pub url: String,
    /// Events, comma-separated.
    pub events: String,
    /// Created.
    pub created: String,
    /// `active` or `disabled <date>`.
    pub status: String,
}

/// A delivery.
#[derive(Debug, Clone)]
pub struct DeliveryLine {
    /// Queued.
    pub created: String,
    /// Event.
    pub event: String,
    /// Receiver.
    pub url: String,
    /// `pending`, `delivered`, `failed`.
    pub status: String,
    /// CSS class of the status.
    pub status_class: &'static str,
    /// Attempts made.
    pub attempts: i64,
    /// Last attempt (`—`).
    pub last_attempt: String,
    /// HTTP status or error of the last attempt.
    pub answer: String,
}

/// A severity's days to fix.
#[derive(Debug, Clone)]
pub struct SlaLine {
    /// Severity word.
    pub severity: &'static str,
    /// Days.
    pub days: i64,
    /// Whether it is the default.
    pub default: bool,
}

/// `/t/{team}/admin`.
#[derive(Template)]
#[template(path = "team_admin.html")]
pub struct TeamAdminPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// Team.
    pub team: String,
    /// Confirmation of the last action.
    pub notice: Option<String>,
    /// Members.
    pub members: Vec<MemberLine>,
    /// Keys.
    pub keys: Vec<KeyLine>,
    /// Webhooks.
    pub webhooks: Vec<WebhookLine>,
    /// Latest deliveries.
    pub deliveries: Vec<DeliveryLine>,
    /// Days to fix per severity.
    pub sla: Vec<SlaLine>,
    /// The session's CSRF token.
    pub csrf: String,
    /// The team's policy page.
    pub policy_href: String,
}

/// The team, when the user administers it; 403 otherwise (404 for an unknown team, as the API).
pub(crate) async fn administered(
    state: &AppState,
    user: &WebUser,
    team: &str,
) -> Result<TeamCtx, WebError> {
    let ctx = user.caller.team(state, Some(team)).await?;
    if !ctx.is_admin(&user.caller) {
        return Err(WebError::Forbidden(format!(
            "only a team admin of `{team}` may see this page"
        )));
    }
    Ok(ctx)
}

/// `?revoked=`.
#[derive(Debug, Deserialize)]
pub struct Notice {
    revoked: Option<String>,
}

/// `GET /t/{team}/admin`.
pub async fn team(
    State(state): State<AppState>,
    user: WebUser,
    Path(team): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, WebError> {
    let ctx = administered(&state, &user, &team).await?;
    let members = portfolio::members(&state.db, ctx.id)
        .await?
        .into_iter()
        .map(|m| MemberLine {
            role: view::label(&m.role),
            username: m.username,
        })
        .collect();
    let admin_href = view::team_admin_href(&ctx.name);
    let keys = ui::team_keys(&state.db, ctx.id)
        .await?
        .into_iter()
        .map(|k| KeyLine {
            revoke_action: (k.revoked_at.is_none()
                && may_revoke(
                    &user.caller,
                    KeyOwner {
                        user_id: k.user_id,
                        team_id: k.team_id,
                    },
                ))
            .then(|| format!("{admin_href}/keys/{}/revoke", view::encode(&k.prefix))),
            bound: if k.team_id.is_some() {
                "this team"
            } else {
                "all the owner's teams"
            },
            created: view::day(&k.created_at),
            last_used: k
                .last_used_at
                .as_deref()
                .map_or_else(|| "never".to_owned(), view::minute),
            active: k.revoked_at.is_none(),
            status: k
                .revoked_at
                .as_deref()
                .map(|r| format!("revoked {}", view::day(r)))
                .unwrap_or_default(),
            prefix: k.prefix,
            owner: k.username,
        })
        .collect();
    let webhooks = webhooks::list(&state.db, ctx.id)
        .await?
        .into_iter()
        .map(|w| WebhookLine {
            url: w.url,
            events: w.events.join(", "),
            created: view::day(&w.created_at),
            status: w.disabled_at.as_deref().map_or_else(
                || "active".to_owned(),
                |d| format!("disabled {}", view::day(d)),
            ),
        })
        .collect();
    let deliveries = ui::deliveries(&state.db, ctx.id, DELIVERIES_SHOWN)
        .await?
        .into_iter()
        .map(|d| DeliveryLine {
            created: view::minute(&d.created_at),
            status_class: match d.status.as_str() {
                "delivered" => "ok",
                "failed" => "affected",
                _ => "open",
            },
            last_attempt: d
                .last_attempt_at
                .as_deref()
                .map_or_else(|| "—".to_owned(), view::minute),
            answer: match (d.response_status, d.last_error) {
                (Some(s), _) => format!("HTTP {s}"),
                (None, Some(e)) => e,
                (None, None) => "—".to_owned(),
            },
            event: d.event,
            url: d.url,
            status: d.status,
            attempts: d.attempts,
        })
        .collect();
    let policy = sla::policy(&state.db, ctx.id).await?;
    let sla = DEFAULT_DAYS
        .iter()
        .map(|&(severity, default)| {
            let days = policy.days(severity).unwrap_or(default);
            SlaLine {
                severity: severity.text(),
                days,
                default: days == default,
            }
        })
        .collect();
    html(&TeamAdminPage {
        chrome: Some(Chrome::new(&user, Some(&ctx.name))),
        team: ctx.name.clone(),
        notice: q.revoked.map(|p| format!("Key trs_{p}_… was revoked.")),
        members,
        keys,
        webhooks,
        deliveries,
        sla,
        csrf: user.session.csrf.clone(),
        policy_href: format!("{admin_href}/policy"),
    })
}

/// A form with nothing but its token.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    /// The session's CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /t/{team}/admin/keys/{prefix}/revoke`: the API's revocation, with the API's rule of
/// who may revoke which key.
pub async fn revoke_key(
    State(state): State<AppState>,
    _: SameOrigin,
    user: WebUser,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Path((team, prefix)): Path<(String, String)>,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let ctx = administered(&state, &user, &team).await?;
    let not_found = || WebError::NotFound(format!("no active key `{prefix}` you may revoke"));
    let owner = portfolio::key_owner(&state.db, &prefix)
        .await?
        .ok_or_else(not_found)?;
    let listed = ui::team_keys(&state.db, ctx.id)
        .await?
        .iter()
        .any(|k| k.prefix == prefix);
    if !listed || !may_revoke(&user.caller, owner) {
        return Err(not_found());
    }
    if !identity::revoke_key(&state.db, &prefix, &user.caller.username, Some(&request_id)).await? {
        return Err(not_found());
    }
    let to = format!(
        "{}?revoked={}",
        view::team_admin_href(&ctx.name),
        view::encode(&prefix)
    );
    Ok(Redirect::to(&to).into_response())
}

/// An audit row as shown.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// Row id.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// Team (`—`).
    pub team: String,
    /// Request id (``).
    pub request_id: String,
    /// JSON context (``).
    pub detail: String,
}

/// `/admin/audit`.
#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    /// Top bar.
    pub chrome: Option<Chrome>,
    /// One page of rows, newest first.
    pub rows: Vec<AuditLine>,
    /// The next (older) page.
    pub older: Option<String>,
    /// The first page, when this is not it.
    pub newest: Option<String>,
}

/// `?before=`.
#[derive(Debug, Deserialize)]
pub struct Before {
    before: Option<i64>,
}

/// `GET /admin/audit[?before=ID]`: super admins only (404 to anyone else, as the API).
pub async fn audit(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<Before>,
) -> Result<Response, WebError> {
    user.require_super_admin()?;
    // One more row than shown tells whether there is an older page.
    let mut rows = ui::audit_page(&state.db, q.before, AUDIT_PER_PAGE + 1).await?;
    let more = rows.len() as i64 > AUDIT_PER_PAGE;
    rows.truncate(AUDIT_PER_PAGE as usize);
    let older = rows
        .last()
        .filter(|_| more)
        .map(|r| format!("/admin/audit?before={}", r.id));
    let rows = rows
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at: view::minute(&r.at),
            actor: r.actor,
            action: r.action,
            target: r.target,
            team: r.team.unwrap_or_else(|| "—".to_owned()),
            request_id: r.request_id.unwrap_or_default(),
            detail: r.detail.unwrap_or_default(),
        })
        .collect();
    html(&AuditPage {
        chrome: Some(Chrome::new(&user, None)),
        rows,
        older,
        newest: q.before.map(|_| "/admin/audit".to_owned()),
    })
}
