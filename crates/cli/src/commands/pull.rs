//! `trusca policy pull`: writes the policy a team keeps on a trusca server as `trusca.toml`, so
//! that a local scan judges by the same policy and exceptions as the server's gate.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use trusca_core::config::Config;
use trusca_core::settings::Env;

use crate::args::PolicyPullArgs;
use crate::diagnostics;
use crate::Outcome;

/// `trusca policy pull`.
pub fn run(args: &PolicyPullArgs) -> Outcome {
    match pull(args) {
        Ok(()) => Outcome::Pass,
        Err((message, hint)) => {
            diagnostics::fatal(&message, hint.as_deref());
            Outcome::Error
        }
    }
}

type Failure = (String, Option<String>);

fn fail(message: impl Into<String>, hint: Option<&str>) -> Failure {
    (message.into(), hint.map(str::to_owned))
}

fn pull(args: &PolicyPullArgs) -> Result<(), Failure> {
    // `--server`, else `TRUSCA_SERVER`, else `[server] url` of the working directory's
    // trusca.toml, as `trusca upload` finds it.
    let server = match args.server.clone().or(Env::from_process().server) {
        Some(s) => s,
        None => Config::find(None, Path::new("."))
            .ok()
            .and_then(|c| c.server.url)
            .ok_or_else(|| {
                fail(
                    "no server to pull from",
                    Some("pass `--server URL`, set `TRUSCA_SERVER`, or `[server] url` in trusca.toml"),
                )
            })?,
    };
    let token = std::env::var("TRUSCA_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| fail("no API key", Some("set `TRUSCA_TOKEN` to a `trs_…` key")))?;
    let mut url = url::Url::parse(&server)
        .map_err(|e| fail(format!("`{server}` is not a URL: {e}"), None))?;
    url.path_segments_mut()
        .map_err(|()| fail(format!("`{server}` cannot be a base URL"), None))?
        .pop_if_empty()
        .extend(["v1", "policy"]);
    if let Some(team) = &args.team {
        url.query_pairs_mut().append_pair("team", team);
    }
    let mut res = trusca_core::http::agent(Duration::from_secs(60))
        .get(url.as_str())
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .map_err(|e| {
            fail(
                format!(
                    "cannot reach the server: {}",
                    trusca_core::http::describe(&e)
                ),
                None,
            )
        })?;
    let status = res.status();
    let text = res
        .body_mut()
        .with_config()
        .limit(4 << 20)
        .read_to_string()
        .unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !status.is_success() {
        let detail = body
            .get("detail")
            .and_then(Value::as_str)
            .map_or_else(|| text.chars().take(200).collect(), str::to_owned);
        return Err(fail(
            format!("the server refused ({status}): {detail}"),
            None,
        ));
    }
    let field = |k: &str| body.get(k).and_then(Value::as_str);
    let (Some(team), Some(config)) = (field("team"), field("config")) else {
        return Err(fail("the server's answer is not a team policy", None));
    };
    // A policy this trusca cannot read is not written: a local run would stop on it.
    if let Err(e) = Config::parse(config, "trusca.toml") {
        crate::commands::policy::render_error(&e);
        return Err(fail(
            format!("the policy of team `{team}` cannot be read by this trusca"),
            Some("upgrade trusca"),
        ));
    }
    let about = match (field("source"), field("updated_by"), field("updated_at")) {
        (Some("team"), Some(by), Some(at)) => format!("set by {by} at {at}"),
        _ => "none is kept: the built-in policy, as an empty file".to_owned(),
    };
    match &args.output {
        Some(path) if path != Path::new("-") => {
            write_file(path, config)?;
            eprintln!(
                "wrote the policy of team `{team}` ({about}) to {}",
                path.display()
            );
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(config.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| fail(format!("cannot write the policy: {e}"), None))?;
            eprintln!("the policy of team `{team}` ({about})");
        }
    }
    Ok(())
}

/// Writes `text` to `path` whole or not at all: a temporary file beside it, renamed over it.
fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(
        || "trusca.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = dir.join(format!(".{name}.pull-{}", uuid::Uuid::new_v4().simple()));
    let cannot = |e: std::io::Error| fail(format!("cannot write `{}`: {e}", path.display()), None);
    std::fs::write(&tmp, text).map_err(cannot)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        cannot(e)
    })
}
