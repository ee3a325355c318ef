//! A small element tree over quick-xml's event reader, shared by the XML formats (`pom.xml`,
//! MSBuild project files, `packages.config`, Gradle verification metadata).
//!
//! Each element keeps the byte offset of its `<`, so extractors can report the line of an entry.
//! Namespace prefixes are dropped from element and attribute names; documents nested deeper
//! than [`MAX_DEPTH`] are refused, which keeps both building and dropping the tree bounded.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::lines::line_of_offset;
use super::ParseError;

/// The deepest element nesting accepted; real dependency files stay far below it.
pub(crate) const MAX_DEPTH: usize = 256;

/// One element: its local name, attributes, child elements and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    /// The name without a namespace prefix.
    pub name: String,
    /// Attributes in document order, names without prefix, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own text and CDATA, concatenated (untrimmed).
    pub text: String,
    /// Byte offset of the element's `<` in the document.
    pub offset: usize,
}

impl Element {
    /// An attribute's value by exact name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute's value by name, ignoring ASCII case (MSBuild does).
    pub fn attr_ci(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child with this exact name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first child with this name, ignoring ASCII case.
    pub fn child_ci(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every child with this exact name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Every child with this name, ignoring ASCII case.
    pub fn children_ci<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// Follows a path of child names (`["dependencyManagement", "dependencies"]`).
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, name| el.child(name))
    }

    /// The trimmed text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// The trimmed text of the element.
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }

    /// The 1-based line of the element's start tag in `text`.
    pub fn line(&self, text: &str) -> u32 {
        line_of_offset(text, self.offset)
    }
}

/// Parses a document and returns its root element.
pub(crate) fn parse(text: &str) -> Result<Element, ParseError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| ParseError::xml(&e, text, reader.error_position()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                // A second root element: not a well-formed document.
                let _ = start;
                return Err(ParseError::new(
                    "invalid XML: more than one root element",
                    Some(line_of_offset(text, offset)),
                ));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::new(
                        format!("invalid XML: elements nested deeper than {MAX_DEPTH} levels"),
                        Some(line_of_offset(text, offset)),
                    ));
                }
                stack.push(element(&start, text, offset)?);
            }
            Event::Empty(start) => {
                let el = element(&start, text, offset)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(ParseError::new(
                        "invalid XML: closing tag without an opening one",
                        Some(line_of_offset(text, offset)),
                    ));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    let s = t
                        .xml_content(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| {
                            ParseError::new(
                                format!("invalid XML: {e}"),
                                Some(line_of_offset(text, offset)),
                            )
                        })?;
                    el.text.push_str(&s);
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(ParseError::new(
                        "invalid XML: text outside the root element",
                        Some(line_of_offset(text, offset)),
                    ));
                }
            }
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&String::from_utf8_lossy(&c));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(el) = stack.last_mut() {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    let resolved = r.resolve_char_ref().ok().flatten().or(match name.as_str() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    });
                    match resolved {
                        Some(c) => el.text.push(c),
                        None => {
                            el.text.push('&');
                            el.text.push_str(&name);
                            el.text.push(';');
                        }
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ParseError::new(
            format!(
                "invalid XML: `<{}>` is not closed before the end of the file",
                open.name
            ),
            Some(line_of_offset(text, text.len())),
        ));
    }
    root.ok_or_else(|| ParseError::new("invalid XML: no root element", Some(1)))
}

fn element(start: &BytesStart<'_>, text: &str, offset: usize) -> Result<Element, ParseError> {
    let at = || Some(line_of_offset(text, offset));
    let raw = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    if !is_xml_name(&raw) {
        return Err(ParseError::new(
            format!("invalid XML: `{raw}` is not a valid element name"),
            at(),
        ));
    }
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| ParseError::new(format!("invalid XML: {e}"), at()))?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| ParseError::new(format!("invalid XML: {e}"), at()))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name: local(&raw).to_owned(),
        attrs,
        children: Vec::new(),
        text: String::new(),
        offset,
    })
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// XML's name production, ASCII part spelled out; quick-xml does not check names, and a file
/// such as `<${id}.version>` must be refused as other XML parsers refuse it.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start_ok = |c: char| c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii();
    start_ok(first) && chars.all(|c| start_ok(c) || c.is_ascii_digit() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_with_offsets_and_text() {
        let text = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b>hi &lt;there&gt;</b>\n  <c/>\n</a>\n";
        let root = parse(text).expect("parses");
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.child_text("b"), Some("hi <there>"));
        assert_eq!(root.child("c").map(|c| c.line(text)), Some(4));
        assert_eq!(root.line(text), 2);
    }

    #[test]
    fn rejects_broken_documents_with_lines() {
        assert_eq!(parse("not xml").map_err(|e| e.line), Err(Some(1)));
        assert_eq!(
            parse("<a>\n<b>\n</a>").map_err(|e| e.line.is_some()),
            Err(true)
        );
        assert_eq!(parse("<a>\n  <b>").map_err(|e| e.line), Err(Some(2)));
        assert_eq!(
            parse("<a>\n<${x}.v>1</${x}.v>\n</a>").map_err(|e| e.line),
            Err(Some(2))
        );
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn drops_namespace_prefixes() {
        let root = parse("<p:a xmlns:p=\"u\"><p:b p:k=\"v\"/></p:a>").expect("parses");
        assert_eq!(root.name, "a");
        assert_eq!(root.child("b").and_then(|b| b.attr("k")), Some("v"));
    }
}
