//! Tests of the version orderings: the upstream vectors, properties and hostile strings.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use super::*;

/// Vector lines that are allowed to fail, as `(file, line)`, each with the reason. Empty: every
/// vector passes.
const ALLOWED_FAILURES: &[(&str, &str)] = &[];

fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/versions")
}

/// `../shared/data/versions` beside the checkout, when it is there.
fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/versions");
    p.is_dir().then_some(p)
}

fn dirs() -> Vec<PathBuf> {
    let mut dirs = vec![repo_dir()];
    match shared_dir() {
        Some(d) => dirs.push(d),
        None => eprintln!("skipped: ../shared/data/versions is not present; repo copy only"),
    }
    dirs
}

struct Line {
    a: String,
    op: Ordering,
    b: String,
    text: String,
}

fn read_vectors(path: &Path) -> Vec<Line> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        let [a, op, b] = fields.as_slice() else {
            panic!("{}: malformed vector line {line:?}", path.display());
        };
        let op = match *op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            other => panic!("{}: unknown operator {other:?}", path.display()),
        };
        lines.push(Line {
            a: (*a).to_owned(),
            op,
            b: (*b).to_owned(),
            text: line.to_owned(),
        });
    }
    lines
}

/// Runs every line of `files` (in the repo copy and the shared data) in both directions.
fn check_vectors(scheme: Scheme, files: &[&str]) {
    let mut failures = Vec::new();
    for dir in dirs() {
        for file in files {
            let path = dir.join(file);
            let lines = read_vectors(&path);
            assert!(!lines.is_empty(), "{} has no vectors", path.display());
            let mut failed = 0;
            for line in &lines {
                let forward = compare(scheme, &line.a, &line.b);
                let backward = compare(scheme, &line.b, &line.a);
                let parsed = scheme
                    .parse_lenient(&line.a)
                    .cmp(&scheme.parse_lenient(&line.b));
                if forward == line.op && backward == line.op.reverse() && parsed == forward {
                    continue;
                }
                if ALLOWED_FAILURES.contains(&(*file, line.text.as_str())) {
                    continue;
                }
                failed += 1;
                failures.push(format!(
                    "{file}: `{}` gave {forward:?} / reversed {backward:?}",
                    line.text
                ));
            }
            eprintln!(
                "{scheme}: {}: {} of {} lines pass",
                path.display(),
                lines.len() - failed,
                lines.len()
            );
        }
    }
    let shown: Vec<&String> = failures.iter().take(40).collect();
    assert!(
        failures.is_empty(),
        "{} vector lines fail under {scheme}:\n{shown:#?}",
        failures.len()
    );
}

#[test]
fn vectors_semver() {
    check_vectors(Scheme::SemVer, &["semver-versions.txt"]);
}

#[test]
fn vectors_go() {
    check_vectors(Scheme::Go, &["semver-versions.txt"]);
}

#[test]
fn vectors_pep440() {
    check_vectors(
        Scheme::Pep440,
        &["pypi-versions.txt", "pypi-versions-generated.txt"],
    );
}

#[test]
fn vectors_maven() {
    check_vectors(
        Scheme::Maven,
        &["maven-versions.txt", "maven-versions-generated.txt"],
    );
}

#[test]
fn vectors_rubygems() {
    check_vectors(
        Scheme::RubyGems,
        &["rubygems-versions.txt", "rubygems-versions-generated.txt"],
    );
}

#[test]
fn vectors_nuget() {
    check_vectors(Scheme::NuGet, &["nuget-versions.txt"]);
}

#[test]
fn vectors_packagist() {
    check_vectors(
        Scheme::Packagist,
        &[
            "packagist-versions.txt",
            "packagist-versions-generated.txt",
            "packagist-versions-phpsrc.txt",
        ],
    );
}

#[test]
fn vectors_debian() {
    check_vectors(
        Scheme::Debian,
        &["debian-versions.txt", "debian-versions-generated.txt"],
    );
}

#[test]
fn vectors_alpine() {
    check_vectors(
        Scheme::Alpine,
        &["alpine-versions.txt", "alpine-versions-generated.txt"],
    );
}

#[test]
fn vectors_rpm() {
    check_vectors(Scheme::Rpm, &["redhat-versions.txt"]);
}

#[test]
fn vectors_cran() {
    check_vectors(
        Scheme::Cran,
        &["cran-versions.txt", "cran-versions-generated.txt"],
    );
}

