//! placeholder
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::Ecosystem;
/// x
pub const EXTRACTOR: Extractor = Extractor { format: "package_json", slug: "package_json", ecosystem: Ecosystem::Npm, kind: Kind::Lockfile, matches: |p: &std::path::Path| super::file_name_is(p, "package_json"), extract };
fn extract(_input: &Input<'_>) -> Result<Extracted, ParseError> { Ok(Extracted::default()) }
