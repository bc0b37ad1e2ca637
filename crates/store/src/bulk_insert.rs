//! Multi-row inserts for loads of many rows inside one transaction (a
//! ledger import, a batch of leads, their audit records): the rows of a
//! table gathered, then written as few statements as each database likes —
//! one statement handing them to SQLite's own thread on SQLite (see
//! [`crate::sqlite_rows`]), arrays on PostgreSQL, or for the largest loads
//! on PostgreSQL staging tables filled by COPY ([`crate::staged`]).

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

use crate::error::{Result, StoreError};
use crate::sql::is_sqlite;
use crate::sqlite_rows;
use crate::staged::{Stage, StagedRows};

/// One value of a row; the type travels with a NULL too, as PostgreSQL wants it.
pub(crate) enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(Some(v))
    }
}

impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Self {
        Cell::Int(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(Some(v.to_owned()))
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(Some(v))
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        Cell::Text(v)
    }
}

/// Rows for one table, written as few INSERT statements as the limits allow.
pub(crate) struct Rows {
    table: &'static str,
    columns: Vec<&'static str>,
    cells: Vec<Cell>,
}

impl Rows {
    pub(crate) fn new(table: &'static str, columns: &[&'static str]) -> Self {
        Self {
            table,
            columns: columns.to_vec(),
            cells: Vec::new(),
        }
    }

    pub(crate) fn push<const N: usize>(&mut self, row: [Cell; N]) {
        debug_assert_eq!(N, self.columns.len());
        self.cells.extend(row);
    }

    /// A row of as many cells as there are columns.
    pub(crate) fn push_cells(&mut self, row: impl IntoIterator<Item = Cell>) {
        let before = self.cells.len();
        self.cells.extend(row);
        debug_assert_eq!(self.cells.len() - before, self.columns.len());
    }

    pub(crate) async fn write(self, conn: &mut AnyConnection) -> Result<()> {
        for statement in self.statements(is_sqlite(conn)) {
            statement.execute(conn).await?;
        }
        Ok(())
    }

    /// These rows as COPY text for a staging table ([`crate::staged`]).
    fn staged(self) -> StagedRows {
        StagedRows::new(self.table, self.columns, &self.cells)
    }

    /// The statements that write these rows, for SQLite or PostgreSQL.
    pub(crate) fn statements(self, sqlite: bool) -> Vec<Statement> {
        if self.cells.is_empty() {
            Vec::new()
        } else if sqlite {
            self.values()
        } else {
            self.arrays()
        }
    }

    /// SQLite: the rows held for [`sqlite_rows::FUNCTION`], which inserts
    /// them one prepared row at a time on the connection's thread.
    fn values(self) -> Vec<Statement> {
        let held = sqlite_rows::hold(self.table, &self.columns, self.cells);
        vec![Statement {
            sql: format!("SELECT {}(?)", sqlite_rows::FUNCTION),
            binds: vec![Cell::Int(Some(held.id()))],
            held: Some(held),
        }]
    }

    /// PostgreSQL: one value a column, `INSERT … SELECT FROM ROWS FROM (…)`,
    /// many thousand rows a statement. A `VALUES` list of a few hundred rows
    /// is parsed and planned afresh each time, and that, not the rows, was
    /// most of a 100,000-project import. Integers travel as array literals
    /// (the `Any` driver binds no arrays) cast by the server; a column of
    /// texts as one text split by the server on a separator (see
    /// [`splittable`]): the array parser reads every byte through its
    /// escapes, which for the audit's JSON cost more than the rows' indexes.
    fn arrays(self) -> Vec<Statement> {
        let width = self.columns.len();
        let texts: Vec<bool> = self.cells[..width]
            .iter()
            .map(|cell| matches!(cell, Cell::Text(_)))
            .collect();
        let head = format!(
            "INSERT INTO {} ({}) SELECT * FROM ROWS FROM (",
            self.table,
            self.columns.join(", ")
        );
        self.cells
            .chunks(ROWS_PER_ARRAY * width)
            .map(|chunk| {
                let rows = chunk.len() / width;
                let column = |c: usize| chunk[c..].iter().step_by(width);
                let split: Vec<bool> = (0..width)
                    .map(|c| texts[c] && rows > 1 && column(c).all(splittable))
                    .collect();
                let mut sql = head.clone();
                let mut binds = Vec::with_capacity(width);
                for c in 0..width {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    let n = c + 1;
                    let mut value = String::new();
                    if split[c] {
                        sql.push_str(&format!("string_to_table(${n}, chr(30), chr(31))"));
                        for (row, cell) in column(c).enumerate() {
                            if row > 0 {
                                value.push(SEPARATOR);
                            }
                            match cell {
                                Cell::Text(Some(v)) => value.push_str(v),
                                _ => value.push(NULL_MARK),
                            }
                        }
                    } else {
                        let t = if texts[c] { "text" } else { "int8" };
                        sql.push_str(&format!("unnest(${n}::{t}[])"));
                        value.push('{');
                        for (row, cell) in column(c).enumerate() {
                            if row > 0 {
                                value.push(',');
                            }
                            push_element(&mut value, cell);
                        }
                        value.push('}');
                    }
                    binds.push(Cell::Text(Some(value)));
                }
                sql.push(')');
                Statement {
                    sql,
                    binds,
                    held: None,
                }
            })
            .collect()
    }
}

