//! Ledger settings: the working-day calendar's edits (province-wide) and each
//! zone's own rules — red/yellow/green thresholds, industry chains and the
//! milestone template. Every change is audited.

use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, OrgPath, RagRules, UnitAdmin};
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::ledger::milestones::TemplateNode;
use crate::{unit_within, within, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarOverride {
    pub id: i64,
    pub on_date: String,
    pub working: i64,
    pub note: String,
}

impl Store {
    pub async fn calendar_overrides(&self) -> Result<Vec<CalendarOverride>> {
        Ok(sqlx::query_as(
            "SELECT id, on_date, working, note FROM calendar_overrides ORDER BY on_date",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a day worked or off (`Some`), or removes the edit (`None`).
    /// `scope` is the path the audit record is filed under (the province).
    pub async fn set_calendar_override(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        scope: &OrgPath,
        date: &str,
        change: Option<(bool, &str)>,
    ) -> Result<()> {
        // The calendar is every zone's: only a proof for everything.
        within(proof.covers_everything())?;
        let mut tx = self.begin_write().await?;
        let before: Option<CalendarOverride> = sqlx::query_as(
            "SELECT id, on_date, working, note FROM calendar_overrides WHERE on_date = $1",
        )
        .bind(date)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(old) = &before {
            sqlx::query("DELETE FROM calendar_overrides WHERE id = $1")
                .bind(old.id)
                .execute(&mut *tx)
                .await?;
        }
        let after = match change {
            Some((working, note)) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO calendar_overrides (on_date, working, note) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(date)
                .bind(i64::from(working))
                .bind(note)
                .fetch_one(&mut *tx)
                .await
                ?;
                Some(CalendarOverride {
                    id,
                    on_date: date.to_owned(),
                    working: i64::from(working),
                    note: note.to_owned(),
                })
            }
            None => None,
        };
        if before.is_none() && after.is_none() {
            return Ok(());
        }
        let action = match (&before, &after) {
            (None, Some(_)) => AuditAction::Create,
            (Some(_), None) => AuditAction::Delete,
            _ => AuditAction::Update,
        };
        let id = after
            .as_ref()
            .or(before.as_ref())
            .map(|o| o.id)
            .unwrap_or_default();
        record(
            &mut tx,
            actor,
            Change {
                action,
                entity: "calendar_override",
                entity_id: id,
                zone_id: None,
                scope_path: scope,
                before: before.as_ref(),
                after: after.as_ref(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_rag_rules(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        zone: (i64, &OrgPath),
        rules: &RagRules,
    ) -> Result<()> {
        rules
            .check()
            .map_err(|k| StoreError::Invalid(FieldErrors::single("milestone_days", k)))?;
        let mut tx = self.begin_write().await?;
        let zone_path = unit_within(&mut tx, zone.0, |path| proof.covers(path)).await?;
        let zone = (zone.0, &zone_path);
        let before: Option<String> =
            sqlx::query_scalar("SELECT rag_rules FROM zone_settings WHERE zone_id = $1")
                .bind(zone.0)
                .fetch_optional(&mut *tx)
                .await?;
        let text = serde_json::to_string(rules)?;
        sqlx::query(
            "INSERT INTO zone_settings (zone_id, rag_rules) VALUES ($1, $2) \
             ON CONFLICT (zone_id) DO UPDATE SET rag_rules = excluded.rag_rules, version = zone_settings.version + 1",
        )
        .bind(zone.0)
        .bind(&text)
        .execute(&mut *tx)
        .await?;
        // Statuses follow the new rules at the next refresh.
        sqlx::query("UPDATE projects SET rag_on = NULL WHERE zone_id = $1")
            .bind(zone.0)
            .execute(&mut *tx)
            .await?;
        let before: Option<RagRules> = before.and_then(|b| serde_json::from_str(&b).ok());
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "zone_rag_rules",
                entity_id: zone.0,
                zone_id: Some(zone.0),
                scope_path: zone.1,
                before: before.as_ref(),
                after: Some(rules),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_industry_chain(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        zone: (i64, &OrgPath),
        name: &str,
    ) -> Result<i64> {
        self.industry_chains(zone.0).await?;
        let mut tx = self.begin_write().await?;
        let zone_path = unit_within(&mut tx, zone.0, |path| proof.covers(path)).await?;
        let zone = (zone.0, &zone_path);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO industry_chains (zone_id, name, sort) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(sort), 0) + 1 FROM industry_chains WHERE zone_id = $1)) RETURNING id",
        )
        .bind(zone.0)
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        ?;
        let after = serde_json::json!({ "name": name });
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "industry_chain",
                entity_id: id,
                zone_id: Some(zone.0),
                scope_path: zone.1,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_milestone_template(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        zone: (i64, &OrgPath),
        nodes: &[TemplateNode],
    ) -> Result<()> {
        let before = self.milestone_template(zone.0).await?.map(|(n, _)| n);
        let mut tx = self.begin_write().await?;
        let zone_path = unit_within(&mut tx, zone.0, |path| proof.covers(path)).await?;
        let zone = (zone.0, &zone_path);
        sqlx::query(
            "INSERT INTO milestone_templates (zone_id, nodes) VALUES ($1, $2) \
             ON CONFLICT (zone_id) DO UPDATE SET nodes = excluded.nodes, version = milestone_templates.version + 1",
        )
        .bind(zone.0)
        .bind(serde_json::to_string(nodes)?)
        .execute(&mut *tx)
        .await?;
        let nodes = nodes.to_vec();
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "milestone_template",
                entity_id: zone.0,
                zone_id: Some(zone.0),
                scope_path: zone.1,
                before: before.as_ref(),
                after: Some(&nodes),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
