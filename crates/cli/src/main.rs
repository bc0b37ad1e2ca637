//! `kfq`: one binary for everything. SQLite by default (a file in the data
//! folder), PostgreSQL when given a `postgres://` URL.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kfq_domain::audit::BreakReason;
use kfq_domain::{OrgKind, Role, ZoneLevel, ZoneType};
use kfq_store::{Actor, OrgInput, Store, UserInput};
use kfq_web::WebConfig;

#[derive(Parser)]
#[command(
    name = "kfq",
    version,
    about = "开发区工作平台 — key projects, dispatch, indicators and services of development zones"
)]
struct Cli {
    /// Log format: text for people, json for log collectors.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "KFQ_LOG_FORMAT"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// How big a demo to seed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scale {
    Normal,
    Province,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (migrations run first).
    Serve(ServeArgs),
    /// Create a fresh demo database and serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080", env = "KFQ_LISTEN")]
        listen: String,
        /// normal: 21 zones with a real zone's ledger each; province: 100 zones
        /// × 100 projects with five years of monthly figures (for load tests).
        #[arg(long, value_enum, default_value = "normal")]
        scale: Scale,
        /// An empty database to seed instead of a fresh $KFQ_DATA_DIR/demo.db:
        /// a SQLite file path or postgres://… (nothing in it is dropped).
        #[arg(long)]
        database: Option<String>,
    },
    /// Run the database migrations and exit.
    Migrate(DbArgs),
    /// Manage organisation units.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Export data as a workbook.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import data from a workbook.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Read zone bulletins (.txt, UTF-8): articles and the projects and figures in them.
    Extract {
        /// Bulletin text files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct DbArgs {
    /// Database URL: a SQLite file path (default: $KFQ_DATA_DIR/kfq.db) or postgres://…
    #[arg(long, env = "KFQ_DATABASE_URL")]
    database: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long, default_value = "127.0.0.1:8080", env = "KFQ_LISTEN")]
    listen: String,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long, env = "KFQ_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Trust X-Forwarded-For/-Proto from a reverse proxy in front of kfq.
    #[arg(long, env = "KFQ_TRUST_PROXY")]
    trust_proxy: bool,
    #[command(flatten)]
    alerts: AlertArgs,
}

/// How alerts reach people.
#[derive(Args, Clone)]
struct AlertArgs {
    /// The address people open kfq at, for links in alerts (https://kfq.example.cn).
    #[arg(long, env = "KFQ_PUBLIC_URL")]
    public_url: Option<String>,
    /// Beijing time of the daily digest.
    #[arg(long, env = "KFQ_DIGEST_AT", default_value = "08:00")]
    digest_at: String,
    /// Hosts robot webhooks may point at (comma-separated).
    #[arg(
        long,
        env = "KFQ_WEBHOOK_HOSTS",
        default_value = "qyapi.weixin.qq.com,oapi.dingtalk.com"
    )]
    webhook_hosts: String,
    /// Outgoing mail server for e-mail alerts (none: e-mail channels fail).
    #[arg(long, env = "KFQ_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "KFQ_SMTP_PORT", default_value_t = 465)]
    smtp_port: u16,
    /// tls (port 465), starttls (587) or none (a relay on the same host).
    #[arg(long, env = "KFQ_SMTP_TLS", default_value = "tls")]
    smtp_tls: String,
    #[arg(long, env = "KFQ_SMTP_USERNAME")]
    smtp_username: Option<String>,
    #[arg(long, env = "KFQ_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sender, e.g. "开发区管委会 <noreply@kfq.example.cn>".
    #[arg(long, env = "KFQ_SMTP_FROM", default_value = "kfq <noreply@localhost>")]
    smtp_from: String,
}

impl AlertArgs {
    fn config(&self) -> Result<kfq_app::alerts::AlertConfig> {
        let digest_at = chrono::NaiveTime::parse_from_str(&self.digest_at, "%H:%M")
            .with_context(|| format!("--digest-at {}: expected HH:MM", self.digest_at))?;
        let tls = match self.smtp_tls.as_str() {
            "tls" => kfq_notify::SmtpTls::Tls,
            "starttls" => kfq_notify::SmtpTls::StartTls,
            "none" => kfq_notify::SmtpTls::None,
            other => bail!("--smtp-tls {other}: expected tls, starttls or none"),
        };
        Ok(kfq_app::alerts::AlertConfig {
            smtp: self.smtp_host.clone().map(|host| kfq_notify::SmtpConfig {
                host,
                port: self.smtp_port,
                username: self.smtp_username.clone(),
                password: self.smtp_password.clone(),
                from: self.smtp_from.clone(),
                tls,
            }),
            digest_at,
            public_url: self.public_url.clone(),
            ..Default::default()
        })
    }

