//! Authentication (an extractor over `Authorization: Bearer` or `X-API-Key`), team resolution,
//! and the per-address limit on failed attempts, shared by every server on the database.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use sha2::{Digest, Sha256};

use crate::db::identity::{self, Membership};
use crate::db::limits;
use crate::db::portfolio::TeamScope;
use crate::error::ApiError;
use crate::state::AppState;

/// How often a key's last-used time is written at most.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// The window of the failed-authentication limit.
const WINDOW: Duration = limits::WINDOW;
/// Verified-token cache entries kept before the cache is emptied.
const CACHE_MAX: usize = 10_000;

/// Per-server authentication state: verified tokens (argon2 is deliberately slow, so a token is
/// verified once and then recognised by its SHA-256), key use times, and this server's own
/// failure counts (the shared ones are in the database, [`limits`]).
#[derive(Debug, Default)]
pub struct AuthState {
    verified: Mutex<HashMap<[u8; 32], i64>>,
    touched: Mutex<HashMap<i64, Instant>>,
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl AuthState {
    /// Refuses (429) an address that failed `limit` times within the window.
    pub(crate) fn check_rate(&self, ip: IpAddr, limit: u32) -> Result<(), ApiError> {
        let failures = self.failures.lock().map_err(ApiError::internal)?;
        if let Some((start, n)) = failures.get(&ip) {
            let elapsed = start.elapsed();
            if *n >= limit && elapsed < WINDOW {
                return Err(ApiError::RateLimited {
                    retry_after: (WINDOW - elapsed).as_secs().max(1),
                });
            }
        }
        Ok(())
    }

    /// Counts one failed authentication of an address.
    pub(crate) fn record_failure(&self, ip: IpAddr) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() > CACHE_MAX {
                failures.retain(|_, (start, _)| start.elapsed() < WINDOW);
            }
            let entry = failures.entry(ip).or_insert((Instant::now(), 0));
            if entry.0.elapsed() >= WINDOW {
                *entry = (Instant::now(), 0);
            }
            entry.1 += 1;
        }
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub user_id: i64,
    /// Username.
    pub username: String,
    /// Organisation-wide administrator.
    pub super_admin: bool,
    /// The key used.
    pub key_id: i64,
    /// The team the key is bound to, if any.
    pub key_team: Option<i64>,
    /// The user's teams.
    pub memberships: Vec<Membership>,
}

/// The team a request acts in.
#[derive(Debug, Clone)]
pub struct TeamCtx {
    /// Team id.
    pub id: i64,
    /// Team name.
    pub name: String,
    /// The caller's role in it (`None` for a super admin who is not a member).
    pub role: Option<String>,
}

impl TeamCtx {
    /// Whether the caller may administer the team.
    pub fn is_admin(&self, caller: &Caller) -> bool {
        caller.super_admin || self.role.as_deref() == Some("team_admin")
    }
}

impl Caller {
    fn membership(&self, team_id: i64) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.team_id == team_id)
    }

    /// The team to act in: `?team=` when given, else the key's team, else the user's only team.
    /// Another team is 403, worded alike whether or not a team of that name exists, so that
    /// the answer does not tell which teams there are.
    pub async fn team(&self, state: &AppState, named: Option<&str>) -> Result<TeamCtx, ApiError> {
        if let (Some(key_team), Some(name)) = (self.key_team, named) {
            // A bound key acts in its own team only: another name is refused before it is
            // looked up.
            let own = match self.membership(key_team) {
                Some(m) => m.team.clone(),
                None => team_name(state, key_team).await?,
            };
            if own != name {
                return Err(ApiError::Forbidden(
                    "this key is bound to another team".into(),
                ));
            }
        }
        let id = match named {
            Some(name) => match identity::team_id(&state.db, name).await? {
                Some(id) => id,
                None if self.super_admin => {
                    return Err(ApiError::NotFound(format!("no team named `{name}`")))
                }
                None => {
                    return Err(ApiError::Forbidden(format!(
                        "you are not a member of team `{name}`"
                    )))
                }
            },
            None => match (self.key_team, self.memberships.as_slice()) {
                (Some(id), _) => id,
                (None, [only]) => only.team_id,
                (None, teams) => {
                    return Err(ApiError::TeamRequired(format!(
                        "the key is not bound to a team and its user is in {} teams: name one \
                         with `?team=`",
                        teams.len()
                    )))
                }
            },
        };
        if self.key_team.is_some_and(|k| k != id) {
            return Err(ApiError::Forbidden(
                "this key is bound to another team".into(),
            ));
        }
        match self.membership(id) {
            Some(m) => Ok(TeamCtx {
                id,
                name: m.team.clone(),
                role: Some(m.role.clone()),
            }),
            None if self.super_admin => {
                let name = match named {
                    Some(n) => n.to_owned(),
                    None => team_name(state, id).await?,
                };
                Ok(TeamCtx {
                    id,
                    name,
                    role: None,
                })
            }
            None => Err(ApiError::Forbidden(format!(
                "you are not a member of team `{}`",
                named.unwrap_or("of this key")
            ))),
        }
    }

    /// The teams a cross-project query covers: the named or bound team, else every team of the
    /// user (every team for a super admin).
    pub async fn scope(
        &self,
        state: &AppState,
        named: Option<&str>,
    ) -> Result<TeamScope, ApiError> {
        if named.is_some() || self.key_team.is_some() {
            return Ok(TeamScope::Teams(vec![self.team(state, named).await?.id]));
        }
        if self.super_admin {
            return Ok(TeamScope::All);
        }
        Ok(TeamScope::Teams(
            self.memberships.iter().map(|m| m.team_id).collect(),
        ))
    }
}

