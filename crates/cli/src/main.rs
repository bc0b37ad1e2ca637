//! `kfq`: one binary for everything. SQLite by default (a file in the data
//! folder), PostgreSQL when given a `postgres://` URL.

mod args;
mod demo;
mod extract;
mod indicators;
mod ledger;

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;
use kfq_domain::audit::BreakReason;
use kfq_domain::project::StageMismatch;
use kfq_domain::UnitAdmin;
use kfq_store::{Actor, OrgInput, Store, UserInput};
use kfq_web::WebConfig;

use crate::args::*;

// A country's report builds and drops millions of small values: glibc's
// allocator gave a quarter of that time back to the kernel clearing pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc asks the kernel for
/// them, and a 100,000-project import then spent 0.6–0.9 s of system time
/// (against 0.2 s without) as the kernel assembled and cleared 2 MiB pages for
/// memory used briefly, its wall time up by half a second and varying from run
/// to run; the resident size was larger too. Pages already touched keep their
/// size; the flag rules every fault after it.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integers only and touches no memory of
    // ours; failing (an old kernel) leaves the process as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("KFQ_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("kfq-data"))
}

fn database_url(args: &DbArgs) -> String {
    args.database
        .clone()
        .unwrap_or_else(|| data_dir().join("kfq.db").to_string_lossy().into_owned())
}

async fn open(args: &DbArgs) -> Result<Store> {
    let url = database_url(args);
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&url)))?;
    store.migrate().await.context("migrations failed")?;
    Ok(store)
}

