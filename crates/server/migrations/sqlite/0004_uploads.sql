-- Cheaper uploads: the bulk tables (components, findings, finding_ids) made cheaper to fill
-- (PostgreSQL's flavour replaces their foreign keys to scans with statement-level checks; SQLite
-- checks a foreign key in place, cheaply, so its keys stay as they are), and what the sweeps and
-- the projects page read.

-- A component is always reached through its scan: its own id serves only to order the rows of
-- a scan (their order of arrival). Named for that; here it stays the rowid.
ALTER TABLE components RENAME COLUMN id TO ord;

-- Idempotency records are swept by age (`db::retention`).
CREATE INDEX idempotency_created ON idempotency (created_at);

-- Components of a scan by license tier (JSON object, tier → count; `unknown` for none), written
-- with the scan, so the projects page need not count every component of every latest scan.
-- Filled here for the latest scans, the only ones the page reads.
ALTER TABLE scans ADD COLUMN license_tiers TEXT;
UPDATE scans SET license_tiers = COALESCE((
    SELECT json_group_object(x.tier, x.n) FROM (
        SELECT COALESCE(c.license_tier, 'unknown') AS tier, COUNT(*) AS n
        FROM components c WHERE c.scan_id = scans.id GROUP BY 1
    ) AS x), '{}')
WHERE id IN (SELECT latest_scan_id FROM projects);
