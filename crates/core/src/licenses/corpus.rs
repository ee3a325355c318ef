//! The SPDX license and exception texts as normalised tokens: the source of the license index
//! ([`super::matcher::Index`]), which is what the binary embeds.
//!
//! `data/license-corpus.z` is generated from the SPDX License List data (`licenses.json`,
//! `exceptions.json` and the `text/` files of `../shared/data/spdx-licenses`) by
//! `scripts/update-license-corpus.sh`, which runs the test `corpus_is_current` with
//! `TRUSCA_UPDATE_LICENSE_CORPUS=1`. Without that variable the test checks that the committed file
//! matches the data (when the data is present), so a change to the normaliser or to the license
//! list cannot go unnoticed.
//!
//! Format, once inflated: UTF-8 lines `L|E <id> <d|-> <tokens…>` (license or exception,
//! deprecated or not, the text as [`super::tokens::tokens`] gives it), or `= <id> <d|-> L|E
//! <other-id>` for a text whose tokens equal an earlier one, or `A <id> <d|-> <tokens…>` for an
//! alternate form of a license: the terms without the "how to apply" appendix that follows
//! "END OF TERMS AND CONDITIONS" (many copies of Apache-2.0 and the GPLs leave it out, and an
//! Apache-2.0 text without it is otherwise closer to the Pixar license). A first line starting
//! with `#` names the list version.

use std::path::Path;

/// License or exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A license text.
    License,
    /// A license exception (the right side of `WITH`).
    Exception,
}

/// One text of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The SPDX id.
    pub id: String,
    /// License or exception.
    pub kind: Kind,
    /// Whether SPDX marks the id deprecated.
    pub deprecated: bool,
    /// The normalised tokens, separated by single spaces.
    pub tokens: String,
}

/// Inflated size limit: the corpus is about 5 MB.
const MAX_INFLATED: usize = 64 * 1024 * 1024;

/// Reads a compressed corpus file (`data/license-corpus.z`).
pub fn load(path: &Path) -> Result<Vec<Text>, CorpusError> {
    let read_err = |message: String| CorpusError::Read {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| read_err(e.to_string()))?;
    let inflated = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_INFLATED)
        .map_err(|e| read_err(format!("cannot inflate: {e:?}")))?;
    let text = String::from_utf8(inflated).map_err(|e| read_err(e.to_string()))?;
    Ok(parse(&text))
}

/// Reads the inflated corpus format.
pub fn parse(s: &str) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    for line in s.lines() {
        let mut parts = line.splitn(4, ' ');
        let (Some(tag), Some(id), Some(flag)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let rest = parts.next().unwrap_or("");
        let deprecated = flag == "d";
        let text = match tag {
            "L" | "E" | "A" => Text {
                id: id.to_owned(),
                kind: if tag != "E" {
                    Kind::License
                } else {
                    Kind::Exception
                },
                deprecated,
                tokens: rest.to_owned(),
            },
            "=" => {
                let Some((kind, other)) = rest.split_once(' ') else {
                    continue;
                };
                let Some(tokens) = out.iter().find(|t| t.id == other).map(|t| t.tokens.clone())
                else {
                    continue;
                };
                Text {
                    id: id.to_owned(),
                    kind: if kind == "L" {
                        Kind::License
                    } else {
                        Kind::Exception
                    },
                    deprecated,
                    tokens,
                }
            }
            _ => continue,
        };
        out.push(text);
    }
    out
}

/// Why the corpus could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A data file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The file.
        path: String,
        /// The reason.
        message: String,
    },
}

/// Generates the inflated corpus from an SPDX license-list data directory (`json/licenses.json`,
/// `json/exceptions.json`, `text/<id>.txt`, `text/exceptions/<id>.txt`).
pub fn generate(dir: &Path) -> Result<String, CorpusError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| CorpusError::Read {
            path: p.display().to_string(),
            message: e.to_string(),
        })
    };
    let json = |p: &Path| -> Result<serde_json::Value, CorpusError> {
        serde_json::from_str(&read(p)?).map_err(|e| CorpusError::Read {
            path: p.display().to_string(),
            message: e.to_string(),
        })
    };
    let licenses = json(&dir.join("json/licenses.json"))?;
    let exceptions = json(&dir.join("json/exceptions.json"))?;
    let version = licenses["licenseListVersion"].as_str().unwrap_or("?");
    let mut items: Vec<(Kind, String, bool)> = Vec::new();
    for (list, key, kind) in [
        (&licenses["licenses"], "licenseId", Kind::License),
        (
            &exceptions["exceptions"],
            "licenseExceptionId",
            Kind::Exception,
        ),
    ] {
        for l in list.as_array().into_iter().flatten() {
            if let Some(id) = l[key].as_str() {
                let deprecated = l["isDeprecatedLicenseId"].as_bool().unwrap_or(false);
                items.push((kind, id.to_owned(), deprecated));
            }
        }
    }
    items.sort();
    let mut out = format!("# SPDX License List {version}, normalised tokens\n");
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (kind, id, deprecated) in items {
        let path = match kind {
            Kind::License => dir.join("text").join(format!("{id}.txt")),
            Kind::Exception => dir.join("text/exceptions").join(format!("{id}.txt")),
        };
        let tokens = super::tokens::tokens(&read(&path)?).join(" ");
        let tag = if kind == Kind::License { "L" } else { "E" };
        let flag = if deprecated { "d" } else { "-" };
        match seen.get(&tokens) {
            Some(other) => out.push_str(&format!("= {id} {flag} {tag} {other}\n")),
            None => {
                out.push_str(&format!("{tag} {id} {flag} {tokens}\n"));
                if let Some(at) = tokens.find(END_OF_TERMS) {
                    let terms = &tokens[..at + END_OF_TERMS.len()];
                    if tokens.len() - terms.len() > 100 {
                        out.push_str(&format!("A {id} {flag} {terms}\n"));
                    }
                }
                seen.insert(tokens, id);
            }
        }
    }
    Ok(out)
}

const END_OF_TERMS: &str = "end of terms and conditions";

/// Compresses the inflated corpus as it is committed.
pub fn compress(inflated: &str) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(inflated.as_bytes(), 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_data() -> Option<std::path::PathBuf> {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/spdx-licenses");
        p.join("json/licenses.json").exists().then_some(p)
    }

    #[test]
    fn corpus_is_current() {
        let Some(dir) = shared_data() else {
            eprintln!("skipped: ../shared/data/spdx-licenses is not present");
            return;
        };
        let fresh = generate(&dir).expect("spdx data readable");
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/license-corpus.z");
        if std::env::var_os("TRUSCA_UPDATE_LICENSE_CORPUS").is_some() {
            std::fs::write(&committed, compress(&fresh)).expect("write corpus");
            return;
        }
        let current = std::fs::read(&committed)
            .ok()
            .and_then(|z| miniz_oxide::inflate::decompress_to_vec_zlib(&z).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        assert!(
            current == fresh,
            "data/license-corpus.z is stale: run crates/core/scripts/update-license-corpus.sh"
        );
    }

    #[test]
    fn committed_corpus_loads() {
        let texts = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/license-corpus.z"))
            .expect("committed corpus");
        assert!(texts.len() > 800, "{}", texts.len());
        assert!(texts
            .iter()
            .any(|t| t.id == "MIT" && t.kind == Kind::License));
        assert!(texts
            .iter()
            .any(|t| t.id == "Classpath-exception-2.0" && t.kind == Kind::Exception));
    }
}
