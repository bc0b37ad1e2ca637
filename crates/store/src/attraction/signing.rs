//! After signing: the money that has arrived (资金到位), month by month and by
//! where it came from, and the lead's conversion into a key project of the
//! ledger, both sides keeping the link.

use kfq_attraction::Origin;
use kfq_calendar::Period;
use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, LeadSight, LeadWrite, Money, Stage, ZoneWrite};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::leads::{audit_lead, fetch_unscoped, lead_within};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::ledger::RagContext;
use crate::{now_ms, Actor, Lead, Project, ProjectInput, Store};

/// Money of a signed lead that arrived in a month from one origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundEntry {
    /// YYYY-MM.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Period,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub origin: Origin,
    /// Yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub amount: Money,
}

impl Store {
    /// A lead's arrived money, by month then origin.
    pub async fn lead_funds(&self, lead_id: i64) -> Result<Vec<FundEntry>> {
        let rows = sqlx::query(
            "SELECT month, origin, amount FROM lead_funds WHERE lead_id = $1 ORDER BY month, origin",
        )
        .bind(lead_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let month: String = r.try_get("month")?;
                Ok(FundEntry {
                    month: Period::parse(&month).map_err(|e| sqlx::Error::Decode(e.into()))?,
                    origin: decode::code(r, "origin")?,
                    amount: decode::money(r, "amount")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(Into::into)
    }

    /// Sets what arrived in `entry.month` from `entry.origin` (zero takes it
    /// off) at the lead's `expected_version`; the caller has checked that
    /// the lead is signed and the month not ahead.
    pub async fn set_lead_fund(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        lead_id: i64,
        expected_version: i64,
        entry: &FundEntry,
    ) -> Result<Lead> {
        let mut tx = self.begin_write().await?;
        let before = lead_within(&mut tx, proof, lead_id).await?;
        crate::versioned::claim(&mut tx, "leads", lead_id, expected_version).await?;
        let month = entry.month.code();
        sqlx::query("DELETE FROM lead_funds WHERE lead_id = $1 AND month = $2 AND origin = $3")
            .bind(lead_id)
            .bind(&month)
            .bind(entry.origin.code())
            .execute(&mut *tx)
            .await?;
        let now = now_ms();
        if entry.amount > Money::ZERO {
            sqlx::query(
                "INSERT INTO lead_funds (zone_id, lead_id, month, origin, amount, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(before.zone_id)
            .bind(lead_id)
            .bind(&month)
            .bind(entry.origin.code())
            .bind(entry.amount.yuan())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE leads SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        let after = fetch_unscoped(&mut tx, lead_id).await?;
        audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Makes the lead a key project of the ledger at `stage`, in one
    /// transaction: the project created by the ledger's own rules, the lead
    /// pointing at it. Both proofs are needed: the lead's and the ledger's.
    #[allow(clippy::too_many_arguments)]
    pub async fn convert_lead(
        &self,
        actor: &Actor,
        proofs: (&LeadWrite, &ZoneWrite),
        lead_id: i64,
        expected_version: i64,
        project: &ProjectInput,
        stage: Stage,
        ctx: &RagContext<'_>,
    ) -> Result<(Lead, Project)> {
        let mut tx = self.begin_write().await?;
        let done = convert_in(
            &mut tx,
            actor,
            proofs,
            lead_id,
            expected_version,
            project,
            stage,
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The lead a project came from, if the reader sees it.
    pub async fn lead_of_project(
        &self,
        sight: &LeadSight,
        project_id: i64,
    ) -> Result<Option<Lead>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(&self.pool)
            .await?;
        match id {
            None => Ok(None),
            Some(id) => match self.lead(sight, id).await {
                Ok(lead) => Ok(Some(lead)),
                Err(StoreError::NotFound) => Ok(None),
                Err(other) => Err(other),
            },
        }
    }
}

/// A signed lead made a key project, within the caller's transaction (a
/// campaign taking the lead adds the project in the same one).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn convert_in(
    tx: &mut AnyConnection,
    actor: &Actor,
    (lead_proof, zone_proof): (&LeadWrite, &ZoneWrite),
    lead_id: i64,
    expected_version: i64,
    project: &ProjectInput,
    stage: Stage,
    ctx: &RagContext<'_>,
) -> Result<(Lead, Project)> {
    let before = lead_within(&mut *tx, lead_proof, lead_id).await?;
    crate::versioned::claim(&mut *tx, "leads", lead_id, expected_version).await?;
    if before.project_id.is_some() {
        return Err(StoreError::Invalid(FieldErrors::single(
            "project_id",
            "error.lead.converted",
        )));
    }
    let created =
        crate::ledger::project::create_in(&mut *tx, actor, zone_proof, project, stage, ctx).await?;
    sqlx::query(
        "UPDATE leads SET project_id = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(created.id)
    .bind(now_ms())
    .bind(lead_id)
    .execute(&mut *tx)
    .await?;
    let after = fetch_unscoped(&mut *tx, lead_id).await?;
    audit_lead(&mut *tx, actor, AuditAction::Update, Some(&before), &after).await?;
    Ok((after, created))
}
