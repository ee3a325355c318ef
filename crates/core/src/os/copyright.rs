//! Licences of Debian packages from `/usr/share/doc/<package>/copyright`: the `License:` fields
//! of a machine-readable (DEP-5) file, and in free-form files the `/usr/share/common-licenses/…`
//! texts they point to, which is how most of them name their licence.

use super::stanza::paragraphs;

/// The licences a copyright file names, as Debian writes them (`GPL-2+`, `Expat`), in order
/// and once each.
pub fn licenses(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = name
            .trim()
            .trim_end_matches(['.', ',', ';', ')', '"', '\'']);
        if !name.is_empty() && name.len() <= 100 && !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
    };
    if is_machine_readable(text) {
        for p in paragraphs(text) {
            if let Some(value) = p.first_line("License") {
                push(value);
            }
        }
    } else {
        for (at, _) in text.match_indices("/usr/share/common-licenses/") {
            let rest = &text[at + "/usr/share/common-licenses/".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_')))
                .unwrap_or(rest.len());
            push(&rest[..end]);
        }
    }
    found
}

fn is_machine_readable(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| l.starts_with("Format:") || l.starts_with("Format-Specification:"))
}

/// An SPDX expression for Debian's licence names: each name mapped on its own (`GPL-2+` →
/// `GPL-2.0-or-later`, `Expat` → `MIT`), joined with `AND` (a package's files carry all of
/// them), `or`/`and` inside one field kept as operators.
pub fn to_expression(names: &[String]) -> Option<String> {
    let parts: Vec<String> = names
        .iter()
        .map(|n| {
            let words: Vec<String> = n
                .split_whitespace()
                .map(|w| match w.to_ascii_lowercase().as_str() {
                    "or" | "|" => "OR".to_owned(),
                    "and" | "&" => "AND".to_owned(),
                    _ => spdx_id(w.trim_matches(['(', ')', ','])),
                })
                .collect();
            if words.len() > 1 {
                format!("({})", words.join(" "))
            } else {
                words.join(" ")
            }
        })
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// One Debian licence short name as an SPDX id; an unknown one as `LicenseRef-…`.
fn spdx_id(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let fixed = match lower.as_str() {
        "expat" | "mit" => Some("MIT"),
        "bsd-2-clause" => Some("BSD-2-Clause"),
        "bsd-3-clause" | "bsd" => Some("BSD-3-Clause"),
        "bsd-4-clause" => Some("BSD-4-Clause"),
        "apache-2.0" | "apache-2" => Some("Apache-2.0"),
        "artistic" | "artistic-1" | "artistic-1.0" => Some("Artistic-1.0"),
        "artistic-2.0" | "artistic-2" => Some("Artistic-2.0"),
        "zlib" => Some("Zlib"),
        "isc" => Some("ISC"),
        "mpl-1.1" => Some("MPL-1.1"),
        "mpl-2.0" => Some("MPL-2.0"),
        "cc0-1.0" | "cc0" => Some("CC0-1.0"),
        "x11" => Some("X11"),
        "openssl" => Some("OpenSSL"),
        "python-2.0" | "psf-2" => Some("Python-2.0"),
        "unicode-dfs-2016" => Some("Unicode-DFS-2016"),
        "curl" => Some("curl"),
        "bsl-1.0" => Some("BSL-1.0"),
        "wtfpl" => Some("WTFPL"),
        _ => None,
    };
    if let Some(id) = fixed {
        return id.to_owned();
    }
    // GPL-2, GPL-2+, LGPL-2.1+, AGPL-3, GFDL-1.3+ and the same with `.0`.
    for family in ["lgpl", "agpl", "gfdl", "gpl"] {
        if let Some(rest) = lower.strip_prefix(family).and_then(|r| r.strip_prefix('-')) {
            let (number, later) = match rest.strip_suffix('+') {
                Some(n) => (n, true),
                None => (rest, false),
            };
            let number = match number {
                "1" | "2" | "3" => format!("{number}.0"),
                n if n
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    n.to_owned()
                }
                _ => break,
            };
            let suffix = if later { "or-later" } else { "only" };
            return format!("{}-{number}-{suffix}", family.to_ascii_uppercase());
        }
    }
    crate::licenses::expr::license_ref(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_machine_readable_files() {
        let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
Upstream-Name: x\n\nFiles: *\nCopyright: someone\nLicense: GPL-2+\n long text\n\n\
Files: lib/*\nLicense: Expat or Apache-2.0\n\nLicense: GPL-2+\n text\n";
        let names = licenses(text);
        assert_eq!(names, ["GPL-2+", "Expat or Apache-2.0"]);
        assert_eq!(
            to_expression(&names).as_deref(),
            Some("GPL-2.0-or-later AND (MIT OR Apache-2.0)")
        );
    }

    #[test]
    fn reads_common_license_references_in_free_form_files() {
        let text = "This is free software.\nOn Debian systems the full text is in\n\
/usr/share/common-licenses/GPL-2, and the library's in `/usr/share/common-licenses/LGPL-2.1'.\n";
        let names = licenses(text);
        assert_eq!(names, ["GPL-2", "LGPL-2.1"]);
        assert_eq!(
            to_expression(&names).as_deref(),
            Some("GPL-2.0-only AND LGPL-2.1-only")
        );
    }

    #[test]
    fn hostile_text_gives_nothing_or_refs() {
        assert!(licenses("").is_empty());
        assert!(licenses("\u{0}\u{1b}[31m/usr/share/common-licenses/").is_empty());
        let names = licenses("Format: x\n\nLicense: \u{1b}[31mevil\n");
        assert_eq!(
            to_expression(&names).map(|e| e.starts_with("LicenseRef-")),
            Some(true)
        );
        assert_eq!(
            to_expression(&["GPL-x.y".to_owned()]).as_deref(),
            Some("LicenseRef-GPL-x.y")
        );
    }
}
