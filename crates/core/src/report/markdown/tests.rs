//! The Markdown summary.

use super::*;
use crate::policy::Date;
use crate::testing;

fn evaluated(config: &str) -> Scan {
    let mut scan = testing::sample();
    let today: Date = "2025-06-01".parse().expect("date");
    testing::judge(&mut scan, config, None, today);
    scan
}

fn render(scan: &Scan, max_rows: usize) -> String {
    let mut out = Vec::new();
    write_with(scan, MarkdownOptions { max_rows }, &mut out).expect("write to Vec");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn failing_summary_snapshot() {
    let scan = evaluated(
        r#"
[[exceptions]]
id = "RUSTSEC-2024-0002"
package = "serde"
reason = "Not reachable: the feature is off"
expires = 2099-12-31

[[exceptions]]
id = "MPL-2.0"
package = "@acme/ui|kit"
reason = "old waiver"
expires = 2020-01-01
"#,
    );
    insta::assert_snapshot!(render(&scan, DEFAULT_MAX_ROWS));
}

#[test]
fn passing_summary_snapshot() {
    let mut scan = testing::sample();
    scan.findings.clear();
    for p in &mut scan.packages {
        if let Some(l) = &mut p.license {
            l.tier = crate::model::Tier::Permissive;
        }
    }
    testing::judge(&mut scan, "", None, Date::today());
    insta::assert_snapshot!(render(&scan, DEFAULT_MAX_ROWS));
}

#[test]
fn long_violation_lists_are_cut_with_a_count() {
    let scan = evaluated("fail_on = \"low\"");
    let text = render(&scan, 2);
    assert!(text.contains("…and 3 more."), "{text}");
    let rows = text
        .lines()
        .skip_while(|l| *l != "### Violations")
        .filter(|l| l.starts_with("| license") || l.starts_with("| vulnerability"))
        .count();
    assert_eq!(rows, 2);
}

#[test]
fn a_scan_without_policy_says_so() {
    let text = render(&testing::sample(), 5);
    assert!(
        text.starts_with("## trusca: policy not evaluated\n"),
        "{text}"
    );
    assert!(text.contains("<details><summary>All findings (5)</summary>"));
}

#[test]
fn cells_are_escaped() {
    assert_eq!(escape("a|b\n<script>"), "a\\|b &lt;script&gt;");
    assert_eq!(escape("`x`_y_"), "\\`x\\`\\_y\\_");
}
