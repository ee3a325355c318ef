-- trusca server schema, SQLite flavour. Keep it identical in meaning to migrations/postgres.
-- Applied migrations are never edited: add a new numbered file instead.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('super_admin', 'user')),
    created_at TEXT NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('team_admin', 'developer')),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    team_id INTEGER REFERENCES teams (id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    latest_scan_id INTEGER,
    CONSTRAINT projects_team_name UNIQUE (team_id, name)
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    created_at TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('trusca', 'cyclonedx')),
    commit_id TEXT,
    tool TEXT,
    document BLOB NOT NULL,
    document_encoding TEXT NOT NULL,
    document_type TEXT NOT NULL,
    component_count INTEGER NOT NULL,
    finding_count INTEGER NOT NULL,
    critical_count INTEGER NOT NULL,
    high_count INTEGER NOT NULL,
    medium_count INTEGER NOT NULL,
    low_count INTEGER NOT NULL,
    unknown_count INTEGER NOT NULL,
    forbidden_license_count INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX scans_project ON scans (project_id, id);

CREATE TABLE components (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    purl TEXT NOT NULL,
    package TEXT NOT NULL,
    ecosystem TEXT,
    name TEXT NOT NULL,
    version TEXT,
    scope TEXT NOT NULL,
    direct INTEGER,
    location TEXT,
    license TEXT,
    license_tier TEXT
);
-- "Which projects use X" probes each project's latest scan by package (and purl) or by name.
-- The scan id leads so that the rows of one upload land together at the end of each index:
-- an upload appends to the indexes instead of touching pages all over them.
CREATE INDEX components_scan_package ON components (scan_id, package, purl);
CREATE INDEX components_scan_name ON components (scan_id, name);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    advisory_id TEXT NOT NULL,
    aliases TEXT NOT NULL,
    purl TEXT NOT NULL,
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    severity TEXT NOT NULL,
    score DOUBLE PRECISION,
    fixed_in TEXT,
    summary TEXT
);
CREATE INDEX findings_scan ON findings (scan_id);

-- Every id of a finding (its own and its aliases), for "who is affected by advisory Y".
CREATE TABLE finding_ids (
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    advisory_id TEXT NOT NULL,
    purl TEXT NOT NULL,
    alias TEXT NOT NULL
);
CREATE INDEX finding_ids_alias ON finding_ids (alias, scan_id);

CREATE TABLE triage (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    purl TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    state TEXT NOT NULL,
    justification TEXT,
    comment TEXT,
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (project_id, purl, advisory_id)
);

CREATE TABLE idempotency (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    idem_key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (team_id, idem_key)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    team_id INTEGER,
    request_id TEXT,
    detail TEXT
);

-- The audit log is append-only, enforced here and not only in code.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
