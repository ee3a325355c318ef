//! `trusca server …`: the clap definitions and their implementation (serve, migrate, admin,
//! and `db` for the server's vulnerability database). The `trusca` binary
//! flattens [`ServerArgs`] into its command line and calls [`run`].

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use clap::{Args, Subcommand};
use trusca_core::config::MAX_CONFIG_BYTES;
use trusca_core::vulns::update;

use crate::backup;
use crate::config::{BackupSchedule, Config, DEFAULT_DATABASE_URL};
use crate::db::{audit, identity, policy, rematch, Db, DbError};
use crate::{vulndb, ServeError};

/// `trusca server`: serve, migrate, or administer.
#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(subcommand)]
    pub command: Option<ServerCommand>,

    /// The database: `sqlite://PATH` (created on first start) or `postgres://…`
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true,
          hide_env_values = true)]
    pub database_url: String,

    /// The address to listen on
    #[arg(long, env = "TRUSCA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The largest request body accepted, in MiB
    #[arg(long, default_value_t = 32)]
    pub max_body_mib: usize,

    /// The memory uploads may take together, in MiB: a large upload that would exceed it is
    /// answered 503 with `Retry-After` (uploads take about 24 times their size)
    #[arg(long, env = "TRUSCA_MAX_UPLOAD_MEMORY_MIB", default_value_t = 1024, value_name = "MIB",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_upload_memory_mib: u64,

    /// Seconds after which a request is abandoned (and rolled back)
    #[arg(long, default_value_t = 60)]
    pub request_timeout: u64,

    /// Seconds a client may take to send a request head before it is disconnected
    #[arg(long, default_value_t = 10, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: u64,

    /// The server's vulnerability database (built by `trusca server db update|import`)
    #[arg(long, env = "TRUSCA_SERVER_VULN_DB", default_value = crate::vulndb::DEFAULT_PATH,
          global = true)]
    pub vuln_db: PathBuf,

    /// Hours between refreshes of the vulnerability database while serving (0: never)
    #[arg(long, env = "TRUSCA_DB_REFRESH_HOURS", default_value_t = 24)]
    pub db_refresh_hours: u64,

    /// Where scheduled refreshes fetch OSV data: an `http(s)://` or `file://` URL or a directory
    /// (default: the public OSV bucket)
    #[arg(long, env = "TRUSCA_DB_MIRROR", value_name = "URL")]
    pub db_mirror: Option<String>,

    /// Take automatic backups into this directory while serving
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Hours between automatic backups
    #[arg(long, default_value_t = 24, value_name = "H",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub backup_hours: u64,

    /// Remove automatic backups older than this many days (manual ones are kept)
    #[arg(long, default_value_t = 14, value_name = "N")]
    pub backup_retention_days: u32,

    /// Hours an upload's `Idempotency-Key` is remembered; a key reused later is a new upload
    #[arg(long, env = "TRUSCA_IDEMPOTENCY_HOURS", default_value_t = 24, value_name = "H",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idempotency_hours: u64,

    /// A reverse proxy (address or range, `10.0.0.0/8`) whose `X-Forwarded-For` names the
    /// client, for the limit on failed sign-ins; repeatable (or comma-separated in the
    /// environment)
    #[arg(
        long,
        env = "TRUSCA_TRUSTED_PROXIES",
        value_name = "CIDR",
        value_delimiter = ','
    )]
    pub trusted_proxy: Vec<crate::proxy::Cidr>,

    /// Let webhooks target loopback, private and link-local addresses (refused by default, so a
    /// webhook cannot probe the server's own network)
    #[arg(long, env = "TRUSCA_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Apply database migrations and exit
    Migrate,
    /// Manage users, teams and API keys directly in the database
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Back up the database (while the server runs) into DIR/trusca-backup-<UTC time>/
    Backup {
        /// The directory to write the backup into
        #[arg(long, value_name = "DIR", default_value = "trusca-backups")]
        out: PathBuf,
        /// Afterwards, remove automatic backups in DIR older than N days (never manual ones)
        #[arg(long, value_name = "N")]
        retention_days: Option<u32>,
        /// Mark this backup automatic (for scheduled jobs), so that retention may remove it
        #[arg(long)]
        automatic: bool,
    },
    /// Restore a backup, replacing all data. Stop the server first: it must not run meanwhile.
    /// Without --confirm, only checks the backup and says what would be replaced
    Restore {
        /// The backup directory (the one holding manifest.json)
        dir: PathBuf,
        /// Really replace the data
        #[arg(long)]
        confirm: bool,
        /// Restore a backup whose audit log was changed out of band (its hash chain is broken)
        /// instead of refusing it; the restore says so loudly and records it
        #[arg(long)]
        accept_broken_audit_chain: bool,
    },
    /// Build or inspect the server's vulnerability database; after a build every project is
    /// matched again
    #[command(subcommand)]
    Db(VulnDbCommand),
    /// Check the audit log
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain and name the first row edited, inserted or deleted out
    /// of band (exit 2 when there is one)
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum VulnDbCommand {
    /// Download OSV data (`<mirror>/<Ecosystem>/all.zip`), rebuild the database and re-match
    Update {
        /// An `http(s)://` or `file://` URL or a directory laid out like the OSV bucket
        #[arg(long, env = "TRUSCA_DB_MIRROR", value_name = "URL")]
        mirror: Option<String>,
        /// Only this ecosystem (repeatable; default: all the mirror lists)
        #[arg(long)]
        ecosystem: Vec<String>,
    },
    /// Build the database from OSV zips, record files or directories, and re-match
    Import {
        /// The inputs
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show the database's build time, source and size, and the last refreshes
    Status,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user
    CreateUser {
        /// The user's name
        #[arg(long)]
        username: String,
        /// Organisation role: `super_admin` or `user` (team roles are given with `add-member`)
        #[arg(long, default_value = "user", value_parser = ["super_admin", "user"])]
        role: String,
    },
    /// Create a team
    CreateTeam {
        /// The team's name
        #[arg(long)]
        name: String,
    },
    /// Add a user to a team, or change their role in it
    AddMember {
        /// The team
        #[arg(long)]
        team: String,
        /// The user
        #[arg(long)]
        user: String,
        /// Team role
        #[arg(long, default_value = "developer", value_parser = ["team_admin", "developer"])]
        role: String,
    },
    /// Create an API key for a user and print it (it is shown only this once)
    CreateKey {
        /// The key's owner
        #[arg(long)]
        user: String,
        /// Bind the key to one team
        #[arg(long)]
        team: Option<String>,
    },
    /// Revoke an API key by its prefix (`trs_<prefix>_…`)
    RevokeKey {
        /// The prefix
        prefix: String,
    },
    /// Set a user's web sign-in password, read from the first line of standard input (the
    /// user's web sessions end)
    SetPassword {
        /// The user
        #[arg(long)]
        user: String,
    },
    /// Set a team's policy from a `trusca.toml` file: uploads to the team are judged under it,
    /// and `trusca policy pull` writes it for local runs
    SetPolicy {
        /// The team
        #[arg(long)]
        team: String,
        /// The policy (`-` for standard input)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
}

/// Runs `trusca server …`. Returns what to print on standard output (an API key), if anything.
pub fn run(args: ServerArgs) -> Result<Option<String>, ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(async move {
        match args.command {
            None => {
                crate::init_logging();
                let config = Config {
                    database_url: args.database_url,
                    listen: args.listen,
                    max_body_bytes: args.max_body_mib.saturating_mul(1 << 20),
                    max_upload_memory: usize::try_from(args.max_upload_memory_mib)
                        .unwrap_or(usize::MAX)
                        .saturating_mul(1 << 20),
                    request_timeout: Duration::from_secs(args.request_timeout.max(1)),
                    header_read_timeout: Duration::from_secs(args.header_read_timeout),
                    trusted_proxies: args.trusted_proxy,
                    vuln_db: args.vuln_db,
                    db_refresh_hours: args.db_refresh_hours,
                    db_mirror: args.db_mirror,
                    backup: args.backup_dir.map(|dir| BackupSchedule {
                        dir,
                        every: Duration::from_secs(args.backup_hours.saturating_mul(3600)),
                        retention_days: args.backup_retention_days,
                    }),
                    idempotency_retention: Duration::from_secs(
                        args.idempotency_hours.saturating_mul(3600),
                    ),
                    webhook_targets: if args.webhooks_allow_private {
                        crate::egress::Targets::Any
                    } else {
                        crate::egress::Targets::Public
                    },
                    ..Config::default()
                };
                crate::serve(config).await.map(|()| None)
            }
            Some(ServerCommand::Migrate) => {
                let db = Db::connect(&args.database_url, 1).await?;
                db.migrate().await?;
                Ok(Some("migrations applied".to_owned()))
            }
            Some(ServerCommand::Backup {
                out,
                retention_days,
                automatic,
            }) => {
                let done = backup::create(&args.database_url, &out, automatic).await?;
                let bytes = done.manifest.total_bytes();
                let mut text = format!(
                    "backup written to {} ({bytes} bytes, schema version {})",
                    done.dir.display(),
                    done.manifest.schema_version
                );
                if let Some(days) = retention_days {
                    for path in backup::prune::prune(&out, days, SystemTime::now())? {
                        let _ = write!(text, "\nremoved old automatic backup {}", path.display());
                    }
                }
                Ok(Some(text))
            }
            Some(ServerCommand::Restore {
                dir,
                confirm,
                accept_broken_audit_chain,
            }) => {
                let how = backup::Restore {
                    confirm,
                    accept_broken_chain: accept_broken_audit_chain,
                };
                let text = backup::restore_with(&args.database_url, &dir, how).await?;
                Ok(Some(text))
            }
            Some(ServerCommand::Admin(cmd)) => {
                let db = Db::connect(&args.database_url, 1).await?;
                db.migrate().await?;
                admin(&db, cmd).await.map_err(ServeError::Db)
            }
            Some(ServerCommand::Audit(AuditCommand::Verify)) => {
                let db = Db::connect(&args.database_url, 1).await?;
                db.migrate().await?;
                let report = audit::verify(&db).await?;
                match &report.broken {
                    None => Ok(Some(audit_summary(&db, &report).await?)),
                    Some(b) => Err(ServeError::AuditBroken(b.to_string())),
                }
            }
            Some(ServerCommand::Db(cmd)) => {
                let db = Db::connect(&args.database_url, 4).await?;
                db.migrate().await?;
                vuln_db(&db, &args.vuln_db, cmd).await.map(Some)
            }
        }
    })
}

async fn admin(db: &Db, cmd: AdminCommand) -> Result<Option<String>, DbError> {
    const ACTOR: &str = "cli";
    Ok(Some(match cmd {
        AdminCommand::CreateUser { username, role } => {
            identity::create_user(db, &username, &role, ACTOR).await?;
            format!("created user `{username}` ({role})")
        }
        AdminCommand::CreateTeam { name } => {
            identity::create_team(db, &name, ACTOR).await?;
            format!("created team `{name}`")
        }
        AdminCommand::AddMember { team, user, role } => {
            identity::set_member(db, &team, &user, &role, ACTOR, None).await?;
            format!("`{user}` is {role} of `{team}`")
        }
        AdminCommand::CreateKey { user, team } => {
            identity::create_key(db, &user, team.as_deref(), ACTOR)
                .await?
                .token
        }
        AdminCommand::SetPassword { user } => {
            let password = read_password_line(std::io::stdin().lock())?;
            identity::set_password(db, &user, &password, ACTOR).await?;
            format!("password of `{user}` set")
        }
        AdminCommand::SetPolicy { team, file } => {
            let text = read_policy(&file)?;
            let config = crate::gate::validate(&text).map_err(|problems| {
                let mut message = format!(
                    "`{}` has {} problem{}:",
                    file.display(),
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
                for p in &problems {
                    let _ = write!(message, "\n  line {}: {}", p.line, p.message);
                    if let Some(help) = &p.help {
                        let _ = write!(message, " (hint: {help})");
                    }
                }
                DbError::Invalid(message)
            })?;
            let team_id = identity::team_id(db, &team)
                .await?
                .ok_or_else(|| DbError::Invalid(format!("no team named `{team}`")))?;
            let change = policy::Change::of(&text, config.exceptions.len());
            policy::set(db, team_id, &text, &change, ACTOR, None).await?;
            format!(
                "policy of `{team}` set ({} exceptions)",
                config.exceptions.len()
            )
        }
        AdminCommand::RevokeKey { prefix } => {
            if identity::revoke_key(db, &prefix, ACTOR, None).await? {
                format!("revoked key `{prefix}`")
            } else {
                return Err(DbError::Invalid(format!("no active key `{prefix}`")));
            }
        }
    }))
}

async fn vuln_db(
    db: &Db,
    path: &std::path::Path,
    cmd: VulnDbCommand,
) -> Result<String, ServeError> {
    let source = match cmd {
        VulnDbCommand::Update { mirror, ecosystem } => vulndb::Source::Update {
            mirror: mirror.unwrap_or_else(|| update::DEFAULT_MIRROR.to_owned()),
            ecosystems: ecosystem,
        },
        VulnDbCommand::Import { paths } => vulndb::Source::Import(paths),
        VulnDbCommand::Status => return vuln_db_status(db, path).await,
    };
    let vulns = vulndb::VulnDb::open(path);
    let summary = vulndb::refresh(db, &vulns, source, "cli")
        .await
        .map_err(|e| ServeError::Db(DbError::Invalid(e.to_string())))?;
    Ok(summary.line())
}

async fn vuln_db_status(db: &Db, path: &std::path::Path) -> Result<String, ServeError> {
    let mut out = format!("database  {}\n", path.display());
    match trusca_core::vulns::db::Db::open(path) {
        Ok(store) => {
            let info = store.info();
            out.push_str(&format!("built     {}\n", info.built_rfc3339()));
            out.push_str(&format!("source    {}\n", info.source));
            out.push_str(&format!(
                "records   {} ({} withdrawn)\n",
                info.records, info.withdrawn
            ));
        }
        Err(e) => out.push_str(&format!("missing   {e}\n")),
    }
    let refreshes = rematch::recent_refreshes(db, 5).await?;
    if refreshes.is_empty() {
        out.push_str("refreshes none recorded");
    }
    for r in refreshes {
        let num = |n: Option<i64>| n.map_or("-".to_owned(), |n| n.to_string());
        let outcome = match (&r.error, &r.finished_at) {
            (Some(e), _) => format!("failed: {e}"),
            (None, None) => "running or interrupted".to_owned(),
            (None, Some(_)) => format!(
                "{} records, {} projects, {} new, {} resolved",
                num(r.records),
                num(r.projects),
                num(r.new_findings),
                num(r.resolved_findings)
            ),
        };
        out.push_str(&format!(
            "refresh   {} {}: {outcome}\n",
            r.started_at, r.source
        ));
    }
    Ok(out.trim_end().to_owned())
}

/// What `audit verify` says of an intact log.
async fn audit_summary(db: &Db, report: &crate::chain::Report) -> Result<String, ServeError> {
    let mut conn = db.pool.acquire().await.map_err(DbError::from)?;
    let checkpoint = audit::checkpoint_of(&mut conn, "audit_chain")
        .await
        .map_err(DbError::from)?;
    let mut text = format!("audit log intact: {} rows", report.rows);
    if let Some((id, hash)) = &report.head {
        let _ = write!(text, "\nnewest    row {id}, hash {hash}");
    }
    if let Some((id, _)) = checkpoint {
        let _ = write!(text, "\ncheckpoint row {id}");
    }
    Ok(text)
}

/// A policy file's text (`-`: standard input), at most [`MAX_CONFIG_BYTES`].
fn read_policy(file: &std::path::Path) -> Result<String, DbError> {
    use std::io::Read as _;
    let cannot =
        |e: std::io::Error| DbError::Invalid(format!("cannot read `{}`: {e}", file.display()));
    let mut bytes = Vec::new();
    let limit = MAX_CONFIG_BYTES + 1;
    if file == std::path::Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    } else {
        std::fs::File::open(file)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(cannot)?;
    }
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(DbError::Invalid(format!(
            "`{}` is larger than {} KiB",
            file.display(),
            MAX_CONFIG_BYTES >> 10
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| DbError::Invalid(format!("`{}` is not UTF-8 text", file.display())))
}

/// The first line of `input`, without its line ending: a password piped in by a script.
fn read_password_line(mut input: impl std::io::BufRead) -> Result<String, DbError> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| {
        DbError::Invalid(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err(DbError::Invalid(
            "give the password on the first line of standard input".into(),
        ));
    }
    Ok(password.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line() {
        let read = |s: &str| read_password_line(s.as_bytes()).ok();
        assert_eq!(read("s3cret pass\nnext\n").as_deref(), Some("s3cret pass"));
        assert_eq!(read("crlf-line\r\n").as_deref(), Some("crlf-line"));
        assert_eq!(read("no newline").as_deref(), Some("no newline"));
        assert_eq!(read("\n"), None);
        assert_eq!(read(""), None);
    }
}
