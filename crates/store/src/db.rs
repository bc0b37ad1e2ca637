//! Connecting, configuring and migrating the database.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::error::Result;
use crate::failover;
use crate::replicas::Replicas;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, shared by every request. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// Streaming replicas for lag-tolerant reads ([`Store::reader`]).
    replicas: Option<Arc<Replicas>>,
    /// SQLite's file, for large reads on connections of their own
    /// (`copy_out`).
    pub(crate) sqlite_file: Option<Arc<str>>,
    /// The ledger as it stood, kept zone by zone (`ledger::kept`); shared
    /// with the replicas' stores, checked against the audit heads on use.
    pub(crate) kept_ledgers: Arc<crate::ledger::kept::KeptLedgers>,
}

impl Store {
    /// Opens `url`: `postgres://…` selects PostgreSQL; `sqlite://PATH` or a plain
    /// file path selects SQLite (the file and its folder are created).
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        let sqlite_file = (backend == Backend::Sqlite).then(|| sqlite_file(&url).into());
        let pool = match backend {
            Backend::Postgres => {
                let (hosts, wants_writes) = failover::split_hosts(&url);
                // Several nodes (a pg_auto_failover formation) or an explicit
                // ask: connect only where writes are accepted, and follow the
                // primary when it moves.
                let follow = hosts.len() > 1 || wants_writes;
                let (current, options) = if follow {
                    failover::find_primary(&hosts).await?
                } else {
                    (0, url.parse::<AnyConnectOptions>()?)
                };
                let switched = Arc::new(failover::Switched::default());
                let retire = switched.clone();
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            if follow && !failover::writable(conn).await? {
                                // A connection-level failure: requests get 503, retry.
                                return Err(sqlx::Error::Io(std::io::Error::other(
                                    "the node does not accept writes (a standby)",
                                )));
                            }
                            Ok(())
                        })
                    })
                    .before_acquire(move |_, meta| {
                        let keep = retire.keeps(meta.age);
                        Box::pin(async move { Ok(keep) })
                    })
                    .connect_with(options)
                    .await?;
                if follow {
                    failover::watch(pool.clone(), hosts, current, switched);
                }
                pool
            }
            Backend::Sqlite => {
                crate::sqlite_rows::register();
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the writer; busy_timeout
                            // makes a second writer wait, not fail: longer than the
                            // largest import's transaction (100,000 rows, ~20 s).
                            // Temporary storage in memory: a multi-row INSERT keeps
                            // a statement journal of the pages it changes, which
                            // otherwise went to a temporary file (half the writes
                            // of a 100,000-project import). Pages of 16 KiB, set
                            // before WAL fixes them in a new file (an existing one
                            // keeps its own): a load writes and checkpoints a
                            // quarter as many pages, a 100,000-project import a
                            // fifth faster (docs/BENCHMARKS.md).
                            conn.execute(
                                "PRAGMA page_size = 16384; \
                                 PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 120000; \
                                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(url.parse::<AnyConnectOptions>()?)
                    .await?
            }
        };
        Ok(Store {
            pool,
            backend,
            replicas: None,
            sqlite_file,
            kept_ledgers: Arc::default(),
        })
    }

    /// Adds streaming replicas of this (PostgreSQL) primary: `url` names one
    /// node or several (`postgres://u@h1:p1,h2:p2/db`), each a replica.
    pub fn with_replicas(mut self, url: &str) -> Result<Store> {
        let (backend, url) = normalise_url(url)?;
        if backend != Backend::Postgres || self.backend != Backend::Postgres {
            return Err(sqlx::Error::Configuration(
                "read replicas are PostgreSQL streaming replicas of a PostgreSQL primary".into(),
            )
            .into());
        }
        let (hosts, _) = failover::split_hosts(&url);
        self.replicas = Some(Replicas::open(&hosts)?);
        Ok(self)
    }

    /// The store for reads that tolerate a few seconds of lag (dashboards,
    /// bulletins, rankings, exports): a fit replica when there is one, else
    /// this primary. Nothing may be written through it.
    pub fn reader(&self) -> Store {
        let pool = self.replicas.as_ref().and_then(|r| r.pick());
        match pool {
            Some(pool) => Store {
                pool,
                backend: self.backend,
                replicas: None,
                sqlite_file: None,
                kept_ledgers: self.kept_ledgers.clone(),
            },
            None => self.clone(),
        }
    }

    /// Whether reads may go to replicas (and so may lag behind writes).
    pub fn has_replicas(&self) -> bool {
        self.replicas.is_some()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema up to date. Safe to run from several instances at
    /// once: PostgreSQL migrations take an advisory lock.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(sqlx::Error::from)?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (BEGIN IMMEDIATE) so two writers queue on busy_timeout instead of one
    /// failing with SQLITE_BUSY when it tries to upgrade a read lock.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Whether the database holds any table at all (migrations' included):
    /// what must be false before a demo may be seeded into it.
    pub async fn has_tables(&self) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            }
        };
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        Ok(count > 0)
    }

    /// The port of the PostgreSQL server this pool writes to (which node of a
    /// formation); none for SQLite.
    pub async fn server_port(&self) -> Result<Option<i64>> {
        if self.backend == Backend::Sqlite {
            return Ok(None);
        }
        Ok(
            sqlx::query_scalar("SELECT CAST(inet_server_port() AS BIGINT)")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Whether the node this pool uses takes writes now (a primary, not a
    /// standby in recovery).
    pub async fn accepts_writes(&self) -> Result<bool> {
        if self.backend == Backend::Sqlite {
            return Ok(true);
        }
        let mut conn = self.pool.acquire().await?;
        Ok(failover::writable(&mut conn).await?)
    }

    /// Answers when the database does (for /healthz).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(replicas) = &self.replicas {
            replicas.close().await;
        }
        self.pool.close().await;
    }
}

/// The file of a normalised SQLite URL (`sqlite://PATH?mode=rwc`).
fn sqlite_file(url: &str) -> &str {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    path.split('?').next().unwrap_or(path)
}

fn normalise_url(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|e| sqlx::Error::Configuration(Box::new(e)))?;
    }
    Ok((Backend::Sqlite, format!("sqlite://{path}?mode=rwc")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_the_backend() {
        let dir = std::env::temp_dir();
        let file = dir.join("kfq-url-test.db");
        let file = file.to_str().unwrap();
        assert_eq!(
            normalise_url("postgres://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            normalise_url(file).unwrap(),
            (Backend::Sqlite, format!("sqlite://{file}?mode=rwc"))
        );
        assert_eq!(
            normalise_url(&format!("sqlite://{file}")).unwrap().1,
            format!("sqlite://{file}?mode=rwc")
        );
    }
}
