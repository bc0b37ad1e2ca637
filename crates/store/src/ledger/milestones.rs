//! Milestones (节点) of a project with planned and actual dates, the zone's
//! milestone template, and named baselines (saved copies of the plan to
//! compare against later).

use chrono::NaiveDate;
use kfq_domain::audit::AuditAction;
use kfq_domain::project::{milestone_stage, stage_after_milestone};
use kfq_domain::{FieldErrors, Stage};
use kfq_domain::{Visibility, ZoneWrite};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::ledger::{of_visible_project, within, Project, RagContext};
use crate::sql::Sql;
use crate::versioned::{lock, one_row};
use crate::{now_ms, Store};

/// A node of a milestone template: working days needed after the previous node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateNode {
    pub key: String,
    pub name: String,
    pub working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Milestone {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub sort: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub planned_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub actual_on: Option<NaiveDate>,
    pub version: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Milestone {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Milestone {
            id: row.try_get("id")?,
            key: row.try_get("key")?,
            name: row.try_get("name")?,
            sort: row.try_get("sort")?,
            planned_on: decode::opt_date(row, "planned_on")?,
            actual_on: decode::opt_date(row, "actual_on")?,
            version: row.try_get("version")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Baseline {
    pub id: i64,
    pub name: String,
    /// The milestones as they were when it was saved.
    pub milestones: Vec<Milestone>,
    pub created_by: String,
    pub created_at: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Baseline {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Baseline {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            milestones: decode::json(row, "milestones")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

impl Baseline {
    pub fn planned(&self, key: &str) -> Option<NaiveDate> {
        self.milestones
            .iter()
            .find(|m| m.key == key)
            .and_then(|m| m.planned_on)
    }
}

const SELECT: &str =
    "SELECT id, key, name, sort, planned_on, actual_on, version FROM project_milestones";

/// Gives the stage-marking nodes without an actual date the day the stage
/// history last reached their stage (for a project planned after it started);
/// the caller records the change.
async fn fill_from_stage_history(conn: &mut AnyConnection, project_id: i64) -> Result<()> {
    let project = crate::ledger::project::fetch_unscoped(&mut *conn, project_id).await?;
    let history: Vec<(String, String)> = sqlx::query_as(
        "SELECT to_stage, on_date FROM project_stage_changes WHERE project_id = $1 ORDER BY on_date DESC, id DESC",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut reached: Vec<(Stage, NaiveDate)> = history
        .iter()
        .filter_map(|(stage, day)| Some((Stage::from_code(stage)?, day.parse().ok()?)))
        .filter(|(stage, _)| {
            stage.rank().is_some() && stage.rank() <= project.furthest_stage.rank()
        })
        .collect();
    if let Some(since) = project.stage_since {
        reached.push((project.stage, since));
    }
    for (stage, day) in reached {
        let Some(key) = kfq_domain::project::stage_milestone(stage) else {
            continue;
        };
        sqlx::query(
            "UPDATE project_milestones SET actual_on = $1, version = version + 1 \
             WHERE project_id = $2 AND key = $3 AND actual_on IS NULL",
        )
        .bind(day.to_string())
        .bind(project_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Makes the milestones that mark stages agree with a stage just set: the
/// node of the stage reached gets the day when it has none, and a correction
/// clears the nodes of stages beyond the furthest one still reached. The
/// nodes changed are recorded as one change of the project's milestones.
pub(crate) async fn align_with_stage(
    conn: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (stage, furthest, date): (Stage, Stage, NaiveDate),
    correction: bool,
) -> Result<()> {
    let nodes: Vec<Milestone> =
        sqlx::query_as(&format!("{SELECT} WHERE project_id = $1 ORDER BY sort, id"))
            .bind(project.id)
            .fetch_all(&mut *conn)
            .await?;
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for node in nodes {
        let Some(marks) = milestone_stage(&node.key) else {
            continue;
        };
        let actual = if marks == stage && node.actual_on.is_none() {
            Some(date)
        } else if correction && node.actual_on.is_some() && marks.rank() > furthest.rank() {
            None
        } else {
            continue;
        };
        sqlx::query(
            "UPDATE project_milestones SET actual_on = $1, version = version + 1 WHERE id = $2",
        )
        .bind(actual.map(|d| d.to_string()))
        .bind(node.id)
        .execute(&mut *conn)
        .await?;
        after.push(Milestone {
            actual_on: actual,
            version: node.version + 1,
            ..node.clone()
        });
        before.push(node);
    }
    if before.is_empty() {
        return Ok(());
    }
    record(
        conn,
        actor,
        Change {
            action: AuditAction::Update,
            entity: "project_milestones",
            entity_id: project.id,
            zone_id: Some(project.zone_id),
            scope_path: &project.zone_org_path(),
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await
}

impl Store {
    /// The zone's template, or none when it uses the default.
    pub async fn milestone_template(
        &self,
        zone_id: i64,
    ) -> Result<Option<(Vec<TemplateNode>, i64)>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT nodes, version FROM milestone_templates WHERE zone_id = $1")
                .bind(zone_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            row.and_then(|(nodes, version)| {
                serde_json::from_str(&nodes).ok().map(|n| (n, version))
            }),
        )
    }

    /// A project's milestones, if the caller sees the project.
    pub async fn milestones(
        &self,
        visibility: &Visibility,
        project_id: i64,
    ) -> Result<Vec<Milestone>> {
        Ok(of_visible_project(
            "t.id, t.key, t.name, t.sort, t.planned_on, t.actual_on, t.version",
            "project_milestones",
            visibility,
            project_id,
            "t.sort, t.id",
        )
        .query_as::<Milestone>()
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets the planned date of every node (backward scheduling), keeping the
    /// actual dates already entered; recorded as one change of the project's plan.
    pub async fn plan_milestones(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        planned: &[(TemplateNode, NaiveDate)],
        ctx: &RagContext<'_>,
    ) -> Result<Vec<Milestone>> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let before: Vec<Milestone> =
            sqlx::query_as(&format!("{SELECT} WHERE project_id = $1 ORDER BY sort, id"))
                .bind(project.id)
                .fetch_all(&mut *tx)
                .await?;
        for (sort, (node, date)) in planned.iter().enumerate() {
            let date = date.to_string();
            let updated = sqlx::query(
                "UPDATE project_milestones SET name = $1, sort = $2, planned_on = $3, version = version + 1 \
                 WHERE project_id = $4 AND key = $5",
            )
            .bind(&node.name)
            .bind(sort as i64)
            .bind(&date)
            .bind(project.id)
            .bind(&node.key)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                sqlx::query(
                    "INSERT INTO project_milestones (zone_id, project_id, key, name, sort, planned_on) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(project.zone_id)
                .bind(project.id)
                .bind(&node.key)
                .bind(&node.name)
                .bind(sort as i64)
                .bind(&date)
                .execute(&mut *tx)
                .await?;
            }
        }
        fill_from_stage_history(&mut tx, project.id).await?;
        let after: Vec<Milestone> =
            sqlx::query_as(&format!("{SELECT} WHERE project_id = $1 ORDER BY sort, id"))
                .bind(project.id)
                .fetch_all(&mut *tx)
                .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "project_milestones",
                entity_id: project.id,
                zone_id: Some(project.zone_id),
                scope_path: &project.zone_org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        crate::ledger::refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records (or clears) the day a milestone was actually reached.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_milestone_actual(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        key: &str,
        actual: Option<NaiveDate>,
        expected_version: i64,
        ctx: &RagContext<'_>,
    ) -> Result<Milestone> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let before: Milestone =
            sqlx::query_as(&format!("{SELECT} WHERE project_id = $1 AND key = $2"))
                .bind(project.id)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::Invalid(FieldErrors::single("key", "error.choice")))?;
        if actual.is_some_and(|d| d > ctx.today) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "actual_on",
                "error.stage.future",
            )));
        }
        // A node that marks a stage moves the project there, so that the
        // ledger's stage and the Gantt never tell two stories.
        let now = crate::ledger::project::fetch_unscoped(&mut tx, project.id).await?;
        let invalid = |key| StoreError::Invalid(FieldErrors::single("actual_on", key));
        let moves_to = match actual {
            Some(day) => {
                let next =
                    stage_after_milestone(now.stage, now.furthest_stage, key).map_err(invalid)?;
                if next.is_some() && now.stage_since.is_some_and(|since| day < since) {
                    return Err(invalid("error.milestone.stage_date"));
                }
                next.map(|stage| (stage, day))
            }
            None if milestone_stage(key) == Some(now.stage) => {
                return Err(invalid("error.milestone.stage_reached"));
            }
            None => None,
        };
        one_row(sqlx::query("UPDATE project_milestones SET actual_on = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(actual.map(|d| d.to_string()))
            .bind(before.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?)?;
        let after: Milestone = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
            .bind(before.id)
            .fetch_one(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "project_milestone",
                entity_id: after.id,
                zone_id: Some(project.zone_id),
                scope_path: &project.zone_org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        match moves_to {
            Some(next) => {
                crate::ledger::project::change_stage_in(
                    &mut tx,
                    actor,
                    proof,
                    (project.id, now.version),
                    next,
                    None,
                    ctx,
                )
                .await?;
            }
            None => crate::ledger::refresh_rag(&mut tx, project.id, ctx).await?,
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Saves the current milestone plan under a name.
    pub async fn save_baseline(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        name: &str,
    ) -> Result<Baseline> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let current: Vec<Milestone> =
            sqlx::query_as(&format!("{SELECT} WHERE project_id = $1 ORDER BY sort, id"))
                .bind(project.id)
                .fetch_all(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO project_baselines (zone_id, project_id, name, milestones, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(project.zone_id)
        .bind(project.id)
        .bind(name)
        .bind(serde_json::to_string(&current)?)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        ?;
        let baseline: Baseline = sqlx::query_as(
            "SELECT id, name, milestones, created_by, created_at FROM project_baselines WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "project_baseline",
                entity_id: id,
                zone_id: Some(project.zone_id),
                scope_path: &project.zone_org_path(),
                before: None,
                after: Some(&baseline),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(baseline)
    }

    /// A project's saved baselines, if the caller sees the project.
    pub async fn baselines(
        &self,
        visibility: &Visibility,
        project_id: i64,
    ) -> Result<Vec<Baseline>> {
        Ok(of_visible_project(
            "t.id, t.name, t.milestones, t.created_by, t.created_at",
            "project_baselines",
            visibility,
            project_id,
            "t.created_at, t.id",
        )
        .query_as::<Baseline>()
        .fetch_all(&self.pool)
        .await?)
    }

    /// The milestones of many projects at once (for the zone's wall chart).
    pub async fn milestones_of(
        &self,
        visibility: &Visibility,
        project_ids: &[i64],
    ) -> Result<Vec<(i64, Milestone)>> {
        if project_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(&format!(
            "SELECT t.project_id, t.id, t.key, t.name, t.sort, t.planned_on, t.actual_on, t.version \
             FROM project_milestones t JOIN projects p ON p.id = t.project_id \
             JOIN org_units z ON z.id = p.zone_id WHERE {} AND ",
            crate::sql::in_list("t.project_id", project_ids)
        ));
        sql.scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.push(" ORDER BY t.project_id, t.sort");
        let rows = sql.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("project_id")?, Milestone::from_row(r)?)))
            .collect()
    }
}

/// A project whose milestones contradict its stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageDisagreement {
    pub project_id: i64,
    pub project_name: String,
    pub zone_name: String,
    pub stage: Stage,
    pub milestone: String,
    pub mismatch: kfq_domain::project::StageMismatch,
}

impl Store {
    /// Every project whose stage-marking milestones disagree with its stage
    /// (see [`kfq_domain::project::stage_mismatches`]), across all zones;
    /// read as a stream so a national database is checked in bounded memory.
    pub async fn stage_disagreements(&self) -> Result<Vec<StageDisagreement>> {
        use futures_util::TryStreamExt;
        use kfq_domain::project::stage_mismatches;
        let mut rows = sqlx::query(
            "SELECT p.id, p.name, z.name AS zone_name, p.stage, p.furthest_stage, m.key, m.name AS node, m.actual_on \
             FROM projects p JOIN org_units z ON z.id = p.zone_id \
             JOIN project_milestones m ON m.project_id = p.id AND m.zone_id = p.zone_id \
             WHERE m.key IN ('start', 'completion', 'production', 'full_capacity') \
             ORDER BY p.id, m.sort",
        )
        .fetch(&self.pool);
        let mut found = Vec::new();
        let mut project: Option<(i64, String, String, Stage, Stage)> = None;
        let mut nodes: Vec<(String, String, Option<NaiveDate>)> = Vec::new();
        let mut judge =
            |project: &Option<(i64, String, String, Stage, Stage)>,
             nodes: &mut Vec<(String, String, Option<NaiveDate>)>| {
                if let Some((id, name, zone, stage, furthest)) = project {
                    let keyed = nodes.iter().map(|(key, _, actual)| (key.as_str(), *actual));
                    for (key, mismatch) in stage_mismatches(*stage, *furthest, keyed) {
                        let node = nodes.iter().find(|n| n.0 == key).map(|n| n.1.clone());
                        found.push(StageDisagreement {
                            project_id: *id,
                            project_name: name.clone(),
                            zone_name: zone.clone(),
                            stage: *stage,
                            milestone: node.unwrap_or_default(),
                            mismatch,
                        });
                    }
                }
                nodes.clear();
            };
        while let Some(row) = rows.try_next().await? {
            let id: i64 = row.try_get("id")?;
            if project.as_ref().map(|p| p.0) != Some(id) {
                judge(&project, &mut nodes);
                let stage = |column| decode::code::<Stage>(&row, column);
                project = Some((
                    id,
                    row.try_get("name")?,
                    row.try_get("zone_name")?,
                    stage("stage")?,
                    stage("furthest_stage")?,
                ));
            }
            nodes.push((
                row.try_get("key")?,
                row.try_get("node")?,
                decode::opt_date(&row, "actual_on")?,
            ));
        }
        judge(&project, &mut nodes);
        Ok(found)
    }
}
