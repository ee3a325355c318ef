//! Users, teams, memberships, API keys and the audit log.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sqlx::{AnyConnection, Row};

use super::audit::{audit, Audit};
use super::{now, Db, DbError};

/// The organisation-wide role of a user.
pub const USER_ROLES: &[&str] = &["super_admin", "user"];
/// The roles within a team.
pub const TEAM_ROLES: &[&str] = &["team_admin", "developer"];

/// Creates a user with an organisation role (`super_admin` or `user`).
pub async fn create_user(db: &Db, username: &str, role: &str, actor: &str) -> Result<i64, DbError> {
    if !USER_ROLES.contains(&role) {
        return Err(DbError::Invalid(format!(
            "unknown user role `{role}`: use `super_admin` or `user`"
        )));
    }
    check_name("username", username)?;
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO users (username, role, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(username)
    .bind(role)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique_as(e, format!("user `{username}` already exists")))?
    .try_get("id")?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "user.create",
            target: &format!("user:{username}"),
            team_id: None,
            request_id: None,
            detail: Some(format!("{{\"role\":\"{role}\"}}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates a team.
pub async fn create_team(db: &Db, name: &str, actor: &str) -> Result<i64, DbError> {
    check_name("team name", name)?;
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as(e, format!("team `{name}` already exists")))?
        .try_get("id")?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "team.create",
            target: &format!("team:{name}"),
            team_id: Some(id),
            request_id: None,
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a user to a team, or changes their role in it.
pub async fn set_member(
    db: &Db,
    team: &str,
    username: &str,
    role: &str,
    actor: &str,
    request_id: Option<&str>,
) -> Result<(), DbError> {
    if !TEAM_ROLES.contains(&role) {
        return Err(DbError::Invalid(format!(
            "unknown team role `{role}`: use `team_admin` or `developer`"
        )));
    }
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let team_id = id_by_name(&mut tx, "teams", "name", team, "team").await?;
    let user_id = id_by_name(&mut tx, "users", "username", username, "user").await?;
    sqlx::query(
        "INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(team_id)
    .bind(user_id)
    .bind(role)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "membership.set",
            target: &format!("team:{team}/user:{username}"),
            team_id: Some(team_id),
            request_id,
            detail: Some(format!("{{\"role\":\"{role}\"}}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new API key: the full token is shown once and only its argon2 hash is stored.
#[derive(Debug)]
pub struct NewKey {
    /// `trs_<prefix>_<secret>`.
    pub token: String,
    /// The public prefix, for revocation and lookup.
    pub prefix: String,
}

/// Creates an API key for a user, optionally bound to one of their teams.
pub async fn create_key(
    db: &Db,
    username: &str,
    team: Option<&str>,
    actor: &str,
) -> Result<NewKey, DbError> {
    let prefix = random_token(6)?;
    let secret = random_token(24)?;
    let token = format!("trs_{prefix}_{secret}");
    let hash = hash_token(&token)?;
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let user_id = id_by_name(&mut tx, "users", "username", username, "user").await?;
    let team_id = match team {
        Some(t) => Some(id_by_name(&mut tx, "teams", "name", t, "team").await?),
        None => None,
    };
    sqlx::query(
        "INSERT INTO api_keys (prefix, hash, user_id, team_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&prefix)
    .bind(&hash)
    .bind(user_id)
    .bind(team_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "key.create",
            target: &format!("key:{prefix}"),
            team_id,
            request_id: None,
            detail: Some(serde_json::json!({ "user": username }).to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewKey { token, prefix })
}

/// Revokes a key by prefix. Returns false when there is no such unrevoked key.
pub async fn revoke_key(
    db: &Db,
    prefix: &str,
    actor: &str,
    request_id: Option<&str>,
) -> Result<bool, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE prefix = $2 AND revoked_at IS NULL \
         RETURNING team_id",
    )
    .bind(now())
    .bind(prefix)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let team_id: Option<i64> = row.try_get("team_id")?;
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "key.revoke",
            target: &format!("key:{prefix}"),
            team_id,
            request_id,
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A stored key, as authentication needs it.
#[derive(Debug, Clone)]
pub struct KeyRow {
    /// Row id.
    pub id: i64,
    /// The argon2 PHC string.
    pub hash: String,
    /// The owner.
    pub user_id: i64,
    /// The owner's name.
    pub username: String,
    /// Whether the owner is a super admin.
    pub super_admin: bool,
    /// The team the key is bound to.
    pub team_id: Option<i64>,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// Looks a key up by its prefix.
pub async fn key_by_prefix(db: &Db, prefix: &str) -> Result<Option<KeyRow>, DbError> {
    let row = sqlx::query(
        "SELECT k.id, k.hash, k.user_id, u.username, u.role, k.team_id, k.revoked_at \
         FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = $1",
    )
    .bind(prefix)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .map(|r| {
            Ok::<_, sqlx::Error>(KeyRow {
                id: r.try_get("id")?,
                hash: r.try_get("hash")?,
                user_id: r.try_get("user_id")?,
                username: r.try_get("username")?,
                super_admin: r.try_get::<String, _>("role")? == "super_admin",
                team_id: r.try_get("team_id")?,
                revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
            })
        })
        .transpose()?)
}

/// One team a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Membership {
    /// Team id.
    pub team_id: i64,
    /// Team name.
    #[sqlx(rename = "name")]
    pub team: String,
    /// `team_admin` or `developer`.
    pub role: String,
}

/// The teams a user belongs to, by name.
pub async fn memberships(db: &Db, user_id: i64) -> Result<Vec<Membership>, DbError> {
    Ok(sqlx::query_as(
        "SELECT m.team_id, t.name, m.role FROM memberships m JOIN teams t ON t.id = m.team_id \
         WHERE m.user_id = $1 ORDER BY t.name",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A team's id by name.
pub async fn team_id(db: &Db, name: &str) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar("SELECT id FROM teams WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?)
}

/// A team's name by id.
pub async fn team_name(db: &Db, id: i64) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT name FROM teams WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?)
}

/// Records that a key was used (callers throttle how often).
pub async fn touch_key(db: &Db, key_id: i64) -> Result<(), DbError> {
    let _gate = db.write_gate().await;
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now())
        .bind(key_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Checks a presented token against a stored argon2 hash.
pub fn verify_token(token: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(token.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn hash_token(token: &str) -> Result<String, DbError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| DbError::Invalid(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| DbError::Invalid(e.to_string()))?;
    Argon2::default()
        .hash_password(token.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Invalid(e.to_string()))
}

async fn id_by_name(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    value: &str,
    what: &str,
) -> Result<i64, DbError> {
    // `table` and `column` are constants of this module, never user input.
    let sql = format!("SELECT id FROM {table} WHERE {column} = $1");
    sqlx::query(&sql)
        .bind(value)
        .fetch_optional(conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?
        .ok_or_else(|| DbError::Invalid(format!("no {what} named `{value}`")))
}

fn check_name(what: &str, name: &str) -> Result<(), DbError> {
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(DbError::Invalid(format!(
            "a {what} must be 1 to 100 characters without control characters"
        )));
    }
    Ok(())
}

fn unique_as(e: sqlx::Error, message: String) -> DbError {
    if super::is_unique_violation(&e) {
        DbError::Invalid(message)
    } else {
        DbError::Query(e)
    }
}

/// The shortest and longest password accepted for web sign-in, in bytes.
pub const PASSWORD_BYTES: (usize, usize) = (8, 1024);

/// Sets (or replaces) a user's web sign-in password, stored as an argon2 hash, and ends the
/// user's web sessions.
pub async fn set_password(
    db: &Db,
    username: &str,
    password: &str,
    actor: &str,
) -> Result<(), DbError> {
    let (min, max) = PASSWORD_BYTES;
    if password.len() < min || password.len() > max {
        return Err(DbError::Invalid(format!(
            "a password must be {min} to {max} bytes long"
        )));
    }
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_token(&owned))
        .await
        .map_err(|e| DbError::Invalid(format!("cannot hash the password: {e}")))??;
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let user_id = id_by_name(&mut tx, "users", "username", username, "user").await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // Whoever signed in with the old password is signed out.
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit(
        &mut tx,
        &Audit {
            actor,
            action: "user.set_password",
            target: &format!("user:{username}"),
            team_id: None,
            request_id: None,
            detail: Some(serde_json::json!({ "sessions_ended": ended }).to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A user whose password was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// User id.
    pub user_id: i64,
    /// Username.
    pub username: String,
    /// Organisation-wide administrator.
    pub super_admin: bool,
}

/// Checks a username and password. `None` for an unknown user, a user without a password, or a
/// wrong password; the three take the same time (an unknown user is checked against a dummy
/// hash) so that the answer does not tell which usernames exist.
pub async fn check_password(
    db: &Db,
    username: &str,
    password: &str,
) -> Result<Option<SignedIn>, DbError> {
    let row =
        sqlx::query("SELECT id, username, role, password_hash FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
    let (user, hash) = match &row {
        Some(r) => {
            let user = SignedIn {
                user_id: r.try_get("id")?,
                username: r.try_get("username")?,
                super_admin: r.try_get::<String, _>("role")? == "super_admin",
            };
            (Some(user), r.try_get::<Option<String>, _>("password_hash")?)
        }
        None => (None, None),
    };
    let has_hash = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => dummy_hash()?,
    };
    let presented = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_token(&presented, &hash))
        .await
        .map_err(|e| DbError::Invalid(format!("cannot check the password: {e}")))?;
    Ok(user.filter(|_| ok && has_hash))
}

/// A hash of a random secret, verified against when a user has no hash so that a failed
/// sign-in costs the same whatever the reason.
fn dummy_hash() -> Result<String, DbError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_token(&random_token(16)?)?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

/// Random bytes as lowercase hex (`bytes` bytes, twice as many characters).
pub fn random_token(bytes: usize) -> Result<String, DbError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| DbError::Invalid(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}