async fn team_name(state: &AppState, id: i64) -> Result<String, ApiError> {
    identity::team_name(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such team".into()))
}

/// The client address, for the limit on failed authentications (API keys and web sign-ins):
/// the peer, or behind a trusted proxy the address it forwards for (see [`crate::proxy`]).
pub fn client_ip(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    crate::proxy::client_addr(peer, headers, &state.config.trusted_proxies)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = presented_token(parts).ok_or(ApiError::Unauthenticated)?;
        let ip = client_ip(state, &parts.headers, &parts.extensions);
        check_limit(state, ip).await?;
        match verify(state, &token).await? {
            Some(caller) => Ok(caller),
            None => {
                count_failure(state, ip).await;
                Err(ApiError::BadCredentials)
            }
        }
    }
}

/// Refuses (429) a client address that failed too often within the window: at this server
/// (without asking the database), or at any server on the database.
pub async fn check_limit(state: &AppState, ip: IpAddr) -> Result<(), ApiError> {
    let limit = state.config.auth_failures_per_minute;
    state.auth.check_rate(ip, limit)?;
    match limits::blocked(&state.db, &ip.to_string(), limit, SystemTime::now()).await? {
        Some(retry_after) => Err(ApiError::RateLimited { retry_after }),
        None => Ok(()),
    }
}

/// Counts a failed authentication of a client address, here and for every server.
pub async fn count_failure(state: &AppState, ip: IpAddr) {
    state.auth.record_failure(ip);
    if let Err(e) = limits::record_failure(&state.db, &ip.to_string(), SystemTime::now()).await {
        tracing::warn!(error = %e, "cannot record a failed authentication");
    }
}

fn presented_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let v = v.to_str().ok()?;
        let (scheme, token) = v.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    parts
        .headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
}

/// `trs_<prefix>_<secret>` → prefix.
fn token_prefix(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("trs_")?;
    let (prefix, secret) = rest.split_once('_')?;
    let ok =
        |s: &str| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok(prefix) && ok(secret)).then_some(prefix)
}

async fn verify(state: &AppState, token: &str) -> Result<Option<Caller>, ApiError> {
    let Some(prefix) = token_prefix(token) else {
        return Ok(None);
    };
    let Some(key) = identity::key_by_prefix(&state.db, prefix).await? else {
        return Ok(None);
    };
    if key.revoked {
        return Ok(None);
    }
    let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    let cached = state
        .auth
        .verified
        .lock()
        .map_err(ApiError::internal)?
        .get(&digest)
        == Some(&key.id);
    if !cached {
        let (token, hash) = (token.to_owned(), key.hash.clone());
        let ok = tokio::task::spawn_blocking(move || identity::verify_token(&token, &hash))
            .await
            .map_err(ApiError::internal)?;
        if !ok {
            return Ok(None);
        }
        let mut verified = state.auth.verified.lock().map_err(ApiError::internal)?;
        if verified.len() >= CACHE_MAX {
            verified.clear();
        }
        verified.insert(digest, key.id);
    }
    touch(state, key.id);
    let memberships = identity::memberships(&state.db, key.user_id).await?;
    Ok(Some(Caller {
        user_id: key.user_id,
        username: key.username,
        super_admin: key.super_admin,
        key_id: key.id,
        key_team: key.team_id,
        memberships,
    }))
}

/// Records the key's last use in the background, at most once a minute per key.
fn touch(state: &AppState, key_id: i64) {
    let due = match state.auth.touched.lock() {
        Ok(mut t) => {
            let due = t.get(&key_id).is_none_or(|at| at.elapsed() >= TOUCH_EVERY);
            if due {
                t.insert(key_id, Instant::now());
            }
            due
        }
        Err(_) => false,
    };
    if due {
        let db = state.db.clone();
        tokio::spawn(async move {
            if let Err(e) = identity::touch_key(&db, key_id).await {
                tracing::warn!(error = %e, "cannot record key use");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_read_from_the_token() {
        assert_eq!(token_prefix("trs_abc123_def456"), Some("abc123"));
        assert_eq!(token_prefix("trs_abc123"), None);
        assert_eq!(token_prefix("xyz_abc_def"), None);
        assert_eq!(token_prefix("trs_a b_c"), None);
    }

    #[test]
    fn failures_are_limited_per_address() {
        let a = AuthState::default();
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..3 {
            assert!(a.check_rate(ip, 3).is_ok());
            a.record_failure(ip);
        }
        assert!(matches!(
            a.check_rate(ip, 3),
            Err(ApiError::RateLimited { .. })
        ));
        assert!(a.check_rate(IpAddr::V4(Ipv4Addr::BROADCAST), 3).is_ok());
    }
}
