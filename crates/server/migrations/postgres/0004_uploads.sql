-- Cheaper uploads: the bulk tables (components, findings, finding_ids) made cheaper to fill (an
-- upload of 1,000 components spent most of the database's time on the per-row work below), and
-- what the sweeps and the projects page read.

-- A component is always reached through its scan: its own id serves only to order the rows of
-- a scan. The identity key cost an index insertion and a sequence step per row (a fifth of the
-- cost of inserting the rows); the column stays as `ord`, the order of arrival (an upload
-- numbers its rows 1, 2, …).
ALTER TABLE components DROP CONSTRAINT components_pkey;
ALTER TABLE components ALTER COLUMN id DROP IDENTITY;
ALTER TABLE components RENAME COLUMN id TO ord;

-- PostgreSQL checks a foreign key one row at a time: one query (planned, executed, locking the
-- scan row) per row inserted. For an upload of 1,000 components that was a fifth of all the
-- database's work. The references of the bulk tables (components, findings, finding_ids) to
-- their scan are checked once per statement instead, by the triggers below, with the same
-- guarantees as the foreign keys they replace: a row cannot name a scan that does not exist
-- (and the scans named are locked FOR KEY SHARE, as a foreign key would), and a scan that rows
-- still name cannot be deleted or renumbered.
ALTER TABLE components DROP CONSTRAINT components_scan_id_fkey;
ALTER TABLE findings DROP CONSTRAINT findings_scan_id_fkey;
ALTER TABLE finding_ids DROP CONSTRAINT finding_ids_scan_id_fkey;

-- Rows inserted or updated in a bulk table (transition table `new_rows`) must name scans.
-- The usual statement (an upload's rows) names one scan: one pass over the rows and one index
-- probe.
CREATE FUNCTION trusca_check_scan_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    low BIGINT;
    high BIGINT;
    wanted BIGINT;
    found BIGINT;
BEGIN
    SELECT MIN(scan_id), MAX(scan_id) INTO low, high FROM new_rows;
    IF low IS NULL THEN
        RETURN NULL;
    END IF;
    IF low = high THEN
        wanted := 1;
        SELECT COUNT(*) INTO found FROM (
            SELECT 1 FROM scans WHERE id = low FOR KEY SHARE
        ) AS locked;
    ELSE
        SELECT COUNT(DISTINCT scan_id) INTO wanted FROM new_rows;
        SELECT COUNT(*) INTO found FROM (
            SELECT 1 FROM scans WHERE id IN (SELECT scan_id FROM new_rows) FOR KEY SHARE
        ) AS locked;
    END IF;
    IF found < wanted THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the reference to scans',
            TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

-- Scans deleted or renumbered (transition table `old_rows`) must not be named by any row.
CREATE FUNCTION trusca_check_scan_unreferenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_rows o
        WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.id = o.id)
          AND (EXISTS (SELECT 1 FROM components c WHERE c.scan_id = o.id)
               OR EXISTS (SELECT 1 FROM findings f WHERE f.scan_id = o.id)
               OR EXISTS (SELECT 1 FROM finding_ids i WHERE i.scan_id = o.id))
    ) THEN
        RAISE EXCEPTION 'update or delete on table "scans" leaves rows naming a scan that is gone'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER components_scan_ref_insert AFTER INSERT ON components
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER components_scan_ref_update AFTER UPDATE ON components
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER findings_scan_ref_insert AFTER INSERT ON findings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER findings_scan_ref_update AFTER UPDATE ON findings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER finding_ids_scan_ref_insert AFTER INSERT ON finding_ids
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER finding_ids_scan_ref_update AFTER UPDATE ON finding_ids
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusca_check_scan_refs();
CREATE TRIGGER scans_unreferenced_delete AFTER DELETE ON scans
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION trusca_check_scan_unreferenced();
CREATE TRIGGER scans_unreferenced_update AFTER UPDATE ON scans
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION trusca_check_scan_unreferenced();

-- Idempotency records are swept by age (`db::retention`).
CREATE INDEX idempotency_created ON idempotency (created_at);

-- Components of a scan by license tier (JSON object, tier → count; `unknown` for none), written
-- with the scan, so the projects page need not count every component of every latest scan.
-- Filled here for the latest scans, the only ones the page reads.
ALTER TABLE scans ADD COLUMN license_tiers TEXT;
UPDATE scans s SET license_tiers = COALESCE((
    SELECT json_object_agg(x.tier, x.n)::text FROM (
        SELECT COALESCE(c.license_tier, 'unknown') AS tier, COUNT(*) AS n
        FROM components c WHERE c.scan_id = s.id GROUP BY 1
    ) AS x), '{}')
WHERE s.id IN (SELECT latest_scan_id FROM projects);
