//! Advisory text beyond what a stored finding keeps (its summary and aliases): the details and
//! references of the published record, read from the server's vulnerability database
//! (`trusca server db update`), or from a source layered onto the app as the request extension
//! [`Advisories`]. Without either, a finding page shows the stored summary and says that
//! references need the server's vulnerability database.

use std::sync::Arc;

use trusca_core::vulns::osv::Vulnerability;

/// Something that can look an advisory record up by id.
pub trait AdvisorySource: Send + Sync + 'static {
    /// The record with this id, if there is one.
    fn record(&self, id: &str) -> Option<Vulnerability>;
}

impl AdvisorySource for trusca_core::vulns::db::Db {
    fn record(&self, id: &str) -> Option<Vulnerability> {
        match trusca_core::vulns::db::Db::record(self, id) {
            Ok(record) => record,
            Err(e) => {
                tracing::warn!(error = %e, advisory = id, "cannot read an advisory record");
                None
            }
        }
    }
}

/// The vulnerability database the pages read advisory records from.
#[derive(Clone)]
pub struct Advisories(pub Arc<dyn AdvisorySource>);

impl Advisories {
    /// Wraps a source.
    pub fn new(source: impl AdvisorySource) -> Self {
        Advisories(Arc::new(source))
    }
}

impl std::fmt::Debug for Advisories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Advisories")
    }
}

/// A link of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// `ADVISORY`, `FIX`, `WEB`, …
    pub kind: String,
    /// The URL (http or https only).
    pub url: String,
}

/// What a record adds to a finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdvisoryText {
    /// The summary, when the finding had none.
    pub summary: Option<String>,
    /// The description (Markdown, shown as text).
    pub details: Option<String>,
    /// Links; only `http`/`https` ones, so no `javascript:` link reaches a page.
    pub references: Vec<Link>,
}

/// The text of a record.
pub fn text(record: &Vulnerability) -> AdvisoryText {
    let web = |u: &str| {
        let lower = u.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    AdvisoryText {
        summary: record.summary.clone().filter(|s| !s.trim().is_empty()),
        details: record.details.clone().filter(|s| !s.trim().is_empty()),
        references: record
            .references
            .iter()
            .filter(|r| web(&r.url))
            .map(|r| Link {
                kind: r.kind.to_ascii_lowercase(),
                url: r.url.clone(),
            })
            .collect(),
    }
}

/// The record of `id` or of one of its aliases, from `source` when there is one.
pub fn lookup(source: Option<&Advisories>, id: &str, aliases: &[String]) -> Option<AdvisoryText> {
    let source = source?;
    std::iter::once(id)
        .chain(aliases.iter().map(String::as_str))
        .find_map(|i| source.0.record(i))
        .map(|r| text(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Vulnerability {
        let json = br#"{"id":"GHSA-x","summary":"s","details":"d\nmore",
            "references":[{"type":"ADVISORY","url":"https://adv.example/GHSA-x"},
                          {"type":"WEB","url":"javascript:alert(1)"}]}"#;
        Vulnerability::from_json(json).expect("record")
    }

    struct One(Vulnerability);
    impl AdvisorySource for One {
        fn record(&self, id: &str) -> Option<Vulnerability> {
            (id == self.0.id).then(|| self.0.clone())
        }
    }

    #[test]
    fn records_give_details_and_web_links_only() {
        let t = text(&record());
        assert_eq!(t.details.as_deref(), Some("d\nmore"));
        assert_eq!(
            t.references,
            vec![Link {
                kind: "advisory".into(),
                url: "https://adv.example/GHSA-x".into()
            }]
        );
    }

    #[test]
    fn aliases_are_looked_up_too() {
        let source = Advisories::new(One(record()));
        assert!(lookup(Some(&source), "CVE-1", &["GHSA-x".into()]).is_some());
        assert!(lookup(Some(&source), "CVE-1", &[]).is_none());
        assert!(lookup(None, "GHSA-x", &[]).is_none());
    }
}
