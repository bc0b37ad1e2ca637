//! The audit trail: every create, update and delete writes a record in the same
//! transaction as the change. Records form one hash chain per zone; the chain's
//! head row is updated first, which locks it until commit, so concurrent writers
//! on PostgreSQL (even from several instances) take turns and never fork a chain.

use kfq_domain::audit::{
    AuditAction, AuditRecord, AuditScope, BrokenLink, ChainVerifier, GENESIS, PERSONAL_ENTITIES,
};
use kfq_domain::{OrgPath, Visibility};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::bulk_insert::Rows;
use crate::error::Result;
use crate::sql::Sql;
use crate::{now_ms, Store};

/// Who makes a change: a signed-in user, or the system itself (CLI, demo).
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(user_id: i64, name: &str) -> Self {
        Self {
            user_id: Some(user_id),
            name: name.to_owned(),
        }
    }

    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            name: name.to_owned(),
        }
    }
}

/// What changed, to be recorded.
pub(crate) struct Change<'a, T: Serialize> {
    pub action: AuditAction,
    pub entity: &'static str,
    pub entity_id: i64,
    /// The zone whose chain records it; `None` for data above zones (chain 0).
    pub zone_id: Option<i64>,
    /// The owning unit's path: who may read the record.
    pub scope_path: &'a OrgPath,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

impl<T: Serialize> Change<'_, T> {
    /// The change as the record numbered `seq` of `chain`, after `prev_hash`.
    fn sealed(
        &self,
        chain: i64,
        seq: i64,
        at_ms: i64,
        actor: &Actor,
        prev_hash: String,
    ) -> Result<AuditRecord> {
        Ok(AuditRecord {
            chain,
            seq,
            at_ms,
            actor_id: actor.user_id,
            actor_name: actor.name.clone(),
            action: self.action.code().to_owned(),
            entity: self.entity.to_owned(),
            entity_id: self.entity_id,
            before: self.before.map(serde_json::to_string).transpose()?,
            after: self.after.map(serde_json::to_string).transpose()?,
            prev_hash,
            hash: String::new(),
        }
        .seal())
    }
}

