//! The state shared by every handler.

use std::sync::Arc;

use crate::auth::AuthState;
use crate::budget::UploadBudget;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::vulndb::VulnDb;

/// Handed to handlers through axum's `State`.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Settings.
    pub config: Arc<Config>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// Verified-key cache and failure counts.
    pub auth: Arc<AuthState>,
    /// The server's vulnerability database, swapped by a refresh.
    pub vulns: Arc<VulnDb>,
    /// The memory uploads may take together.
    pub uploads: Arc<UploadBudget>,
    /// This server's name among the servers sharing the database (it holds job leases).
    pub instance: String,
}

impl AppState {
    /// State over an opened (and migrated) database; opens the vulnerability database named
    /// by the configuration, if there is one.
    pub fn new(db: Db, config: Config) -> Self {
        AppState {
            vulns: Arc::new(VulnDb::open(&config.vuln_db)),
            uploads: Arc::new(UploadBudget::new(config.max_upload_memory)),
            instance: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
            db,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()),
            auth: Arc::new(AuthState::default()),
        }
    }
}
