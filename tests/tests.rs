//! End-to-end tests of the `trusca` binary.

mod support;
mod vulns;

mod cli;
mod completions;
mod db;
mod formats;
mod git;
mod licenses;
mod policy;
mod server_admin;
mod server_db;
mod upload;
