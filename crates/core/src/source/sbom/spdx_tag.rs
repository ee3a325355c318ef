//! SPDX 2.2 and 2.3 tag-value: `Tag: value` lines, `<text>…</text>` values over several lines.
//! A package starts at `PackageName:`; a `FileName:` or `Snippet…` line ends it.

use super::spdx::{check_version, external_ref, is_assertion, Graph};
use super::{entry_warning, Component, Document};

pub(super) fn parse(text: &str) -> Result<Document, String> {
    let mut out = Document::default();
    let mut graph = Graph::default();
    let mut version = None;
    let mut current: Option<Component> = None;
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            out.diagnostics.push(entry_warning(
                &format!("line {line_no}"),
                "not a `Tag: value` line; skipped",
            ));
            continue;
        };
        let mut value = value.trim().to_owned();
        if let Some(rest) = value.strip_prefix("<text>") {
            // A value over several lines, up to `</text>`.
            let mut collected = rest.to_owned();
            let mut closed = collected.contains("</text>");
            while !closed {
                let Some((_, next)) = lines.next() else {
                    return Err(format!(
                        "line {line_no}: `<text>` of `{tag}` is not closed before the end of the \
                         file"
                    ));
                };
                collected.push('\n');
                collected.push_str(next);
                closed = next.contains("</text>");
            }
            value = collected
                .split("</text>")
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        let tag = tag.trim();
        match tag {
            "SPDXVersion" => {
                check_version(&value)?;
                version = Some(value);
            }
            "DocumentName" => out.name = Some(value),
            "Creator" => {
                if let Some(t) = value.strip_prefix("Tool:") {
                    out.tool.get_or_insert_with(|| t.trim().to_owned());
                }
            }
            "PackageName" => {
                out.components.extend(current.take());
                current = Some(Component {
                    name: value,
                    entry: format!("line {line_no}"),
                    ..Component::default()
                });
            }
            "FileName" | "SnippetSPDXID" => out.components.extend(current.take()),
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                match parts.as_slice() {
                    [a, kind, b, ..] => graph.add(a, kind, b),
                    _ => out.diagnostics.push(entry_warning(
                        &format!("line {line_no}"),
                        "`Relationship:` needs `A TYPE B`; skipped",
                    )),
                }
            }
            _ => {
                if let Some(c) = current.as_mut() {
                    package_tag(c, tag, &value);
                }
            }
        }
    }
    out.components.extend(current.take());
    let Some(version) = version else {
        return Err("`SPDXVersion` is missing".into());
    };
    out.format = format!("{} tag-value", version.replace('-', " "));
    // A package without `SPDXID` cannot be referenced; it is read all the same.
    let mut missing = Vec::new();
    for (i, c) in out.components.iter_mut().enumerate() {
        if c.reference.is_empty() {
            missing.push(entry_warning(&c.entry, "package without `SPDXID`"));
            c.reference = format!("#package-{i}");
        }
    }
    out.diagnostics.extend(missing);
    graph.finish(&mut out);
    Ok(out)
}

fn package_tag(c: &mut Component, tag: &str, value: &str) {
    let value = value.trim();
    match tag {
        "SPDXID" if c.reference.is_empty() => c.reference = value.to_owned(),
        "PackageVersion" if !value.is_empty() => c.version = Some(value.to_owned()),
        "ExternalRef" => {
            let parts: Vec<&str> = value.split_whitespace().collect();
            if let [_, kind, locator, ..] = parts.as_slice() {
                external_ref(c, kind, locator);
            }
        }
        "PackageLicenseConcluded" | "PackageLicenseDeclared"
            if is_assertion(value) && c.licenses.is_empty() =>
        {
            c.licenses.push(value.to_owned());
        }
        _ => {}
    }
}
