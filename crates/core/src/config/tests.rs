//! `trusca.toml` parsing and validation.

use super::*;
use crate::vulns::SeverityLevel;

fn problems(text: &str) -> Vec<(u32, String)> {
    match Config::parse(text, "trusca.toml") {
        Ok(c) => panic!("expected problems, got {c:?}"),
        Err(ConfigError::Invalid { problems, .. }) => {
            problems.into_iter().map(|p| (p.line, p.message)).collect()
        }
        Err(e) => panic!("unexpected {e}"),
    }
}

const FULL: &str = r#"
fail_on = "high"
fail_open = false

[licenses]
allow = ["Zlib"]
deny = ["WTFPL"]

[licenses.tiers]
"GPL-3.0-only" = "conditional"
"MPL-2.0" = "forbidden"

[[exceptions]]
id = "GPL-3.0-only"
package = "chart-engine"
reason = "Dual-licensed commercially; contract 2024-117."
expires = 2099-12-31

[[exceptions]]
id = "CVE-2024-0001"
package = "pkg:npm/%40acme/ui@1.0.0"
reason = "Not reachable"

[scan]
exclude = ["examples/**"]
include = ["vendor/modules.txt"]

[server]
url = "https://trusca.example.com"
"#;

#[test]
fn the_documented_example_is_read() {
    let c = Config::parse(FULL, "trusca.toml").expect("valid");
    assert_eq!(c.fail_on, Some(FailOn::High));
    assert!(!c.fail_open);
    assert_eq!(c.licenses.tiers.get("MPL-2.0"), Some(&Tier::Forbidden));
    assert_eq!(c.licenses.allow, ["Zlib"]);
    assert_eq!(c.exceptions.len(), 2);
    let e = &c.exceptions[0];
    assert_eq!(e.id, "GPL-3.0-only");
    assert_eq!(e.package, PackageSpec::Name("chart-engine".into()));
    assert_eq!(
        e.expires.map(|d| d.to_string()).as_deref(),
        Some("2099-12-31")
    );
    assert_eq!(e.line, 13);
    assert_eq!(c.exceptions[1].line, 19);
    assert_eq!(
        c.exceptions[1].package,
        PackageSpec::Purl {
            base: "pkg:npm/%40acme/ui".into(),
            version: Some("1.0.0".into())
        }
    );
    assert_eq!(c.scan.exclude, ["examples/**"]);
    assert_eq!(c.server.url.as_deref(), Some("https://trusca.example.com"));
    let o = c.licenses.overrides();
    assert_eq!(o.get("WTFPL"), Some(&Tier::Forbidden));
    assert_eq!(o.get("Zlib"), Some(&Tier::Permissive));
    assert_eq!(o.get("GPL-3.0-only"), Some(&Tier::Conditional));
}

#[test]
fn an_empty_file_is_the_default_config() {
    let c = Config::parse("", "trusca.toml").expect("valid");
    assert_eq!(c.fail_on, None);
    assert!(c.exceptions.is_empty());
}

#[test]
fn every_problem_is_reported_at_once_with_its_line() {
    let text = r#"fail_on = "severe"
fail_open = "yes"
colour = true

[licenses]
allow = ["MIT", 3]
tiers = { "MIT" = "great" }

[[exceptions]]
id = "CVE-1"
package = "x"

[[exceptions]]
id = "CVE-2"
package = "y"
reason = "ok"
expires = "2024-01-01"
owner = "me"

[scan]
exclude = "examples"

[server]
url = "ftp://x"
"#;
    let got = problems(text);
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    assert_eq!(got.len(), 10, "{got:#?}");
    assert!(
        got.contains(&(1, "`fail_on`: unknown severity `severe`".into())),
        "{got:#?}"
    );
    assert!(got.contains(&(
        2,
        "`fail_open` must be `true` or `false`, not a string".into()
    )));
    assert!(got.contains(&(3, "unknown key `colour`".into())));
    assert!(got.contains(&(
        6,
        "each item of `allow` must be a string, not an integer".into()
    )));
    assert!(got.contains(&(7, "unknown tier `great`".into())));
    assert!(
        got.contains(&(9, "an exception has no `reason`".into())),
        "{got:#?}"
    );
    assert!(got.contains(&(17, "`expires` must be a TOML date, not a string".into())));
    assert!(got.contains(&(18, "unknown key `owner` in `[[exceptions]]`".into())));
    assert!(got.contains(&(
        21,
        "`exclude` must be an array of strings, not a string".into()
    )));
    assert!(got.contains(&(24, "`url`: `ftp://x` is not an http(s) URL".into())));
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "problems are in file order");
}

