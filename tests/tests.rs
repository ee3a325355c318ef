//! End-to-end tests of the `trusca` binary.

mod support;

mod cli;
mod completions;
mod formats;
mod git;
mod licenses;
mod policy;
