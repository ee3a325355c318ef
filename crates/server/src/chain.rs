//! The audit log's hash chain. Each row's `hash` is the SHA-256 of its content and of the
//! previous row's hash (`prev_hash`; the first row follows [`GENESIS`]), so that a row edited,
//! inserted or deleted out of band breaks the chain where it happened. [`Verifier`] walks the
//! rows in order and names the first break; the storage side is [`crate::db::audit`].

use std::fmt;

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of a row that the hash covers (everything but its id and the hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// When (RFC 3339).
    pub at: &'a str,
    /// Who.
    pub actor: &'a str,
    /// What.
    pub action: &'a str,
    /// To what.
    pub target: &'a str,
    /// The team concerned.
    pub team_id: Option<i64>,
    /// The request id.
    pub request_id: Option<&'a str>,
    /// Extra context.
    pub detail: Option<&'a str>,
}

/// The hash of a row: lowercase hex SHA-256 over a version tag, each field length-prefixed
/// (absent ones marked as such, so that no two contents encode alike), and `prev`.
pub fn hash(entry: &Entry<'_>, prev: &str) -> String {
    fn text(h: &mut Sha256, s: &str) {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    }
    fn optional(h: &mut Sha256, s: Option<&str>) {
        match s {
            None => h.update([0]),
            Some(s) => {
                h.update([1]);
                text(h, s);
            }
        }
    }
    let mut h = Sha256::new();
    h.update(b"trusca-audit-1\0");
    text(&mut h, entry.at);
    text(&mut h, entry.actor);
    text(&mut h, entry.action);
    text(&mut h, entry.target);
    optional(&mut h, entry.team_id.map(|t| t.to_string()).as_deref());
    optional(&mut h, entry.request_id);
    optional(&mut h, entry.detail);
    text(&mut h, prev);
    hex::encode(h.finalize())
}

/// A stored row, as verification reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRow {
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
    /// The team concerned.
    pub team_id: Option<i64>,
    /// The request id.
    pub request_id: Option<String>,
    /// Extra context.
    pub detail: Option<String>,
    /// The previous row's hash, as stored.
    pub prev_hash: Option<String>,
    /// This row's hash, as stored.
    pub hash: Option<String>,
}

impl StoredRow {
    /// The content the hash covers.
    pub fn entry(&self) -> Entry<'_> {
        Entry {
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            target: &self.target,
            team_id: self.team_id,
            request_id: self.request_id.as_deref(),
            detail: self.detail.as_deref(),
        }
    }
}

/// Where the chain breaks: the first row changed out of band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row has no hash: it was written out of band (or by a server without the chain).
    Unhashed(i64),
    /// The row's content no longer matches its hash: it was edited.
    Edited(i64),
    /// The row does not follow the one before it, and the one after it does: it was inserted.
    Inserted(i64),
    /// The row does not follow the one before it (`after`, `None` for the first row): rows
    /// between them were deleted, or the row before was edited and its hash recomputed.
    Gap {
        /// The last row that chained correctly.
        after: Option<i64>,
        /// The row that does not follow it.
        at: i64,
    },
    /// The checkpoint names a row that is gone or different: rows from it on were deleted.
    Truncated {
        /// The row the checkpoint names.
        checkpoint: i64,
        /// The last row there is.
        last: Option<i64>,
    },
}

