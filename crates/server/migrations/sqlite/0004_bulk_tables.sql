-- The bulk tables (components, findings, finding_ids), made cheaper to fill. PostgreSQL's
-- flavour replaces their foreign keys to scans with statement-level checks; SQLite checks a
-- foreign key in place, cheaply, so its keys stay as they are.

-- A component is always reached through its scan: its own id serves only to order the rows of
-- a scan (their order of arrival). Named for that; here it stays the rowid.
ALTER TABLE components RENAME COLUMN id TO ord;
