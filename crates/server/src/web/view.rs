//! What every page shows around its content (the top bar), and small formatting helpers shared
//! by the pages: URL building, dates, labels and package names.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::session::WebUser;

/// Everything but unreserved characters is escaped, so names may hold `/`, `?`, `#` or spaces.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One path segment or query value, percent-encoded.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// `/t/<team>/p/<project>`.
pub fn project_href(team: &str, project: &str) -> String {
    format!("/t/{}/p/{}", encode(team), encode(project))
}

/// The page of one finding.
pub fn finding_href(team: &str, project: &str, advisory: &str, purl: &str) -> String {
    format!(
        "{}/findings/{}?purl={}",
        project_href(team, project),
        encode(advisory),
        encode(purl)
    )
}

/// `/t/<team>/admin`.
pub fn team_admin_href(team: &str) -> String {
    format!("/t/{}/admin", encode(team))
}

/// `2026-01-31T12:34:56.789Z` → `2026-01-31 12:34 UTC`.
pub fn minute(rfc3339: &str) -> String {
    match rfc3339.get(..16) {
        Some(s) if rfc3339.len() > 16 => format!("{} UTC", s.replacen('T', " ", 1)),
        _ => rfc3339.to_owned(),
    }
}

/// A stored name for people: `not_affected` → `not affected`.
pub fn label(value: &str) -> String {
    value.replace('_', " ")
}

/// `2026-01-31T12:34:56.789Z` → `2026-01-31`.
pub fn day(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_owned()
}

/// `pkg:npm/%40scope/name@1.0?x=y` → `npm/%40scope/name`: the package part of a purl.
pub fn package_name(purl: &str) -> String {
    let package = trusca_core::model::purl::base_of(purl);
    package.strip_prefix("pkg:").unwrap_or(&package).to_owned()
}

/// A link in the team switcher.
#[derive(Debug, Clone)]
pub struct TeamLink {
    /// Team name.
    pub name: String,
    /// Its projects.
    pub href: String,
    /// Whether it is the team shown.
    pub current: bool,
}

/// The top bar: who is signed in, their teams, and the links their roles open.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The user's name.
    pub username: String,
    /// Whether the audit log link is shown.
    pub super_admin: bool,
    /// The team switcher.
    pub teams: Vec<TeamLink>,
    /// The team shown, if one is.
    pub current_team: Option<String>,
    /// The team admin page of the team shown, when the user administers it.
    pub admin_href: Option<String>,
    /// The session's CSRF token (for the sign-out form and every other form).
    pub csrf: String,
}

impl Chrome {
    /// The top bar for `user`, with `team` as the team shown.
    pub fn new(user: &WebUser, team: Option<&str>) -> Chrome {
        let caller = &user.caller;
        let teams = caller
            .memberships
            .iter()
            .map(|m| TeamLink {
                name: m.team.clone(),
                href: format!("/projects?team={}", encode(&m.team)),
                current: Some(m.team.as_str()) == team,
            })
            .collect();
        let admin = team.filter(|t| {
            caller.super_admin
                || caller
                    .memberships
                    .iter()
                    .any(|m| m.team == *t && m.role == "team_admin")
        });
        Chrome {
            username: caller.username.clone(),
            super_admin: caller.super_admin,
            teams,
            current_team: team.map(str::to_owned),
            admin_href: admin.map(team_admin_href),
            csrf: user.session.csrf.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_in_links() {
        assert_eq!(project_href("a b", "x/y?z#"), "/t/a%20b/p/x%2Fy%3Fz%23");
        assert_eq!(
            finding_href("t", "p", "GHSA-1", "pkg:npm/a@1.0"),
            "/t/t/p/p/findings/GHSA-1?purl=pkg%3Anpm%2Fa%401.0"
        );
    }

    #[test]
    fn dates_and_words_are_shortened() {
        assert_eq!(minute("2026-01-31T12:34:56.789Z"), "2026-01-31 12:34 UTC");
        assert_eq!(day("2026-01-31T12:34:56.789Z"), "2026-01-31");
        assert_eq!(package_name("pkg:npm/left-pad@1.0.0"), "npm/left-pad");
    }
}
