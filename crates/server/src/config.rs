//! Server settings: where to listen, which database, the request limits, and the
//! vulnerability database and its refresh.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The SQLite file used when no `DATABASE_URL` is given, in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://trusca-server.db";

/// Everything the server needs to run; built by the CLI from flags and environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://PATH` (created on first start) or `postgres://…`.
    pub database_url: String,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// JSON documents nested deeper than this are refused before they are parsed.
    pub max_json_depth: usize,
    /// Uploads with more components than this are refused (413).
    pub max_components: usize,
    /// The memory uploads may take together, in bytes (see [`crate::budget`]).
    pub max_upload_memory: usize,
    /// A request that takes longer is answered with a `timeout` problem and rolled back.
    pub request_timeout: Duration,
    /// A client that takes longer to send a request head is disconnected.
    pub header_read_timeout: Duration,
    /// Failed authentications allowed per client address per minute before 429.
    pub auth_failures_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`crate::proxy`]).
    pub trusted_proxies: Vec<crate::proxy::Cidr>,
    /// Connections in the database pool.
    pub pool_size: u32,
    /// The server's own vulnerability database (matching is off while it is missing).
    pub vuln_db: PathBuf,
    /// Hours between refreshes of the vulnerability database; 0: never.
    pub db_refresh_hours: u64,
    /// Where refreshes fetch OSV data from; `None`: the public OSV bucket.
    pub db_mirror: Option<String>,
    /// Automatic backups taken by the running server, if any.
    pub backup: Option<BackupSchedule>,
    /// How long an `Idempotency-Key` is remembered (its record is swept after that).
    pub idempotency_retention: Duration,
    /// Where webhooks may be delivered (public addresses only by default).
    pub webhook_targets: crate::egress::Targets,
}

/// Where and how often the running server backs itself up (`--backup-dir`).
#[derive(Debug, Clone)]
pub struct BackupSchedule {
    /// The directory the backups are written to.
    pub dir: PathBuf,
    /// Time between two automatic backups.
    pub every: Duration,
    /// Automatic backups older than this many days are removed.
    pub retention_days: u32,
}

impl Config {
    /// Where refreshes fetch OSV data from: `db_mirror`, else the public OSV bucket.
    pub fn mirror(&self) -> String {
        self.db_mirror
            .clone()
            .unwrap_or_else(|| trusca_core::vulns::update::DEFAULT_MIRROR.to_owned())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DEFAULT_DATABASE_URL.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 32 << 20,
            max_json_depth: 128,
            max_components: 200_000,
            max_upload_memory: 1 << 30,
            request_timeout: Duration::from_secs(60),
            header_read_timeout: Duration::from_secs(10),
            auth_failures_per_minute: 20,
            trusted_proxies: Vec::new(),
            pool_size: 10,
            vuln_db: PathBuf::from(crate::vulndb::DEFAULT_PATH),
            db_refresh_hours: 24,
            db_mirror: None,
            backup: None,
            idempotency_retention: Duration::from_secs(24 * 3600),
            webhook_targets: crate::egress::Targets::Public,
        }
    }
}
