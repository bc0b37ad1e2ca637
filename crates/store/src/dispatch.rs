//! 周调度: what moved in the ledger during a week — stage changes, milestones
//! reached or missed, investment reported, blockers opened, resolved and
//! overdue — for a zone, a department or a liaison leader; and the
//! decisions a dispatch meeting records on blockers.

use kfq_domain::audit::AuditAction;
use kfq_domain::{Visibility, ZoneWrite};
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

/// Whose week: a zone's, a department's or a liaison leader's projects.
#[derive(Debug, Clone, Default)]
pub struct DispatchFilter {
    pub zone_id: Option<i64>,
    pub department_id: Option<i64>,
    pub liaison_user_id: Option<i64>,
}

/// Something that happened to a project in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekEvent {
    pub project_id: i64,
    pub project_name: String,
    pub zone_name: String,
    /// 'YYYY-MM-DD'.
    pub on_date: String,
    /// What: a stage code, a milestone name, "2024-06" for a month reported.
    pub what: String,
    /// Detail: the stage moved from, the planned date missed, the amount (yuan).
    pub detail: Option<String>,
    pub amount: Option<i64>,
}

/// A blocker on the week's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetBlocker {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub zone_id: i64,
    pub zone_name: String,
    pub factor: String,
    pub description: String,
    pub raised_on: String,
    pub department_name: Option<String>,
    pub deadline: Option<String>,
    pub status: String,
    pub resolved_on: Option<String>,
}

/// A decision recorded on a blocker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: i64,
    pub blocker_id: i64,
    pub meeting_on: String,
    pub decided_by: String,
    pub decision: String,
    pub owner: Option<String>,
    pub due_on: Option<String>,
    pub recorded_by: String,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub meeting_on: String,
    pub decided_by: String,
    pub decision: String,
    pub owner: Option<String>,
    pub due_on: Option<String>,
}

/// The project conditions of a filter, over `p` and `z`.
fn push_filter(q: &mut Sql, visibility: &Visibility, filter: &DispatchFilter) {
    q.scope(visibility, "z.path", Some("p.enterprise_id"));
    if let Some(zone) = filter.zone_id {
        q.push(" AND p.zone_id = ").bind(zone);
    }
    if let Some(department) = filter.department_id {
        q.push(" AND p.department_id = ").bind(department);
    }
    if let Some(liaison) = filter.liaison_user_id {
        q.push(" AND p.liaison_user_id = ").bind(liaison);
    }
}

