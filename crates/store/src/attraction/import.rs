//! A 招商项目台账 committed: its new leads and the leads it moves on or
//! fills in, in one transaction — all of it or, when a lead changed since
//! the plan was shown (its version), none of it.

use kfq_attraction::LeadStage;
use kfq_domain::audit::AuditAction;
use kfq_domain::{LeadWrite, Money, Mu};
use sqlx::AnyConnection;

use super::bulk::{insert_records, LeadRecord};
use super::leads::{audit_lead, fetch_unscoped, lead_within, StageMove};
use super::zone_within;
use crate::audit::Actor;
use crate::error::Result;
use crate::{now_ms, within, Store};

/// What a row changes of a lead the zone has: each figure given replaces
/// the lead's (none clears one), and at most one move forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadUpdate {
    pub id: i64,
    /// The version the plan was made against.
    pub version: i64,
    pub investment: Option<Money>,
    pub land: Option<Mu>,
    pub energy_tce: Option<i64>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i64>,
    pub referrer: Option<String>,
    pub task_force: Option<String>,
    /// Taken as given: the caller checked it by the stage rules.
    pub step: Option<StageMove>,
}

/// What a committed import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadImportDone {
    pub created: Vec<i64>,
    pub updated: Vec<i64>,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Store {
    /// Commits a planned workbook for one zone, all or none, within a proof
    /// that covers the whole zone (an import touches leads of everyone).
    pub async fn apply_lead_import(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        zone_id: i64,
        records: &[LeadRecord],
        updates: &[LeadUpdate],
    ) -> Result<LeadImportDone> {
        within(proof.only_of().is_none())?;
        let mut tx = self.begin_write().await?;
        let zone_path = zone_within(&mut tx, proof, zone_id).await?;
        let mut updated = Vec::with_capacity(updates.len());
        for u in updates {
            let before = lead_within(&mut tx, proof, u.id).await?;
            within(before.zone_id == zone_id)?;
            update_one(&mut tx, actor, u, before.stage).await?;
            if u.step
                .as_ref()
                .is_some_and(|s| s.to == LeadStage::Terminated)
                && before.first_talk
            {
                super::first_talk::drop_claim(&mut tx, u.id).await?;
            }
            let after = fetch_unscoped(&mut tx, u.id).await?;
            audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
            updated.push(u.id);
        }
        let created = insert_records(&mut tx, actor, (zone_id, &zone_path), records).await?;
        tx.commit().await?;
        Ok(LeadImportDone { created, updated })
    }
}

/// One statement for the figures and the move, held to the version.
async fn update_one(
    conn: &mut AnyConnection,
    actor: &Actor,
    u: &LeadUpdate,
    from: LeadStage,
) -> Result<()> {
    let step = u.step.as_ref();
    let now = now_ms();
    crate::versioned::one_row(
        sqlx::query(
            "UPDATE leads SET investment = COALESCE($1, investment), \
             land_mu_hundredths = COALESCE($2, land_mu_hundredths), energy_tce = COALESCE($3, energy_tce), \
             expected_output = COALESCE($4, expected_output), expected_tax = COALESCE($5, expected_tax), \
             expected_jobs = COALESCE($6, expected_jobs), referrer = COALESCE($7, referrer), \
             task_force = COALESCE($8, task_force), \
             stage = COALESCE($9, stage), stage_since = COALESCE($10, stage_since), \
             left_at = CASE WHEN $9 IS NULL THEN left_at WHEN $9 = 'terminated' THEN stage ELSE NULL END, \
             signed_on = COALESCE($11, signed_on), signed_amount = COALESCE($12, signed_amount), \
             agreement = COALESCE($13, agreement), enterprise_name = COALESCE($14, enterprise_name), \
             enterprise_credit_code = COALESCE($15, enterprise_credit_code), \
             started_on = COALESCE($16, started_on), produced_on = COALESCE($17, produced_on), \
             terminated_reason = CASE WHEN $9 IS NULL THEN terminated_reason ELSE $18 END, \
             last_touch_on = CASE WHEN $10 IS NOT NULL AND last_touch_on < $10 THEN $10 ELSE last_touch_on END, \
             version = version + 1, updated_at = $19 WHERE id = $20 AND version = $21",
        )
        .bind(u.investment.map(Money::yuan))
        .bind(u.land.map(|m| m.hundredths()))
        .bind(u.energy_tce)
        .bind(u.expected_output.map(Money::yuan))
        .bind(u.expected_tax.map(Money::yuan))
        .bind(u.expected_jobs)
        .bind(&u.referrer)
        .bind(&u.task_force)
        .bind(step.map(|s| s.to.code()))
        .bind(step.map(|s| day(s.on)))
        .bind(step.and_then(|s| s.signed_on).map(day))
        .bind(step.and_then(|s| s.signed_amount).map(Money::yuan))
        .bind(step.and_then(|s| s.agreement).map(|a| a.code()))
        .bind(step.and_then(|s| s.enterprise_name.clone()))
        .bind(step.and_then(|s| s.enterprise_credit_code.as_ref().map(|c| c.as_str().to_owned())))
        .bind(step.and_then(|s| s.started_on).map(day))
        .bind(step.and_then(|s| s.produced_on).map(day))
        .bind(step.and_then(|s| s.terminated_reason.clone()))
        .bind(now)
        .bind(u.id)
        .bind(u.version)
        .execute(&mut *conn)
        .await?,
    )?;
    if let Some(step) = step {
        sqlx::query(
            "INSERT INTO lead_stage_changes (zone_id, lead_id, from_stage, to_stage, on_date, note, changed_by, changed_at) \
             SELECT zone_id, id, $1, $2, $3, $4, $5, $6 FROM leads WHERE id = $7",
        )
        .bind(from.code())
        .bind(step.to.code())
        .bind(day(step.on))
        .bind(&step.note)
        .bind(&actor.name)
        .bind(now)
        .bind(u.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Store {
    /// The name of the province a zone lies in ("山西省"), if it lies in one.
    pub async fn province_name(&self, zone_path: &kfq_domain::OrgPath) -> Result<Option<String>> {
        let mut q = crate::sql::Sql::new("SELECT name FROM org_units WHERE kind = ");
        q.bind(kfq_domain::OrgKind::Province.code())
            .push(" AND ")
            .any_of("id", zone_path.ids());
        Ok(q.query_scalar::<String>()
            .fetch_optional(&self.pool)
            .await?)
    }
}
