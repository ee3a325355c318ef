//! placeholder
use super::{Extracted, Extractor, Input, Kind, ParseError};
use crate::model::Ecosystem;
/// x
pub const EXTRACTOR: Extractor = Extractor { format: "pnpm_lock_yaml", slug: "pnpm_lock_yaml", ecosystem: Ecosystem::Npm, kind: Kind::Lockfile, matches: |p: &std::path::Path| super::file_name_is(p, "pnpm_lock_yaml"), extract };
fn extract(_input: &Input<'_>) -> Result<Extracted, ParseError> { Ok(Extracted::default()) }
