//! Storing uploads (one transaction each, with their idempotency record and audit row), and
//! reading scans back.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};
use trusca_core::model::Scope;
use trusca_core::model::Tier;

use super::audit::{audit, Audit};
use super::events;
use super::lifecycle::{self, ProjectCtx};
use super::pg_array::ArrayLiteral;
use super::policy;
use super::types::{self, TextEnum as _};
use super::{is_unique_violation, now, placeholders, Backend, Db, DbError, BATCH};
use crate::gate::Verdict;
use crate::rows::{Component, FindingRow, Ingest, SourceKind, Summary};

/// An upload ready to store.
#[derive(Debug)]
pub struct NewScan<'a> {
    /// The team the project belongs to.
    pub team_id: i64,
    /// Its name, for the response.
    pub team: &'a str,
    /// The project name (created on first upload).
    pub project: &'a str,
    /// The uploader.
    pub user_id: i64,
    /// The uploader's name, for the audit log.
    pub actor: &'a str,
    /// The request id, for the audit log.
    pub request_id: &'a str,
    /// The parsed document.
    pub ingest: &'a Ingest,
    /// The document as received, compressed.
    pub document: Vec<u8>,
    /// `Idempotency-Key` and the hash of the request it came with.
    pub idempotency: Option<(&'a str, &'a str)>,
}

/// What became of an upload.
#[derive(Debug)]
pub enum Stored {
    /// Stored now; the response body.
    Created(String),
    /// The same key and request were seen before: the original status and body.
    Replay(u16, String),
}

/// Looks up an earlier request with the same idempotency key.
/// [`DbError::IdempotencyConflict`] when the key was used for a different request.
pub async fn idempotent_replay(
    db: &Db,
    team_id: i64,
    key: &str,
    hash: &str,
) -> Result<Option<(u16, String)>, DbError> {
    let row = sqlx::query(
        "SELECT body_hash, status, response FROM idempotency WHERE team_id = $1 AND idem_key = $2",
    )
    .bind(team_id)
    .bind(key)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let stored_hash: String = row.try_get("body_hash")?;
    if stored_hash != hash {
        return Err(DbError::IdempotencyConflict);
    }
    let status: i64 = row.try_get("status")?;
    Ok(Some((
        u16::try_from(status).unwrap_or(201),
        row.try_get("response")?,
    )))
}

/// Stores an upload in one transaction: project (created if new), scan, components, findings,
/// the project's latest-scan pointer, the finding lifecycle ([`lifecycle::apply`], with its
/// `finding.new` events), the `scan.completed` event, the audit row, the policy's newly expired
/// exceptions and the idempotency record. Nothing is stored when any part fails.
pub async fn store(db: &Db, s: NewScan<'_>) -> Result<Stored, DbError> {
    store_judged(db, s, None).await
}

/// [`store`], with the decision under the team's policy: the answer carries it, and its newly
/// expired exceptions are recorded (and audited once each) in the same transaction.
pub async fn store_judged(
    db: &Db,
    s: NewScan<'_>,
    verdict: Option<&Verdict>,
) -> Result<Stored, DbError> {
    match store_once(db, &s, verdict).await {
        Err(DbError::Query(e)) if is_unique_violation(&e) => {
            // A concurrent request with the same idempotency key won the race.
            if let Some((key, hash)) = s.idempotency {
                if let Some((status, body)) = idempotent_replay(db, s.team_id, key, hash).await? {
                    return Ok(Stored::Replay(status, body));
                }
            }
            Err(DbError::Query(e))
        }
        Err(e) => Err(e),
        Ok(body) => Ok(Stored::Created(body)),
    }
}

/// The response to an upload, stored with its idempotency record.
#[derive(Debug, Serialize)]
struct Receipt<'a> {
    team: &'a str,
    project: &'a str,
    scan: StoredScan,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a Verdict>,
}

