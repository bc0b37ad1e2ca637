//! Large reads on PostgreSQL by `COPY (SELECT …) TO STDOUT`: a country's
//! ledger is a million rows, and through sqlx's `Any` driver each value is
//! first converted into an owned `AnyValue`, then into the row's type.
//! COPY's text rows parsed straight into the row's type take half the time
//! (942,740 stage changes: 1.0 s through `Any`, 0.45 s by COPY, same server).
//!
//! SQLite's driver in sqlx costs as much: every row is handed over from the
//! connection's worker thread and converted twice, so a province's report
//! (75,000 rows) spent most of its time there. Large reads on SQLite go to
//! a read-only connection of their own through rusqlite, values read in
//! place.
//!
//! One statement, three transports: [`Store::bulk_rows`] sends the same SQL
//! with the same values either through the pool (small reads) or, with the
//! values written into the text as literals, by COPY on a connection of its
//! own to the node the pool uses (the primary it follows, or the replica a
//! reader was given), or on SQLite by rusqlite to the same file. The row
//! types implement both `FromRow` and [`CopyRow`], and the tests hold the
//! transports to the same rows.

use std::sync::Arc;

use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, FromRow};

use crate::db::Backend;
use crate::error::Result;
use crate::sql::Value;
use crate::Store;

/// Large enough a set of zones (a province, the country) to read by COPY
/// (or by rusqlite on SQLite).
pub(crate) const COPY_FROM_ZONES: usize = 20;

/// How a large read travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// By the read's size, as the caller judges it (`ledger_as_of`: 20
    /// zones or more go by COPY); a read given `Auto` itself uses the pool.
    Auto,
    /// Always the pool.
    Pool,
    /// COPY on PostgreSQL, a connection of its own on SQLite.
    Copy,
}

impl Transport {
    /// `Auto` settled for a read over `zones` zones: a province's or the
    /// country's ([`COPY_FROM_ZONES`] or more) by COPY, else the pool.
    pub(crate) fn for_zones(self, zones: usize) -> Transport {
        match self {
            Transport::Auto if zones >= COPY_FROM_ZONES => Transport::Copy,
            Transport::Auto => Transport::Pool,
            other => other,
        }
    }
}

