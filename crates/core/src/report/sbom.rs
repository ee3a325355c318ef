//! Software bills of materials: CycloneDX (JSON and XML) and SPDX 2.3 (JSON) written from a
//! [`Scan`].
//!
//! A scan lists one package per occurrence (the same purl may be declared in several files); an
//! SBOM lists each component once. [`Inventory`] does that merge once for every writer: one
//! component per distinct purl, its occurrences, scope, graph edges and hashes, all in sorted
//! containers so that no input order or hash-map order reaches the output.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::model::purl::Purl;
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};
use crate::scan::Scan;

/// The UUID v5 namespace of trusca documents; fixed forever so document ids stay stable.
const DOCUMENT_NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_1c2e_8d0a_5f43_9e27_41c3_a5d8_0b96);

/// One component: every occurrence of one purl, merged.
#[derive(Debug)]
pub(crate) struct Component<'a> {
    pub purl: &'a str,
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem spells it (`@scope/name`, `group:artifact`).
    pub name: &'a str,
    /// The purl's namespace, decoded (npm scope, Maven group, Go/Composer namespace).
    pub namespace: Option<String>,
    /// The purl's name when it has a namespace (the part after it), else the package name.
    pub short_name: String,
    pub version: Option<&'a str>,
    /// The widest use over the occurrences: runtime beats optional beats dev.
    pub scope: Scope,
    /// `Some(true)` if any file calls it direct, `Some(false)` if files say it is transitive.
    pub direct: Option<bool>,
    /// Whether the project root should depend on it: some file says it is direct, or some file
    /// does not say.
    pub root_dependency: bool,
    pub groups: BTreeSet<&'a str>,
    pub requirements: BTreeSet<&'a str>,
    pub locations: BTreeSet<&'a Location>,
    /// Purls of other components it depends on (only ones present in the inventory).
    pub depends_on: BTreeSet<&'a str>,
    pub hashes: BTreeSet<KnownHash>,
    pub sources: BTreeSet<&'a PackageSource>,
    /// What is known of the license: the first occurrence's that has any.
    pub license: Option<&'a crate::model::LicenseInfo>,
    /// For an operating-system package: its distribution, architecture and source package.
    pub os: Option<&'a crate::model::OsPackage>,
    /// In an image: the layer that added it (the lowest of its occurrences').
    pub layer: Option<&'a crate::model::LayerRef>,
}

/// A hash whose algorithm both SBOM formats name, with a well-formed digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KnownHash {
    pub alg: HashAlg,
    /// Lowercase hex, of the length the algorithm gives.
    pub value: String,
}

/// Hash algorithms that CycloneDX and SPDX both list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum HashAlg {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Blake2b256,
    Blake2b384,
    Blake2b512,
    Blake3,
}

impl HashAlg {
    fn parse(alg: &str) -> Option<Self> {
        let norm: String = alg
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match norm.as_str() {
            "md5" => HashAlg::Md5,
            "sha1" => HashAlg::Sha1,
            "sha256" => HashAlg::Sha256,
            "sha384" => HashAlg::Sha384,
            "sha512" => HashAlg::Sha512,
            "sha3256" => HashAlg::Sha3_256,
            "sha3384" => HashAlg::Sha3_384,
            "sha3512" => HashAlg::Sha3_512,
            "blake2b256" => HashAlg::Blake2b256,
            "blake2b384" => HashAlg::Blake2b384,
            "blake2b512" => HashAlg::Blake2b512,
            "blake3" => HashAlg::Blake3,
            _ => return None,
        })
    }

    /// The digest lengths in hex digits the algorithm can give.
    fn hex_len_ok(self, len: usize) -> bool {
        match self {
            HashAlg::Md5 => len == 32,
            HashAlg::Sha1 => len == 40,
            HashAlg::Sha256 | HashAlg::Sha3_256 | HashAlg::Blake2b256 => len == 64,
            HashAlg::Sha384 | HashAlg::Sha3_384 | HashAlg::Blake2b384 => len == 96,
            HashAlg::Sha512 | HashAlg::Sha3_512 | HashAlg::Blake2b512 => len == 128,
            // BLAKE3 is extendable; CycloneDX only admits these lengths.
            HashAlg::Blake3 => matches!(len, 32 | 40 | 64 | 96 | 128),
        }
    }

    /// The CycloneDX `hash-alg` name.
    pub fn cyclonedx(self) -> &'static str {
        match self {
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
            HashAlg::Sha3_256 => "SHA3-256",
            HashAlg::Sha3_384 => "SHA3-384",
            HashAlg::Sha3_512 => "SHA3-512",
            HashAlg::Blake2b256 => "BLAKE2b-256",
            HashAlg::Blake2b384 => "BLAKE2b-384",
            HashAlg::Blake2b512 => "BLAKE2b-512",
            HashAlg::Blake3 => "BLAKE3",
        }
    }

    /// The SPDX 2.3 checksum algorithm name.
    pub fn spdx(self) -> &'static str {
        match self {
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA1",
            HashAlg::Sha256 => "SHA256",
            HashAlg::Sha384 => "SHA384",
            HashAlg::Sha512 => "SHA512",
            HashAlg::Sha3_256 => "SHA3-256",
            HashAlg::Sha3_384 => "SHA3-384",
            HashAlg::Sha3_512 => "SHA3-512",
            HashAlg::Blake2b256 => "BLAKE2b-256",
            HashAlg::Blake2b384 => "BLAKE2b-384",
            HashAlg::Blake2b512 => "BLAKE2b-512",
            HashAlg::Blake3 => "BLAKE3",
        }
    }
}

