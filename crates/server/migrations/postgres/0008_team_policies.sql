-- Policy kept on the server; PostgreSQL flavour, keep it identical in meaning to
-- migrations/sqlite.
--
-- A team's policy as a `trusca.toml` text (validated when it is set): an upload's answer
-- carries the decision under it, and `trusca policy pull` writes it for local runs.
CREATE TABLE team_policies (
    team_id BIGINT PRIMARY KEY REFERENCES teams (id),
    config TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The exceptions of a team's policy found expired, each recorded (and audited) once: by its id,
-- package and expiry date as written, so that one renewed with a later date is another.
CREATE TABLE policy_expiries (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    exception_id TEXT NOT NULL,
    package TEXT NOT NULL,
    expires TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (team_id, exception_id, package, expires)
);
