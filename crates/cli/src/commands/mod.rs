//! One module per subcommand.

pub mod completions;
pub mod db;
pub mod policy;
pub mod scan;
pub mod server;
pub mod upload;
pub mod vulns;
