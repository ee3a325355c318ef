//! Text from scanned files made safe to show: package names, versions and snippets come from
//! files an attacker may have written, and a terminal obeys the escape sequences in them
//! (`ESC ] 0 ; title BEL` sets the window title, `ESC [ 2 J` clears the screen). Every renderer
//! for people passes such text through [`printable`].

use std::borrow::Cow;

/// `s` with every control character (C0 but tab and line feed, DEL, C1) and the Unicode
/// bidirectional overrides written as a visible `\u{…}` escape.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`printable`], also with line breaks and tabs escaped: for one table cell or one line.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| needs_escape(c) || c == '\n' || c == '\t' || c == '\r')
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// At most `max` characters of `s`, the last one `…` when it was cut (at a word boundary when
/// one is near the end, so a word is not split).
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().count() <= max || max == 0 {
        return Cow::Borrowed(s);
    }
    let keep: String = s.chars().take(max - 1).collect();
    let cut = match keep.rfind(' ') {
        Some(i) if i > keep.len() * 3 / 4 => keep[..i].trim_end().to_owned(),
        _ => keep,
    };
    Cow::Owned(format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J";
        assert_eq!(printable(hostile), "evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J");
        assert_eq!(printable("serde"), "serde");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(printable("a\u{9b}b"), "a\\u{9b}b");
        assert_eq!(one_line("a\nb"), "a\\nb");
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(truncate("short", 10), "short");
        let t = truncate("a remote code execution in the parser", 20);
        assert!(t.chars().count() <= 20, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
    }
}
