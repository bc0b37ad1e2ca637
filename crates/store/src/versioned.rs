//! Optimistic concurrency checked by the database, not by Rust: a writer
//! claims a row at the version it read with a conditional UPDATE, which both
//! compares and locks in one statement. A concurrent writer at the same version
//! waits for the row, then finds the version moved and gets a conflict.

use sqlx::AnyConnection;

use crate::error::{Result, StoreError};

/// Locks row `id` of `table` for this transaction if it is still at
/// `expected`; `Conflict` if another writer moved it, `NotFound` if absent.
/// The statement changes nothing itself: the write that follows bumps the
/// version. Only for tables without update triggers (those keep history).
pub(crate) async fn claim(
    conn: &mut AnyConnection,
    table: &'static str,
    id: i64,
    expected: i64,
) -> Result<()> {
    let claimed = sqlx::query(&format!(
        "UPDATE {table} SET version = version WHERE id = $1 AND version = $2"
    ))
    .bind(id)
    .bind(expected)
    .execute(&mut *conn)
    .await?;
    if claimed.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Err(match exists {
        Some(_) => StoreError::Conflict,
        None => StoreError::NotFound,
    })
}

/// Takes the row lock of `id` first in a transaction that writes a part of
/// it (a project's plan, month, blocker, milestones): then every writer of a
/// project locks the project row before the audit head, as a project edit
/// does, and two of them cannot deadlock.
pub(crate) async fn lock(conn: &mut AnyConnection, table: &'static str, id: i64) -> Result<()> {
    let locked = sqlx::query(&format!(
        "UPDATE {table} SET version = version WHERE id = $1"
    ))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    match locked.rows_affected() {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// The rows a versioned UPDATE or DELETE touched: none means someone else
/// changed the row since it was read.
pub(crate) fn one_row(done: sqlx::any::AnyQueryResult) -> Result<()> {
    match done.rows_affected() {
        0 => Err(StoreError::Conflict),
        _ => Ok(()),
    }
}