impl KnownHash {
    /// The hash if its algorithm is one both formats list and its digest is hex of the right
    /// length (a malformed digest would make the document invalid).
    fn new(hash: &Hash) -> Option<Self> {
        let alg = HashAlg::parse(&hash.alg)?;
        let value = hash.value.trim().to_ascii_lowercase();
        if !alg.hex_len_ok(value.len()) || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(KnownHash { alg, value })
    }
}

/// The merged view of a scan that every SBOM writer renders.
#[derive(Debug)]
pub(crate) struct Inventory<'a> {
    pub scan: &'a Scan,
    /// One per distinct purl, sorted by purl.
    pub components: Vec<Component<'a>>,
    /// The deterministic document id: a UUID v5 of the scan's content.
    pub uuid: Uuid,
}

impl<'a> Inventory<'a> {
    /// Merges the scan's package occurrences into components.
    pub fn new(scan: &'a Scan) -> Self {
        let mut by_purl: BTreeMap<&str, Vec<&Package>> = BTreeMap::new();
        for p in &scan.packages {
            by_purl.entry(p.purl.as_str()).or_default().push(p);
        }
        let mut components: Vec<Component<'a>> = by_purl
            .iter()
            .filter_map(|(purl, occurrences)| merge(purl, occurrences))
            .collect();
        for c in &mut components {
            let purl = c.purl;
            c.depends_on
                .retain(|d| *d != purl && by_purl.contains_key(d));
        }
        Inventory {
            scan,
            components,
            uuid: document_uuid(scan),
        }
    }

    /// Purls the project root depends on, sorted.
    pub fn root_depends_on(&self) -> Vec<&'a str> {
        self.components
            .iter()
            .filter(|c| c.root_dependency)
            .map(|c| c.purl)
            .collect()
    }
}

fn merge<'a>(purl: &'a str, occurrences: &[&'a Package]) -> Option<Component<'a>> {
    // The first by a total order of the fields that may differ between occurrences of one purl
    // (a PyPI name's spelling), so the pick does not depend on input order.
    let first = occurrences.iter().min_by(|a, b| {
        (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version))
    })?;
    let parsed = purl.parse::<Purl>().ok();
    let namespace = parsed
        .as_ref()
        .and_then(|p| p.namespace().map(str::to_owned));
    let short_name = match (&namespace, &parsed) {
        (Some(_), Some(p)) => p.name().to_owned(),
        _ => first.name.to_string(),
    };
    let mut c = Component {
        purl,
        ecosystem: first.ecosystem,
        name: &first.name,
        namespace,
        short_name,
        version: first.version.as_deref(),
        scope: Scope::Dev,
        direct: None,
        root_dependency: false,
        groups: BTreeSet::new(),
        requirements: BTreeSet::new(),
        locations: BTreeSet::new(),
        depends_on: BTreeSet::new(),
        hashes: BTreeSet::new(),
        sources: BTreeSet::new(),
        license: None,
        os: None,
        layer: None,
    };
    let mut by_order: Vec<&&Package> = occurrences.iter().collect();
    by_order.sort_by(|a, b| (&a.location, &a.version).cmp(&(&b.location, &b.version)));
    c.license = by_order
        .iter()
        .filter_map(|p| p.license.as_deref())
        .find(|l| l.declared.is_some() || l.concluded.is_some());
    for p in occurrences {
        c.scope = wider(c.scope, p.scope);
        c.direct = match (c.direct, p.direct) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        };
        c.root_dependency |= p.direct != Some(false);
        c.groups.extend(p.groups.iter().map(String::as_str));
        c.requirements.extend(p.requirement.as_deref());
        c.locations.insert(&p.location);
        c.depends_on
            .extend(p.dependencies.iter().map(String::as_str));
        c.hashes.extend(p.hashes.iter().filter_map(KnownHash::new));
        c.sources.extend(p.source.as_ref());
        c.os = c.os.or(p.os.as_deref());
        if let Some(l) = p.layer.as_deref() {
            if c.layer.is_none_or(|have| l.index < have.index) {
                c.layer = Some(l);
            }
        }
    }
    Some(c)
}