/// Between the texts of a column sent as one value (ASCII's record
/// separator, chr(30)); a NULL is the unit separator alone (chr(31)).
const SEPARATOR: char = '\u{1e}';
const NULL_MARK: char = '\u{1f}';

/// Whether a text can be sent split by [`SEPARATOR`]: it holds neither
/// control character (JSON never does, a name practically never; a column
/// with one goes as an array). A single row is never split: an empty text
/// would come back as no row at all.
fn splittable(cell: &Cell) -> bool {
    match cell {
        Cell::Text(Some(v)) => !v.contains([SEPARATOR, NULL_MARK]),
        Cell::Text(None) => true,
        Cell::Int(_) => false,
    }
}

/// One INSERT with its values, made ready apart from the connection that
/// runs it (see [`pipelined`]).
pub(crate) struct Statement {
    sql: String,
    binds: Vec<Cell>,
    /// SQLite: the rows the statement hands over.
    held: Option<sqlite_rows::Token>,
}

impl Statement {
    pub(crate) async fn execute(self, conn: &mut AnyConnection) -> Result<()> {
        self.ready()?.execute(conn).await
    }

    /// The values encoded for the driver (each text copied into its
    /// arguments): done by the producer of a pipelined load, so the
    /// connection's task runs one statement after another without encoding
    /// the next in between while the database waits.
    fn ready(self) -> Result<Ready> {
        let mut args = AnyArguments::default();
        args.reserve(self.binds.len(), 0);
        for cell in self.binds {
            match cell {
                Cell::Int(v) => args.add(v),
                Cell::Text(v) => args.add(v),
            }
            .map_err(|e| StoreError::Db(sqlx::Error::Encode(e)))?;
        }
        Ok(Ready {
            sql: self.sql,
            args: Some(args),
            held: self.held,
        })
    }
}

/// A statement with its values encoded, ready to run.
pub(crate) struct Ready {
    sql: String,
    /// None: SQL without values, each text used once (a staging table's
    /// insert and drop): not kept among the connection's prepared statements.
    args: Option<AnyArguments<'static>>,
    held: Option<sqlite_rows::Token>,
}

impl Ready {
    async fn execute(self, conn: &mut AnyConnection) -> Result<()> {
        let run = match self.args {
            Some(args) => sqlx::query_with(&self.sql, args)
                .execute(&mut *conn)
                .await
                .map(drop),
            None => sqlx::query(&self.sql)
                .persistent(false)
                .execute(&mut *conn)
                .await
                .map(drop),
        };
        match (run, self.held) {
            (Ok(_), _) => Ok(()),
            // SQLite's error for the row that failed, not the function's.
            (Err(e), Some(held)) => Err(held.failure().map_or_else(|| e.into(), Into::into)),
            (Err(e), None) => Err(e.into()),
        }
    }
}

/// Where a producer hands over its rows, in the order they are to be
/// written: as statements for the connection, or (PostgreSQL with a
/// [`Stage`]) as rows for the stage to copy first.
pub(crate) struct Feed {
    queue: Queue,
}

enum Queue {
    Statements {
        to: tokio::sync::mpsc::Sender<Vec<Ready>>,
        sqlite: bool,
    },
    Staged(tokio::sync::mpsc::Sender<StageWork>),
}

/// What the stage's task is handed, in order.
enum StageWork {
    Rows(StagedRows),
    /// Fresh values of a table's identity, drawn on the stage's connection.
    Ids {
        table: &'static str,
        n: usize,
        reply: tokio::sync::oneshot::Sender<Result<Vec<i64>>>,
    },
}