    fn webhook_hosts(&self) -> Vec<String> {
        self.webhook_hosts
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect()
    }
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add a unit, e.g. the province of a fresh install:
    /// `kfq org add --kind province --name 山西省 --code 140000`.
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, value_parser = parse_code::<OrgKind>)]
        kind: OrgKind,
        #[arg(long)]
        name: String,
        #[arg(long)]
        code: Option<String>,
        /// Code of the parent unit.
        #[arg(long)]
        parent: Option<String>,
        #[arg(long, value_parser = parse_code::<ZoneLevel>)]
        zone_level: Option<ZoneLevel>,
        #[arg(long, value_parser = parse_code::<ZoneType>)]
        zone_type: Option<ZoneType>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password is asked for (or read from stdin with --password-stdin).
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        /// The name people see.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_code::<Role>)]
        role: Role,
        /// Code of the org unit the account belongs to.
        #[arg(long)]
        org: String,
        /// Enterprise id, for enterprise accounts.
        #[arg(long)]
        enterprise: Option<i64>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The key-project ledger (.xlsx) of a zone, city or the whole installation.
    Ledger {
        #[command(flatten)]
        db: DbArgs,
        /// Code of the org unit (a zone, city or province); default: everything.
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        /// The month year-to-date figures run to (default: the current month, or 12 for a past year).
        #[arg(long)]
        month: Option<u32>,
        /// Output file (default: 重点项目台账-YEAR.xlsx).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A zone's key-project ledger (.xlsx, .xls, .csv): shows what would be
    /// created, updated and rejected; writes only with --commit.
    Ledger {
        #[command(flatten)]
        db: DbArgs,
        file: PathBuf,
        /// Code of the zone (or of a city whose ledger names each row's zone).
        #[arg(long)]
        zone: String,
        #[arg(long)]
        year: Option<i32>,
        /// N of "1-N月" when the workbook does not say.
        #[arg(long)]
        month: Option<u8>,
        /// Register 存在问题 as blockers.
        #[arg(long)]
        blockers: bool,
        /// Write the valid rows even when some are rejected.
        #[arg(long)]
        only_valid: bool,
        /// Write the import (otherwise a dry run).
        #[arg(long)]
        commit: bool,
        /// Print the full report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every hash chain and report the first broken link.
    Verify(DbArgs),
}

fn parse_code<T>(raw: &str) -> Result<T, String>
where
    T: CodeEnum,
{
    T::from_code(raw).ok_or_else(|| format!("expected one of: {}", T::codes().join(", ")))
}

/// The coded enums of the domain, for argument parsing.
trait CodeEnum: Sized + Clone + Send + Sync + 'static {
    fn from_code(code: &str) -> Option<Self>;
    fn codes() -> Vec<&'static str>;
}

