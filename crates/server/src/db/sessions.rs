//! Web sign-in sessions. The browser holds a random token; only its SHA-256 is stored, with the
//! session's CSRF token and its expiry. A session lasts [`IDLE`] after its last use and never
//! longer than [`MAX_AGE`] after sign-in.

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::audit::{audit, Audit};
use super::identity::{random_token, SignedIn};
use super::{now, rfc3339, Db, DbError};

/// A session unused for this long has expired.
pub const IDLE: Duration = Duration::from_secs(12 * 3600);
/// No session lives longer than this after sign-in.
pub const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
/// The expiry is pushed forward at most this often per session (each push is a write).
const EXTEND_EVERY: Duration = Duration::from_secs(300);

/// A session just created: the cookie value (shown once) and the CSRF token of its forms.
#[derive(Debug)]
pub struct NewSession {
    /// The cookie value: 32 random bytes as hex.
    pub token: String,
    /// The token every form of the session carries.
    pub csrf: String,
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The stored SHA-256 of the cookie value.
    pub id_hash: String,
    /// The user.
    pub user: SignedIn,
    /// The token every form of the session carries.
    pub csrf: String,
    /// When the session expires unless used (RFC 3339).
    pub expires_at: String,
}

/// The stored form of a cookie value.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session for a user whose password was checked; the user's expired sessions are
/// removed on the way. Audited as `session.create`.
pub async fn create(
    db: &Db,
    user: &SignedIn,
    request_id: Option<&str>,
) -> Result<NewSession, DbError> {
    let token = random_token(32)?;
    let csrf = random_token(32)?;
    let start = SystemTime::now();
    let created_at = rfc3339(start);
    let expires_at = rfc3339(start + IDLE);
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user.user_id)
        .bind(&created_at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(user.user_id)
    .bind(&csrf)
    .bind(&created_at)
    .bind(&expires_at)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor: &user.username,
            action: "session.create",
            target: &format!("user:{}", user.username),
            team_id: None,
            request_id,
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewSession { token, csrf })
}

/// The live session of a cookie value, its expiry pushed forward by use (at most every few
/// minutes, and never past [`MAX_AGE`]). `None` when there is none or it expired.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Session>, DbError> {
    let id_hash = hash(token);
    let row = sqlx::query(
        "SELECT s.csrf_token, s.created_at, s.expires_at, u.id, u.username, u.role \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(&id_hash)
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let created_at: String = row.try_get("created_at")?;
    let mut expires_at: String = row.try_get("expires_at")?;
    if let Some(next) = next_expiry(&created_at, &expires_at, SystemTime::now()) {
        let _gate = db.write_gate().await;
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
            .bind(&next)
            .bind(&id_hash)
            .execute(&db.pool)
            .await?;
        expires_at = next;
    }
    Ok(Some(Session {
        id_hash,
        user: SignedIn {
            user_id: row.try_get("id")?,
            username: row.try_get("username")?,
            super_admin: row.try_get::<String, _>("role")? == "super_admin",
        },
        csrf: row.try_get("csrf_token")?,
        expires_at,
    }))
}

/// The new expiry of a session used at `at`, when it should move: [`IDLE`] after `at`, capped
/// at [`MAX_AGE`] after creation, and only when that moves it by [`EXTEND_EVERY`] or more.
fn next_expiry(created_at: &str, expires_at: &str, at: SystemTime) -> Option<String> {
    let created = humantime::parse_rfc3339_weak(created_at).ok()?;
    let current = humantime::parse_rfc3339_weak(expires_at).ok()?;
    let next = (at + IDLE).min(created + MAX_AGE);
    let moved = next.duration_since(current).ok()?;
    (moved >= EXTEND_EVERY).then(|| rfc3339(next))
}

/// Ends a session (sign-out). Audited as `session.delete`; `false` when there was none.
pub async fn delete(
    db: &Db,
    token: &str,
    actor: &str,
    request_id: Option<&str>,
) -> Result<bool, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash(token))
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "session.delete",
            target: &format!("user:{actor}"),
            team_id: None,
            request_id,
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> SystemTime {
        humantime::parse_rfc3339_weak(s).unwrap_or(SystemTime::UNIX_EPOCH)
    }

    #[test]
    fn expiry_slides_with_use_up_to_the_maximum_age() {
        let created = "2026-01-01T00:00:00.000Z";
        // Used one hour in: twelve hours from then.
        assert_eq!(
            next_expiry(
                created,
                "2026-01-01T12:00:00.000Z",
                at("2026-01-01T01:00:00Z")
            )
            .as_deref(),
            Some("2026-01-01T13:00:00.000Z")
        );
        // Used a minute after the last push: not worth a write.
        assert_eq!(
            next_expiry(
                created,
                "2026-01-01T13:00:00.000Z",
                at("2026-01-01T01:01:00Z")
            ),
            None
        );
        // Near the end of the seventh day: capped at seven days.
        assert_eq!(
            next_expiry(
                created,
                "2026-01-07T20:00:00.000Z",
                at("2026-01-07T19:00:00Z")
            )
            .as_deref(),
            Some("2026-01-08T00:00:00.000Z")
        );
        assert_eq!(
            next_expiry(
                created,
                "2026-01-08T00:00:00.000Z",
                at("2026-01-07T23:00:00Z")
            ),
            None
        );
    }

    #[test]
    fn only_the_digest_is_stored() {
        let h = hash("abc");
        assert_eq!(h.len(), 64);
        assert_ne!(h, "abc");
        assert_eq!(h, hash("abc"));
    }
}
