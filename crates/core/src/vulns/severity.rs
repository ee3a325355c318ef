//! Severity of a record: a base score from its CVSS vectors (v4 preferred, then v3, then v2),
//! or the database's own severity word when no vector can be scored.
//!
//! Vectors come from the record's and its matched entries' `severity` lists and from RustSec's
//! `affected[].database_specific.cvss`; words from `database_specific.severity` (GitHub:
//! `CRITICAL`, `HIGH`, `MODERATE`, `LOW`) and `affected[].ecosystem_specific.severity`.
//!
//! Scores come from the `cvss` crate (RustSec), which scores v2, v3.0, v3.1 and v4.0 vectors.

use std::str::FromStr;

use super::osv::{Affected, SeverityScore, Vulnerability};
use super::SeverityLevel;

/// The severity trusca reports for a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The bucket.
    pub level: SeverityLevel,
    /// The base score, when a vector gave one.
    pub score: Option<f64>,
    /// The vector the score came from.
    pub vector: Option<String>,
}

impl Rating {
    /// No severity known.
    pub fn unknown() -> Self {
        Rating {
            level: SeverityLevel::Unknown,
            score: None,
            vector: None,
        }
    }

    /// Whether `self` is more severe than `other` (bucket first, then score).
    pub fn is_worse_than(&self, other: &Rating) -> bool {
        (self.level, self.score.unwrap_or(-1.0)) > (other.level, other.score.unwrap_or(-1.0))
    }
}

/// The bucket of a CVSS score: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0, else unknown.
pub fn level_of_score(score: f64) -> SeverityLevel {
    if score >= 9.0 {
        SeverityLevel::Critical
    } else if score >= 7.0 {
        SeverityLevel::High
    } else if score >= 4.0 {
        SeverityLevel::Medium
    } else if score > 0.0 {
        SeverityLevel::Low
    } else {
        SeverityLevel::Unknown
    }
}

/// The base score of a CVSS vector (`CVSS:4.0/…`, `CVSS:3.1/…`, `CVSS:3.0/…`, or a bare v2
/// vector), or `None` when it does not parse.
pub fn cvss_score(vector: &str) -> Option<f64> {
    let vector = vector.trim();
    // Bounded input: real vectors are short; a huge string is not worth parsing.
    if vector.len() > 512 {
        return None;
    }
    // `score()` is the base score for v2 and v3 vectors; for v4 it is the score of the
    // metrics given, which in OSV records are the base metrics.
    let score = cvss::Cvss::from_str(vector).ok()?.score();
    (score.is_finite() && (0.0..=10.0).contains(&score)).then_some(score)
}

/// Rates a record. `affected` are the entries that matched the package: their `severity` lists
/// are consulted after the record's own. Among all vectors, the newest CVSS version that scores
/// wins; failing that, `database_specific.severity` (GitHub's `CRITICAL`, `HIGH`, `MODERATE`,
/// `LOW`) of the record or of a matched entry.
pub fn rate(record: &Vulnerability, affected: &[&Affected]) -> Rating {
    let rustsec: Vec<SeverityScore> = affected
        .iter()
        .filter_map(|a| {
            let vector = a.database_specific.as_ref()?.get("cvss")?.as_str()?;
            Some(SeverityScore {
                kind: kind_of_vector(vector).to_owned(),
                score: vector.to_owned(),
            })
        })
        .collect();
    let scores: Vec<&SeverityScore> = record
        .severity
        .iter()
        .chain(affected.iter().flat_map(|a| a.severity.iter()))
        .chain(rustsec.iter())
        .collect();
    for kind in ["CVSS_V4", "CVSS_V3", "CVSS_V2"] {
        for s in scores.iter().filter(|s| s.kind.eq_ignore_ascii_case(kind)) {
            if let Some(score) = cvss_score(&s.score) {
                return Rating {
                    level: level_of_score(score),
                    score: Some(score),
                    vector: Some(s.score.trim().to_owned()),
                };
            }
        }
    }
    let word = std::iter::once(&record.database_specific)
        .chain(affected.iter().map(|a| &a.database_specific))
        .chain(affected.iter().map(|a| &a.ecosystem_specific))
        .find_map(|d| level_of_word(d.as_ref()?.get("severity")?.as_str()?));
    match word {
        Some(level) => Rating {
            level,
            score: None,
            vector: None,
        },
        None => Rating::unknown(),
    }
}

/// The OSV severity type of a CVSS vector, from its prefix (`CVSS:4.0/…` is `CVSS_V4`; a bare
/// vector is v2).
pub fn kind_of_vector(vector: &str) -> &'static str {
    let v = vector.trim();
    if v.starts_with("CVSS:4") {
        "CVSS_V4"
    } else if v.starts_with("CVSS:3") {
        "CVSS_V3"
    } else {
        "CVSS_V2"
    }
}

