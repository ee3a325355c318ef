-- A re-match replaces the finding ids of one scan: find them by scan, not by a full scan of
-- the table.
CREATE INDEX finding_ids_scan ON finding_ids (scan_id);