macro_rules! code_enum_arg {
    ($($t:ty),+) => {$(
        impl CodeEnum for $t {
            fn from_code(code: &str) -> Option<Self> { <$t>::from_code(code) }
            fn codes() -> Vec<&'static str> { <$t>::ALL.iter().map(|v| v.code()).collect() }
        }
    )+};
}
code_enum_arg!(OrgKind, Role, ZoneLevel, ZoneType);

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
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Serve(args) => {
            let store = open(&args.db).await?;
            if store.user_count().await? == 0 {
                tracing::warn!(
                    "no accounts yet: add the province with `kfq org add --kind province …` \
                     and the first administrator with `kfq user add --role system_admin …`"
                );
            }
            let config = WebConfig {
                secure_cookies: args.secure_cookies,
                trust_proxy: args.trust_proxy,
                webhook_hosts: args.alerts.webhook_hosts(),
                ..WebConfig::default()
            };
            let alerts = kfq_app::alerts::spawn(store.clone(), args.alerts.config()?);
            let served = serve(store, &args.listen, config).await;
            alerts.abort();
            served
        }
        Command::Demo {
            listen,
            scale,
            database,
        } => demo(&listen, scale, database).await,
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
                .create_org(&Actor::system("命令行"), &input)
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
                .create_user(&Actor::system("命令行"), &input, &hash)
                .await
                .map_err(explain)?;
            println!(
                "created account {} ({}) at {}",
                user.username, user.role, user.org_unit_name
            );
            Ok(())
        }
        Command::Extract { files, json } => extract(&files, json),
        Command::Import(ImportCommand::Ledger {
            db,
            file,
            zone,
            year,
            month,
            blockers,
            only_valid,
            commit,
            json,
        }) => {
            let store = open(&db).await?;
            let org = store
                .org_by_code_unscoped(&zone)
                .await
                .context("no unit has that code")?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let choices = kfq_app::ledger::import::Choices {
                year,
                month,
                blockers,
                mapping: None,
            };
            let today = kfq_app::clock::today();
            // The operator on the server may import into any unit.
            let target = kfq_app::access::ZoneWrite::operator(org);
            let prepared =
                kfq_app::ledger::import::prepare(&store, &target, &name, &bytes, &choices, today)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let import_file = kfq_store::ImportFile::of(&name, &bytes);
            for issue in prepared.plan.errors() {
                eprintln!("{}", issue.message);
            }
            let counts = prepared.plan.counts();
            let summary = format!(
                "{}: 新增 {} 个，更新 {} 个，无变化 {} 个，有误 {} 行；月度完成投资 {} 条，困难问题 {} 条",
                name,
                counts.create,
                counts.update,
                counts.unchanged,
                counts.reject,
                counts.months,
                counts.blockers
            );
            let import = if commit {
                let actor = Actor::system("命令行");
                Some(
                    kfq_app::ledger::import::commit(
                        &store,
                        &actor,
                        &target,
                        &prepared,
                        &import_file,
                        only_valid,
                    )
                    .await
                    .map_err(|e| match e {
                        kfq_app::Error::Invalid(_) => anyhow::anyhow!(
                            "nothing imported: fix the rows above or pass --only-valid"
                        ),
                        other => anyhow::anyhow!("{other:?}"),
                    })?,
                )
            } else {
                None
            };
            if json {
                let report = kfq_app::ledger::import::report(prepared, &import_file, import);
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{summary}");
                match import {
                    Some(i) => println!("imported (record {}, sha256 {})", i.id, i.sha256),
                    None => println!("dry run: nothing written (add --commit to import)"),
                }
            }
            Ok(())
        }
        Command::Export(ExportCommand::Ledger {
            db,
            zone,
            year,
            month,
            output,
        }) => {
            use chrono::Datelike;
            let store = open(&db).await?;
            let (visibility, scope) = match zone {
                Some(code) => {
                    let unit = store
                        .org_by_code_unscoped(&code)
                        .await
                        .context("no unit has that code")?;
                    (kfq_domain::Visibility::Subtree(unit.org_path()), unit.name)
                }
                None => (kfq_domain::Visibility::All, String::new()),
            };
            let today = kfq_app::clock::today();
            let year = year.unwrap_or(today.year());
            let month = month
                .unwrap_or(if year < today.year() {
                    12
                } else {
                    today.month()
                })
                .clamp(1, 12);
            let filter = kfq_store::LedgerFilter {
                year,
                month,
                ..Default::default()
            };
            let ledger = store.ledger(&visibility, &filter, 0, 1_000_000).await?;
            let title = format!("{scope}{year}年重点项目推进台账");
            let count = ledger.page.items.len();
            let bytes = kfq_app::ledger::export::workbook(
                kfq_app::i18n::Catalog::zh(),
                &title,
                &filter,
                ledger.page.items,
            )
            .await?;
            let path = output.unwrap_or_else(|| PathBuf::from(format!("重点项目台账-{year}.xlsx")));
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{count} projects written to {}", path.display());
            Ok(())
        }
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
    }
}

