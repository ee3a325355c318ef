//! End-to-end tests of the `trusca` binary.

mod support;
mod vulns;

mod attest;
mod attest_interop;
mod cli;
// The committed completions are those of the full binary, with `trusca server`.
#[cfg(feature = "server")]
mod completions;
mod db;
mod encoding;
mod formats;
mod gate;
mod git;
mod images;
mod licenses;
mod policy;
mod sbom_target;
#[cfg(feature = "server")]
mod server_admin;
#[cfg(feature = "server")]
mod server_db;
#[cfg(feature = "server")]
mod server_gate;
#[cfg(feature = "server")]
mod upload;
mod vex;