/// Runtime beats optional beats dev: a component needed at run time by one file is needed.
fn wider(a: Scope, b: Scope) -> Scope {
    let rank = |s: Scope| match s {
        Scope::Runtime => 2,
        Scope::Optional => 1,
        Scope::Dev => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// A UUID v5 of the scan's content, independent of the order of its lists: identical scans give
/// identical documents, and any change (including `generated_at`) gives a new id.
fn document_uuid(scan: &Scan) -> Uuid {
    fn sorted_json<T: serde::Serialize>(items: impl Iterator<Item = T>) -> Vec<String> {
        let mut out: Vec<String> = items
            .map(|i| serde_json::to_string(&i).unwrap_or_default())
            .collect();
        out.sort();
        out
    }
    let packages = sorted_json(scan.packages.iter().map(|p| {
        let mut p = p.clone();
        p.dependencies.sort();
        p.hashes.sort();
        p.groups.sort();
        p
    }));
    let mut content = serde_json::json!({
        "schema_version": scan.schema_version,
        "tool": scan.tool,
        "target": scan.target,
        "generated_at": scan.generated_at,
        "files": sorted_json(scan.files.iter()),
        "packages": packages,
        "diagnostics": sorted_json(scan.diagnostics.iter()),
    });
    // Only when present, so documents without findings keep the ids they always had.
    if !scan.findings.is_empty() {
        content["findings"] = sorted_json(scan.findings.iter()).into();
    }
    Uuid::new_v5(&DOCUMENT_NAMESPACE, content.to_string().as_bytes())
}

/// A short stable hex digest of a string, for identifiers that must be unique.
pub(crate) fn short_hash(s: &str) -> String {
    let simple = Uuid::new_v5(&DOCUMENT_NAMESPACE, s.as_bytes())
        .simple()
        .to_string();
    simple.get(..8).unwrap_or(&simple).to_owned()
}

/// Makes a URL fit for an `iri-reference` field, or `None` when it has no scheme (a relative
/// path) after turning scp-style git addresses (`git@host:org/repo`) into `ssh://` URLs.
/// Characters a URI may not hold are percent-encoded, so the result is a plain URI.
pub(crate) fn uri_reference(url: &str) -> Option<String> {
    let url = url.trim();
    let url = scp_to_ssh(url).unwrap_or_else(|| url.to_owned());
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    out.push(':');
    let bytes = rest.as_bytes();
    let mut seen_fragment = false;
    for (i, &b) in bytes.iter().enumerate() {
        let keep = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'@' => true,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => true,
            b'%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            b'#' if !seen_fragment => {
                seen_fragment = true;
                true
            }
            _ => false,
        };
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// `user@host:path` (as git accepts) to `ssh://user@host/path`; `None` for anything else.
fn scp_to_ssh(url: &str) -> Option<String> {
    if url.contains("://") {
        return None;
    }
    let (user, rest) = url.split_once('@')?;
    let (host, path) = rest.split_once(':')?;
    let plain =
        |s: &str| !s.is_empty() && !s.contains(['/', ':', '@']) && !s.contains(char::is_whitespace);
    if !plain(user) || !plain(host) {
        return None;
    }
    Some(format!(
        "ssh://{user}@{host}/{}",
        path.trim_start_matches('/')
    ))
}

#[cfg(test)]
mod tests;
