-- The triage decisions of each finding, found by ids: one row per `triage.set` audit row, naming
-- the project, component and advisory it decided. A finding's page reads its history here; it
-- used to match the audit target `project:<name>/finding:<advisory>`, a text two findings can
-- share (project `a` with advisory `b/finding:c`, project `a/finding:b` with advisory `c`).
CREATE TABLE triage_events (
    audit_id INTEGER PRIMARY KEY REFERENCES audit_log (id),
    project_id INTEGER NOT NULL REFERENCES projects (id),
    purl TEXT NOT NULL,
    advisory_id TEXT NOT NULL
);
CREATE INDEX triage_events_finding ON triage_events (project_id, purl, advisory_id, audit_id);

-- Decisions recorded before, from the detail of their audit rows (the recorded decision as
-- JSON: project name, advisory id, purl, …); the project is the one of that name in the row's
-- team.
INSERT INTO triage_events (audit_id, project_id, purl, advisory_id)
SELECT a.id, p.id, json_extract(a.detail, '$.purl'), json_extract(a.detail, '$.advisory_id')
FROM audit_log a
JOIN projects p ON p.team_id = a.team_id AND p.name = json_extract(a.detail, '$.project')
WHERE a.action = 'triage.set' AND json_valid(a.detail)
  AND json_extract(a.detail, '$.purl') IS NOT NULL
  AND json_extract(a.detail, '$.advisory_id') IS NOT NULL;
