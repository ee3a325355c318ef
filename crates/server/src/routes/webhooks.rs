//! Webhook administration of a team (team admins and super admins): create, list, delete, list
//! deliveries, and queue a test delivery. Secrets are shown once, when the server makes them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};

use super::admin::team_admin;
use super::{json, JsonBody, Page};
use crate::auth::Caller;
use crate::db::events::EVENTS;
use crate::db::identity;
use crate::db::webhooks::{self, Delivery, NewWebhook, Webhook};
use crate::egress::{self, Targets};
use crate::error::ApiError;
use crate::state::AppState;
use crate::RequestId;

/// The longest URL accepted.
const MAX_URL: usize = 2048;
/// Bounds on a caller-chosen secret, in bytes.
const SECRET_LEN: std::ops::RangeInclusive<usize> = 16..=256;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/teams/{team}/webhooks", get(list).post(create))
        .route("/v1/teams/{team}/webhooks/{id}", delete(remove))
        .route("/v1/teams/{team}/webhooks/{id}/deliveries", get(deliveries))
        .route("/v1/teams/{team}/webhooks/{id}/test", post(test))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewBody {
    url: String,
    events: Vec<String>,
    secret: Option<String>,
}

/// An http(s) URL with a host; with [`Targets::Public`], not a literal internal address or
/// `localhost` (other names are checked when a delivery resolves them).
fn check_url(url: &str, targets: Targets) -> Result<(), ApiError> {
    let bad = |why: &str| Err(ApiError::Invalid(format!("`url` {why}")));
    if url.len() > MAX_URL {
        return bad(&format!("is longer than {MAX_URL} bytes"));
    }
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return bad("is not a URL");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return bad("must be http or https");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return bad("has no host");
    }
    if targets == Targets::Public {
        if let Some(host) = egress::internal_literal(&parsed) {
            return bad(&format!(
                "points at `{host}`, an internal address: the server refuses internal webhook \
                 targets unless started with --webhooks-allow-private"
            ));
        }
    }
    Ok(())
}

/// The subscribed events, known and in the canonical order, each once.
fn check_events(events: &[String]) -> Result<Vec<String>, ApiError> {
    if let Some(unknown) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(ApiError::Invalid(format!(
            "unknown event `{unknown}`: use {}",
            EVENTS.join(", ")
        )));
    }
    let chosen: Vec<String> = EVENTS
        .iter()
        .filter(|e| events.iter().any(|c| c == *e))
        .map(|e| (*e).to_owned())
        .collect();
    if chosen.is_empty() {
        return Err(ApiError::Invalid(
            "`events` must name at least one event".into(),
        ));
    }
    Ok(chosen)
}

fn check_secret(secret: &str) -> Result<(), ApiError> {
    if !SECRET_LEN.contains(&secret.len()) || !secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::Invalid(format!(
            "`secret` must be {} to {} visible ASCII characters",
            SECRET_LEN.start(),
            SECRET_LEN.end()
        )));
    }
    Ok(())
}

/// 32 random bytes as hex.
fn new_secret() -> Result<String, ApiError> {
    identity::random_token(32).map_err(ApiError::internal)
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    JsonBody(body): JsonBody<NewBody>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    check_url(&body.url, state.config.webhook_targets)?;
    let events = check_events(&body.events)?;
    let generated = match &body.secret {
        Some(s) => {
            check_secret(s)?;
            None
        }
        None => Some(new_secret()?),
    };
    let secret = body
        .secret
        .as_deref()
        .or(generated.as_deref())
        .unwrap_or_default();
    let created = webhooks::create(
        &state.db,
        NewWebhook {
            team_id: ctx.id,
            url: &body.url,
            events: &events,
            secret,
            actor: &caller.username,
            request_id: Some(&request_id),
        },
    )
    .await?;
    Ok(json(
        StatusCode::CREATED,
        &Created {
            webhook: created,
            secret: generated,
        },
    ))
}

