//! One module per subcommand.

pub mod completions;
pub mod db;
pub mod scan;
