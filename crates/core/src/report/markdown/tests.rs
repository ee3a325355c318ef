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
    let options = MarkdownOptions {
        max_rows,
        ..MarkdownOptions::default()
    };
    write_with(scan, options, &mut out).expect("write to Vec");
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
    assert!(text.contains("…and 4 more."), "{text}");
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

#[test]
fn a_long_summary_is_cut_below_the_comment_limit_most_severe_first() {
    let mut scan = evaluated("fail_on = \"low\"");
    let template = scan.findings[0].clone();
    scan.findings = (0..2_000)
        .map(|i| {
            let mut f = template.clone();
            f.id = format!("GHSA-{i:04}-xxxx-yyyy");
            f.summary = Some("x".repeat(40));
            f
        })
        .collect();
    scan.findings[1_999].severity = crate::vulns::SeverityLevel::Critical;
    let text = render(&scan, DEFAULT_MAX_ROWS);
    assert!(text.chars().count() <= MAX_CHARS, "{}", text.len());
    assert!(
        text.contains("more (all are in `--format json`)"),
        "{}",
        &text[text.len() - 300..]
    );
    assert!(text.ends_with("</details>\n"));
}

#[test]
fn control_characters_are_shown_not_obeyed() {
    let mut scan = testing::sample();
    scan.target.name = "app\u{1b}[2J".into();
    let text = render(&scan, 5);
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("u{1b}"), "{text}");
}