async fn store_once(
    db: &Db,
    s: &NewScan<'_>,
    verdict: Option<&Verdict>,
) -> Result<String, DbError> {
    let _gate = db.write_gate().await;
    let mut tx = db.pool.begin().await?;
    let created_at = now();
    sqlx::query(
        "INSERT INTO projects (team_id, name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (team_id, name) DO NOTHING",
    )
    .bind(s.team_id)
    .bind(s.project)
    .bind(&created_at)
    .execute(&mut *tx)
    .await?;
    let project_id: i64 = sqlx::query("SELECT id FROM projects WHERE team_id = $1 AND name = $2")
        .bind(s.team_id)
        .bind(s.project)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    let summary = s.ingest.summary();
    let scan_id: i64 = sqlx::query(
        "INSERT INTO scans (project_id, created_at, source_kind, commit_id, tool, document, \
         document_encoding, document_type, component_count, finding_count, critical_count, \
         high_count, medium_count, low_count, unknown_count, forbidden_license_count, uploaded_by, \
         license_tiers) \
         VALUES ($1, $2, $3, $4, $5, $6, 'gzip', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17) RETURNING id",
    )
    .bind(project_id)
    .bind(&created_at)
    .bind(s.ingest.kind.text())
    .bind(s.ingest.commit.as_deref())
    .bind(s.ingest.tool.as_deref())
    .bind(s.document.clone())
    .bind(s.ingest.kind.media_type())
    .bind(summary.components)
    .bind(summary.findings)
    .bind(summary.critical)
    .bind(summary.high)
    .bind(summary.medium)
    .bind(summary.low)
    .bind(summary.unknown)
    .bind(summary.forbidden_licenses)
    .bind(s.user_id)
    .bind(crate::json::text(&s.ingest.license_tiers())?)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    insert_components(&mut tx, db.backend, scan_id, &s.ingest.components).await?;
    insert_findings(&mut tx, db.backend, scan_id, &s.ingest.findings).await?;

    // On PostgreSQL this takes the project row until commit, so the lifecycle of one project
    // is brought up to date by one transaction at a time.
    let latest = sqlx::query(
        "UPDATE projects SET latest_scan_id = $1 \
         WHERE id = $2 AND (latest_scan_id IS NULL OR latest_scan_id < $1)",
    )
    .bind(scan_id)
    .bind(project_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if latest {
        let ctx = ProjectCtx {
            id: project_id,
            name: s.project,
            team_id: s.team_id,
            team: s.team,
        };
        lifecycle::apply(&mut tx, db.backend, ctx, &s.ingest.findings, &created_at).await?;
    }
    events::enqueue(
        &mut tx,
        s.team_id,
        events::SCAN_COMPLETED,
        &format!("{}:{scan_id}", events::SCAN_COMPLETED),
        &events::ScanCompleted {
            project: s.project,
            team: s.team,
            scan_id,
            summary: &summary,
        },
    )
    .await?;
    let components = summary.components;
    let body = crate::json::text(&Receipt {
        team: s.team,
        project: s.project,
        scan: StoredScan {
            id: scan_id,
            created_at: created_at.clone(),
            source_kind: s.ingest.kind,
            commit: s.ingest.commit.clone(),
            tool: s.ingest.tool.clone(),
            summary,
        },
        policy: verdict,
    })?;
    if let Some(verdict) = verdict {
        let expired = verdict.expired();
        if !expired.is_empty() {
            policy::record_expired(&mut tx, s.team_id, &expired, s.actor, Some(s.request_id))
                .await?;
        }
    }
    audit(
        &mut tx,
        &Audit {
            actor: s.actor,
            action: "scan.upload",
            target: &format!("project:{}/scan:{scan_id}", s.project),
            team_id: Some(s.team_id),
            request_id: Some(s.request_id),
            detail: Some(serde_json::json!({ "components": components }).to_string()),
        },
    )
    .await?;
    if let Some((key, hash)) = s.idempotency {
        sqlx::query(
            "INSERT INTO idempotency (team_id, idem_key, body_hash, status, response, created_at) \
             VALUES ($1, $2, $3, 201, $4, $5)",
        )
        .bind(s.team_id)
        .bind(key)
        .bind(hash)
        .bind(&body)
        .bind(&created_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(body)
}

/// Inserts components. PostgreSQL gets one array literal per column ([`ArrayLiteral`]) unpacked
/// by `unnest`: one statement whatever the number of rows, parsed faster than JSON. SQLite gets
/// multi-row inserts with anonymous parameters, which measured faster there than `json_each`.
async fn insert_components(
    conn: &mut AnyConnection,
    backend: Backend,
    scan_id: i64,
    components: &[Component],
) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        let n = components.len();
        let mut cols: Vec<ArrayLiteral> = (0..10)
            .map(|_| ArrayLiteral::with_capacity(n, 24))
            .collect();
        for c in components {
            cols[0].text(Some(&c.purl));
            cols[1].text(Some(&c.package));
            cols[2].text(c.ecosystem.as_deref());
            cols[3].text(Some(&c.name));
            cols[4].text(c.version.as_deref());
            cols[5].text(Some(c.scope.text()));
            cols[6].int(c.direct.map(i64::from));
            cols[7].text(c.location.as_deref());
            cols[8].text(c.license.as_deref());
            cols[9].text(c.license_tier.map(Tier::text));
        }
        let mut q = sqlx::query(
            "INSERT INTO components (scan_id, purl, package, ecosystem, name, version, scope, \
             direct, location, license, license_tier, ord) \
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[]) \
             WITH ORDINALITY",
        )
        .bind(scan_id);
        for col in cols {
            q = q.bind(col.finish());
        }
        q.execute(&mut *conn).await?;
        return Ok(());
    }
    for chunk in components.chunks(BATCH) {
        let sql = multi_insert(
            backend,
            "INSERT INTO components (scan_id, purl, package, ecosystem, name, version, \
             scope, direct, location, license, license_tier) VALUES ",
            11,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(scan_id)
                .bind(c.purl.as_str())
                .bind(c.package.as_str())
                .bind(c.ecosystem.as_deref())
                .bind(c.name.as_str())
                .bind(c.version.as_deref())
                .bind(c.scope.text())
                .bind(c.direct.map(i64::from))
                .bind(c.location.as_deref())
                .bind(c.license.as_deref())
                .bind(c.license_tier.map(Tier::text));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts a scan's findings and every id of each (`finding_ids`).
pub(super) async fn insert_findings(
    conn: &mut AnyConnection,
    backend: Backend,
    scan_id: i64,
    findings: &[FindingRow],
) -> Result<(), sqlx::Error> {
    for chunk in findings.chunks(BATCH) {
        let sql = multi_insert(
            backend,
            "INSERT INTO findings (scan_id, advisory_id, aliases, purl, package, version, \
             severity, score, fixed_in, summary) VALUES ",
            10,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for f in chunk {
            q = q
                .bind(scan_id)
                .bind(f.advisory_id.as_str())
                .bind(f.aliases.join(" "))
                .bind(f.purl.as_str())
                .bind(f.package.as_str())
                .bind(f.version.as_str())
                .bind(f.severity.text())
                .bind(f.score)
                .bind(f.fixed_in.as_deref())
                .bind(f.summary.as_deref());
        }
        q.execute(&mut *conn).await?;
    }
    let ids: Vec<(&FindingRow, &str)> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.advisory_id.as_str())
                .chain(f.aliases.iter().map(String::as_str))
                .map(move |id| (f, id))
        })
        .collect();
    for chunk in ids.chunks(BATCH) {
        let sql = multi_insert(
            backend,
            "INSERT INTO finding_ids (scan_id, advisory_id, purl, alias) VALUES ",
            4,
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for (f, id) in chunk {
            q = q
                .bind(scan_id)
                .bind(f.advisory_id.as_str())
                .bind(f.purl.as_str())
                .bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `PREFIX ($1, …, $cols), (…), …` for `rows` rows (see [`placeholders`]).
fn multi_insert(backend: Backend, prefix: &str, cols: usize, rows: usize) -> String {
    format!("{prefix}{}", placeholders(backend, cols, rows, 1))
}

/// The columns of a scan shown in lists and details (read as a [`StoredScan`]).
pub const SCAN_COLUMNS: &str = "s.id, s.created_at, s.source_kind, s.commit_id, s.tool, \
    s.component_count, s.finding_count, s.critical_count, s.high_count, s.medium_count, \
    s.low_count, s.unknown_count, s.forbidden_license_count";

/// A stored scan as lists and details show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredScan {
    /// Row id.
    pub id: i64,
    /// Uploaded (RFC 3339).
    pub created_at: String,
    /// What the document was.
    pub source_kind: SourceKind,
    /// The commit scanned, where given.
    pub commit: Option<String>,
    /// The producing tool, where given.
    pub tool: Option<String>,
    /// Its counts.
    pub summary: Summary,
}

/// A row selected with [`SCAN_COLUMNS`].
impl FromRow<'_, AnyRow> for StoredScan {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(StoredScan {
            id: r.try_get("id")?,
            created_at: r.try_get("created_at")?,
            source_kind: types::get(r, "source_kind")?,
            commit: r.try_get("commit_id")?,
            tool: r.try_get("tool")?,
            summary: Summary::from_row(r)?,
        })
    }
}

/// The scans of a project, newest first.
pub async fn list(
    db: &Db,
    project_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<StoredScan>, DbError> {
    let sql = format!(
        "SELECT {SCAN_COLUMNS} FROM scans s WHERE s.project_id = $1 ORDER BY s.id DESC \
         LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(project_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await?)
}

/// One scan of a project.
pub async fn detail(db: &Db, project_id: i64, scan_id: i64) -> Result<Option<StoredScan>, DbError> {
    let sql = format!("SELECT {SCAN_COLUMNS} FROM scans s WHERE s.project_id = $1 AND s.id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(project_id)
        .bind(scan_id)
        .fetch_optional(&db.pool)
        .await?)
}

/// The stored document of a scan: its media type and compressed bytes.
pub async fn document(
    db: &Db,
    project_id: i64,
    scan_id: i64,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    let row =
        sqlx::query("SELECT document_type, document FROM scans WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(scan_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("document_type")?, r.try_get("document")?)))
        .transpose()?)
}

/// A component of a stored scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanComponent {
    /// The package URL as given (empty when the document had none).
    pub purl: String,
    /// The OSV ecosystem name, where known.
    pub ecosystem: Option<String>,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<String>,
    /// Where it is needed.
    pub scope: Scope,
    /// Whether it is a direct dependency, where known.
    pub direct: Option<bool>,
    /// Where it was declared, where known.
    pub location: Option<String>,
    /// The concluded license expression.
    pub license: Option<String>,
    /// The policy tier of that license.
    pub license_tier: Option<Tier>,
}

impl FromRow<'_, AnyRow> for ScanComponent {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ScanComponent {
            purl: r.try_get("purl")?,
            ecosystem: r.try_get("ecosystem")?,
            name: r.try_get("name")?,
            version: r.try_get("version")?,
            scope: types::get(r, "scope")?,
            direct: types::get_flag(r, "direct")?,
            location: r.try_get("location")?,
            license: r.try_get("license")?,
            license_tier: types::get_optional(r, "license_tier")?,
        })
    }
}

/// The components of a scan, sorted by package and purl (the index order), one page, and how
/// many there are in all.
pub async fn components(
    db: &Db,
    scan_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<ScanComponent>), DbError> {
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM components WHERE scan_id = $1")
        .bind(scan_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    let items = sqlx::query_as(
        "SELECT purl, ecosystem, name, version, scope, direct, location, license, license_tier \
         FROM components WHERE scan_id = $1 ORDER BY package, purl, ord LIMIT $2 OFFSET $3",
    )
    .bind(scan_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok((total, items))
}