/// A database's severity word as a bucket.
pub fn level_of_word(word: &str) -> Option<SeverityLevel> {
    match word.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(SeverityLevel::Critical),
        "HIGH" | "IMPORTANT" => Some(SeverityLevel::High),
        "MODERATE" | "MEDIUM" => Some(SeverityLevel::Medium),
        "LOW" => Some(SeverityLevel::Low),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Vulnerability {
        Vulnerability::from_json(json.as_bytes()).expect("valid record")
    }

    #[test]
    fn v3_vectors_give_their_official_base_scores() {
        // Scores as the FIRST calculators give them.
        for (vector, score) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 5.5),
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ] {
            assert_eq!(cvss_score(vector), Some(score), "{vector}");
        }
    }

    #[test]
    fn v4_and_v2_vectors_are_scored() {
        for (vector, score) in [
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
                5.1,
            ),
            ("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5),
            ("AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3),
        ] {
            assert_eq!(cvss_score(vector), Some(score), "{vector}");
        }
        assert_eq!(cvss_score("CVSS:3.1/AV:X"), None);
        assert_eq!(cvss_score("not a vector"), None);
        assert_eq!(cvss_score(&"A".repeat(10_000)), None);
    }

    #[test]
    fn buckets_follow_the_cvss_scale() {
        assert_eq!(level_of_score(10.0), SeverityLevel::Critical);
        assert_eq!(level_of_score(9.0), SeverityLevel::Critical);
        assert_eq!(level_of_score(8.9), SeverityLevel::High);
        assert_eq!(level_of_score(7.0), SeverityLevel::High);
        assert_eq!(level_of_score(4.0), SeverityLevel::Medium);
        assert_eq!(level_of_score(3.9), SeverityLevel::Low);
        assert_eq!(level_of_score(0.1), SeverityLevel::Low);
        assert_eq!(level_of_score(0.0), SeverityLevel::Unknown);
    }

    #[test]
    fn v4_is_preferred_over_v3_and_affected_level_vectors_count() {
        let r = record(
            r#"{"id": "X-1",
                "severity": [
                    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                    {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"}
                ]}"#,
        );
        let rating = rate(&r, &[]);
        assert_eq!(rating.score, Some(5.1));
        assert_eq!(rating.level, SeverityLevel::Medium);
        assert!(rating
            .vector
            .as_deref()
            .is_some_and(|v| v.starts_with("CVSS:4.0/")));

        let r = record(
            r#"{"id": "X-2", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}]}"#,
        );
        let affected: Vec<&Affected> = r.affected.iter().collect();
        assert_eq!(rate(&r, &affected).score, Some(5.9));
        assert_eq!(rate(&r, &[]).level, SeverityLevel::Unknown);
    }

    #[test]
    fn rustsec_cvss_and_ecosystem_words_are_read() {
        let r = record(
            r#"{"id": "RUSTSEC-2023-0001", "affected": [{"package": {"ecosystem": "crates.io", "name": "openssl"},
                "database_specific": {"cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "informational": null}}]}"#,
        );
        let affected: Vec<&Affected> = r.affected.iter().collect();
        let rating = rate(&r, &affected);
        assert_eq!(rating.score, Some(7.5));
        assert_eq!(rating.level, SeverityLevel::High);

        let r = record(
            r#"{"id": "DEB-1", "affected": [{"package": {"ecosystem": "Debian:12", "name": "a"},
                "ecosystem_specific": {"severity": "medium"}}]}"#,
        );
        let affected: Vec<&Affected> = r.affected.iter().collect();
        assert_eq!(rate(&r, &affected).level, SeverityLevel::Medium);
        assert_eq!(kind_of_vector("CVSS:4.0/AV:N"), "CVSS_V4");
        assert_eq!(kind_of_vector("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "CVSS_V2");
    }

    #[test]
    fn a_broken_vector_falls_back_to_the_next_kind_then_to_the_word() {
        let r = record(
            r#"{"id": "X-3",
                "severity": [
                    {"type": "CVSS_V4", "score": "CVSS:4.0/garbage"},
                    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}
                ]}"#,
        );
        assert_eq!(rate(&r, &[]).score, Some(7.5));

        let r = record(
            r#"{"id": "GHSA-x", "severity": [{"type": "CVSS_V3", "score": "nope"}],
                "database_specific": {"severity": "MODERATE"}}"#,
        );
        let rating = rate(&r, &[]);
        assert_eq!(rating.level, SeverityLevel::Medium);
        assert_eq!(rating.score, None);
        assert_eq!(rating.vector, None);
    }
}
