//! License text identification: text normalised to word tokens, compared with every SPDX license
//! and exception text by the Sørensen–Dice coefficient of their word-bigram sets.
//!
//! Written here rather than taken from `askalono` (the crate that does this job): askalono
//! compares a text with all ~700 licenses one by one (about 50 ms per license-sized text on this
//! hardware), its normaliser drops the whole of one-line licenses whose line mentions
//! "copyright" (FSFAP, swrule, …), and its cache is not byte-reproducible. An inverted index from
//! bigram to licenses gives the exact Dice score against every license in one pass over the
//! input's bigrams, in well under a millisecond for a typical LICENSE file. The index is built
//! ahead of time and embedded; a run only reads it.

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

/// The index of the SPDX corpus, generated from `data/license-corpus.z` and committed as
/// `data/license-index.bin` (a test keeps it current), so that a run reads it instead of
/// building it: reading takes a millisecond, building took 170.
const EMBEDDED: &[u8] = include_bytes!("../../data/license-index.bin");

/// The first bytes of the index file, with its layout version.
const MAGIC: &[u8; 8] = b"TRSCIDX1";

/// One license or exception text (or several with identical bigram sets) in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The ids sharing this text, the preferred one first.
    pub ids: Vec<String>,
    /// License or exception.
    pub kind: Kind,
    /// How many distinct bigrams its text has.
    size: u32,
}

/// The inverted index over every text of the corpus: a sorted vocabulary, and for each bigram of
/// token ids (`first × vocabulary size + second`) the entries whose text contains it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Index {
    /// The vocabulary, sorted, as one string and the offsets of its words.
    words: String,
    word_starts: Vec<u32>,
    /// Sorted distinct bigram keys, and where each one's entries start in `postings`.
    keys: Vec<u32>,
    key_starts: Vec<u32>,
    /// Entry numbers, ascending within each key.
    postings: Vec<u16>,
    entries: Vec<Entry>,
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

