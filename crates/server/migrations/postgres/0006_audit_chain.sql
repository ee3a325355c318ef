-- Tamper evidence for the audit log: each row carries `hash`, the SHA-256 of its content and of
-- the previous row's hash (`prev_hash`), so that a row edited, inserted or deleted out of band
-- breaks the chain where it happened (`trusca server audit verify` names the row).
-- PostgreSQL flavour; keep it identical in meaning to migrations/sqlite.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- One row. `legacy_upto`: rows up to this id were written before the chain; they are hashed, in
-- id order, when a server of this version first opens the database, which then sets
-- `sealed_at`. The checkpoint names a row and its hash (moved forward hourly by the running
-- server): deleting that row or any before it shows even when the rest of the chain is intact.
-- This row is also the lock every append takes (`SELECT … FOR UPDATE`), so that appends from
-- several servers form one chain.
CREATE TABLE audit_chain (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    legacy_upto BIGINT NOT NULL,
    sealed_at TEXT,
    checkpoint_id BIGINT,
    checkpoint_hash TEXT,
    checkpoint_at TEXT
);
INSERT INTO audit_chain (id, legacy_upto) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;

-- Rows stay as written. The one change allowed: the seal gives a row written before the chain
-- its hashes, once, changing nothing else.
CREATE FUNCTION audit_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
       AND NEW.action = OLD.action AND NEW.target = OLD.target
       AND NEW.team_id IS NOT DISTINCT FROM OLD.team_id
       AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
       AND NEW.detail IS NOT DISTINCT FROM OLD.detail
       AND EXISTS (SELECT 1 FROM audit_chain c
                   WHERE c.id = 1 AND c.sealed_at IS NULL AND OLD.id <= c.legacy_upto) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
DROP TRIGGER audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();

CREATE FUNCTION audit_chain_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_chain cannot be deleted';
END;
$$;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_kept();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_kept();
