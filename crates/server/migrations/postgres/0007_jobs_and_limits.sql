-- Work shared by every server on one database; PostgreSQL flavour, keep it identical in
-- meaning to migrations/sqlite.
--
-- Scheduled jobs (vulnerability-database refresh, SLA breach check, sweeps, automatic backups)
-- run once per schedule whichever server gets there first: a server takes a job that is due
-- (`due_at` passed) and not held by another (`holder` empty or its lease passed) with one
-- conditional update, renews the lease while it works, and on finishing sets the next due time
-- and lets go. A server that dies mid-job leaves a lease that runs out; another then takes the
-- job over.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    due_at TEXT NOT NULL,
    holder TEXT,
    lease_until TEXT,
    last_started_at TEXT,
    last_finished_at TEXT,
    last_error TEXT
);

-- Failed authentications (API keys and web sign-ins) per client address in the current
-- one-minute window, so that the limit holds across servers.
CREATE TABLE auth_failures (
    client TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    failures BIGINT NOT NULL
);
CREATE INDEX auth_failures_window ON auth_failures (window_start);