#[test]
fn vectors_hackage() {
    check_vectors(Scheme::Hackage, &["hackage-versions.txt"]);
}

#[test]
fn vectors_pub() {
    check_vectors(Scheme::Pub, &["pub-versions.txt"]);
}

fn read_list(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn alpine_valid_and_invalid_lists() {
    for dir in dirs() {
        let valid = read_list(&dir.join("alpine-valid-versions.txt"));
        let invalid = read_list(&dir.join("alpine-invalid-versions.txt"));
        assert!(!valid.is_empty() && !invalid.is_empty());
        let wrong: Vec<&String> = valid
            .iter()
            .filter(|v| !Scheme::Alpine.is_valid(v))
            .collect();
        assert!(wrong.is_empty(), "rejected valid versions: {wrong:?}");
        let wrong: Vec<&String> = invalid
            .iter()
            .filter(|v| Scheme::Alpine.is_valid(v))
            .collect();
        assert!(wrong.is_empty(), "accepted invalid versions: {wrong:?}");
        for v in &invalid {
            let err = Scheme::Alpine.parse(v).expect_err("invalid");
            assert_eq!(err.scheme, Scheme::Alpine);
        }
    }
}

/// The files whose versions belong to each scheme.
fn files_for(scheme: Scheme) -> &'static [&'static str] {
    match scheme {
        Scheme::SemVer | Scheme::Go => &["semver-versions.txt"],
        Scheme::Pep440 => &["pypi-versions.txt", "pypi-versions-generated.txt"],
        Scheme::Maven => &["maven-versions.txt", "maven-versions-generated.txt"],
        Scheme::RubyGems => &["rubygems-versions.txt", "rubygems-versions-generated.txt"],
        Scheme::NuGet => &["nuget-versions.txt"],
        Scheme::Packagist => &["packagist-versions.txt", "packagist-versions-phpsrc.txt"],
        Scheme::Debian => &["debian-versions.txt", "debian-versions-generated.txt"],
        Scheme::Alpine => &["alpine-versions.txt", "alpine-versions-generated.txt"],
        Scheme::Rpm => &["redhat-versions.txt"],
        Scheme::Cran => &["cran-versions.txt", "cran-versions-generated.txt"],
        Scheme::Hackage => &["hackage-versions.txt"],
        Scheme::Pub => &["pub-versions.txt"],
    }
}

/// Up to `max` distinct versions from the scheme's vectors, spread over the files.
fn sample_versions(scheme: Scheme, max: usize) -> Vec<String> {
    let mut all = Vec::new();
    for file in files_for(scheme) {
        for line in read_vectors(&repo_dir().join(file)) {
            all.push(line.a);
            all.push(line.b);
        }
    }
    all.sort();
    all.dedup();
    let step = all.len().div_ceil(max).max(1);
    all.into_iter().step_by(step).collect()
}

#[test]
fn order_is_reflexive_antisymmetric_and_transitive_on_vector_versions() {
    for scheme in Scheme::ALL {
        let versions = sample_versions(scheme, 120);
        let parsed: Vec<Version> = versions.iter().map(|v| scheme.parse_lenient(v)).collect();
        for (a, pa) in versions.iter().zip(&parsed) {
            assert_eq!(compare(scheme, a, a), Ordering::Equal, "{scheme}: {a}");
            for (b, pb) in versions.iter().zip(&parsed) {
                let ab = pa.cmp(pb);
                assert_eq!(ab, pb.cmp(pa).reverse(), "{scheme}: {a} vs {b}");
                assert_eq!(ab, compare(scheme, a, b), "{scheme}: {a} vs {b}");
            }
        }
        // PHP's `version_compare` is not transitive around its `#` form, and the vectors pin
        // that (`1.2.3.#` equals both `1.2.3` and `1.2.3.1`), so those are left out here.
        let small: Vec<&Version> = parsed
            .iter()
            .filter(|v| !(scheme == Scheme::Packagist && v.as_str().contains('#')))
            .take(40)
            .collect();
        for &a in &small {
            for &b in &small {
                for &c in &small {
                    if a <= b && b <= c {
                        assert!(a <= c, "{scheme}: {a} <= {b} <= {c} but not {a} <= {c}");
                    }
                }
            }
        }
    }
}

