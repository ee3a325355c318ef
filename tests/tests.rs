//! End-to-end tests of the `trusca` binary.

mod support;

mod cli;
mod completions;
mod git;
mod upload;
