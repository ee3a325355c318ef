//! License text identification: text normalised to word tokens, compared with every SPDX license
//! and exception text by the Sørensen–Dice coefficient of their word-bigram sets.
//!
//! Written here rather than taken from `askalono` (the crate that does this job): askalono
//! compares a text with all ~700 licenses one by one (about 50 ms per license-sized text on this
//! hardware), its normaliser drops the whole of one-line licenses whose line mentions
//! "copyright" (FSFAP, swrule, …), and its cache is not byte-reproducible. An inverted index from
//! bigram to licenses gives the exact Dice score against every license in one pass over the
//! input's bigrams, in well under a millisecond for a typical LICENSE file.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::corpus::{self, Kind};
use super::tokens::tokens;

/// The Dice score at or above which a whole file is taken to be a license text.
pub const MATCH_THRESHOLD: f64 = 0.8;
/// The share of a license's bigrams that must appear in a file for it to count as contained in it
/// (a second license in a dual-license file, or a license text inside other prose).
pub const CONTAINMENT_THRESHOLD: f64 = 0.85;
/// Licenses with fewer bigrams than this are only matched as a whole file, never as contained.
const MIN_CONTAINED_BIGRAMS: usize = 40;
/// At most this many licenses are reported for one file.
const MAX_LICENSES_PER_FILE: usize = 4;

/// One license or exception text (or several with identical bigram sets) in the index.
#[derive(Debug)]
pub struct Entry {
    /// The ids sharing this text, the preferred one first.
    pub ids: Vec<String>,
    /// License or exception.
    pub kind: Kind,
    /// The sorted distinct bigrams.
    bigrams: Vec<u64>,
}

/// The index over every text in the embedded corpus.
#[derive(Debug, Default)]
pub struct Index {
    vocab: HashMap<String, u32>,
    entries: Vec<Entry>,
    postings: HashMap<u64, Vec<u32>>,
}

/// A license identified in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// The preferred SPDX id.
    pub id: String,
    /// Every id whose text is indistinguishable from it.
    pub ids: Vec<String>,
    /// License or exception.
    pub kind: Kind,
    /// Dice score for the whole file, or containment for a further license found in it.
    pub score: f64,
}

/// Token ids outside the corpus vocabulary all map here; bigrams with it match nothing.
const UNKNOWN: u32 = u32::MAX;

impl Index {
    /// The index over the corpus embedded in the binary, built once on first use.
    pub fn embedded() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::build(&corpus::embedded()))
    }

    /// Builds the index from corpus texts.
    pub fn build(texts: &[corpus::Text]) -> Index {
        let mut index = Index::default();
        let mut by_set: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut pending: Vec<Entry> = Vec::new();
        for t in texts {
            let ids: Vec<u32> = t
                .tokens
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|tok| {
                    let next = index.vocab.len() as u32;
                    *index.vocab.entry(tok.to_owned()).or_insert(next)
                })
                .collect();
            let bigrams = bigram_set(&ids);
            match by_set.get(&bigrams) {
                Some(&at) => {
                    if let Some(e) = pending.get_mut(at) {
                        e.ids.push(t.id.clone());
                    }
                }
                None => {
                    by_set.insert(bigrams.clone(), pending.len());
                    pending.push(Entry {
                        ids: vec![t.id.clone()],
                        kind: t.kind,
                        bigrams,
                    });
                }
            }
        }
        let deprecated: std::collections::HashSet<&str> = texts
            .iter()
            .filter(|t| t.deprecated)
            .map(|t| t.id.as_str())
            .collect();
        for e in &mut pending {
            e.ids
                .sort_by_key(|id| preference(id, deprecated.contains(id.as_str())));
        }
        for (i, e) in pending.iter().enumerate() {
            for b in &e.bigrams {
                index.postings.entry(*b).or_default().push(i as u32);
            }
        }
        index.entries = pending;
        index
    }

    /// The entries, for tests and diagnostics.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Identifies the licenses in a text: the best whole-text match when its Dice score reaches
    /// [`MATCH_THRESHOLD`], then further licenses mostly contained in what is left (dual-license
    /// files, an exception appended to a license). Empty when nothing matches.
    pub fn identify(&self, text: &str) -> Vec<Identified> {
        let toks = tokens(text);
        let ids: Vec<u32> = toks
            .iter()
            .map(|t| self.vocab.get(t).copied().unwrap_or(UNKNOWN))
            .collect();
        let input = bigram_set(&ids);
        if input.is_empty() {
            return Vec::new();
        }
        let mut shared = vec![0u32; self.entries.len()];
        for b in &input {
            if let Some(list) = self.postings.get(b) {
                for &e in list {
                    if let Some(s) = shared.get_mut(e as usize) {
                        *s += 1;
                    }
                }
            }
        }
        let mut found: Vec<Identified> = Vec::new();
        let mut covered = vec![false; input.len()];
        let mut chosen: Vec<usize> = Vec::new();

        let best = shared
            .iter()
            .enumerate()
            .map(|(i, &s)| (i, dice(s, input.len(), self.size(i))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, score)) = best {
            if score >= MATCH_THRESHOLD {
                self.cover(i, &input, &mut covered);
                chosen.push(i);
                found.push(self.identified(i, score));
            }
        }
        while found.len() < MAX_LICENSES_PER_FILE {
            let uncovered = covered.iter().filter(|c| !**c).count();
            if uncovered < 10 {
                break;
            }
            let mut pick: Option<(usize, f64, usize)> = None;
            for (i, &s) in shared.iter().enumerate() {
                let size = self.size(i);
                let min = if found.is_empty() {
                    MIN_CONTAINED_BIGRAMS
                } else {
                    10
                };
                if size < min || chosen.contains(&i) {
                    continue;
                }
                let containment = f64::from(s) / size as f64;
                if containment < CONTAINMENT_THRESHOLD {
                    continue;
                }
                let new = self.count_new(i, &input, &covered);
                if new < (size / 2).max(10) {
                    continue;
                }
                let better = match pick {
                    None => true,
                    Some((_, c, n)) => new > n || (new == n && containment > c),
                };
                if better {
                    pick = Some((i, containment, new));
                }
            }
            let Some((i, containment, _)) = pick else {
                break;
            };
            self.cover(i, &input, &mut covered);
            chosen.push(i);
            found.push(self.identified(i, containment));
        }
        found
    }

    fn size(&self, i: usize) -> usize {
        self.entries.get(i).map_or(0, |e| e.bigrams.len())
    }

    fn identified(&self, i: usize, score: f64) -> Identified {
        let e = &self.entries[i.min(self.entries.len().saturating_sub(1))];
        Identified {
            id: e.ids.first().cloned().unwrap_or_default(),
            ids: e.ids.clone(),
            kind: e.kind,
            score: (score * 1000.0).round() / 1000.0,
        }
    }

    fn cover(&self, i: usize, input: &[u64], covered: &mut [bool]) {
        let Some(e) = self.entries.get(i) else { return };
        for (b, c) in input.iter().zip(covered.iter_mut()) {
            if e.bigrams.binary_search(b).is_ok() {
                *c = true;
            }
        }
    }

    fn count_new(&self, i: usize, input: &[u64], covered: &[bool]) -> usize {
        let Some(e) = self.entries.get(i) else {
            return 0;
        };
        input
            .iter()
            .zip(covered)
            .filter(|(b, c)| !**c && e.bigrams.binary_search(b).is_ok())
            .count()
    }
}