impl Break {
    /// The first row the break concerns.
    pub fn row(&self) -> i64 {
        match self {
            Break::Unhashed(id) | Break::Edited(id) | Break::Inserted(id) => *id,
            Break::Gap { at, .. } => *at,
            Break::Truncated { checkpoint, .. } => *checkpoint,
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::Unhashed(id) => write!(
                f,
                "row {id} has no hash: it was inserted out of band (or by a server older than \
                 the chain)"
            ),
            Break::Edited(id) => write!(
                f,
                "row {id} was edited: its content no longer matches its hash"
            ),
            Break::Inserted(id) => write!(
                f,
                "row {id} was inserted out of band: it does not follow the row before it, and \
                 the row after it follows that one"
            ),
            Break::Gap { after: None, at } => write!(
                f,
                "row {at} does not follow the start of the log: rows before it were deleted"
            ),
            Break::Gap {
                after: Some(after),
                at,
            } => write!(
                f,
                "row {at} does not follow row {after}: rows between them were deleted (or row \
                 {after} was edited and its hash recomputed)"
            ),
            Break::Truncated {
                checkpoint,
                last: Some(last),
            } => write!(
                f,
                "rows from {checkpoint} on were deleted: the checkpoint names row {checkpoint}, \
                 the log ends at row {last}"
            ),
            Break::Truncated {
                checkpoint,
                last: None,
            } => write!(
                f,
                "every row was deleted: the checkpoint names row {checkpoint}, the log is empty"
            ),
        }
    }
}

/// Walks rows in id order; the first break ends the walk.
#[derive(Debug, Clone)]
pub struct Verifier {
    expected: String,
    last_good: Option<i64>,
    /// A row whose `prev_hash` did not follow, held until the next row tells an insertion
    /// from a gap.
    suspect: Option<i64>,
    checkpoint: Option<(i64, String)>,
    checkpoint_seen: bool,
    rows: u64,
    last: Option<(i64, String)>,
}

/// What a walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Rows read.
    pub rows: u64,
    /// The last row and its hash.
    pub head: Option<(i64, String)>,
    /// The first break, if any.
    pub broken: Option<Break>,
}

impl Verifier {
    /// A walk that also checks the row a checkpoint names (id and hash), when there is one.
    pub fn new(checkpoint: Option<(i64, String)>) -> Verifier {
        Verifier {
            expected: GENESIS.to_owned(),
            last_good: None,
            suspect: None,
            checkpoint,
            checkpoint_seen: false,
            rows: 0,
            last: None,
        }
    }

    /// Checks the next row.
    pub fn push(&mut self, row: &StoredRow) -> Result<(), Break> {
        self.rows += 1;
        if let Some(suspect) = self.suspect.take() {
            // Skipping the suspect restores the chain: it was inserted.
            if row.prev_hash.as_deref() == Some(self.expected.as_str()) {
                return Err(Break::Inserted(suspect));
            }
            return Err(Break::Gap {
                after: self.last_good,
                at: suspect,
            });
        }
        let (Some(stored), Some(prev)) = (row.hash.as_deref(), row.prev_hash.as_deref()) else {
            return Err(Break::Unhashed(row.id));
        };
        if hash(&row.entry(), prev) != stored {
            return Err(Break::Edited(row.id));
        }
        if prev != self.expected {
            self.suspect = Some(row.id);
            return Ok(());
        }
        if let Some((id, h)) = &self.checkpoint {
            if row.id == *id {
                if h != stored {
                    return Err(Break::Edited(row.id));
                }
                self.checkpoint_seen = true;
            }
        }
        self.expected = stored.to_owned();
        self.last_good = Some(row.id);
        self.last = Some((row.id, stored.to_owned()));
        Ok(())
    }

    /// Ends the walk: a row still in doubt is a gap, and a checkpoint not met means rows were
    /// deleted from it on.
    pub fn finish(self) -> Report {
        let broken = if let Some(suspect) = self.suspect {
            Some(Break::Gap {
                after: self.last_good,
                at: suspect,
            })
        } else {
            match &self.checkpoint {
                Some((id, _)) if !self.checkpoint_seen => Some(Break::Truncated {
                    checkpoint: *id,
                    last: self.last.as_ref().map(|(id, _)| *id),
                }),
                _ => None,
            }
        };
        Report {
            rows: self.rows,
            head: self.last,
            broken,
        }
    }

