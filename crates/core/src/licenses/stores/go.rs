//! The Go module cache: `<GOMODCACHE>/<module>@<version>/`, the module path and version
//! case-escaped as the go command writes them (`github.com/BurntSushi/toml` is
//! `github.com/!burnt!sushi/toml`). Go declares no license; the module's license files say it.

use super::{entry_dir, license_files, Entry, Found, Store};

pub(super) fn lookup(store: &Store, module: &str, version: &str) -> Found {
    let (Some(module), Some(version)) = (escape_path(module), escape(version.trim())) else {
        return Ok(None);
    };
    let rel = format!("{module}@{version}");
    let dir = store.root.join(&rel);
    let evidence = store.evidence("go-mod", &rel);
    if !entry_dir(store, &dir, &evidence)? {
        return Ok(None);
    }
    let files = license_files(store, &dir, &evidence);
    Ok(Some(Entry {
        license_files: files,
        ..Entry::default()
    }))
}

/// The go command's case escaping of one path or version: every upper-case letter becomes `!`
/// and the letter in lower case. `None` for text that could leave the cache.
fn escape(s: &str) -> Option<String> {
    if s.is_empty() || s.contains(['!', '\\', '\0']) || s == "." || s == ".." {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// [`escape`] for a module path, each `/`-separated segment checked.
fn escape_path(module: &str) -> Option<String> {
    let module = module.trim();
    if module
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return None;
    }
    escape(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_case_escaped_as_the_go_command_does() {
        assert_eq!(
            escape_path("github.com/BurntSushi/toml").as_deref(),
            Some("github.com/!burnt!sushi/toml")
        );
        assert_eq!(escape("v1.2.3-RC1").as_deref(), Some("v1.2.3-!r!c1"));
        assert_eq!(escape_path("github.com/../etc"), None);
        assert_eq!(escape_path("/abs"), None);
    }
}