impl Store {
    /// Stage changes dated within [from, to].
    pub async fn week_stage_changes(
        &self,
        visibility: &Visibility,
        filter: &DispatchFilter,
        (from, to): (&str, &str),
    ) -> Result<Vec<WeekEvent>> {
        let mut q = Sql::new(
            "SELECT p.id AS project_id, p.name AS project_name, z.name AS zone_name, c.on_date, c.to_stage AS what, \
             c.from_stage AS detail, CAST(NULL AS BIGINT) AS amount FROM project_stage_changes c \
             JOIN projects p ON p.id = c.project_id JOIN org_units z ON z.id = p.zone_id WHERE c.on_date >= ",
        );
        q.bind(from)
            .push(" AND c.on_date <= ")
            .bind(to)
            .push(" AND ");
        push_filter(&mut q, visibility, filter);
        q.push(" ORDER BY c.on_date, p.id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Milestones reached within [from, to] (`missed` false), or due within
    /// it and not reached by its planned date (`missed` true).
    pub async fn week_milestones(
        &self,
        visibility: &Visibility,
        filter: &DispatchFilter,
        (from, to): (&str, &str),
        missed: bool,
    ) -> Result<Vec<WeekEvent>> {
        let (date, condition) = if missed {
            (
                "m.planned_on",
                " AND (m.actual_on IS NULL OR m.actual_on > m.planned_on)",
            )
        } else {
            ("m.actual_on", "")
        };
        let mut q = Sql::new(&format!(
            "SELECT p.id AS project_id, p.name AS project_name, z.name AS zone_name, {date} AS on_date, m.name AS what, \
             m.planned_on AS detail, CAST(NULL AS BIGINT) AS amount FROM project_milestones m \
             JOIN projects p ON p.id = m.project_id JOIN org_units z ON z.id = p.zone_id WHERE {date} >= "
        ));
        q.bind(from)
            .push(&format!(" AND {date} <= "))
            .bind(to)
            .push(condition)
            .push(" AND ");
        push_filter(&mut q, visibility, filter);
        q.push(" ORDER BY on_date, p.id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Monthly investment reported (created or corrected) within the
    /// instants [from_ms, to_ms], as the audit trail recorded it.
    pub async fn week_investments(
        &self,
        visibility: &Visibility,
        filter: &DispatchFilter,
        (from_ms, to_ms): (i64, i64),
    ) -> Result<Vec<WeekEvent>> {
        let mut q = Sql::new(
            "SELECT p.id AS project_id, p.name AS project_name, z.name AS zone_name, \
             CAST(a.at AS TEXT) AS on_date, CAST(i.year * 100 + i.month AS TEXT) AS what, a.action AS detail, \
             i.amount AS amount FROM audit_log a JOIN project_investments i ON i.id = a.entity_id \
             JOIN projects p ON p.id = i.project_id JOIN org_units z ON z.id = p.zone_id \
             WHERE a.entity = 'project_investment' AND a.at >= ",
        );
        q.bind(from_ms)
            .push(" AND a.at <= ")
            .bind(to_ms)
            .push(" AND ");
        push_filter(&mut q, visibility, filter);
        q.push(" ORDER BY a.at, p.id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Blockers on the week's sheet: raised or resolved within [from, to],
    /// or open with a deadline on or before `due_by`.
    pub async fn sheet_blockers(
        &self,
        visibility: &Visibility,
        filter: &DispatchFilter,
        (from, to): (&str, &str),
        due_by: &str,
    ) -> Result<Vec<SheetBlocker>> {
        let mut q = Sql::new(
            "SELECT b.id, b.project_id, p.name AS project_name, b.zone_id, z.name AS zone_name, b.factor, b.description, \
             b.raised_on, d.name AS department_name, b.deadline, b.status, b.resolved_on FROM blockers b \
             JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE ((b.raised_on >= ",
        );
        q.bind(from)
            .push(" AND b.raised_on <= ")
            .bind(to)
            .push(") OR (b.resolved_on >= ")
            .bind(from)
            .push(" AND b.resolved_on <= ")
            .bind(to)
            .push(") OR (b.status <> 'resolved' AND b.deadline <= ")
            .bind(due_by)
            .push(")) AND ");
        push_filter(&mut q, visibility, filter);
        if let Some(department) = filter.department_id {
            // A department's sheet also holds the blockers it must solve.
            q.push(" OR (b.department_id = ")
                .bind(department)
                .push(" AND ");
            q.scope(visibility, "z.path", Some("p.enterprise_id"));
            q.push(" AND b.status <> 'resolved')");
        }
        q.push(" ORDER BY b.deadline, b.id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    pub async fn decisions(&self, blocker_ids: &[i64]) -> Result<Vec<Decision>> {
        if blocker_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(
            "SELECT id, blocker_id, meeting_on, decided_by, decision, owner, due_on, recorded_by, at \
             FROM blocker_decisions WHERE blocker_id IN (",
        );
        for (n, id) in blocker_ids.iter().enumerate() {
            if n > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") ORDER BY meeting_on, id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Records a meeting's decision on a blocker (within `visibility`) of a
    /// zone `proof` covers.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        visibility: &Visibility,
        blocker_id: i64,
        input: &DecisionInput,
    ) -> Result<Decision> {
        let blocker = self.blocker(visibility, blocker_id).await?;
        let project = self.project(visibility, blocker.project_id).await?;
        within(proof.covers(&project.zone_org_path()))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO blocker_decisions (zone_id, blocker_id, meeting_on, decided_by, decision, owner, due_on, \
             recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(blocker.zone_id)
        .bind(blocker_id)
        .bind(&input.meeting_on)
        .bind(&input.decided_by)
        .bind(&input.decision)
        .bind(&input.owner)
        .bind(&input.due_on)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let decision: Decision = sqlx::query_as(
            "SELECT id, blocker_id, meeting_on, decided_by, decision, owner, due_on, recorded_by, at \
             FROM blocker_decisions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "blocker_decision",
                entity_id: id,
                zone_id: Some(blocker.zone_id),
                scope_path: &project.zone_org_path(),
                before: None,
                after: Some(&decision),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(decision)
    }
}