    /// Walks `rows` to the first break.
    pub fn walk<'r>(
        checkpoint: Option<(i64, String)>,
        rows: impl IntoIterator<Item = &'r StoredRow>,
    ) -> Report {
        let mut v = Verifier::new(checkpoint);
        for row in rows {
            if let Err(b) = v.push(row) {
                return v.broken(b);
            }
        }
        v.finish()
    }

    /// The report of a walk that stopped at `b`.
    pub fn broken(self, b: Break) -> Report {
        Report {
            rows: self.rows,
            head: self.last,
            broken: Some(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredRow> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|id| {
                let mut row = StoredRow {
                    id,
                    at: format!("2026-01-01T00:00:{id:02}.000Z"),
                    actor: "ana".into(),
                    action: "scan.upload".into(),
                    target: format!("project:web/scan:{id}"),
                    team_id: Some(1),
                    request_id: None,
                    detail: Some("{}".into()),
                    prev_hash: Some(prev.clone()),
                    hash: None,
                };
                let h = hash(&row.entry(), &prev);
                row.hash = Some(h.clone());
                prev = h;
                row
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        let checkpoint = rows[3].hash.clone().map(|h| (4, h));
        let report = Verifier::walk(checkpoint, &rows);
        assert_eq!(report.broken, None);
        assert_eq!(report.rows, 5);
        assert_eq!(report.head.map(|(id, _)| id), Some(5));
    }

    #[test]
    fn an_edited_row_is_named() {
        let mut rows = chain(5);
        rows[2].actor = "mallory".into();
        assert_eq!(Verifier::walk(None, &rows).broken, Some(Break::Edited(3)));
        // Any field, the team too, and an absent value is not an empty one.
        let mut rows = chain(5);
        rows[1].team_id = None;
        assert_eq!(Verifier::walk(None, &rows).broken, Some(Break::Edited(2)));
        let mut rows = chain(5);
        rows[4].detail = None;
        assert_eq!(Verifier::walk(None, &rows).broken, Some(Break::Edited(5)));
    }

    #[test]
    fn a_deleted_row_is_a_gap_after_the_row_before() {
        let mut rows = chain(5);
        rows.remove(2);
        assert_eq!(
            Verifier::walk(None, &rows).broken,
            Some(Break::Gap {
                after: Some(2),
                at: 4
            })
        );
        let mut rows = chain(3);
        rows.remove(0);
        assert_eq!(
            Verifier::walk(None, &rows).broken,
            Some(Break::Gap { after: None, at: 2 })
        );
    }

    #[test]
    fn an_inserted_row_is_named() {
        let mut rows = chain(5);
        // A copy of row 2 with a new id, placed after it: it hashes right but does not chain.
        let mut copy = rows[1].clone();
        copy.id = 25;
        rows.insert(2, copy);
        assert_eq!(
            Verifier::walk(None, &rows).broken,
            Some(Break::Inserted(25))
        );
        let mut rows = chain(3);
        let mut forged = rows[0].clone();
        forged.id = 15;
        forged.hash = None;
        rows.insert(1, forged);
        assert_eq!(
            Verifier::walk(None, &rows).broken,
            Some(Break::Unhashed(15))
        );
    }

    #[test]
    fn deleting_the_newest_rows_is_caught_by_the_checkpoint() {
        let rows = chain(5);
        let checkpoint = rows[3].hash.clone().map(|h| (4, h));
        assert_eq!(
            Verifier::walk(checkpoint.clone(), &rows[..3]).broken,
            Some(Break::Truncated {
                checkpoint: 4,
                last: Some(3)
            })
        );
        assert_eq!(
            Verifier::walk(checkpoint, &[]).broken,
            Some(Break::Truncated {
                checkpoint: 4,
                last: None
            })
        );
    }

    #[test]
    fn hashes_are_stable() {
        let rows = chain(1);
        assert_eq!(
            rows[0].hash.as_deref().map(str::len),
            Some(64),
            "hex SHA-256"
        );
        assert_eq!(rows[0].hash, chain(1)[0].hash);
    }
}
