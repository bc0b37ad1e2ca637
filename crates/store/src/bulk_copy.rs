//! Bulk loading into PostgreSQL by `COPY … FROM STDIN` (text format), for
//! seeding databases far larger than audited inserts can fill in reasonable
//! time (the national demo). The store's pool speaks `sqlx::Any`, which has no
//! COPY, so this opens a connection of its own to the same URL.
//!
//! Nothing written here is audited: callers load data that is nobody's act
//! (demo data), and they assign ids themselves, so a table's identity sequence
//! must be moved past them afterwards ([`BulkCopy::reset_identity`]).

use sqlx::postgres::PgConnection;
use sqlx::Connection;

use crate::error::Result;

/// Bytes sent to the server per message of a COPY.
const CHUNK: usize = 1 << 20;

/// One value of a COPY row in text format.
pub trait CopyField {
    fn write_to(&self, out: &mut String);
}

impl CopyField for i64 {
    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
}

impl CopyField for str {
    fn write_to(&self, out: &mut String) {
        escape_copy_text(self, out);
    }
}

impl CopyField for String {
    fn write_to(&self, out: &mut String) {
        escape_copy_text(self, out);
    }
}

impl<T: CopyField + ?Sized> CopyField for &T {
    fn write_to(&self, out: &mut String) {
        (**self).write_to(out);
    }
}

impl<T: CopyField> CopyField for Option<T> {
    fn write_to(&self, out: &mut String) {
        match self {
            Some(v) => v.write_to(out),
            // NULL in COPY's text format.
            None => out.push_str("\\N"),
        }
    }
}

/// Appends `text` escaped for COPY's text format: a backslash, a tab (the
/// column separator), a newline or carriage return (the row separator) would
/// otherwise change the row's shape, so each is written as its backslash
/// sequence.
pub fn escape_copy_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}

/// Rows for one table in COPY text format, built in memory and sent by
/// [`BulkCopy::copy`].
pub struct CopyRows {
    table: &'static str,
    columns: Vec<&'static str>,
    text: String,
    rows: u64,
    /// Fields written in the row being built.
    fields: usize,
}

impl CopyRows {
    pub fn new(table: &'static str, columns: &[&'static str]) -> Self {
        Self {
            table,
            columns: columns.to_vec(),
            text: String::new(),
            rows: 0,
            fields: 0,
        }
    }

    /// Appends a field to the current row.
    pub fn field(&mut self, value: impl CopyField) -> &mut Self {
        if self.fields > 0 {
            self.text.push('\t');
        }
        value.write_to(&mut self.text);
        self.fields += 1;
        self
    }

    /// Ends the current row; it must have had a field for every column.
    pub fn end_row(&mut self) {
        assert_eq!(
            self.fields,
            self.columns.len(),
            "a row of {} has {} fields for {} columns",
            self.table,
            self.fields,
            self.columns.len()
        );
        self.text.push('\n');
        self.fields = 0;
        self.rows += 1;
    }

    /// Rows ended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The rows as COPY text (for tests and logs).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Forgets the rows, keeping the buffer for the next batch.
    pub fn clear(&mut self) {
        self.text.clear();
        self.rows = 0;
        self.fields = 0;
    }
}

/// Runs `statement` (a `COPY … FROM STDIN`) on `conn` with `text` as its
/// rows; returns how many rows the server took.
pub(crate) async fn copy_in(conn: &mut PgConnection, statement: &str, text: &str) -> Result<u64> {
    let mut copy = conn.copy_in_raw(statement).await?;
    // Whole rows per message are not needed: the server joins the stream.
    for chunk in text.as_bytes().chunks(CHUNK) {
        if let Err(e) = copy.send(chunk).await {
            copy.abort("send failed").await.ok();
            return Err(e.into());
        }
    }
    Ok(copy.finish().await?)
}

/// A PostgreSQL connection for bulk loads.
pub struct BulkCopy {
    conn: PgConnection,
}

impl BulkCopy {
    /// Opens a connection to `url` (a `postgres://` URL).
    pub async fn connect(url: &str) -> Result<Self> {
        Ok(Self {
            conn: PgConnection::connect(url).await?,
        })
    }

    /// Sends `rows` by COPY and forgets them; returns how many rows the
    /// server took.
    pub async fn copy(&mut self, rows: &mut CopyRows) -> Result<u64> {
        if rows.rows == 0 {
            return Ok(0);
        }
        let statement = format!(
            "COPY {} ({}) FROM STDIN",
            rows.table,
            rows.columns.join(", ")
        );
        let taken = copy_in(&mut self.conn, &statement, &rows.text).await?;
        rows.clear();
        Ok(taken)
    }

    /// The highest id in `table` (0 when empty): callers number their rows
    /// from the next one.
    pub async fn max_id(&mut self, table: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar::<_, i64>(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                .fetch_one(&mut self.conn)
                .await?,
        )
    }

    /// Moves `table`'s identity sequence past its highest id, so the next
    /// ordinary insert does not collide with the ids a load assigned.
    pub async fn reset_identity(&mut self, table: &str) -> Result<()> {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    /// Rows in `table`, for reports.
    pub async fn count(&mut self, table: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut self.conn)
                .await?,
        )
    }

    /// The database's size on disk, as PostgreSQL prints it.
    pub async fn database_size(&mut self) -> Result<String> {
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT pg_size_pretty(pg_database_size(current_database()))",
        )
        .fetch_one(&mut self.conn)
        .await?)
    }

    pub async fn close(self) -> Result<()> {
        self.conn.close().await?;
        Ok(())
    }
}
