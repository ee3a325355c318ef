-- Tamper evidence for the audit log: each row carries `hash`, the SHA-256 of its content and of
-- the previous row's hash (`prev_hash`), so that a row edited, inserted or deleted out of band
-- breaks the chain where it happened (`trusca server audit verify` names the row).
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- One row. `legacy_upto`: rows up to this id were written before the chain; they are hashed, in
-- id order, when a server of this version first opens the database, which then sets
-- `sealed_at`. The checkpoint names a row and its hash (moved forward hourly by the running
-- server): deleting that row or any before it shows even when the rest of the chain is intact.
-- On PostgreSQL this row is also the lock every append takes, so that appends from several
-- servers form one chain.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_upto INTEGER NOT NULL,
    sealed_at TEXT,
    checkpoint_id INTEGER,
    checkpoint_hash TEXT,
    checkpoint_at TEXT
);
INSERT INTO audit_chain (id, legacy_upto) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;

-- Rows stay as written. The one change allowed: the seal gives a row written before the chain
-- its hashes, once, changing nothing else.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
    AND NEW.id = OLD.id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor
    AND NEW.action IS OLD.action AND NEW.target IS OLD.target AND NEW.team_id IS OLD.team_id
    AND NEW.request_id IS OLD.request_id AND NEW.detail IS OLD.detail
    AND EXISTS (SELECT 1 FROM audit_chain c
                WHERE c.id = 1 AND c.sealed_at IS NULL AND OLD.id <= c.legacy_upto)
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- `INSERT OR REPLACE` removes the row it replaces without firing the delete trigger: an insert
-- that names an existing row is refused before that can happen.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain cannot be deleted');
END;
