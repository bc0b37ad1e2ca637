//! 三个一批 campaigns: the campaign, the projects put on record in it (as
//! they stood then), and what a look-back needs of each since: its stage
//! history, its months and its open blockers. The look-back itself is
//! `kfq_domain::campaign`.

use std::collections::HashMap;

use kfq_domain::audit::AuditAction;
use kfq_domain::{OrgPath, UnitWrite, Visibility};
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::ledger::{MonthlyInvestment, StageChange};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

/// A project's history since it was put on record, for a look-back.
#[derive(Debug, Clone, Default)]
pub struct CampaignHistory {
    pub stage_changes: Vec<StageChange>,
    pub months: Vec<MonthlyInvestment>,
    /// Open blockers: factor, description, deadline.
    pub open_blockers: Vec<(String, String, Option<String>)>,
}

/// A row of some project.
#[derive(sqlx::FromRow)]
struct Of<T> {
    project_id: i64,
    #[sqlx(flatten)]
    row: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    /// signing, starting, producing, ceremony
    pub kind: String,
    pub name: String,
    pub held_on: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

/// A project as put on record in a campaign, with its name now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignProject {
    pub project_id: i64,
    pub name: String,
    pub zone_id: i64,
    pub zone_name: String,
    /// As announced, yuan.
    pub total_investment: i64,
    pub category: String,
    /// The stage when added.
    pub stage: String,
    /// The stage now.
    pub stage_now: String,
}

/// A project taken off a campaign, with why and when (ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DroppedProject {
    pub project_id: i64,
    pub name: String,
    pub zone_name: String,
    pub drop_reason: String,
    pub dropped_at: i64,
}

#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub org_id: i64,
    pub kind: String,
    pub name: String,
    pub held_on: String,
    pub note: Option<String>,
}

const CAMPAIGN_COLUMNS: &str =
    "c.id, c.org_id, o.name AS org_name, o.path AS org_path, c.kind, c.name, c.held_on, \
     c.note, c.created_by, c.created_at";