impl Feed {
    /// Queues `rows` as one batch; waits while the queue is full.
    pub(crate) fn rows(&self, rows: Rows) -> Result<()> {
        if rows.cells.is_empty() {
            return Ok(());
        }
        let sent = match &self.queue {
            Queue::Statements { to, sqlite } => {
                let batch = rows
                    .statements(*sqlite)
                    .into_iter()
                    .map(Statement::ready)
                    .collect::<Result<Vec<_>>>()?;
                to.blocking_send(batch).is_ok()
            }
            Queue::Staged(to) => to.blocking_send(StageWork::Rows(rows.staged())).is_ok(),
        };
        // Closed only when the other side stopped on an error, which is the
        // one reported.
        if sent {
            Ok(())
        } else {
            Err(StoreError::Db(sqlx::Error::WorkerCrashed))
        }
    }

    /// Whether rows are staged: a batch then costs two tables' creation and
    /// removal, so fewer, larger batches are better.
    pub(crate) fn staged(&self) -> bool {
        matches!(self.queue, Queue::Staged(_))
    }

    /// Asks the stage for `n` fresh values of `table`'s identity, drawn on
    /// its own connection (a sequence is outside every transaction) once
    /// the rows handed over before are copied, while the load's connection
    /// writes them: reserving 100,000 ids up front held up the first row
    /// by 0.07 s. Staged loads only.
    pub(crate) fn draw_ids(&self, table: &'static str, n: usize) -> Result<Drawing> {
        let Queue::Staged(to) = &self.queue else {
            return Err(StoreError::Db(sqlx::Error::Protocol(
                "fresh ids are drawn by a stage".into(),
            )));
        };
        let (reply, drawing) = tokio::sync::oneshot::channel();
        if to
            .blocking_send(StageWork::Ids { table, n, reply })
            .is_err()
        {
            return Err(StoreError::Db(sqlx::Error::WorkerCrashed));
        }
        Ok(Drawing(drawing))
    }
}

/// Ids being drawn by the stage.
pub(crate) struct Drawing(tokio::sync::oneshot::Receiver<Result<Vec<i64>>>);

impl Drawing {
    /// The ids asked for; waits for them.
    pub(crate) fn ids(self) -> Result<Vec<i64>> {
        self.0
            .blocking_recv()
            .unwrap_or(Err(StoreError::Db(sqlx::Error::WorkerCrashed)))
    }
}

/// Batches ready ahead of the one running. A batch is all the statements of
/// one [`Feed::rows`] (on SQLite several): counted in statements, the
/// producer stopped in the middle of a batch while the database finished
/// the two queued, then the database waited while the producer built the
/// next batch, each idle half the time (an audit record's JSON and hash
/// take about as long to make as to write).
const QUEUE: usize = 2;

/// Runs on `conn`, in order, the statements `produce` makes on a thread of
/// its own: the next batch of rows is gathered and encoded while the
/// database writes the last (a 100,000-project import spent a second and a
/// half on the client with the server idle). With a `stage` (PostgreSQL),
/// each batch is first copied into a staging table by a task of its own,
/// the next while `conn` inserts the last. A failed statement stops the
/// producer at its next hand-over; its error is returned.
pub(crate) async fn pipelined<T: Send + 'static>(
    conn: &mut AnyConnection,
    stage: Option<Stage>,
    produce: impl FnOnce(&Feed) -> Result<T> + Send + 'static,
) -> Result<T> {
    let sqlite = is_sqlite(conn);
    let (to_conn, mut batches) = tokio::sync::mpsc::channel(QUEUE);
    let (queue, stager) = match stage.filter(|_| !sqlite) {
        Some(stage) => {
            let (to_stage, staged) = tokio::sync::mpsc::channel(QUEUE);
            let stager = tokio::spawn(stage_all(stage, staged, to_conn));
            (Queue::Staged(to_stage), Some(stager))
        }
        None => (
            Queue::Statements {
                to: to_conn,
                sqlite,
            },
            None,
        ),
    };
    let feed = Feed { queue };
    let producer = tokio::task::spawn_blocking(move || produce(&feed));
    let mut failed = None;
    'run: while let Some(batch) = batches.recv().await {
        for statement in batch {
            if let Err(e) = statement.execute(conn).await {
                failed = Some(e);
                break 'run;
            }
        }
    }
    drop(batches);
    let (stage, staged) = match stager {
        Some(stager) => match stager.await {
            Ok((stage, outcome)) => (Some(stage), outcome),
            Err(e) => (None, joined::<()>(Err(e))),
        },
        None => (None, Ok(())),
    };
    let produced = joined(producer.await);
    // The first to fail stopped the others, which report only that.
    let outcome = match (failed, staged) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(())) => produced,
    };
    if let Some(stage) = stage {
        if outcome.is_ok() {
            stage.close().await;
        } else {
            // The caller's rollback releases the staging tables; the drop
            // waits for it on its own.
            tokio::spawn(stage.abandon());
        }
    }
    outcome
}

