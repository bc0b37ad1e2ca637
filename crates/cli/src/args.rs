//! The command line: subcommands, their arguments and the environment
//! variables that stand in for them.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kfq_domain::{OrgKind, Role, ZoneLevel, ZoneType};

#[derive(Parser)]
#[command(
    name = "kfq",
    version,
    about = "开发区工作平台 — key projects, dispatch, indicators and services of development zones"
)]
pub(crate) struct Cli {
    /// Log format: text for people, json for log collectors.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "KFQ_LOG_FORMAT"
    )]
    pub(crate) log_format: LogFormat,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

/// How big a demo to seed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Scale {
    Normal,
    Province,
    National,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve the web application (migrations run first).
    Serve(ServeArgs),
    /// Create a fresh demo database and serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080", env = "KFQ_LISTEN")]
        listen: String,
        /// normal: 21 zones with a real zone's ledger each; province: 100 zones
        /// × 100 projects with five years of monthly figures (for load tests);
        /// national: 2,500 zones under the 31 provinces, as many projects each
        /// (PostgreSQL only, loaded by COPY).
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
    /// Copy the embedded (SQLite) database to FILE while the server runs: a
    /// consistent snapshot. PostgreSQL: see the README (pg_basebackup).
    Backup {
        /// The new file to write.
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put a backup made by `kfq backup` in place of the embedded database
    /// (stop the server first). The replaced file is kept beside it.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
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
pub(crate) struct DbArgs {
    /// Database URL: a SQLite file path (default: $KFQ_DATA_DIR/kfq.db) or postgres://…
    #[arg(long, env = "KFQ_DATABASE_URL")]
    pub(crate) database: Option<String>,
}

#[derive(Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) db: DbArgs,
    #[arg(long, default_value = "127.0.0.1:8080", env = "KFQ_LISTEN")]
    pub(crate) listen: String,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long, env = "KFQ_SECURE_COOKIES")]
    pub(crate) secure_cookies: bool,
    /// Trust X-Forwarded-For/-Proto from a reverse proxy in front of kfq.
    #[arg(long, env = "KFQ_TRUST_PROXY")]
    pub(crate) trust_proxy: bool,
    /// Streaming replicas of the PostgreSQL primary for dashboards,
    /// bulletins, rankings and exports (`postgres://u@h1:p1,h2:p2/db`: one
    /// replica per host). A writer's own next pages still read the primary.
    #[arg(long, env = "KFQ_READ_DATABASE")]
    pub(crate) read_database: Option<String>,
    /// Bearer token for /metrics (without one, only this machine may read it).
    #[arg(long, env = "KFQ_METRICS_TOKEN", hide_env_values = true)]
    pub(crate) metrics_token: Option<String>,
    #[command(flatten)]
    pub(crate) alerts: AlertArgs,
}

/// How alerts reach people.
#[derive(Args, Clone)]
pub(crate) struct AlertArgs {
    /// The address people open kfq at, for links in alerts (https://kfq.example.cn).
    #[arg(long, env = "KFQ_PUBLIC_URL")]
    public_url: Option<String>,
    /// Beijing time of the daily digest.
    #[arg(long, env = "KFQ_DIGEST_AT", default_value = "08:00")]
    pub(crate) digest_at: String,
    /// Hosts robot webhooks may point at (comma-separated).
    #[arg(
        long,
        env = "KFQ_WEBHOOK_HOSTS",
        default_value = "qyapi.weixin.qq.com,oapi.dingtalk.com"
    )]
    pub(crate) webhook_hosts: String,
    /// Outgoing mail server for e-mail alerts (none: e-mail channels fail).
    #[arg(long, env = "KFQ_SMTP_HOST")]
    pub(crate) smtp_host: Option<String>,
    #[arg(long, env = "KFQ_SMTP_PORT", default_value_t = 465)]
    pub(crate) smtp_port: u16,
    /// tls (port 465), starttls (587) or none (a relay on the same host).
    #[arg(long, env = "KFQ_SMTP_TLS", default_value = "tls")]
    pub(crate) smtp_tls: String,
    #[arg(long, env = "KFQ_SMTP_USERNAME")]
    pub(crate) smtp_username: Option<String>,
    #[arg(long, env = "KFQ_SMTP_PASSWORD", hide_env_values = true)]
    pub(crate) smtp_password: Option<String>,
    /// Sender, e.g. "开发区管委会 <noreply@kfq.example.cn>".
    #[arg(long, env = "KFQ_SMTP_FROM", default_value = "kfq <noreply@localhost>")]
    pub(crate) smtp_from: String,
}

impl AlertArgs {
    pub(crate) fn config(&self) -> Result<kfq_app::alerts::AlertConfig> {
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
            webhooks: kfq_notify::WebhookPolicy::new(self.webhook_hosts()),
            ..Default::default()
        })
    }

    pub(crate) fn public_url_is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }

    pub(crate) fn webhook_hosts(&self) -> Vec<String> {
        self.webhook_hosts
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect()
    }
}

#[derive(Subcommand)]
pub(crate) enum OrgCommand {
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
pub(crate) enum UserCommand {
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
pub(crate) enum ExportCommand {
    /// The key-project ledger (.xlsx) of a zone, city or the whole installation.
    Ledger {
        #[command(flatten)]
        db: DbArgs,
        /// Code of the org unit (a zone, city or province); default: everything.
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        /// The month year-to-date figures run to (default: the current month, or 12 for a
        /// past year); the workbook names the last month up to it that has figures.
        #[arg(long)]
        month: Option<u32>,
        /// Output file (default: 重点项目台账-YEAR.xlsx).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum ImportCommand {
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
    /// The month's statistics table of indicators (zones × indicators;
    /// .xlsx, .xls, .csv): shows each zone's figures, the month they are
    /// for and where it was read, and what cannot be read; records them
    /// only with --commit.
    Indicators(IndicatorImportArgs),
}

#[derive(Args)]
pub(crate) struct IndicatorImportArgs {
    #[command(flatten)]
    pub(crate) db: DbArgs,
    pub(crate) file: PathBuf,
    /// Code of the unit whose zones the table reports (a zone, a city or the province).
    #[arg(long)]
    pub(crate) org: String,
    /// The month the figures are for, as on the web page: "2024-06"
    /// (default: the table's own, from its title, a 截至 text, the sheet's
    /// name or the 1-N月 of its headers).
    #[arg(long)]
    pub(crate) period: Option<String>,
    /// Record the figures (otherwise a dry run).
    #[arg(long)]
    pub(crate) commit: bool,
    /// Print the full report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check every hash chain and report the first broken link.
    Verify(DbArgs),
    /// List the projects whose stage and milestones disagree (exit 1 if any).
    Stages(DbArgs),
}

pub(crate) fn parse_code<T>(raw: &str) -> Result<T, String>
where
    T: CodeEnum,
{
    T::from_code(raw).ok_or_else(|| format!("expected one of: {}", T::codes().join(", ")))
}

/// The coded enums of the domain, for argument parsing.
pub(crate) trait CodeEnum: Sized + Clone + Send + Sync + 'static {
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
