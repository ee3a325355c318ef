//! `trusca upload FILE` and `trusca scan --upload`: send a result to a trusca server.
//!
//! Every attempt of one upload carries the same `Idempotency-Key` (a UUID made once), so a retry
//! after a lost answer is never stored twice. Server errors (5xx, 429) and network failures are
//! retried with exponential backoff; other 4xx answers are final.

use std::thread::sleep;
use std::time::Duration;

use serde_json::Value;

use trusca_core::config::Config;
use trusca_core::report::text::printable;
use trusca_core::settings::Env;

use crate::args::{Connection, Gate, UploadArgs};
use crate::diagnostics;
use crate::Outcome;

/// `trusca upload FILE`.
pub fn run(args: &UploadArgs) -> Outcome {
    let body = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            diagnostics::fatal(&format!("cannot read `{}`: {e}", args.file.display()), None);
            return Outcome::Error;
        }
    };
    let doc: Option<Value> = serde_json::from_slice(&body).ok();
    let cyclonedx = doc
        .as_ref()
        .and_then(|d| d.get("bomFormat"))
        .and_then(Value::as_str)
        == Some("CycloneDX");
    let named = doc.as_ref().and_then(|d| {
        d.pointer("/target/name")
            .or_else(|| d.pointer("/metadata/component/name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let media = if cyclonedx {
        "application/vnd.cyclonedx+json"
    } else {
        "application/json"
    };
    // `--server`, else `TRUSCA_SERVER`, else `[server] url` of a trusca.toml in the working
    // directory, as `trusca scan .` would read it.
    let server = match args
        .connection
        .server
        .clone()
        .or(Env::from_process().server)
    {
        Some(server) => Some(server),
        None => match Config::find(None, std::path::Path::new(".")) {
            Ok(config) => config.server.url,
            Err(e) => {
                crate::commands::policy::render_error(&e);
                return Outcome::Error;
            }
        },
    };
    match send(
        &args.connection,
        server.as_deref(),
        named.as_deref(),
        body,
        media,
    ) {
        Ok(answer) => crate::output::line(&answer),
        Err(e) => {
            diagnostics::fatal(&e.message, e.hint.as_deref());
            Outcome::Error
        }
    }
}

/// `trusca scan --upload` to `server` (resolved from the flag, the environment and the file):
/// sends the JSON result; messages go to standard error. With [`Gate::Server`] the outcome is
/// the decision the server's answer carries ([`server_decision`]).
pub fn upload_scan(
    connection: &Connection,
    server: Option<&str>,
    scan: &trusca_core::scan::Scan,
    gate: Gate,
) -> Outcome {
    let mut body = Vec::new();
    if let Err(e) = trusca_core::report::json::write(scan, &mut body) {
        diagnostics::fatal(&format!("cannot serialise the result: {e}"), None);
        return Outcome::Error;
    }
    match send(
        connection,
        server,
        Some(&scan.target.name),
        body,
        "application/json",
    ) {
        Ok(answer) => match gate {
            Gate::Local => Outcome::Pass,
            Gate::Server => server_decision(&answer),
        },
        Err(e) => {
            diagnostics::fatal(&e.message, e.hint.as_deref());
            Outcome::Error
        }
    }
}

/// How many violations of the server's decision are listed before the rest are only counted.
const MAX_LISTED: usize = 10;

/// The exit of `--gate server`: the decision under the team's policy that the server's answer
/// carries (`policy`): pass 0, fail 1 (the violations listed), error 2, or 0 with a loud warning
/// when that policy says `fail_open`.
pub fn server_decision(answer: &str) -> Outcome {
    let v: Value = serde_json::from_str(answer).unwrap_or(Value::Null);
    let Some(policy) = v.get("policy").filter(|p| p.is_object()) else {
        diagnostics::fatal(
            "the server's answer carries no policy decision",
            Some("the server is older than this trusca: upgrade it, or use `--gate local`"),
        );
        return Outcome::Error;
    };
    let text = |k: &str| policy.get(k).and_then(Value::as_str).unwrap_or_default();
    let whose = match text("source") {
        "team" => format!("team `{}`'s policy on the server", text_of(&v, "team")),
        _ => "the server's built-in policy (the team keeps none)".to_owned(),
    };
    match text("decision") {
        "pass" => {
            eprintln!("the server's decision under {whose}: pass");
            Outcome::Pass
        }
        "fail" => {
            let violations = policy
                .get("violations")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut out = format!(
                "error: {whose} failed with {} violations\n",
                violations.len()
            );
            for x in violations.iter().take(MAX_LISTED) {
                let field = |k: &str| printable(x.get(k).and_then(Value::as_str).unwrap_or("?"));
                out.push_str(&format!(
                    "  {} {} in {}: {}\n",
                    field("kind"),
                    field("id"),
                    field("purl"),
                    field("reason")
                ));
            }
            if violations.len() > MAX_LISTED {
                out.push_str(&format!(
                    "  … and {} more (all are in the server's answer)\n",
                    violations.len() - MAX_LISTED
                ));
            }
            out.push_str(
                "  hint: fix them, or have a team admin record an exception in the team's policy\n",
            );
            eprint!("{out}");
            Outcome::PolicyFailure
        }
        decision => {
            let why = match (decision, text("error")) {
                ("error", "") => "the scan failed".to_owned(),
                ("error", why) => printable(why).into_owned(),
                (other, _) => format!("unknown decision `{}`", printable(other)),
            };
            if policy.get("fail_open").and_then(Value::as_bool) == Some(true) {
                eprintln!(
                    "warning: THE SCAN FAILED AND IS PASSING ONLY BECAUSE `fail_open = true` in \
                     {whose}: {why}"
                );
                eprintln!("warning: the result is incomplete; do not rely on it");
                Outcome::Pass
            } else {
                diagnostics::fatal(&format!("the server's decision under {whose}: {why}"), None);
                Outcome::Error
            }
        }
    }
}

fn text_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("?")
}

/// Why an upload failed.
#[derive(Debug)]
pub struct UploadError {
    message: String,
    hint: Option<String>,
}

fn fail(message: impl Into<String>, hint: Option<&str>) -> UploadError {
    UploadError {
        message: message.into(),
        hint: hint.map(str::to_owned),
    }
}

/// Uploads `body`, retrying as described at the top. Returns the server's answer.
fn send(
    c: &Connection,
    server: Option<&str>,
    default_project: Option<&str>,
    body: Vec<u8>,
    media: &str,
) -> Result<String, UploadError> {
    let server = server.ok_or_else(|| {
        fail(
            "no server to upload to",
            Some("pass `--server URL`, set `TRUSCA_SERVER`, or `[server] url` in trusca.toml"),
        )
    })?;
    let token = std::env::var("TRUSCA_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| fail("no API key", Some("set `TRUSCA_TOKEN` to a `trs_…` key")))?;
    let project = c
        .project
        .as_deref()
        .or(default_project)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| fail("no project name", Some("pass `--project NAME`")))?;
    let mut url =
        url::Url::parse(server).map_err(|e| fail(format!("`{server}` is not a URL: {e}"), None))?;
    url.path_segments_mut()
        .map_err(|()| fail(format!("`{server}` cannot be a base URL"), None))?
        .pop_if_empty()
        .extend(["v1", "projects", project, "scans"]);
    if let Some(team) = &c.team {
        url.query_pairs_mut().append_pair("team", team);
    }
    let agent = trusca_core::http::agent(Duration::from_secs(300));
    let key = uuid::Uuid::new_v4().to_string();
    let mut delay = Duration::from_millis(500);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = agent
            .post(url.as_str())
            .header("authorization", &format!("Bearer {token}"))
            .header("content-type", media)
            .header("idempotency-key", &key)
            .send(&body[..]);
        let retry_reason = match result {
            Ok(mut res) if res.status().is_success() => {
                let text = read_text(&mut res);
                report_success(project, &text);
                return Ok(text);
            }
            Ok(mut res) => {
                let status = res.status();
                let wait = retry_after(&res);
                let detail = problem_detail(&read_text(&mut res));
                if !(status.is_server_error() || status.as_u16() == 429) {
                    return Err(fail(
                        format!("the server refused the upload ({status}): {detail}"),
                        None,
                    ));
                }
                if let Some(w) = wait {
                    delay = delay.max(w);
                }
                format!("{status}: {detail}")
            }
            Err(e) => trusca_core::http::describe(&e),
        };
        if attempt > c.retries {
            return Err(fail(
                format!("upload failed after {attempt} attempts: {retry_reason}"),
                Some("the server may be down; run the same command again later"),
            ));
        }
        eprintln!(
            "warning: upload attempt {attempt} failed ({retry_reason}); retrying in {} ms",
            delay.as_millis()
        );
        sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// The body of an answer as text, at most 16 MiB of it.
fn read_text(res: &mut ureq::http::Response<ureq::Body>) -> String {
    res.body_mut()
        .with_config()
        .limit(16 << 20)
        .read_to_string()
        .unwrap_or_default()
}

fn retry_after(res: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    res.headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(60)))
}

/// The `detail` of a problem document, else the start of the text.
fn problem_detail(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| text.chars().take(200).collect())
}

fn report_success(project: &str, answer: &str) {
    let v: Value = serde_json::from_str(answer).unwrap_or(Value::Null);
    let n = |k: &str| {
        v.pointer(&format!("/scan/summary/{k}"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    eprintln!(
        "uploaded to project `{project}` (team `{}`): scan {}, {} components, {} findings",
        v.get("team").and_then(Value::as_str).unwrap_or("?"),
        v.pointer("/scan/id").and_then(Value::as_i64).unwrap_or(0),
        n("components"),
        n("findings"),
    );
}
