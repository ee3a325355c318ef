//! One module per subcommand.

pub mod completions;
pub mod policy;
pub mod scan;