#[test]
fn strict_parse_agrees_with_lenient_parse() {
    for scheme in Scheme::ALL {
        for v in sample_versions(scheme, 200) {
            let lenient = scheme.parse_lenient(&v);
            match scheme.parse(&v) {
                Ok(strict) => {
                    assert_eq!(strict.cmp(&lenient), Ordering::Equal, "{scheme}: {v}");
                    assert_eq!(strict.as_str(), v);
                    assert!(scheme.is_valid(&v));
                }
                Err(e) => {
                    assert!(!scheme.is_valid(&v));
                    assert_eq!(e.scheme, scheme);
                }
            }
        }
    }
}

fn hostile_strings() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "\t\n",
        ".",
        "..",
        "-",
        "--",
        "+",
        "_",
        "~",
        "^",
        ":",
        "::",
        "!",
        "#",
        "v",
        "V",
        "1!",
        "!1",
        "1.0+",
        "1.0-",
        "1.0.",
        ".1",
        "-r",
        "-r-r",
        "_p",
        "_p_p",
        "1:2:3",
        "1-2-3",
        "1.0~",
        "1.0^",
        "1.0.ü",
        "١.٢",
        "1.0.α",
        "ß",
        "İ.1",
        "Ⅻ",
        "1.0\u{0}",
        "\u{301}1",
        "😀1.0",
        "1.0😀",
        "0:",
        ":0",
        "v1.0.0+",
        "1.0.0-+",
        "1.a1.b2",
        "a-1",
        "1-a",
        "0.0-0",
        "1.0.0-alpha..1",
        "1.0a.b.c-r-",
        "x.y.z",
        "-1",
        "+1",
        "=1.0",
        "1 2",
        "1\u{200b}0",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let huge = format!("1{}", "9".repeat(60));
    out.push(huge.clone());
    out.push(format!("{huge}.{huge}.{huge}-{huge}+{huge}"));
    out.push(format!("{huge}:{huge}-{huge}"));
    out.push(format!("{huge}!{huge}.post{huge}.dev{huge}+{huge}"));
    out.push(format!("1.0_p{huge}-r{huge}"));
    for unit in ["9", "a", ".", "-", "1.", "a1", "_p", "~", "^", "é", ":"] {
        out.push(unit.repeat(10_000 / unit.len()));
    }
    out
}

#[test]
fn hostile_strings_never_panic() {
    let strings = hostile_strings();
    for scheme in Scheme::ALL {
        for a in &strings {
            let pa = scheme.parse_lenient(a);
            let _ = scheme.parse(a);
            let _ = scheme.is_valid(a);
            assert_eq!(pa.cmp(&pa), Ordering::Equal, "{scheme}: {a:?}");
            for b in &strings {
                let ab = compare(scheme, a, b);
                assert_eq!(ab, compare(scheme, b, a).reverse(), "{scheme}: {a:?} {b:?}");
            }
            let _ = compare(scheme, a, "1.0");
        }
    }
}

#[test]
fn error_message_names_the_version_and_cuts_long_ones() {
    let err = Scheme::Pep440.parse("not a version").expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "`not a version` is not a valid pep440 version"
    );
    let long = "x".repeat(500);
    let err = Scheme::Alpine.parse(&long).expect_err("invalid");
    assert!(err.version.len() < 110);
    assert!(Scheme::Pep440.parse("1.0.post1").is_ok());
}

#[test]
fn osv_ecosystem_names() {
    let cases = [
        ("npm", Some(Scheme::SemVer)),
        ("crates.io", Some(Scheme::SemVer)),
        ("Hex", Some(Scheme::SemVer)),
        ("Bitnami", Some(Scheme::SemVer)),
        ("GHC", Some(Scheme::SemVer)),
        ("Go", Some(Scheme::Go)),
        ("PyPI", Some(Scheme::Pep440)),
        ("Maven", Some(Scheme::Maven)),
        ("NuGet", Some(Scheme::NuGet)),
        ("RubyGems", Some(Scheme::RubyGems)),
        ("Packagist", Some(Scheme::Packagist)),
        ("Pub", Some(Scheme::Pub)),
        ("CRAN", Some(Scheme::Cran)),
        ("Hackage", Some(Scheme::Hackage)),
        ("Debian", Some(Scheme::Debian)),
        ("Debian:11", Some(Scheme::Debian)),
        ("Ubuntu:22.04:LTS", Some(Scheme::Debian)),
        ("Alpine:v3.16", Some(Scheme::Alpine)),
        ("Wolfi", Some(Scheme::Alpine)),
        ("AlmaLinux:9", Some(Scheme::Rpm)),
        ("Rocky Linux:8", Some(Scheme::Rpm)),
        ("Red Hat:enterprise_linux:9::appstream", Some(Scheme::Rpm)),
        ("openSUSE:Tumbleweed", Some(Scheme::Rpm)),
        ("GIT", None),
        ("", None),
        ("Nonsense", None),
        ("npm:", Some(Scheme::SemVer)),
    ];
    for (name, want) in cases {
        assert_eq!(Scheme::for_osv(name), want, "{name}");
    }
}

