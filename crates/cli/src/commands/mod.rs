//! One module per subcommand.

pub mod completions;
pub mod db;
pub mod policy;
pub mod pull;
pub mod scan;
#[cfg(feature = "server")]
pub mod server;
pub mod upload;
