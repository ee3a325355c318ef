//! apk's database, `lib/apk/db/installed`: one paragraph per package of `X:value` lines
//! (`P` name, `V` version, `A` architecture, `L` license, `o` origin, the source package).

use super::{Builder, OsPackageFields};

/// The packages of an `installed` file.
pub fn read(text: &str, builder: &mut Builder<'_>) {
    for entry in entries(text) {
        let (Some(name), Some(version)) = (entry.get('P'), entry.get('V')) else {
            builder.skipped(entry.line, "entry without `P:` and `V:`");
            continue;
        };
        builder.add(OsPackageFields {
            name,
            version,
            arch: entry.get('A'),
            source_name: entry.get('o').unwrap_or(name),
            source_version: None,
            epoch: None,
            license: entry.get('L'),
            line: Some(entry.line),
        });
    }
}

/// The names and versions in an `installed` file.
pub fn installed(text: &str) -> Vec<(String, String)> {
    entries(text)
        .iter()
        .filter_map(|e| Some((e.get('P')?.to_owned(), e.get('V')?.to_owned())))
        .collect()
}

struct Entry<'a> {
    line: u32,
    fields: Vec<(char, &'a str)>,
}

impl<'a> Entry<'a> {
    fn get(&self, key: char) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    let mut current = Entry {
        line: 1,
        fields: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if !current.fields.is_empty() {
                out.push(std::mem::replace(
                    &mut current,
                    Entry {
                        line: number,
                        fields: Vec::new(),
                    },
                ));
            }
            continue;
        }
        let mut chars = line.chars();
        if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
            if current.fields.is_empty() {
                current.line = number;
            }
            current.fields.push((key, &line[key.len_utf8() + 1..]));
        }
    }
    if !current.fields.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{alpine, build};
    use super::*;

    const INSTALLED: &str = "\
C:Q1abc=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
L:MIT
o:musl

P:libcrypto3
V:3.1.4-r5
A:x86_64
L:Apache-2.0
o:openssl

P:nameless
";

    #[test]
    fn reads_packages_with_origin_and_license() {
        let (packages, diagnostics) =
            build(&alpine(), "lib/apk/db/installed", |b| read(INSTALLED, b));
        assert_eq!(packages.len(), 2);
        assert_eq!(
            packages[1].purl,
            "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1"
        );
        assert_eq!(packages[1].os.as_ref().expect("os").source_name, "openssl");
        assert_eq!(packages[1].location.line, Some(8));
        let license = packages[1].license.as_ref().expect("license");
        assert_eq!(license.declared.as_deref(), Some("Apache-2.0"));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, Some(14));
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in ["", "P", "é:é\nP:\u{1b}[31m\nV:", "P:a\nV:1\nL:((((\n"] {
            let _ = build(&alpine(), "lib/apk/db/installed", |b| read(text, b));
        }
    }
}