/// `POST /v1/teams/{team}/webhooks`: the webhook, and its secret when the server made it.
#[derive(Serialize)]
struct Created {
    #[serde(flatten)]
    webhook: Webhook,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(team): Path<String>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    let webhooks = webhooks::list(&state.db, ctx.id).await?;
    Ok(json(
        StatusCode::OK,
        &WebhookList {
            team: &ctx.name,
            webhooks,
        },
    ))
}

/// `GET /v1/teams/{team}/webhooks`.
#[derive(Serialize)]
struct WebhookList<'a> {
    team: &'a str,
    webhooks: Vec<Webhook>,
}

fn no_webhook(id: i64) -> ApiError {
    ApiError::NotFound(format!("this team has no active webhook {id}"))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((team, id)): Path<(String, i64)>,
    Extension(RequestId(request_id)): Extension<RequestId>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    if !webhooks::disable(&state.db, ctx.id, id, &caller.username, Some(&request_id)).await? {
        return Err(no_webhook(id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path((team, id)): Path<(String, i64)>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    webhooks::get(&state.db, ctx.id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("this team has no webhook {id}")))?;
    let (total, deliveries) =
        webhooks::deliveries(&state.db, id, page.limit(100, 1000), page.offset()).await?;
    Ok(json(
        StatusCode::OK,
        &DeliveryPage {
            webhook_id: id,
            total,
            deliveries,
        },
    ))
}

/// `GET /v1/teams/{team}/webhooks/{id}/deliveries`.
#[derive(Serialize)]
struct DeliveryPage {
    webhook_id: i64,
    total: i64,
    deliveries: Vec<Delivery>,
}

async fn test(
    State(state): State<AppState>,
    caller: Caller,
    Path((team, id)): Path<(String, i64)>,
    Extension(RequestId(request_id)): Extension<RequestId>,
) -> Result<Response, ApiError> {
    let ctx = team_admin(&state, &caller, &team).await?;
    let key = webhooks::enqueue_ping(&state.db, ctx.id, id, &caller.username, Some(&request_id))
        .await?
        .ok_or_else(|| no_webhook(id))?;
    crate::webhooks::wake();
    Ok(json(
        StatusCode::ACCEPTED,
        &Queued {
            event: webhooks::PING,
            delivery: key,
        },
    ))
}

/// `POST /v1/teams/{team}/webhooks/{id}/test`.
#[derive(Serialize)]
struct Queued {
    event: &'static str,
    delivery: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host() {
        for targets in [Targets::Public, Targets::Any] {
            assert!(check_url("https://hooks.example/x?t=1", targets).is_ok());
            for bad in [
                "ftp://hooks.example/",
                "hooks.example",
                "file:///etc/passwd",
                "https://",
            ] {
                assert!(check_url(bad, targets).is_err(), "{bad}");
            }
            let long = format!("https://h.example/{}", "a".repeat(MAX_URL));
            assert!(check_url(&long, targets).is_err());
        }
    }

    #[test]
    fn internal_targets_only_when_allowed() {
        for url in [
            "http://127.0.0.1:9000/",
            "http://[fd00::1]/",
            "http://localhost/",
            "http://169.254.169.254/latest",
        ] {
            assert!(check_url(url, Targets::Any).is_ok(), "{url}");
            let Err(ApiError::Invalid(why)) = check_url(url, Targets::Public) else {
                panic!("{url} accepted")
            };
            assert!(why.contains("--webhooks-allow-private"), "{why}");
        }
    }

    #[test]
    fn events_are_known_deduplicated_and_ordered() {
        let ev = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            check_events(&ev(&["sla.breached", "scan.completed", "sla.breached"])).ok(),
            Some(ev(&["scan.completed", "sla.breached"]))
        );
        assert!(check_events(&ev(&[])).is_err());
        assert!(check_events(&ev(&["ping"])).is_err());
        assert!(check_events(&ev(&["finding.new", "finding.old"])).is_err());
    }

    #[test]
    fn secrets_are_long_visible_ascii() {
        assert!(check_secret("0123456789abcdef").is_ok());
        assert!(check_secret("short").is_err());
        assert!(check_secret("0123456789 abcdef").is_err());
        assert_eq!(new_secret().map(|s| s.len()).ok(), Some(64));
    }
}
