//! `os-release`: which distribution and release a root file system is.
//!
//! The format is shell-like `KEY=value` lines; the few quoting rules it allows are read here
//! directly, since no crate reads it without also probing the running machine's own file.

use crate::model::Distro;

/// The distribution an `os-release` file names; `None` when it has no `ID`.
pub fn parse(text: &str) -> Option<Distro> {
    let mut id = None;
    let mut version_id = None;
    let mut pretty_name = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "ID" => id = Some(value.to_ascii_lowercase()),
            "VERSION_ID" => version_id = Some(value),
            "PRETTY_NAME" => pretty_name = Some(value),
            "VERSION" => version = Some(value),
            _ => {}
        }
    }
    let id = id.filter(|i| {
        i.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    })?;
    Some(Distro {
        id,
        version_id,
        pretty_name,
        lts: version.is_some_and(|v| v.contains("LTS")),
    })
}

/// A value without its quotes, with `\"`, `\\`, `\$` and `` \` `` unescaped inside double quotes.
fn unquote(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.to_owned();
    }
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('"' | '\\' | '$' | '`')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_debian_and_alpine() {
        let d =
            parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
                .expect("distro");
        assert_eq!(d.id, "debian");
        assert_eq!(d.version_id.as_deref(), Some("12"));
        assert_eq!(
            d.pretty_name.as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        let a = parse("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n").expect("distro");
        assert_eq!(a.version_id.as_deref(), Some("3.19.1"));
        let u =
            parse("ID=ubuntu\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nVERSION_ID=\"22.04\"\n")
                .expect("distro");
        assert!(u.lts);
    }

    #[test]
    fn hostile_input_gives_no_distro_or_a_clean_one() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("ID=\"../../etc\"\n"), None);
        assert_eq!(parse("\u{0}\u{1b}[31m=\nID"), None);
        let d = parse("ID=fedora\nPRETTY_NAME=\"a \\\"quoted\\\" \\\\ name\n").expect("distro");
        assert_eq!(
            d.pretty_name.as_deref(),
            Some("\"a \\\"quoted\\\" \\\\ name")
        );
        let d = parse("ID=x\nPRETTY_NAME=\"a \\\"b\\\"\"\n").expect("distro");
        assert_eq!(d.pretty_name.as_deref(), Some("a \"b\""));
    }
}
