//! Report: renders a [`crate::scan::Scan`] for people (table) and programs (JSON). SBOM formats
//! live in [`crate::sbom`].

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