/// Appends one record to its chain, inside the caller's transaction.
pub(crate) async fn record<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_, T>,
) -> Result<()> {
    let chain = change.zone_id.unwrap_or(0);
    sqlx::query("INSERT INTO audit_heads (chain, seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING")
        .bind(chain)
        .bind(GENESIS)
        .execute(&mut *conn)
        .await?;
    // The UPDATE takes the row lock before we read the head.
    let head = sqlx::query(
        "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, last_hash",
    )
    .bind(chain)
    .fetch_one(&mut *conn)
    .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("last_hash")?;
    let record = change.sealed(chain, seq, now_ms(), actor, prev_hash)?;
    sqlx::query(
        "INSERT INTO audit_log (chain, seq, at, actor_id, actor_name, action, entity, entity_id, scope_path, \
         before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(record.chain)
    .bind(record.seq)
    .bind(record.at_ms)
    .bind(record.actor_id)
    .bind(&record.actor_name)
    .bind(&record.action)
    .bind(&record.entity)
    .bind(record.entity_id)
    .bind(change.scope_path.as_str())
    .bind(&record.before)
    .bind(&record.after)
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_heads SET last_hash = $1 WHERE chain = $2")
        .bind(&record.hash)
        .bind(chain)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Audit columns per record, for multi-row inserts.
const AUDIT_COLUMNS: [&str; 13] = [
    "chain",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "scope_path",
    "before_json",
    "after_json",
    "prev_hash",
    "hash",
];

/// Appends many records of one chain at once, inside the caller's
/// transaction: the same records [`record`] would write one by one, with the
/// head read and moved once and the rows written a few hundred a statement.
pub(crate) async fn record_many<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    changes: &[Change<'_, T>],
) -> Result<()> {
    let Some(first) = changes.first() else {
        return Ok(());
    };
    let chain = first.zone_id.unwrap_or(0);
    debug_assert!(changes.iter().all(|c| c.zone_id.unwrap_or(0) == chain));
    let mut head = take_seqs(conn, chain, changes.len()).await?;
    let mut rows = audit_rows();
    head.seal_into(&mut rows, actor, now_ms(), changes)?;
    rows.write(conn).await?;
    head.store(conn).await
}

/// A chain's next records, numbered before they are made: its head row is
/// locked and moved past them at once, so records can be sealed away from
/// the connection (a large import's are sealed while its rows are written),
/// and [`ChainHead::store`] sets the hash of the last.
pub(crate) struct ChainHead {
    chain: i64,
    next_seq: i64,
    last_hash: String,
}

/// Takes the next `n` numbers of `chain`, within the caller's transaction.
pub(crate) async fn take_seqs(conn: &mut AnyConnection, chain: i64, n: usize) -> Result<ChainHead> {
    sqlx::query("INSERT INTO audit_heads (chain, seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING")
        .bind(chain)
        .bind(GENESIS)
        .execute(&mut *conn)
        .await?;
    let head = sqlx::query(
        "UPDATE audit_heads SET seq = seq + $1 WHERE chain = $2 RETURNING seq, last_hash",
    )
    .bind(n as i64)
    .bind(chain)
    .fetch_one(&mut *conn)
    .await?;
    let last_seq: i64 = head.try_get("seq")?;
    Ok(ChainHead {
        chain,
        next_seq: last_seq - n as i64 + 1,
        last_hash: head.try_get("last_hash")?,
    })
}

/// Rows of `audit_log`, for [`ChainHead::seal_into`].
pub(crate) fn audit_rows() -> Rows {
    Rows::new("audit_log", &AUDIT_COLUMNS)
}

impl ChainHead {
    /// Seals `changes` as the chain's next records, at `at_ms`, into `rows`.
    /// Every change must be of this chain, and no more may be sealed than
    /// were taken.
    pub(crate) fn seal_into<T: Serialize>(
        &mut self,
        rows: &mut Rows,
        actor: &Actor,
        at_ms: i64,
        changes: &[Change<'_, T>],
    ) -> Result<()> {
        for change in changes {
            debug_assert_eq!(change.zone_id.unwrap_or(0), self.chain);
            let prev_hash = std::mem::take(&mut self.last_hash);
            let record = change.sealed(self.chain, self.next_seq, at_ms, actor, prev_hash)?;
            self.next_seq += 1;
            self.last_hash = record.hash.clone();
            rows.push([
                record.chain.into(),
                record.seq.into(),
                record.at_ms.into(),
                record.actor_id.into(),
                record.actor_name.into(),
                record.action.into(),
                record.entity.into(),
                record.entity_id.into(),
                change.scope_path.as_str().into(),
                record.before.into(),
                record.after.into(),
                record.prev_hash.into(),
                record.hash.into(),
            ]);
        }
        Ok(())
    }

    /// Sets the chain's head to the last record sealed.
    pub(crate) async fn store(&self, conn: &mut AnyConnection) -> Result<()> {
        sqlx::query("UPDATE audit_heads SET last_hash = $1 WHERE chain = $2")
            .bind(&self.last_hash)
            .bind(self.chain)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// One record as the history page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub hash: String,
}

/// The audited parts of a project: their entity and the ids of a project's
/// rows of it (the statement ends with the project's id).
const PROJECT_PARTS: &[(&str, &str)] = &[
    ("project_plan", "SELECT id FROM project_plans WHERE project_id = "),
    ("project_investment", "SELECT id FROM project_investments WHERE project_id = "),
    ("project_opening", "SELECT id FROM project_openings WHERE project_id = "),
    ("blocker", "SELECT id FROM blockers WHERE project_id = "),
    (
        "blocker_decision",
        "SELECT d.id FROM blocker_decisions d JOIN blockers b ON b.id = d.blocker_id WHERE b.project_id = ",
    ),
    ("project_milestone", "SELECT id FROM project_milestones WHERE project_id = "),
    ("project_baseline", "SELECT id FROM project_baselines WHERE project_id = "),
];

/// What `kfq audit verify` found.
#[derive(Debug, Clone, Default)]
pub struct ChainReport {
    pub chains: usize,
    pub records: i64,
    pub broken: Option<BrokenLink>,
}

const RECORD_COLUMNS: &str =
    "chain, seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash";

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        chain: row.try_get("chain")?,
        seq: row.try_get("seq")?,
        at_ms: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        actor_name: row.try_get("actor_name")?,
        action: row.try_get("action")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        before: row.try_get("before_json")?,
        after: row.try_get("after_json")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl Store {
    /// The history of one object, newest first, if the caller may see it.
    pub async fn audit_history(
        &self,
        scope: impl Into<AuditScope>,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, hash \
             FROM audit_log WHERE entity = ",
        );
        sql.bind(entity)
            .push(" AND entity_id = ")
            .bind(entity_id)
            .push(" AND ");
        scope_audit(&mut sql, &scope.into(), entity);
        sql.push(" ORDER BY id DESC LIMIT 500");
        Ok(sql.query_as::<AuditEntry>().fetch_all(&self.pool).await?)
    }

    /// The history of a project and of what belongs to it (its plans, months,
    /// opening cumulative, blockers and their dispatch decisions, milestones,
    /// baselines, campaign entries), newest first, in one statement. Read with
    /// the visibility the project was read with, as [`Store::audit_history`].
    pub async fn project_audit_history(
        &self,
        scope: impl Into<AuditScope>,
        project_id: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, hash \
             FROM audit_log WHERE ((entity IN ('project', 'project_milestones', 'campaign_project') AND entity_id = ",
        );
        sql.bind(project_id).push(")");
        for (entity, ids) in PROJECT_PARTS {
            sql.push(&format!(" OR (entity = '{entity}' AND entity_id IN ({ids}"))
                .bind(project_id)
                .push("))");
        }
        sql.push(") AND ");
        scope_audit(&mut sql, &scope.into(), "project");
        sql.push(" ORDER BY id DESC LIMIT 500");
        Ok(sql.query_as::<AuditEntry>().fetch_all(&self.pool).await?)
    }

    /// The latest records the caller may see, newest first.
    pub async fn audit_recent(
        &self,
        scope: impl Into<AuditScope>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, hash \
             FROM audit_log WHERE ",
        );
        scope_audit(&mut sql, &scope.into(), "enterprise");
        sql.push(" ORDER BY id DESC LIMIT ")
            .bind(limit.clamp(1, 500));
        Ok(sql.query_as::<AuditEntry>().fetch_all(&self.pool).await?)
    }

    /// Walks every chain from its start, in pages, and reports the first broken
    /// link; also compares each chain's end with its stored head, which catches
    /// records cut off the end.
    pub async fn audit_verify(&self) -> Result<ChainReport> {
        let heads = sqlx::query("SELECT chain, seq, last_hash FROM audit_heads ORDER BY chain")
            .fetch_all(&self.pool)
            .await?;
        let mut report = ChainReport::default();
        for head in heads {
            let chain: i64 = head.try_get("chain")?;
            let head_seq: i64 = head.try_get("seq")?;
            let head_hash: String = head.try_get("last_hash")?;
            report.chains += 1;
            let mut verifier = ChainVerifier::new(chain);
            let mut after_seq = 0_i64;
            loop {
                let rows = sqlx::query(&format!(
                    "SELECT {RECORD_COLUMNS} FROM audit_log WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT 1000"
                ))
                .bind(chain)
                .bind(after_seq)
                .fetch_all(&self.pool)
                .await?;
                if rows.is_empty() {
                    break;
                }
                for row in &rows {
                    let record = record_from_row(row)?;
                    after_seq = record.seq;
                    if let Err(broken) = verifier.push(&record) {
                        report.broken = Some(broken);
                        return Ok(report);
                    }
                    report.records += 1;
                }
            }
            let (seq, hash) = verifier.head();
            if seq != head_seq || hash != head_hash {
                report.broken = Some(BrokenLink {
                    chain,
                    seq: seq + 1,
                    reason: kfq_domain::audit::BreakReason::Gap,
                });
                return Ok(report);
            }
        }
        Ok(report)
    }
}

/// Audit records are read like the objects they describe: records about
/// people as the accounts, the rest as the data (an enterprise user sees the
/// history of their own enterprise only).
fn scope_audit(sql: &mut Sql, scope: &AuditScope, entity: &str) {
    let personal = PERSONAL_ENTITIES
        .iter()
        .map(|e| format!("'{e}'"))
        .collect::<Vec<_>>()
        .join(", ");
    sql.push(&format!("((entity NOT IN ({personal}) AND "));
    match &scope.data {
        Visibility::Enterprise(id) if entity == "enterprise" => {
            sql.push("(entity = 'enterprise' AND entity_id = ")
                .bind(*id)
                .push(")");
        }
        data => {
            sql.scope(data, "scope_path", None);
        }
    }
    sql.push(&format!(") OR (entity IN ({personal}) AND "));
    sql.scope(&scope.people, "scope_path", None);
    sql.push("))");
}
