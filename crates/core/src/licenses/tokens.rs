//! License text as word tokens: copyright lines, URLs, markdown and bullet marks, punctuation and
//! line breaks drop out, so reflowed or reformatted copies of a text give the same tokens. Both
//! the corpus and the matcher read texts through [`tokens`].

/// Words spelled differently on either side of the Atlantic, read as one.
const EQUIVALENT: &[(&str, &str)] = &[
    ("licence", "license"),
    ("licences", "licenses"),
    ("licenced", "licensed"),
    ("licencing", "licensing"),
    ("licencor", "licensor"),
    ("licencee", "licensee"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("authorised", "authorized"),
    ("recognised", "recognized"),
    ("behaviour", "behavior"),
];

/// Normalises a text into lowercase word tokens: copyright lines, URLs, markdown and bullet marks,
/// punctuation and line breaks drop out, so reflowed or reformatted copies of a text give the same
/// tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches(|c: char| {
            c.is_whitespace() || "#*->/;!|+=_~`\u{2022}\u{b7}".contains(c)
        });
        let lower = line.to_lowercase();
        if is_copyright_line(&lower) {
            continue;
        }
        for word in lower.split_whitespace() {
            if word.contains("://") || word.starts_with("www.") || word.starts_with("(http") {
                continue;
            }
            for tok in word.split(|c: char| !c.is_alphanumeric()) {
                if tok.is_empty() {
                    continue;
                }
                let tok = EQUIVALENT
                    .iter()
                    .find(|(from, _)| *from == tok)
                    .map_or(tok, |(_, to)| to);
                out.push(tok.to_owned());
            }
        }
    }
    out
}

/// `Copyright (c) 2024 Someone`, `© 2024`, `(C) …`, `All rights reserved.`: lines naming holders,
/// which differ in every copy of a license. A line such as "copyright notice, this list of
/// conditions" (a wrapped license sentence) is not one of them.
fn is_copyright_line(lower: &str) -> bool {
    let l = lower.strip_prefix("portions ").unwrap_or(lower).trim();
    if l.starts_with("(c)") || l.starts_with('©') || l == "all rights reserved." {
        return true;
    }
    let Some(rest) = l.strip_prefix("copyright") else {
        return false;
    };
    let rest = rest.trim_start_matches([':', ' ', '\t']);
    rest.starts_with("(c)")
        || rest.starts_with('©')
        || rest.starts_with("c ")
        || rest.starts_with("by ")
        || rest.starts_with("the ")
        || rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_ignore_copyright_lines_markdown_and_reflow() {
        let a =
            tokens("Copyright (c) 2024 Someone\n\nPermission is hereby granted,\nfree of charge");
        let b = tokens("# License\n\n* Permission is hereby granted, free of charge");
        assert_eq!(
            a,
            [
                "permission",
                "is",
                "hereby",
                "granted",
                "free",
                "of",
                "charge"
            ]
        );
        assert_eq!(b[1..], a[..]);
        let c = tokens("must retain the above\ncopyright notice, this list");
        assert!(c.contains(&"notice".to_owned()));
        assert_eq!(tokens("Licence"), ["license"]);
    }
}
