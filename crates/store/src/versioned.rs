//! Optimistic concurrency checked by the database, not by Rust: a writer
//! claims a row at the version it read with a conditional UPDATE, which both
//! compares and locks in one statement. A concurrent writer at the same version
//! waits for the row, then finds the version moved and gets a conflict.

use kfq_domain::audit::AuditAction;
use kfq_domain::OrgPath;
use sqlx::AnyConnection;

use crate::audit::{record, Actor, Change};
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

/// Deletes row `id` of `table`, already claimed at its version, and records
/// the deletion with the row's last state (`before`), in the caller's
/// transaction. What must go with it (its parts) the caller removes first.
pub(crate) async fn delete_claimed<T: serde::Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    (table, entity): (&'static str, &'static str),
    id: i64,
    (zone_id, scope_path): (Option<i64>, &OrgPath),
    before: &T,
) -> Result<()> {
    sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record(
        conn,
        actor,
        Change {
            action: AuditAction::Delete,
            entity,
            entity_id: id,
            zone_id,
            scope_path,
            before: Some(before),
            after: None,
        },
    )
    .await
}

/// Refuses to delete a row that others still refer to (`dependants` of
/// them), as a field error with the catalogue `key` that says why.
pub(crate) fn refuse_if_referred(dependants: i64, key: &'static str) -> Result<()> {
    if dependants > 0 {
        Err(StoreError::Invalid(kfq_domain::FieldErrors::single(
            "id", key,
        )))
    } else {
        Ok(())
    }
}
