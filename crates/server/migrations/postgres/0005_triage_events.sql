-- The triage decisions of each finding, found by ids: one row per `triage.set` audit row, naming
-- the project, component and advisory it decided. A finding's page reads its history here; it
-- used to match the audit target `project:<name>/finding:<advisory>`, a text two findings can
-- share (project `a` with advisory `b/finding:c`, project `a/finding:b` with advisory `c`).
-- PostgreSQL flavour; keep it identical in meaning to migrations/sqlite.
CREATE TABLE triage_events (
    audit_id BIGINT PRIMARY KEY REFERENCES audit_log (id),
    project_id BIGINT NOT NULL REFERENCES projects (id),
    purl TEXT NOT NULL,
    advisory_id TEXT NOT NULL
);
CREATE INDEX triage_events_finding ON triage_events (project_id, purl, advisory_id, audit_id);

-- Decisions recorded before, from the detail of their audit rows (the recorded decision as
-- JSON: project name, advisory id, purl, …); the project is the one of that name in the row's
-- team. The server always wrote these details as JSON.
INSERT INTO triage_events (audit_id, project_id, purl, advisory_id)
SELECT a.id, p.id, d.purl, d.advisory_id
FROM audit_log a
CROSS JOIN LATERAL (
    SELECT a.detail::json ->> 'project' AS project, a.detail::json ->> 'purl' AS purl,
           a.detail::json ->> 'advisory_id' AS advisory_id
) AS d
JOIN projects p ON p.team_id = a.team_id AND p.name = d.project
WHERE a.action = 'triage.set' AND d.purl IS NOT NULL AND d.advisory_id IS NOT NULL;
