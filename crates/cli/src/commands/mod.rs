//! One module per subcommand.

pub mod attest;
pub mod completions;
pub mod db;
pub mod key;
pub mod policy;
pub mod pull;
pub mod scan;
#[cfg(feature = "server")]
pub mod server;
pub mod upload;
pub mod verify;
