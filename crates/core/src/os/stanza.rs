//! The paragraph format of dpkg's `status` and Debian's machine-readable `copyright`:
//! `Field: value` lines, continuation lines starting with a space or tab, paragraphs separated
//! by blank lines. Written here because the crates that read it (`debcontrol`, `deb822-lossless`)
//! either give no line numbers or pull in a whole syntax-tree library for these few rules.

/// One paragraph: its fields in order, and the 1-based line it starts on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph<'a> {
    /// The line of its first field.
    pub line: u32,
    /// (name, value) pairs; a multi-line value keeps its lines joined by `\n`, each trimmed.
    pub fields: Vec<(&'a str, String)>,
}

impl Paragraph<'_> {
    /// The value of a field (names are case-insensitive), first line only.
    pub fn first_line(&self, name: &str) -> Option<&str> {
        self.get(name)
            .map(|v| v.lines().next().unwrap_or("").trim())
            .filter(|v| !v.is_empty())
    }

    /// The whole value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a text into paragraphs. Lines that are neither fields nor continuations are skipped.
pub fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut current = Paragraph::default();
    for (i, line) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if !current.fields.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            if current.fields.is_empty() {
                current.line = number;
            }
            current.fields.push((name.trim(), value.trim().to_owned()));
        }
    }
    if !current.fields.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs_and_joins_continuations() {
        let text = "Package: a\nDescription: one\n two\n\n\nPackage: b\nVersion: 1\n";
        let ps = paragraphs(text);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].line, 1);
        assert_eq!(ps[0].get("description"), Some("one\ntwo"));
        assert_eq!(ps[1].line, 6);
        assert_eq!(ps[1].first_line("Version"), Some("1"));
    }
}
