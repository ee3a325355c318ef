//! trusca-core: the scanning pipeline behind `trusca scan`.
//!
//! source → inventory → sbom → licenses → vulns → policy → report. Each stage is a module with
//! plain data in and out; the [`scan::Scan`] result is the one source for every output format.
//! Nothing here prints or exits: callers pass writers and decide what to show.

#![warn(missing_docs)]

pub mod diag;
pub mod inventory;
pub mod licenses;
pub mod model;
pub mod policy;
pub mod purl;
pub mod report;
pub mod sbom;
pub mod scan;
pub mod source;
pub mod version;
pub mod vulns;
pub mod walk;
