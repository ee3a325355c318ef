//! trusca-core: the scanning pipeline behind `trusca scan`.
//!
//! [`pipeline::Scanner`] runs source → inventory → licenses → vulns → policy and returns one
//! [`scan::Scan`], the single source for every output format ([`report`]). Each stage is a module
//! with plain data in and out. Modules depend downwards only:
//!
//! - bottom: [`model`], [`diag`], [`progress`], [`walk`], [`http`];
//! - stages: [`source`], [`inventory`], [`version`], [`licenses`], [`vulns`], then [`policy`];
//! - what a scan covered: [`coverage`];
//! - the file and the run: [`config`], [`scan`], [`settings`];
//! - top: [`pipeline`] and [`report`], then [`attest`] (signed statements of a scan).
//!
//! Nothing here prints or exits: callers pass writers and decide what to show.

#![warn(missing_docs)]

pub mod attest;
pub mod config;
pub mod coverage;
pub mod diag;
pub mod http;
pub mod inventory;
pub mod licenses;
pub mod model;
pub mod os;
pub mod pipeline;
pub mod policy;
pub mod progress;
pub mod report;
pub mod scan;
pub mod settings;
pub mod source;
pub mod version;
pub mod vulns;
pub mod walk;

pub use pipeline::{Run, Scanner};
pub use settings::Settings;

#[cfg(test)]
pub(crate) mod testing;