impl Store {
    /// Creates a campaign of a unit `proof` covers.
    pub async fn create_campaign(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        input: &CampaignInput,
    ) -> Result<Campaign> {
        let mut tx = self.begin_write().await?;
        let (path, zone_id): (String, Option<i64>) =
            sqlx::query_as("SELECT path, zone_id FROM org_units WHERE id = $1")
                .bind(input.org_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let org_path = OrgPath::parse(&path).map_err(|_| StoreError::NotFound)?;
        within(proof.covers(&org_path))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (org_id, kind, name, held_on, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(input.org_id)
        .bind(&input.kind)
        .bind(&input.name)
        .bind(&input.held_on)
        .bind(&input.note)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let campaign: Campaign = sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN org_units o ON o.id = c.org_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "campaign",
                entity_id: id,
                zone_id,
                scope_path: &org_path,
                before: None,
                after: Some(&campaign),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(campaign)
    }

    pub async fn campaigns(&self, visibility: &Visibility) -> Result<Vec<Campaign>> {
        let mut q = Sql::new(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN org_units o ON o.id = c.org_id WHERE "
        ));
        q.scope(visibility, "o.path", None)
            .push(" ORDER BY c.held_on DESC, c.id DESC");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    pub async fn campaign(&self, visibility: &Visibility, id: i64) -> Result<Campaign> {
        let mut q = Sql::new(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN org_units o ON o.id = c.org_id WHERE c.id = "
        ));
        q.bind(id).push(" AND ").scope(visibility, "o.path", None);
        q.query_as()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Puts a project on record in a campaign, as it stands now. The
    /// campaign's unit lies within `proof`, and the project under that unit.
    pub async fn add_to_campaign(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        campaign: &Campaign,
        project_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        add_in(&mut tx, actor, proof, campaign, project_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A signed lead made a key project and put on record in the campaign
    /// (a 签约一批 taking what 招商 signed), in one transaction: the
    /// project, the lead's link to it and the campaign line stand or fall
    /// together.
    #[allow(clippy::too_many_arguments)]
    pub async fn take_lead_into_campaign(
        &self,
        actor: &Actor,
        (lead_proof, zone_proof, unit_proof): (
            &kfq_domain::LeadWrite,
            &kfq_domain::ZoneWrite,
            &UnitWrite,
        ),
        campaign: &Campaign,
        lead_id: i64,
        expected_version: i64,
        project: &crate::ProjectInput,
        stage: kfq_domain::Stage,
        ctx: &crate::ledger::RagContext<'_>,
    ) -> Result<(crate::Lead, crate::Project)> {
        let mut tx = self.begin_write().await?;
        campaign_within(&mut tx, unit_proof, campaign.id).await?;
        let done = crate::attraction::convert_in(
            &mut tx,
            actor,
            (lead_proof, zone_proof),
            lead_id,
            expected_version,
            project,
            stage,
            ctx,
        )
        .await?;
        add_in(&mut tx, actor, unit_proof, campaign, done.1.id).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Takes a project off a campaign with the reason, audited; it stays on
    /// record (see [`Store::campaign_dropped`]) and leaves the look-back.
    pub async fn drop_from_campaign(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        campaign: &Campaign,
        project_id: i64,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        campaign_within(&mut tx, proof, campaign.id).await?;
        let entry: Option<(i64, String)> = sqlx::query_as(
            "SELECT cp.zone_id, z.path FROM campaign_projects cp JOIN org_units z ON z.id = cp.zone_id \
             WHERE cp.campaign_id = $1 AND cp.project_id = $2 AND cp.dropped_at IS NULL",
        )
        .bind(campaign.id)
        .bind(project_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((zone_id, zone_path)) = entry else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(
            "UPDATE campaign_projects SET dropped_at = $1, drop_reason = $2 WHERE campaign_id = $3 AND project_id = $4",
        )
        .bind(now_ms())
        .bind(reason)
        .bind(campaign.id)
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
        let before = serde_json::json!({"campaign_id": campaign.id, "project_id": project_id});
        let after = serde_json::json!({"campaign_id": campaign.id, "project_id": project_id,
            "drop_reason": reason});
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "campaign_project",
                entity_id: project_id,
                zone_id: Some(zone_id),
                scope_path: &OrgPath::parse(&zone_path)
                    .unwrap_or_else(|_| OrgPath::root_of(zone_id)),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The projects taken off a campaign, with why.
    pub async fn campaign_dropped(&self, campaign_id: i64) -> Result<Vec<DroppedProject>> {
        Ok(sqlx::query_as(
            "SELECT cp.project_id, p.name, z.name AS zone_name, cp.drop_reason, cp.dropped_at \
             FROM campaign_projects cp JOIN projects p ON p.id = cp.project_id \
             JOIN org_units z ON z.id = cp.zone_id WHERE cp.campaign_id = $1 AND cp.dropped_at IS NOT NULL \
             ORDER BY cp.dropped_at, cp.project_id",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn campaign_projects(&self, campaign_id: i64) -> Result<Vec<CampaignProject>> {
        Ok(sqlx::query_as(
            "SELECT cp.project_id, p.name, cp.zone_id, z.name AS zone_name, cp.total_investment, cp.category, \
             cp.stage, p.stage AS stage_now FROM campaign_projects cp JOIN projects p ON p.id = cp.project_id \
             JOIN org_units z ON z.id = cp.zone_id WHERE cp.campaign_id = $1 AND cp.dropped_at IS NULL \
             ORDER BY cp.zone_id, cp.project_id",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// What a look-back needs of every project of a campaign, in three
    /// statements whatever the campaign's size: each project's stage history,
    /// its months, and its blockers open on `as_of` (raised by then, not yet
    /// resolved: factor, description, deadline).
    pub async fn campaign_histories(
        &self,
        campaign_id: i64,
        as_of: &str,
    ) -> Result<HashMap<i64, CampaignHistory>> {
        let mut out: HashMap<i64, CampaignHistory> = HashMap::new();
        let changes: Vec<Of<StageChange>> = sqlx::query_as(
            "SELECT c.project_id, c.id, c.from_stage, c.to_stage, c.on_date, c.correction, c.reason, \
             c.actor_name, c.at FROM project_stage_changes c \
             JOIN campaign_projects cp ON cp.project_id = c.project_id AND cp.campaign_id = $1 \
             ORDER BY c.project_id, c.on_date, c.id",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        for row in changes {
            out.entry(row.project_id)
                .or_default()
                .stage_changes
                .push(row.row);
        }
        let months: Vec<MonthlyInvestment> = sqlx::query_as(
            "SELECT i.id, i.project_id, i.year, i.month, i.amount, i.note, i.version \
             FROM project_investments i \
             JOIN campaign_projects cp ON cp.project_id = i.project_id AND cp.campaign_id = $1 \
             ORDER BY i.project_id, i.year, i.month",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        for month in months {
            out.entry(month.project_id).or_default().months.push(month);
        }
        let blockers: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT b.project_id, b.factor, b.description, b.deadline FROM blockers b \
             JOIN campaign_projects cp ON cp.project_id = b.project_id AND cp.campaign_id = $1 \
             WHERE b.raised_on <= $2 AND (b.status <> 'resolved' OR b.resolved_on > $2) \
             ORDER BY b.project_id, b.raised_on, b.id",
        )
        .bind(campaign_id)
        .bind(as_of)
        .fetch_all(&self.pool)
        .await?;
        for (project_id, factor, description, deadline) in blockers {
            out.entry(project_id)
                .or_default()
                .open_blockers
                .push((factor, description, deadline));
        }
        Ok(out)
    }
}

/// The stored path of campaign `id`'s unit, read in the writing transaction,
/// when `proof` covers it; `NotFound` otherwise, as for a campaign not there.
async fn campaign_within(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    proof: &UnitWrite,
    id: i64,
) -> Result<String> {
    let path: String = sqlx::query_scalar(
        "SELECT o.path FROM campaigns c JOIN org_units o ON o.id = c.org_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    within(OrgPath::parse(&path).is_ok_and(|p| proof.covers(&p)))?;
    Ok(path)
}

/// Puts the project on record in the campaign within the caller's transaction.
async fn add_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    proof: &UnitWrite,
    campaign: &Campaign,
    project_id: i64,
) -> Result<()> {
    let campaign_path = campaign_within(tx, proof, campaign.id).await?;
    let project: Option<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT p.zone_id, p.total_investment, p.category, p.stage, z.path FROM projects p \
         JOIN org_units z ON z.id = p.zone_id WHERE p.id = $1",
    )
    .bind(project_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((zone_id, total, category, stage, zone_path)) = project else {
        return Err(StoreError::NotFound);
    };
    if !zone_path.starts_with(&campaign_path) {
        return Err(StoreError::NotFound);
    }
    // A project dropped before comes back, as it stands now.
    let added = sqlx::query(
        "INSERT INTO campaign_projects (campaign_id, project_id, zone_id, total_investment, category, stage, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, project_id) DO UPDATE SET \
         total_investment = excluded.total_investment, category = excluded.category, stage = excluded.stage, \
         added_at = excluded.added_at, dropped_at = NULL, drop_reason = NULL \
         WHERE campaign_projects.dropped_at IS NOT NULL",
    )
    .bind(campaign.id)
    .bind(project_id)
    .bind(zone_id)
    .bind(total)
    .bind(&category)
    .bind(&stage)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if added.rows_affected() == 1 {
        let after = serde_json::json!({"campaign_id": campaign.id, "project_id": project_id,
            "total_investment": total, "category": category, "stage": stage});
        record(
            tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "campaign_project",
                entity_id: project_id,
                zone_id: Some(zone_id),
                scope_path: &OrgPath::parse(&zone_path)
                    .unwrap_or_else(|_| OrgPath::root_of(zone_id)),
                before: None,
                after: Some(&after),
            },
        )
        .await?;
    }
    Ok(())
}
