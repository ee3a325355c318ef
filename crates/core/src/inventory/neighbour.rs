//! Reading the manifest beside a lockfile (`Gemfile` beside `Gemfile.lock`, `mix.exs` beside
//! `mix.lock`), for what the lockfile does not record: groups, environments, direct dependencies.

use std::path::Path;

use crate::diag::{Code, Diagnostic};

/// The largest neighbouring manifest read; a bigger one is reported and left unread.
pub(crate) const MAX_NEIGHBOUR_BYTES: u64 = 4 * 1024 * 1024;

/// Reads the text of the file `name` beside the lockfile at `path` (shown as `display`).
/// `Ok(None)` when there is none; a warning naming it when it is there but too big, unreadable
/// or not UTF-8.
pub(crate) fn read_beside(
    path: &Path,
    display: &str,
    name: &str,
) -> Result<Option<String>, Diagnostic> {
    let shown = match display.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_owned(),
    };
    let Some(file) = path.parent().map(|dir| dir.join(name)) else {
        return Ok(None);
    };
    let Ok(meta) = std::fs::metadata(&file) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let warn = |why: String| {
        Diagnostic::warning(Code::ParseError, why).in_file(shown.as_str(), None::<u32>)
    };
    if meta.len() > MAX_NEIGHBOUR_BYTES {
        return Err(warn(format!(
            "`{name}` is larger than {} MiB; its groups were not read",
            MAX_NEIGHBOUR_BYTES / (1024 * 1024)
        )));
    }
    let bytes =
        std::fs::read(&file).map_err(|e| warn(format!("`{name}` could not be read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| warn(format!("`{name}` is not UTF-8; its groups were not read")))?;
    Ok(Some(text))
}
