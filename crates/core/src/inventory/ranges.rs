//! Versions written as Maven and NuGet intervals (`[1.0,2.0)`), or as dynamic versions, split
//! into the version a lockfile would pin and the requirement as written.

/// Splits a Maven version as declared into (version, requirement): a plain version is the
/// version; a range (`[1.0,2.0)`, `[1.0]`) is the requirement, with its inclusive lower bound
/// as the version where it has one; a Gradle dynamic version (`1.+`, `latest.release`) is only a
/// requirement.
pub(crate) fn maven(raw: &str) -> (Option<String>, Option<String>) {
    let raw = raw.trim();
    if raw.is_empty() {
        return (None, None);
    }
    if let Some(inner) = raw.strip_prefix('[') {
        let lower = inner
            .split([',', ']', ')'])
            .next()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        return (lower.map(str::to_owned), Some(raw.to_owned()));
    }
    if raw.starts_with('(') || raw.contains('+') || raw.starts_with("latest.") {
        return (None, Some(raw.to_owned()));
    }
    (Some(raw.to_owned()), None)
}

/// Splits a NuGet version as written into (version, requirement): a plain version is the
/// version; an interval (`[1.0,2.0)`) the requirement with its inclusive lower bound as the
/// version; a floating version (`1.*`) only a requirement.
pub(crate) fn nuget(raw: &str) -> (Option<String>, Option<String>) {
    if raw.contains('*') {
        let raw = raw.trim();
        return (None, (!raw.is_empty()).then(|| raw.to_owned()));
    }
    maven(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_ranges() {
        assert_eq!(maven("1.0"), (Some("1.0".into()), None));
        assert_eq!(maven("[1.5]"), (Some("1.5".into()), Some("[1.5]".into())));
        assert_eq!(maven("(,1.0]"), (None, Some("(,1.0]".into())));
        assert_eq!(maven("[,1.0]"), (None, Some("[,1.0]".into())));
        assert_eq!(maven(" "), (None, None));
    }

    #[test]
    fn nuget_floating_versions_are_only_requirements() {
        assert_eq!(nuget("1.*"), (None, Some("1.*".into())));
        assert_eq!(
            nuget("[1.0,2.0)"),
            (Some("1.0".into()), Some("[1.0,2.0)".into()))
        );
    }
}
