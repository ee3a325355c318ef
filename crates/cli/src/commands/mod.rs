//! One module per subcommand.

pub mod completions;
pub mod scan;
pub mod server;
pub mod upload;
