//! Large loads on PostgreSQL staged by COPY. The store's transactions run on
//! `sqlx::Any`, which cannot issue COPY, and rows sent as statement values
//! cost the server half as much again as rows read from a table: a
//! 100,000-project import spent 5.4 s in its statements, 3.6 s when the same
//! rows came `INSERT … SELECT` from tables that held them (docs/BENCHMARKS.md,
//! the import's tenth pass).
//!
//! So a [`Stage`] is a connection of its own to the node the transaction
//! writes to. Each batch of rows goes by COPY into a fresh UNLOGGED table
//! there (committed at once, nothing for the WAL or the replicas), and the
//! load's transaction then inserts the rows from it and drops it. The
//! transaction stays the only place anything is written for real: if it
//! rolls back, only staging tables are left, dropped once the rollback has
//! released them ([`Stage::abandon`]) or, the process gone first, by the next
//! stage opened an hour later. The COPY runs on another server process,
//! beside the transaction's inserts.

use sqlx::any::AnyConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};

use crate::bulk_copy::{copy_in, CopyField};
use crate::bulk_insert::Cell;
use crate::error::{Result, StoreError};
use crate::sql::{fresh_ids, FRESH_IDS};
use crate::{Backend, Store};

/// What every staging table's name starts with.
const PREFIX: &str = "kfq_staged_";
/// Staging tables older than this are a failed load's, dropped by the next
/// stage opened (no load takes an hour).
const ABANDONED_AFTER_MS: i64 = 60 * 60 * 1000;
/// Loads of fewer projects go as statements: a stage's connection and
/// tables cost more than they save below a few thousand rows.
const STAGED_FROM: usize = 5_000;

impl Store {
    /// A stage for a load of `projects` projects when it pays (PostgreSQL,
    /// [`STAGED_FROM`] or more); none when the stage cannot be opened, the
    /// load then going as statements.
    pub(crate) async fn stage_for(&self, projects: usize) -> Option<Stage> {
        if self.backend() != Backend::Postgres || projects < STAGED_FROM {
            return None;
        }
        match Stage::open(self.pool.connect_options().as_ref()).await {
            Ok(stage) => Some(stage),
            Err(e) => {
                tracing::warn!(error = %e, "no staging connection: the rows go as statements");
                None
            }
        }
    }
}

/// Rows of one table as COPY text, on their way to a staging table.
pub(crate) struct StagedRows {
    pub(crate) table: &'static str,
    pub(crate) columns: Vec<&'static str>,
    pub(crate) text: String,
}

impl StagedRows {
    /// `cells`, row after row of `columns.len()` each, in COPY's text format.
    pub(crate) fn new(table: &'static str, columns: Vec<&'static str>, cells: &[Cell]) -> Self {
        let width = columns.len();
        let mut text = String::with_capacity(cells.len() * 8);
        for row in cells.chunks(width) {
            for (n, cell) in row.iter().enumerate() {
                if n > 0 {
                    text.push('\t');
                }
                match cell {
                    Cell::Int(v) => v.write_to(&mut text),
                    Cell::Text(v) => v.write_to(&mut text),
                }
            }
            text.push('\n');
        }
        Self {
            table,
            columns,
            text,
        }
    }
}

/// A connection for staging one load's rows.
pub(crate) struct Stage {
    conn: PgConnection,
    /// `kfq_staged_<ms>_<server process>`: unique among live loads.
    name: String,
    /// The staging tables made so far.
    made: Vec<String>,
}