#[test]
fn every_ecosystem_has_a_scheme_matching_its_osv_name() {
    for eco in Ecosystem::ALL {
        let scheme = Scheme::for_ecosystem(eco);
        if let Some(by_name) = Scheme::for_osv(eco.osv_name()) {
            assert_eq!(scheme, by_name, "{eco}");
        }
    }
}

fn assert_order(scheme: Scheme, smaller_to_larger: &[&str]) {
    for pair in smaller_to_larger.windows(2) {
        if let [a, b] = pair {
            assert_eq!(compare(scheme, a, b), Ordering::Less, "{scheme}: {a} < {b}");
        }
    }
}

#[test]
fn go_pseudo_versions_and_incompatible() {
    assert_order(
        Scheme::Go,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            "v0.0.1",
            "v1.2.3-pre.0.20200101000000-aaaaaaaaaaaa",
            "v1.2.3",
            "v1.2.4-0.20200101000000-aaaaaaaaaaaa",
            "v1.2.4",
        ],
    );
    assert_eq!(
        compare(Scheme::Go, "v2.0.0+incompatible", "2.0.0"),
        Ordering::Equal
    );
}

#[test]
fn pep440_normalisation() {
    let same = [
        ("1.0ALPHA1", "1.0a1"),
        ("1.0-beta_2", "1.0b2"),
        ("1.0c1", "1.0rc1"),
        ("1.0.preview.1", "1.0rc1"),
        ("1.0-1", "1.0.post1"),
        ("1.0.rev1", "1.0.post1"),
        ("1.0.post", "1.0.post0"),
        ("v1.0", "1.0.0"),
        ("0!1.0", "1.0"),
        ("1.0+ubuntu-1", "1.0+ubuntu.1"),
        (" 1.0 ", "1.0"),
    ];
    for (a, b) in same {
        assert_eq!(compare(Scheme::Pep440, a, b), Ordering::Equal, "{a} = {b}");
    }
    assert_order(
        Scheme::Pep440,
        &[
            "legacy-version",
            "1.0.dev0",
            "1.0a1.dev0",
            "1.0a1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+5",
            "1.0.post1.dev0",
            "1.0.post1",
            "1.1",
            "1!0.1",
        ],
    );
}

#[test]
fn maven_qualifiers() {
    assert_order(
        Scheme::Maven,
        &[
            "1-alpha",
            "1-beta",
            "1-milestone",
            "1-rc",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-1",
            "1.1",
        ],
    );
    for (a, b) in [
        ("1-cr", "1-rc"),
        ("1.0.0", "1"),
        ("1-ga", "1"),
        ("1-final", "1"),
        ("1.RELEASE", "1"),
        ("1a1", "1-alpha-1"),
    ] {
        assert_eq!(compare(Scheme::Maven, a, b), Ordering::Equal, "{a} = {b}");
    }
}

#[test]
fn distro_orderings() {
    assert_order(
        Scheme::Debian,
        &["1.0~rc1", "1.0", "1.0-1", "1.0a", "1.0+b1", "1:0.1"],
    );
    assert_order(
        Scheme::Rpm,
        &["1.0~rc1", "1.0", "1.0^git1", "1.0.1", "1:0.1"],
    );
    assert_order(
        Scheme::Alpine,
        &[
            "1.0_alpha1",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0_p1",
            "1.0a",
            "1.0.1",
        ],
    );
}

#[test]
fn semver_leniency() {
    for (a, b) in [("1", "1.0.0"), ("v1.2", "1.2.0"), ("1.2.3+build", "1.2.3")] {
        assert_eq!(compare(Scheme::SemVer, a, b), Ordering::Equal, "{a} = {b}");
    }
    assert!(Scheme::SemVer.parse("1.2.3-rc.1+b5").is_ok());
    assert!(Scheme::SemVer.parse("1.2.3a").is_err());
    assert_eq!(
        compare(Scheme::NuGet, "1.0.0.0-RC", "1.0-rc"),
        Ordering::Equal
    );
    assert_eq!(compare(Scheme::Pub, "1.0.0+1", "1.0.0"), Ordering::Greater);
}
