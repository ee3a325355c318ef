-- Finding lifecycle, remediation SLAs, webhooks, web sessions and vulnerability-DB refreshes.
-- SQLite flavour; keep it identical in meaning to migrations/postgres.

-- Web sign-in (NULL: the user cannot sign in with a password).
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- One row per (project, component purl, advisory) ever found in a project: when it was first
-- and last seen, and when it disappeared from the latest scan or re-match. A finding that comes
-- back is reopened (resolved_at cleared, first_seen_at kept). sla_breached_at is set once, when
-- the `sla.breached` event for it is raised.
CREATE TABLE project_findings (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    purl TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    resolved_at TEXT,
    sla_breached_at TEXT,
    PRIMARY KEY (project_id, purl, advisory_id)
);
CREATE INDEX project_findings_open ON project_findings (resolved_at, project_id);

-- Findings of the projects' latest scans, as they stand when this migration runs.
INSERT INTO project_findings (project_id, purl, advisory_id, severity, first_seen_at, last_seen_at)
SELECT p.id, f.purl, f.advisory_id, MAX(f.severity), MIN(s.created_at), MIN(s.created_at)
FROM projects p
JOIN scans s ON s.id = p.latest_scan_id
JOIN findings f ON f.scan_id = s.id
GROUP BY p.id, f.purl, f.advisory_id;

-- Days to fix per severity and team; a severity without a row uses the default
-- (critical 7, high 30, medium 90, low 180).
CREATE TABLE sla_policies (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    days INTEGER NOT NULL CHECK (days > 0),
    PRIMARY KEY (team_id, severity)
);

-- Webhooks per team; `events` is a comma-separated list of event names.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

-- The outbox: one row per webhook and event occurrence, written in the transaction that caused
-- the event. The idempotency key makes an occurrence raised twice one delivery.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks (id),
    event TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    response_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, idem_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- Web sessions; the cookie holds a random token, only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Each refresh of the server's vulnerability database and the re-match that follows it.
CREATE TABLE vuln_db_refreshes (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    records INTEGER,
    projects INTEGER,
    new_findings INTEGER,
    resolved_findings INTEGER,
    error TEXT
);