/// A fresh demo database: the demo file, recreated, or the empty one given.
async fn demo_store(database: Option<String>) -> Result<(Store, String)> {
    let Some(url) = database else {
        let dir = data_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("demo.db");
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                std::fs::remove_file(&file)
                    .with_context(|| format!("cannot remove the old demo {}", file.display()))?;
            }
        }
        let url = path.to_string_lossy().into_owned();
        let store = open(&DbArgs {
            database: Some(url.clone()),
        })
        .await?;
        return Ok((store, url));
    };
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&url)))?;
    // Someone's data might be in there: the demo never drops anything.
    if store.has_tables().await? {
        bail!(
            "the database {} is not empty: the demo seeds only an empty database \
             (PostgreSQL: create one, e.g. `createdb kfq_demo`; SQLite: name a file that \
             does not exist yet; or leave out --database for a fresh demo file)",
            redact(&url)
        );
    }
    store.migrate().await.context("migrations failed")?;
    Ok((store, redact(&url)))
}

/// Prints what the bulletin reader finds in each file.
fn extract(files: &[PathBuf], json: bool) -> Result<()> {
    let mut all = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
        let reading = kfq_extract::read(&text);
        if json {
            all.push(serde_json::json!({ "file": file.display().to_string(), "reading": reading }));
            continue;
        }
        println!(
            "== {} — {} articles, {} facts",
            file.display(),
            reading.articles.len(),
            reading.facts.len()
        );
        for (n, article) in reading.articles.iter().enumerate() {
            let date = article
                .date
                .as_ref()
                .map(|d| d.as_written.clone())
                .unwrap_or_default();
            println!(
                "\n[{n}] {}  {}  {}",
                article.title,
                date,
                article.zones.join("、")
            );
            for fact in reading.facts.iter().filter(|f| f.article == Some(n)) {
                let subject = fact
                    .project
                    .clone()
                    .or_else(|| fact.investor.clone())
                    .or_else(|| fact.zone.clone())
                    .unwrap_or_default();
                let value = match &fact.value {
                    kfq_extract::Value::Quantity(q) => {
                        format!("{} ({} {:?})", q.as_written, q.amount, q.unit)
                    }
                    kfq_extract::Value::Stage { stage } => format!("{stage:?}"),
                };
                println!(
                    "    {:<22} {:<40} {}  «{}»",
                    fact.kind.name(),
                    value,
                    subject,
                    fact.span.slice(&text)
                );
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&all)?);
    }
    Ok(())
}

async fn demo(listen: &str, scale: Scale, database: Option<String>) -> Result<()> {
    let (store, label) = demo_store(database).await?;
    let started = std::time::Instant::now();
    let demo = kfq_demo::seed(&store).await?;
    let today = kfq_app::clock::today();
    let (zones, projects) = match scale {
        Scale::Normal => {
            let projects =
                kfq_demo::seed_ledger(&store, &demo.zones, kfq_demo::LedgerSize::Normal, today)
                    .await?;
            kfq_demo::seed_indicators(&store, &demo.zones, today).await?;
            (demo.zones.len(), projects)
        }
        Scale::Province => {
            let zones = kfq_demo::add_province_zones(&store, &demo.zones).await?;
            let ledger = kfq_demo::seed_province_ledger(&store, &zones, today).await?;
            kfq_demo::seed_indicators(&store, &zones, today).await?;
            println!(
                "kfq demo: province scale seeded in {:.1} s: {} zones, {} projects, {} monthly figures",
                started.elapsed().as_secs_f64(),
                zones.len(),
                ledger.projects,
                ledger.months
            );
            (zones.len(), ledger.projects)
        }
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    let catalog = kfq_app::i18n::Catalog::zh();
    println!("kfq demo: http://{address}/  (database {label}, {zones} zones, {projects} projects)");
    println!("demo logins, password {}:", kfq_demo::DEMO_PASSWORD);
    for login in &demo.logins {
        println!(
            "  {:<14} {}  {}",
            login.username,
            catalog.t(&login.role.label_key()),
            login.unit
        );
    }
    kfq_demo::seed_subscriptions(&store).await?;
    let alerts = kfq_app::alerts::spawn(store.clone(), kfq_app::alerts::AlertConfig::default());
    tracing::info!(address = %address, "serving the demo");
    kfq_web::serve(
        listener,
        store.clone(),
        WebConfig::default(),
        shutdown_signal(),
    )
    .await?;
    alerts.abort();
    store.close().await;
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