fn dice(shared: u32, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        0.0
    } else {
        2.0 * f64::from(shared) / (a + b) as f64
    }
}

/// Sorted distinct bigrams of token ids; a text of one token counts as the bigram (token, token).
fn bigram_set(ids: &[u32]) -> Vec<u64> {
    let mut out: Vec<u64> = if ids.len() == 1 {
        ids.iter()
            .map(|&a| (u64::from(a) << 32) | u64::from(a))
            .collect()
    } else {
        ids.windows(2)
            .filter_map(|w| match w {
                [a, b] if *a != UNKNOWN && *b != UNKNOWN => {
                    Some((u64::from(*a) << 32) | u64::from(*b))
                }
                // Unknown words still count towards the size of the text.
                [a, b] => Some(u64::MAX - (u64::from(*a) ^ (u64::from(*b) << 7))),
                _ => None,
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// How to order ids with the same text: current before deprecated, `-only` before `-or-later`
/// (the text alone does not grant later versions), then the shortest, then by name.
fn preference(id: &str, deprecated: bool) -> (bool, bool, usize, String) {
    (deprecated, !id.ends_with("-only"), id.len(), id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_words_count_towards_size() {
        let idx = Index::build(&[corpus::Text {
            id: "X".into(),
            kind: Kind::License,
            deprecated: false,
            tokens: "alpha beta gamma delta".into(),
        }]);
        let got = idx.identify("alpha beta gamma delta");
        assert_eq!(got.len(), 1);
        assert!((got[0].score - 1.0).abs() < 1e-9);
        assert!(idx.identify("alpha beta zzz yyy xxx www vvv").is_empty());
        assert!(idx.identify("").is_empty());
    }

    fn spdx_dir() -> Option<std::path::PathBuf> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/spdx-licenses");
        p.join("text").is_dir().then_some(p)
    }

    /// Texts that cannot be told apart by their words alone, beyond ids that share one text
    /// exactly (those are reported together in `Identified::ids`).
    /// Both are exceptions whose text is, word for word, that of a deprecated license id
    /// (`GPL-2.0-with-bison-exception`, `wxWindows`); they are reported with that id alongside.
    const AMBIGUOUS: &[&str] = &["Bison-exception-2.2", "WxWindows-exception-3.1"];

    #[test]
    fn every_spdx_text_is_identified_as_itself() {
        let Some(dir) = spdx_dir() else {
            eprintln!("skipped: ../shared/data/spdx-licenses is not present");
            return;
        };
        let index = Index::embedded();
        let mut checked = 0;
        let mut shared_text = 0;
        let mut wrong = Vec::new();
        for (sub, kind) in [
            ("text", Kind::License),
            ("text/exceptions", Kind::Exception),
        ] {
            let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub))
                .expect("text dir")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            paths.sort();
            for p in paths {
                let id = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .to_owned();
                let text = std::fs::read_to_string(&p).expect("utf-8 text");
                checked += 1;
                let got = index.identify(&text);
                match got.first() {
                    Some(m) if m.ids.contains(&id) && m.kind == kind => {
                        if m.ids.len() > 1 {
                            shared_text += 1;
                        }
                    }
                    other => {
                        if !AMBIGUOUS.contains(&id.as_str()) {
                            wrong.push(format!("{id} -> {:?}", other.map(|m| (&m.ids, m.score))));
                        }
                    }
                }
            }
        }
        eprintln!("{checked} texts checked, {shared_text} share their text with another id");
        assert!(checked >= 826, "{checked}");
        assert!(
            wrong.is_empty(),
            "{} misidentified:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    fn spdx_text(id: &str) -> Option<String> {
        let dir = spdx_dir()?;
        std::fs::read_to_string(dir.join("text").join(format!("{id}.txt"))).ok()
    }

    fn best(text: &str) -> Option<(String, f64)> {
        Index::embedded()
            .identify(text)
            .first()
            .map(|m| (m.id.clone(), m.score))
    }

    #[test]
    fn reflowed_copyright_prefixed_and_markdown_variants_match() {
        let Some(apache) = spdx_text("Apache-2.0") else {
            eprintln!("skipped: ../shared/data/spdx-licenses is not present");
            return;
        };
        let Some(mit) = spdx_text("MIT") else { return };
        let Some(bsd) = spdx_text("BSD-3-Clause") else {
            return;
        };
        // Reflowed to one long line per paragraph, then re-wrapped at 40 columns.
        let reflowed: String = mit
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut wrapped = String::new();
        let mut col = 0;
        for w in bsd.split_whitespace() {
            if col + w.len() > 40 {
                wrapped.push('\n');
                col = 0;
            }
            wrapped.push_str(w);
            wrapped.push(' ');
            col += w.len() + 1;
        }
        let prefixed = format!(
            "Copyright (c) 2015-2024 The Example Authors\nCopyright 2019 Someone Else <a@b.example>\nAll rights reserved.\n\n{mit}"
        );
        let markdown = format!(
            "# MIT License\n\n**Copyright © 2024 [Example](https://example.example)**\n\n> {}\n",
            mit.replace("\n\n", "\n\n> ")
        );
        let bulleted = bsd
            .replace("1. ", "* ")
            .replace("2. ", "* ")
            .replace("3. ", "- ");
        for (name, text, want) in [
            ("reflowed", reflowed, "MIT"),
            ("wrapped", wrapped, "BSD-3-Clause"),
            ("prefixed", prefixed, "MIT"),
            ("markdown", markdown, "MIT"),
            ("bulleted", bulleted, "BSD-3-Clause"),
            (
                "apache without appendix",
                apache.split("APPENDIX").next().unwrap_or("").to_owned(),
                "Apache-2.0",
            ),
        ] {
            let got = best(&text);
            assert!(
                got.as_ref()
                    .is_some_and(|(id, s)| id == want && *s >= MATCH_THRESHOLD),
                "{name}: {got:?}"
            );
        }
    }

    #[test]
    fn dual_license_file_reports_both() {
        let (Some(apache), Some(mit)) = (spdx_text("Apache-2.0"), spdx_text("MIT")) else {
            eprintln!("skipped: ../shared/data/spdx-licenses is not present");
            return;
        };
        let text =
            format!("This project is dual-licensed.\n\n## MIT\n\n{mit}\n\n## Apache\n\n{apache}");
        let ids: Vec<String> = Index::embedded()
            .identify(&text)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, ["Apache-2.0", "MIT"]);
        let (Some(gpl), Some(dir)) = (spdx_text("GPL-2.0-only"), spdx_dir()) else {
            return;
        };
        let cp = std::fs::read_to_string(dir.join("text/exceptions/Classpath-exception-2.0.txt"))
            .unwrap_or_default();
        let got = Index::embedded().identify(&format!("{gpl}\n\n{cp}"));
        let ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["GPL-2.0-only", "Classpath-exception-2.0"]);
    }

    #[test]
    fn unrelated_text_matches_nothing() {
        let readme = "# trusca\n\nSoftware composition analysis: inventory, SBOMs, licenses and \
                      vulnerabilities.\n\n## Install\n\n    cargo install trusca\n\n## Usage\n\n\
                      Run `trusca scan .` in a project. The table lists components and their \
                      license tiers. See the documentation for the JSON format.\n";
        assert_eq!(Index::embedded().identify(readme), Vec::new());
        let code = include_str!("expr.rs");
        assert_eq!(Index::embedded().identify(code), Vec::new());
        assert_eq!(Index::embedded().identify("MIT"), Vec::new());
    }
}