impl Stage {
    /// Connects as `options` do (the pool's: the primary it follows) and
    /// drops what failed loads left behind.
    pub(crate) async fn open(options: &AnyConnectOptions) -> Result<Stage> {
        let options = PgConnectOptions::from_url(&options.database_url)?;
        let mut conn: PgConnection = options.connect().await?;
        // A role that may not make tables here (PostgreSQL 15 no longer lets
        // everyone create in `public`) loads by statements instead.
        let may_create: bool =
            sqlx::query_scalar("SELECT has_schema_privilege(current_schema(), 'CREATE')")
                .fetch_one(&mut conn)
                .await?;
        if !may_create {
            let _ = conn.close().await;
            return Err(StoreError::Db(sqlx::Error::Configuration(
                "no CREATE on the current schema for staging tables".into(),
            )));
        }
        let now = crate::now_ms();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname LIKE $1",
        )
        .bind(format!("{}%", PREFIX.replace('_', "\\_")))
        .fetch_all(&mut conn)
        .await?;
        let abandoned = tables
            .into_iter()
            .filter(|t| staged_at(t).is_some_and(|at| now - at > ABANDONED_AFTER_MS));
        // A table still in use by a load (impossible after an hour) makes
        // the drop wait: not for long.
        drop_tables(&mut conn, abandoned, "1s").await;
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut conn)
            .await?;
        Ok(Stage {
            conn,
            name: format!("{PREFIX}{now}_{pid}"),
            made: Vec::new(),
        })
    }

    /// Copies `rows` into a staging table of their own; returns what the
    /// load's transaction runs to take them: insert, then drop the table.
    pub(crate) async fn stage(&mut self, rows: StagedRows) -> Result<[String; 2]> {
        let staging = format!("{}_{}", self.name, self.made.len());
        self.made.push(staging.clone());
        let columns = rows.columns.join(", ");
        // The columns' types without their constraints: a column the load
        // leaves to its default (an identity) stays NULL here.
        let create = format!(
            "CREATE UNLOGGED TABLE {staging} AS SELECT {columns} FROM {} WITH NO DATA",
            rows.table
        );
        // Named once: not kept among the connection's prepared statements.
        sqlx::query(&create)
            .persistent(false)
            .execute(&mut self.conn)
            .await?;
        copy_in(
            &mut self.conn,
            &format!("COPY {staging} ({columns}) FROM STDIN"),
            &rows.text,
        )
        .await?;
        Ok([
            format!(
                "INSERT INTO {} ({columns}) SELECT {columns} FROM {staging}",
                rows.table
            ),
            format!("DROP TABLE {staging}"),
        ])
    }

    /// `n` fresh values of `table`'s identity: drawn here, beside the
    /// load's transaction, they are its all the same (a sequence belongs to
    /// no transaction; a rollback leaves a gap, as it would anyway).
    pub(crate) async fn fresh_ids(&mut self, table: &str, n: usize) -> Result<Vec<i64>> {
        let answer = sqlx::query_as(FRESH_IDS)
            .bind(n as i64)
            .bind(table)
            .fetch_one(&mut self.conn)
            .await?;
        Ok(fresh_ids(answer))
    }

    /// Closes the connection after a load that was written: its
    /// transaction dropped every staging table it took rows from.
    pub(crate) async fn close(self) {
        let _ = self.conn.close().await;
    }

    /// Drops the staging tables of a load that failed, once its
    /// transaction has rolled back (until then it holds them).
    pub(crate) async fn abandon(mut self) {
        let made = std::mem::take(&mut self.made);
        drop_tables(&mut self.conn, made, "60s").await;
        self.close().await;
    }
}

/// Drops `tables`, each waiting at most `wait` for whoever holds it; one
/// that cannot be dropped stays for a later sweep.
async fn drop_tables(
    conn: &mut PgConnection,
    tables: impl IntoIterator<Item = String>,
    wait: &str,
) {
    let _ = sqlx::query(&format!("SET lock_timeout = '{wait}'"))
        .persistent(false)
        .execute(&mut *conn)
        .await;
    for table in tables {
        if let Err(e) = sqlx::query(&format!("DROP TABLE IF EXISTS {table}"))
            .persistent(false)
            .execute(&mut *conn)
            .await
        {
            tracing::warn!(table, error = %e, "a staging table stays");
        }
    }
}

/// When the staging table `name` was made (its name says), if it is one.
fn staged_at(name: &str) -> Option<i64> {
    name.strip_prefix(PREFIX)?.split('_').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_copy_text_with_escapes_and_nulls() {
        let cells = [
            Cell::Int(Some(-7)),
            Cell::Text(Some("甲\t乙\\丙\n丁".into())),
            Cell::Text(None),
            Cell::Int(None),
            Cell::Text(Some(String::new())),
            Cell::Text(Some("\\N".into())),
        ];
        let rows = StagedRows::new("t", vec!["a", "b", "c"], &cells);
        assert_eq!(rows.text, "-7\t甲\\t乙\\\\丙\\n丁\t\\N\n\\N\t\t\\\\N\n");
    }

    #[test]
    fn only_staging_tables_have_a_staging_time() {
        assert_eq!(
            staged_at("kfq_staged_1796495419168_4242_3"),
            Some(1796495419168)
        );
        assert_eq!(staged_at("projects"), None);
        assert_eq!(staged_at("kfq_staged_x_1"), None);
    }
}