/// A URL fit for logs: no password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KFQ_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn serve(store: Store, listen: &str, config: WebConfig) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(address = %listener.local_addr()?, backend = ?store.backend(), "serving");
    kfq_web::serve(listener, store.clone(), config, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("密码 / password: ")?;
    let second = rpassword::prompt_password("再次输入 / again: ")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

/// Prints field errors in the user's language.
fn explain(err: kfq_store::StoreError) -> anyhow::Error {
    match err {
        kfq_store::StoreError::Invalid(errors) => {
            let catalog = kfq_app::i18n::Catalog::zh();
            let lines: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("{}：{}", e.field, catalog.t(e.key)))
                .collect();
            anyhow::anyhow!(lines.join("\n"))
        }
        other => other.into(),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    without_huge_pages();
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Serve(args) => {
            let mut store = open(&args.db).await?;
            if let Some(url) = &args.read_database {
                store = store
                    .with_replicas(url)
                    .with_context(|| format!("cannot use the replicas {}", redact(url)))?;
            }
            if store.user_count().await? == 0 {
                tracing::warn!(
                    "no accounts yet: add the province with `kfq org add --kind province …` \
                     and the first administrator with `kfq user add --role system_admin …`"
                );
            }
            let config = WebConfig {
                // Served at an https address, cookies are Secure without being told.
                secure_cookies: args.secure_cookies || args.alerts.public_url_is_https(),
                trust_proxy: args.trust_proxy,
                webhooks: kfq_notify::WebhookPolicy::new(args.alerts.webhook_hosts()),
                metrics_token: args.metrics_token.clone().filter(|t| !t.is_empty()),
                ..WebConfig::default()
            };
            let alerts = kfq_app::alerts::spawn(store.clone(), args.alerts.config()?);
            let read_ahead = kfq_app::ledger::warm::spawn(store.clone());
            let served = serve(store, &args.listen, config).await;
            read_ahead.abort();
            alerts.abort();
            served
        }
        Command::Demo {
            listen,
            scale,
            database,
        } => demo::demo(&listen, scale, database).await,
        Command::Migrate(args) => {
            open(&args).await?;
            println!("migrations applied: {}", redact(&database_url(&args)));
            Ok(())
        }
        Command::Org(OrgCommand::Add {
            db,
            kind,
            name,
            code,
            parent,
            zone_level,
            zone_type,
        }) => {
            let store = open(&db).await?;
            let parent_id = match parent {
                Some(code) => Some(
                    store
                        .org_by_code_unscoped(&code)
                        .await
                        .context("no unit has that parent code")?
                        .id,
                ),
                None => None,
            };
            let code = code
                .map(|c| kfq_domain::org::parse_org_code(&c))
                .transpose()
                .map_err(|k| anyhow::anyhow!(kfq_app::i18n::Catalog::zh().t(k).to_owned()))?;
            let input = OrgInput {
                kind,
                parent_id,
                name,
                code,
                zone_level,
                zone_type,
            };
            let unit = store
                .create_org(&Actor::system("命令行"), &UnitAdmin::operator(), &input)
                .await
                .map_err(explain)?;
            println!(
                "created {} {} (id {}, path {})",
                unit.kind, unit.name, unit.id, unit.path
            );
            Ok(())
        }
        Command::User(UserCommand::Add {
            db,
            username,
            name,
            role,
            org,
            enterprise,
            password_stdin,
        }) => {
            let store = open(&db).await?;
            let catalog = kfq_app::i18n::Catalog::zh();
            let username = kfq_domain::user::parse_username(&username)
                .map_err(|k| anyhow::anyhow!(catalog.t(k).to_owned()))?;
            let unit = store
                .org_by_code_unscoped(&org)
                .await
                .context("no unit has that code (see `kfq org add`)")?;
            let password = read_password(password_stdin)?;
            kfq_domain::user::check_password(&password)
                .map_err(|k| anyhow::anyhow!(catalog.t(k).to_owned()))?;
            let input = UserInput {
                username,
                display_name: name,
                role,
                org_unit_id: unit.id,
                enterprise_id: enterprise,
                phone: None,
                email: None,
            };
            let hash = kfq_store::hash_password(&password);
            let user = store
                .create_user(
                    &Actor::system("命令行"),
                    &UnitAdmin::operator(),
                    &input,
                    &hash,
                )
                .await
                .map_err(explain)?;
            println!(
                "created account {} ({}) at {}",
                user.username, user.role, user.org_unit_name
            );
            Ok(())
        }
        Command::Extract { files, json } => extract::extract(&files, json),
        Command::Import(command) => ledger::import(command).await,
        Command::Export(command) => ledger::export(command).await,
        Command::Backup { file, db } => {
            let store = open(&db).await?;
            let started = std::time::Instant::now();
            store.backup_to(&file).await?;
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            println!(
                "backup written: {} ({:.1} MB in {:.1} s)",
                file.display(),
                size as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { file, db } => restore(&file, &db).await,
        Command::Audit(AuditCommand::Verify(args)) => {
            let store = open(&args).await?;
            let report = store.audit_verify().await?;
            match report.broken {
                None => {
                    println!(
                        "audit trail intact: {} chains, {} records",
                        report.chains, report.records
                    );
                    Ok(())
                }
                Some(link) => {
                    let why = match link.reason {
                        BreakReason::Gap => "a record is missing (gap in the sequence)",
                        BreakReason::WrongPrevious => {
                            "the record does not point at its predecessor"
                        }
                        BreakReason::Altered => "the record's content does not match its hash",
                    };
                    println!(
                        "audit trail BROKEN: chain {} record {}: {why}",
                        link.chain, link.seq
                    );
                    std::process::exit(1);
                }
            }
        }
        Command::Audit(AuditCommand::Stages(args)) => {
            let store = open(&args).await?;
            let found = store.stage_disagreements().await?;
            for d in &found {
                let why = match d.mismatch {
                    StageMismatch::AheadOfStage(_) => "has an actual date beyond the stage reached",
                    StageMismatch::NotRecorded(_) => {
                        "has no actual date though the project is at its stage"
                    }
                };
                println!(
                    "{} / {} (#{}, stage {}): milestone {} {why}",
                    d.zone_name, d.project_name, d.project_id, d.stage, d.milestone
                );
            }
            if found.is_empty() {
                println!("stages and milestones agree");
                Ok(())
            } else {
                println!("{} disagreements", found.len());
                std::process::exit(1);
            }
        }
    }
}

/// Checks the backup (it opens as a database and its audit trail is whole)
/// before it replaces anything; the restored file is then migrated to this
/// version.
async fn restore(file: &std::path::Path, db: &DbArgs) -> Result<()> {
    anyhow::ensure!(file.is_file(), "no backup at {}", file.display());
    let backup = Store::connect(&file.to_string_lossy()).await?;
    let report = backup.audit_verify().await?;
    backup.close().await;
    anyhow::ensure!(
        report.broken.is_none(),
        "the backup's audit trail is broken; nothing was restored"
    );
    let url = database_url(db);
    anyhow::ensure!(
        !url.starts_with("postgres"),
        "PostgreSQL is restored from a base backup and WAL (see README); kfq restore puts back SQLite files"
    );
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(&url);
    let target = std::path::Path::new(path.split('?').next().unwrap_or(path));
    let kept = kfq_store::restore_file(file, target)?;
    let store = Store::connect(&target.to_string_lossy()).await?;
    store.migrate().await?;
    store.close().await;
    println!(
        "restored {} to {} ({} chains, {} records verified){}",
        file.display(),
        target.display(),
        report.chains,
        report.records,
        kept.map(|k| format!("; the replaced database is kept as {}", k.display()))
            .unwrap_or_default()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_logs() {
        assert_eq!(
            redact("postgres://kfq:secret@db:5432/kfq"),
            "postgres://kfq:***@db:5432/kfq"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("kfq-data/kfq.db"), "kfq-data/kfq.db");
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