/// Why an index file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the license index is malformed: {0}")]
pub struct IndexError(&'static str);

impl Index {
    /// The index embedded in the binary, read once on first use. Empty if the embedded file
    /// were unreadable (a test makes sure it is not).
    pub fn embedded() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::from_bytes(EMBEDDED).unwrap_or_default())
    }

    /// Builds the index from corpus texts (what generates the committed file).
    pub fn build(texts: &[corpus::Text]) -> Index {
        let mut words: Vec<&str> = texts
            .iter()
            .flat_map(|t| t.tokens.split(' '))
            .filter(|s| !s.is_empty())
            .collect();
        words.sort_unstable();
        words.dedup();
        let id_of: HashMap<&str, u32> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (*w, i as u32))
            .collect();
        let vocabulary = words.len() as u64;
        let mut by_set: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        for t in texts {
            let ids: Vec<u32> = t
                .tokens
                .split(' ')
                .filter(|s| !s.is_empty())
                .filter_map(|w| id_of.get(w).copied())
                .collect();
            let set: Vec<u32> = bigram_set(&ids, vocabulary)
                .into_iter()
                .filter_map(|k| u32::try_from(k).ok())
                .collect();
            match by_set.get(&set) {
                Some(&at) => {
                    if let Some(e) = entries.get_mut(at) {
                        e.ids.push(t.id.clone());
                    }
                }
                None => {
                    by_set.insert(set.clone(), entries.len());
                    entries.push(Entry {
                        ids: vec![t.id.clone()],
                        kind: t.kind,
                        size: set.len() as u32,
                    });
                    sets.push(set);
                }
            }
        }
        let deprecated: std::collections::HashSet<&str> = texts
            .iter()
            .filter(|t| t.deprecated)
            .map(|t| t.id.as_str())
            .collect();
        for e in &mut entries {
            e.ids
                .sort_by_key(|id| preference(id, deprecated.contains(id.as_str())));
        }
        let mut pairs: Vec<(u32, u16)> = sets
            .iter()
            .enumerate()
            .flat_map(|(i, set)| set.iter().map(move |&k| (k, i as u16)))
            .collect();
        pairs.sort_unstable();
        let mut index = Index {
            entries,
            ..Index::default()
        };
        for w in &words {
            index.word_starts.push(index.words.len() as u32);
            index.words.push_str(w);
        }
        index.word_starts.push(index.words.len() as u32);
        for (key, entry) in pairs {
            if index.keys.last() != Some(&key) {
                index.keys.push(key);
                index.key_starts.push(index.postings.len() as u32);
            }
            index.postings.push(entry);
        }
        index.key_starts.push(index.postings.len() as u32);
        index
    }

    /// The entries, for tests and diagnostics.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn vocabulary(&self) -> u64 {
        self.word_starts.len().saturating_sub(1) as u64
    }

    /// The id of a word, by binary search of the sorted vocabulary.
    fn word_id(&self, word: &str) -> Option<u32> {
        let n = self.word_starts.len().saturating_sub(1);
        let word_at = |i: usize| {
            let (Some(&a), Some(&b)) = (self.word_starts.get(i), self.word_starts.get(i + 1))
            else {
                return "";
            };
            self.words.get(a as usize..b as usize).unwrap_or("")
        };
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match word_at(mid).cmp(word) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// The entries whose text has the bigram `key`, ascending.
    fn posting(&self, key: u64) -> &[u16] {
        let Ok(key) = u32::try_from(key) else {
            return &[];
        };
        let Ok(i) = self.keys.binary_search(&key) else {
            return &[];
        };
        let (Some(&a), Some(&b)) = (self.key_starts.get(i), self.key_starts.get(i + 1)) else {
            return &[];
        };
        self.postings.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// Identifies the licenses in a text: the best whole-text match when its Dice score reaches
    /// [`MATCH_THRESHOLD`], then further licenses mostly contained in what is left (dual-license
    /// files, an exception appended to a license). Empty when nothing matches.
    pub fn identify(&self, text: &str) -> Vec<Identified> {
        let vocabulary = self.vocabulary();
        let ids: Vec<u32> = tokens(text)
            .iter()
            .map(|t| self.word_id(t).unwrap_or(UNKNOWN))
            .collect();
        let input = bigram_set(&ids, vocabulary);
        if input.is_empty() {
            return Vec::new();
        }
        // Each input bigram's entries, looked up once.
        let lists: Vec<&[u16]> = input.iter().map(|&k| self.posting(k)).collect();
        let mut shared = vec![0u32; self.entries.len()];
        for list in &lists {
            for &e in *list {
                if let Some(s) = shared.get_mut(usize::from(e)) {
                    *s += 1;
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
                cover(i, &lists, &mut covered);
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
                let new = count_new(i, &lists, &covered);
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
            cover(i, &lists, &mut covered);
            chosen.push(i);
            found.push(self.identified(i, containment));
        }
        found
    }

    fn size(&self, i: usize) -> usize {
        self.entries.get(i).map_or(0, |e| e.size as usize)
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

    /// The index as committed: little-endian counts and arrays after [`MAGIC`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 << 20);
        out.extend_from_slice(MAGIC);
        let u32s = |out: &mut Vec<u8>, v: &[u32]| {
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        out.extend_from_slice(&(self.words.len() as u32).to_le_bytes());
        out.extend_from_slice(self.words.as_bytes());
        u32s(&mut out, &self.word_starts);
        u32s(&mut out, &self.keys);
        u32s(&mut out, &self.key_starts);
        out.extend_from_slice(&(self.postings.len() as u32).to_le_bytes());
        for p in &self.postings {
            out.extend_from_slice(&p.to_le_bytes());
        }
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for e in &self.entries {
            out.push(match e.kind {
                Kind::License => b'L',
                Kind::Exception => b'E',
            });
            out.extend_from_slice(&e.size.to_le_bytes());
            out.extend_from_slice(&(e.ids.len() as u32).to_le_bytes());
            for id in &e.ids {
                out.extend_from_slice(&(id.len() as u32).to_le_bytes());
                out.extend_from_slice(id.as_bytes());
            }
        }
        out
    }

    /// Reads an index written by [`Index::to_bytes`], checking every count against the data.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, IndexError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(IndexError("not a trusca license index"));
        }
        let words_len = r.u32()? as usize;
        let words = std::str::from_utf8(r.take(words_len)?)
            .map_err(|_| IndexError("words are not UTF-8"))?
            .to_owned();
        let word_starts = r.u32s()?;
        let keys = r.u32s()?;
        let key_starts = r.u32s()?;
        let n = r.u32()? as usize;
        let postings: Vec<u16> = r
            .take(n.checked_mul(2).ok_or(IndexError("too many postings"))?)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let n = r.u32()? as usize;
        let mut entries = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let kind = match r.take(1)?.first() {
                Some(b'L') => Kind::License,
                Some(b'E') => Kind::Exception,
                _ => return Err(IndexError("unknown entry kind")),
            };
            let size = r.u32()?;
            let count = r.u32()? as usize;
            let mut ids = Vec::with_capacity(count.min(64));
            for _ in 0..count {
                let len = r.u32()? as usize;
                let id = std::str::from_utf8(r.take(len)?)
                    .map_err(|_| IndexError("an id is not UTF-8"))?;
                ids.push(id.to_owned());
            }
            entries.push(Entry { ids, kind, size });
        }
        let consistent = key_starts.len() == keys.len() + 1
            && key_starts
                .last()
                .is_some_and(|&l| l as usize == postings.len())
            && word_starts
                .last()
                .is_some_and(|&l| l as usize == words.len())
            && postings.iter().all(|&p| usize::from(p) < entries.len());
        if !consistent || r.at != bytes.len() {
            return Err(IndexError("counts do not agree"));
        }
        Ok(Index {
            words,
            word_starts,
            keys,
            key_starts,
            postings,
            entries,
        })
    }
}

/// Reads little-endian values from a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        let end = self.at.checked_add(n).ok_or(IndexError("truncated"))?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(IndexError("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, IndexError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u32s(&mut self) -> Result<Vec<u32>, IndexError> {
        let n = self.u32()? as usize;
        Ok(self
            .take(n.checked_mul(4).ok_or(IndexError("too many values"))?)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

/// Marks the input bigrams the text of entry `i` has.
fn cover(i: usize, lists: &[&[u16]], covered: &mut [bool]) {
    let Ok(i) = u16::try_from(i) else { return };
    for (list, c) in lists.iter().zip(covered.iter_mut()) {
        if list.binary_search(&i).is_ok() {
            *c = true;
        }
    }
}

/// How many input bigrams not yet covered the text of entry `i` has.
fn count_new(i: usize, lists: &[&[u16]], covered: &[bool]) -> usize {
    let Ok(i) = u16::try_from(i) else { return 0 };
    lists
        .iter()
        .zip(covered)
        .filter(|(list, c)| !**c && list.binary_search(&i).is_ok())
        .count()
}

/// Token ids outside the corpus vocabulary all map here; bigrams with it match nothing.
const UNKNOWN: u32 = u32::MAX;

fn dice(shared: u32, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        0.0
    } else {
        2.0 * f64::from(shared) / (a + b) as f64
    }
}

/// Sorted distinct bigrams of token ids as keys `first × vocabulary + second` (below
/// `vocabulary²`); a text of one token counts as the bigram (token, token). A bigram with a word
/// outside the vocabulary gets a key above every known one, so it still counts towards the size
/// of the text but matches nothing.
fn bigram_set(ids: &[u32], vocabulary: u64) -> Vec<u64> {
    let known = |a: u32, b: u32| u64::from(a) * vocabulary + u64::from(b);
    let mut out: Vec<u64> = if ids.len() == 1 {
        ids.iter()
            .filter(|&&a| a != UNKNOWN)
            .map(|&a| known(a, a))
            .collect()
    } else {
        ids.windows(2)
            .filter_map(|w| match w {
                [a, b] if *a != UNKNOWN && *b != UNKNOWN => Some(known(*a, *b)),
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

    /// `data/license-index.bin` is the index of `data/license-corpus.z`; regenerate with
    /// `TRUSCA_UPDATE_LICENSE_INDEX=1 cargo test -p trusca-core index_is_current`.
    #[test]
    fn index_is_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let texts = corpus::load(&dir.join("license-corpus.z")).expect("committed corpus");
        let fresh = Index::build(&texts).to_bytes();
        if std::env::var_os("TRUSCA_UPDATE_LICENSE_INDEX").is_some() {
            std::fs::write(dir.join("license-index.bin"), &fresh).expect("write index");
            return;
        }
        assert!(
            fresh == EMBEDDED,
            "data/license-index.bin is stale: run `TRUSCA_UPDATE_LICENSE_INDEX=1 cargo test -p trusca-core index_is_current`"
        );
        let read = Index::from_bytes(EMBEDDED).expect("embedded index reads");
        assert_eq!(read, Index::build(&texts));
        assert!(read.entries().len() > 700);
    }

    #[test]
    fn a_damaged_index_is_refused_not_trusted() {
        assert!(Index::from_bytes(b"").is_err());
        assert!(Index::from_bytes(b"TRSCIDX1").is_err());
        let good = Index::embedded().to_bytes();
        assert!(Index::from_bytes(&good[..good.len() - 1]).is_err());
        let mut extra = good.clone();
        extra.push(0);
        assert!(Index::from_bytes(&extra).is_err());
    }

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
