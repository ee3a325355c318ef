//! placeholder
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::Ecosystem;
/// x
pub const EXTRACTOR: Extractor = Extractor { format: "bun_lock", slug: "bun_lock", ecosystem: Ecosystem::Npm, kind: Kind::Lockfile, matches: |p: &std::path::Path| super::file_name_is(p, "bun_lock"), extract };
fn extract(_input: &Input<'_>) -> Result<Extracted, ParseError> { Ok(Extracted::default()) }