/// A row readable field by field, from COPY's text or from SQLite.
pub(crate) trait CopyRow: Sized {
    fn from_fields(fields: &mut Fields<'_>) -> Option<Self>;
}

/// One value as it arrives.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field<'a> {
    Null,
    Int(i64),
    /// Text as stored (SQLite).
    Text(&'a [u8]),
    /// Text in COPY's format, escapes and all (PostgreSQL).
    Escaped(&'a [u8]),
    /// A kind no row of ours holds (floats, blobs): fails every read.
    Other,
}

/// One value of a row.
pub(crate) trait CopyField: Sized {
    fn from_field(field: Field<'_>) -> Option<Self>;
}

impl CopyField for i64 {
    fn from_field(field: Field<'_>) -> Option<Self> {
        match field {
            Field::Int(n) => Some(n),
            Field::Text(text) | Field::Escaped(text) => parse_int(text),
            Field::Null | Field::Other => None,
        }
    }
}

/// Integers as PostgreSQL writes them: an optional minus, digits.
fn parse_int(field: &[u8]) -> Option<i64> {
    let (negative, digits) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_sub(i64::from(c - b'0'))?;
    }
    if negative {
        Some(n)
    } else {
        n.checked_neg()
    }
}

impl CopyField for String {
    fn from_field(field: Field<'_>) -> Option<Self> {
        match field {
            Field::Text(text) => Some(std::str::from_utf8(text).ok()?.to_owned()),
            Field::Escaped(text) => Some(unescape(std::str::from_utf8(text).ok()?)),
            Field::Int(n) => Some(n.to_string()),
            Field::Null | Field::Other => None,
        }
    }
}

impl<T: CopyField> CopyField for Option<T> {
    fn from_field(field: Field<'_>) -> Option<Self> {
        match field {
            Field::Null => Some(None),
            some => T::from_field(some).map(Some),
        }
    }
}

/// The fields of one row: a COPY text line split on tabs (`\N` is NULL),
/// or a row of SQLite's.
pub(crate) enum Fields<'a> {
    Copy(Option<&'a [u8]>),
    Sqlite(&'a rusqlite::Row<'a>, usize),
}

impl<'a> Fields<'a> {
    fn new(line: &'a [u8]) -> Self {
        Fields::Copy(Some(line))
    }

    /// The next field, `None` at the end of the row.
    pub fn raw(&mut self) -> Option<Field<'a>> {
        match self {
            Fields::Copy(rest) => {
                let line = (*rest)?;
                let field = match memchr::memchr(b'\t', line) {
                    Some(tab) => {
                        *rest = Some(&line[tab + 1..]);
                        &line[..tab]
                    }
                    None => {
                        *rest = None;
                        line
                    }
                };
                Some(match field {
                    b"\\N" => Field::Null,
                    text => Field::Escaped(text),
                })
            }
            Fields::Sqlite(row, at) => {
                use rusqlite::types::ValueRef;
                let row: &'a rusqlite::Row<'a> = row;
                let value = row.get_ref(*at).ok()?;
                *at += 1;
                Some(match value {
                    ValueRef::Null => Field::Null,
                    ValueRef::Integer(n) => Field::Int(n),
                    ValueRef::Text(text) => Field::Text(text),
                    ValueRef::Real(_) | ValueRef::Blob(_) => Field::Other,
                })
            }
        }
    }

    pub fn next<T: CopyField>(&mut self) -> Option<T> {
        T::from_field(self.raw()?)
    }
}

/// COPY's text escapes undone (`COPY TO` writes only these: a backslash,
/// and \b \f \n \r \t \v for the control characters).
fn unescape(field: &str) -> String {
    if memchr::memchr(b'\\', field.as_bytes()).is_none() {
        return field.to_owned();
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

macro_rules! tuple_rows {
    ($($t:ident),+) => {
        impl<$($t: CopyField),+> CopyRow for ($($t,)+) {
            fn from_fields(fields: &mut Fields<'_>) -> Option<Self> {
                Some(($(fields.next::<$t>()?,)+))
            }
        }
    };
}
tuple_rows!(A, B);
tuple_rows!(A, B, C);
tuple_rows!(A, B, C, D);
tuple_rows!(A, B, C, D, E, F);
tuple_rows!(A, B, C, D, E, F, G, H, I, J);
tuple_rows!(A, B, C, D, E, F, G, H, I, J, K, L);

/// `sql` with each `$n` replaced by the literal of `values[n - 1]`. The
/// values are the store's own (ids, years, cut-offs, ISO dates), and text is
/// quoted by doubling quotes (`standard_conforming_strings` is on).
fn inline(sql: &str, values: &[Value]) -> String {
    let mut out = String::with_capacity(sql.len() + 16 * values.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let value = rest[at + 1..at + 1 + digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| values.get(n.checked_sub(1)?));
        match value {
            Some(Value::Int(v)) => out.push_str(&v.to_string()),
            Some(Value::Text(t)) => {
                out.push('\'');
                out.push_str(&t.replace('\'', "''"));
                out.push('\'');
            }
            None => out.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// Passes each complete line of `chunk` to `parse`, the first one joined
/// to what `partial` kept of the chunk before; keeps the unfinished end.
fn lines<E>(
    partial: &mut Vec<u8>,
    mut chunk: &[u8],
    parse: &mut impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    if !partial.is_empty() {
        let Some(end) = memchr::memchr(b'\n', chunk) else {
            partial.extend_from_slice(chunk);
            return Ok(());
        };
        partial.extend_from_slice(&chunk[..end]);
        parse(partial)?;
        partial.clear();
        chunk = &chunk[end + 1..];
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', chunk) {
        parse(&chunk[start..end])?;
        start = end + 1;
    }
    partial.extend_from_slice(&chunk[start..]);
    Ok(())
}

impl Store {
    /// The rows of `sql` (placeholders `$1`…, filled from `values`), by COPY
    /// on PostgreSQL when `transport` says so, else through the pool.
    pub(crate) async fn bulk_rows<R>(
        &self,
        sql: &str,
        values: &[Value],
        transport: Transport,
    ) -> Result<Vec<R>>
    where
        R: CopyRow + for<'r> FromRow<'r, AnyRow> + Send + Unpin + 'static,
    {
        if transport == Transport::Copy {
            match (self.backend(), &self.sqlite_file) {
                (Backend::Postgres, _) => return self.copy_rows(&inline(sql, values)).await,
                (Backend::Sqlite, Some(file)) => {
                    return sqlite_rows(file.clone(), inline(sql, values)).await
                }
                (Backend::Sqlite, None) => {}
            }
        }
        let mut query = sqlx::query_as::<_, R>(sql);
        for value in values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(t) => query.bind(t.clone()),
            };
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    async fn copy_rows<R: CopyRow>(&self, select: &str) -> Result<Vec<R>> {
        let url = self.pool.connect_options().database_url.clone();
        let options = PgConnectOptions::from_url(&url)?;
        let mut conn: PgConnection = options.connect().await?;
        let mut rows = Vec::new();
        let mut parse = |line: &[u8]| {
            let row = R::from_fields(&mut Fields::new(line)).ok_or_else(|| {
                let line = String::from_utf8_lossy(line);
                sqlx::Error::Decode(format!("unexpected COPY row: {line}").into())
            })?;
            rows.push(row);
            Ok::<_, sqlx::Error>(())
        };
        {
            let mut stream = conn
                .copy_out_raw(&format!("COPY ({select}) TO STDOUT"))
                .await?;
            // A chunk may end inside a row: that row's start waits here.
            let mut partial: Vec<u8> = Vec::new();
            while let Some(chunk) = stream.try_next().await? {
                lines(&mut partial, &chunk, &mut parse)?;
            }
            if !partial.is_empty() {
                parse(&partial)?;
            }
        }
        // The rows are read; the connection is not kept (a pool of its own
        // would have to follow failover as the main one does).
        let _ = sqlx::Connection::close(conn).await;
        Ok(rows)
    }
}

/// The rows of `select` from SQLite's `file`, on a read-only connection of
/// its own (WAL: beside the pool's writer and readers), off the async
/// workers.
async fn sqlite_rows<R: CopyRow + Send + 'static>(
    file: Arc<str>,
    select: String,
) -> Result<Vec<R>> {
    let driver = |e: rusqlite::Error| sqlx::Error::AnyDriverError(Box::new(e));
    let read = move || -> std::result::Result<Vec<R>, sqlx::Error> {
        let conn = rusqlite::Connection::open_with_flags(
            &*file,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(driver)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(driver)?;
        let mut statement = conn.prepare(&select).map_err(driver)?;
        let mut rows = statement.query([]).map_err(driver)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(driver)? {
            let read = R::from_fields(&mut Fields::Sqlite(row, 0)).ok_or_else(|| {
                sqlx::Error::Decode(format!("unexpected row of: {select}").into())
            })?;
            out.push(read);
        }
        Ok(out)
    };
    match tokio::task::spawn_blocking(read).await {
        Ok(rows) => Ok(rows?),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_literals_and_quotes_are_doubled() {
        let sql = "SELECT a FROM t WHERE x = $1 AND y = $2 AND z = $10 AND w = '$1'";
        let mut values: Vec<Value> = vec![Value::Int(-7), Value::Text("2024-06-30'; --".into())];
        values.extend((3..=10).map(Value::Int));
        assert_eq!(
            inline(sql, &values),
            "SELECT a FROM t WHERE x = -7 AND y = '2024-06-30''; --' AND z = 10 AND w = '-7'"
        );
        assert_eq!(inline("SELECT $3", &values[..2]), "SELECT $3");
    }

    #[test]
    fn rows_split_across_chunks_are_joined() {
        let text = b"1\tone\n22\ttwo\n333\tthree\n";
        for sizes in [[1, 1, 100], [2, 9, 100], [5, 20, 100], [30, 0, 0]] {
            let (mut partial, mut seen, mut at) = (Vec::new(), Vec::new(), 0);
            for size in sizes {
                let chunk = &text[at.min(text.len())..(at + size).min(text.len())];
                at += size;
                lines(&mut partial, chunk, &mut |line: &[u8]| {
                    seen.push(String::from_utf8(line.to_vec()).unwrap());
                    Ok::<_, ()>(())
                })
                .unwrap();
            }
            assert_eq!(seen, ["1\tone", "22\ttwo", "333\tthree"], "{sizes:?}");
            assert!(partial.is_empty());
        }
    }

    #[test]
    fn integers_are_read_whole_or_not_at_all() {
        let int = |s: &str| i64::from_field(Field::Escaped(s.as_bytes()));
        assert_eq!(int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(int("9223372036854775807"), Some(i64::MAX));
        assert_eq!(int("9223372036854775808"), None);
        assert_eq!(int("0"), Some(0));
        for bad in ["", "-", "12a", "1.5", " 1"] {
            assert_eq!(int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn text_fields_are_unescaped_and_null_is_none() {
        let mut f = Fields::new(b"12\t\\N\ta\\tb\\\\c\\nd\t-3");
        assert_eq!(f.next::<i64>(), Some(12));
        assert_eq!(f.next::<Option<String>>(), Some(None));
        assert_eq!(f.next::<String>(), Some("a\tb\\c\nd".to_owned()));
        assert_eq!(f.next::<Option<i64>>(), Some(Some(-3)));
        assert_eq!(f.next::<i64>(), None);
        let row: Option<(i64, String)> = CopyRow::from_fields(&mut Fields::new(b"1\t\\N"));
        assert_eq!(row, None, "NULL where a value must be is an error");
    }
}