#[test]
fn syntax_errors_point_at_their_line() {
    let got = problems("fail_on = \"high\"\n[scan\nexclude = []\n");
    assert!(!got.is_empty());
    assert_eq!(got[0].0, 2, "{got:#?}");
    assert!(got[0].1.starts_with("invalid TOML"), "{got:#?}");
}

#[test]
fn a_license_both_allowed_and_denied_is_a_problem() {
    let got = problems("[licenses]\nallow = [\"MIT\"]\ndeny = [\"MIT\"]\n");
    assert_eq!(got, [(3, "`MIT` is both allowed and denied".to_owned())]);
}

#[test]
fn an_empty_reason_and_a_bad_glob_are_problems() {
    let got = problems(
        "[[exceptions]]\nid = \"X\"\npackage = \"p\"\nreason = \"  \"\n[scan]\ninclude = [\"a[\"]\n",
    );
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0].0, 4);
    assert_eq!(got[1].0, 6);
}

#[test]
fn exceptions_must_be_tables() {
    let got = problems("exceptions = \"none\"\n");
    assert_eq!(got.len(), 1);
    assert!(got[0].1.contains("array of tables"));
}

#[test]
fn package_specs() {
    let m = |spec: &str, name: &str, version: Option<&str>, purl: &str| {
        PackageSpec::parse(spec).expect("spec").matches(
            crate::model::Ecosystem::Npm,
            name,
            version,
            purl,
        )
    };
    let purl = "pkg:npm/%40acme/ui@1.0.0";
    assert!(m("@acme/ui", "@acme/ui", Some("1.0.0"), purl));
    assert!(m("@acme/ui@1.0.0", "@acme/ui", Some("1.0.0"), purl));
    assert!(!m("@acme/ui@2.0.0", "@acme/ui", Some("1.0.0"), purl));
    assert!(m("pkg:npm/%40acme/ui", "@acme/ui", Some("1.0.0"), purl));
    assert!(m(
        "pkg:npm/%40acme/ui@1.0.0",
        "@acme/ui",
        Some("1.0.0"),
        purl
    ));
    assert!(!m(
        "pkg:npm/%40acme/ui@1.0.1",
        "@acme/ui",
        Some("1.0.0"),
        purl
    ));
    assert!(!m("ui", "@acme/ui", Some("1.0.0"), purl));
    assert!(PackageSpec::parse("pkg:nope").is_err());
    assert!(PackageSpec::parse("x@").is_err());
    assert!(PackageSpec::parse(" ").is_err());
}

#[test]
fn dates_and_thresholds() {
    let d: Date = "2024-02-29".parse().expect("date");
    assert!(d < "2024-03-01".parse().expect("date"));
    assert!("2024-13-01".parse::<Date>().is_err());
    assert!("24-1-1".parse::<Date>().is_err());
    let today = Date::today();
    assert!(today.year >= 2024);
    assert!(FailOn::High.is_met_by(SeverityLevel::Critical));
    assert!(FailOn::High.is_met_by(SeverityLevel::High));
    assert!(!FailOn::High.is_met_by(SeverityLevel::Medium));
    assert!(!FailOn::Low.is_met_by(SeverityLevel::Unknown));
    assert!(!FailOn::None.is_met_by(SeverityLevel::Critical));
}

#[test]
fn hostile_input_gives_problems_not_panics() {
    for text in [
        "\u{0}",
        "[[[",
        "a = [1, \"x\"]\n",
        "exceptions = [1, 2]",
        "[licenses.tiers]\n\"\" = \"x\"\n",
    ] {
        assert!(Config::parse(text, "trusca.toml").is_err(), "{text:?}");
    }
}