/// A task's own outcome; its panic carried on.
fn joined<T>(joined: std::result::Result<Result<T>, tokio::task::JoinError>) -> Result<T> {
    match joined {
        Ok(outcome) => outcome,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(StoreError::Db(sqlx::Error::WorkerCrashed)),
        },
    }
}

/// Copies each batch of rows into a staging table and hands on, in the
/// order they came, the statements that take them into the transaction;
/// gives the stage back for closing or, the load failed, cleaning up.
async fn stage_all(
    mut stage: Stage,
    mut batches: tokio::sync::mpsc::Receiver<StageWork>,
    to_conn: tokio::sync::mpsc::Sender<Vec<Ready>>,
) -> (Stage, Result<()>) {
    while let Some(work) = batches.recv().await {
        let rows = match work {
            StageWork::Rows(rows) => rows,
            StageWork::Ids { table, n, reply } => {
                // A producer gone has stopped on an error of its own.
                let _ = reply.send(stage.fresh_ids(table, n).await);
                continue;
            }
        };
        let statements = match stage.stage(rows).await {
            Ok(statements) => statements,
            Err(e) => return (stage, Err(e)),
        };
        let batch = statements
            .into_iter()
            .map(|sql| Ready {
                sql,
                args: None,
                held: None,
            })
            .collect();
        // Closed when the transaction's side stopped on an error.
        if to_conn.send(batch).await.is_err() {
            break;
        }
    }
    (stage, Ok(()))
}

/// Rows a statement on PostgreSQL: a few megabytes of array text.
const ROWS_PER_ARRAY: usize = 10_000;

/// `cell` as an element of a PostgreSQL array literal: NULL bare, integers
/// as digits, texts quoted with their quotes and backslashes escaped.
fn push_element(array: &mut String, cell: &Cell) {
    match cell {
        Cell::Int(Some(v)) => array.push_str(&v.to_string()),
        Cell::Text(Some(v)) => {
            array.push('"');
            for c in v.chars() {
                if c == '"' || c == '\\' {
                    array.push('\\');
                }
                array.push(c);
            }
            array.push('"');
        }
        Cell::Int(None) | Cell::Text(None) => array.push_str("NULL"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(cells: &[Cell]) -> String {
        let mut array = String::from("{");
        for (n, cell) in cells.iter().enumerate() {
            if n > 0 {
                array.push(',');
            }
            push_element(&mut array, cell);
        }
        array.push('}');
        array
    }

    #[test]
    fn texts_go_split_unless_they_hold_a_separator() {
        let mut rows = Rows::new("t", &["id", "name", "note"]);
        rows.push([1.into(), "甲".into(), Cell::Text(None)]);
        rows.push([2.into(), "".into(), "含\u{1e}分隔符".into()]);
        let statements = rows.statements(false);
        assert_eq!(statements.len(), 1);
        assert_eq!(
            statements[0].sql,
            "INSERT INTO t (id, name, note) SELECT * FROM ROWS FROM (unnest($1::int8[]), \
             string_to_table($2, chr(30), chr(31)), unnest($3::text[]))"
        );
        let binds: Vec<&str> = statements[0]
            .binds
            .iter()
            .map(|b| match b {
                Cell::Text(Some(v)) => v.as_str(),
                _ => panic!("binds are texts"),
            })
            .collect();
        assert_eq!(binds, ["{1,2}", "甲\u{1e}", "{NULL,\"含\u{1e}分隔符\"}"]);
        // One row: an empty text split would be no row.
        let mut one = Rows::new("t", &["id", "name"]);
        one.push([1.into(), "".into()]);
        assert!(one.statements(false)[0].sql.contains("unnest($2::text[])"));
    }

    #[test]
    fn sqlite_hands_all_rows_to_one_statement() {
        let mut rows = Rows::new("t", &["a", "b"]);
        for n in 0..50_000_i64 {
            rows.push([n.into(), "x".into()]);
        }
        let statements = rows.statements(true);
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].sql, "SELECT kfq_insert_rows(?)");
        let Some(held) = &statements[0].held else {
            panic!("the rows are held for the statement");
        };
        assert!(matches!(statements[0].binds[..], [Cell::Int(Some(id))] if id == held.id()));
    }

    #[test]
    fn array_elements_keep_texts_apart_from_nulls() {
        assert_eq!(
            literal(&[Cell::Int(Some(-7)), Cell::Int(None), 12.into()]),
            "{-7,NULL,12}"
        );
        assert_eq!(
            literal(&[
                "NULL".into(),
                Cell::Text(None),
                "".into(),
                "他说\"好\"\\n,{}".into()
            ]),
            r#"{"NULL",NULL,"","他说\"好\"\\n,{}"}"#
        );
    }
}
