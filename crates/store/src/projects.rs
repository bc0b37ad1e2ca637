//! The key-project ledger: projects and their stage history, annual plans,
//! monthly investment and blockers. Figures such as year-to-date investment are
//! derived in queries, never stored twice; only the red/yellow/green status is
//! cached on the project (it depends on today) and refreshed on every change.

use chrono::NaiveDate;
use kfq_domain::audit::AuditAction;
use kfq_domain::investment::{gap_to_elapsed_tenths, MonthAmount};
use kfq_domain::project::{check_advance, check_correction, check_stage_date};
use kfq_domain::rag::{assess, RagInput, RagRules};
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, FieldErrors, Money, Mu, Nature, OrgPath, Stage,
    Visibility,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::versioned::{claim, lock, one_row};
use crate::{now_ms, Page, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub investor: Option<String>,
    pub category: String,
    pub nature: String,
    pub industry_chain_id: Option<i64>,
    pub industry_chain: Option<String>,
    pub stage: String,
    pub furthest_stage: String,
    pub stage_since: Option<String>,
    /// 总投资, yuan.
    pub total_investment: i64,
    pub land_mu_hundredths: Option<i64>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    /// 预计年产值, yuan.
    pub annual_output: Option<i64>,
    /// 预计年利税, yuan.
    pub annual_tax: Option<i64>,
    pub jobs: Option<i64>,
    pub registered: i64,
    pub registered_on: Option<String>,
    pub liaison_user_id: Option<i64>,
    pub liaison_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
    pub rag: String,
    /// JSON list of the reasons for the status.
    pub rag_reasons: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Project {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }

    pub fn stage(&self) -> Stage {
        Stage::from_code(&self.stage).unwrap_or(Stage::Planning)
    }

    pub fn furthest(&self) -> Stage {
        Stage::from_code(&self.furthest_stage).unwrap_or(Stage::Planning)
    }
}

/// A project's editable fields, already parsed.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub zone_id: i64,
    pub name: String,
    pub enterprise_id: Option<i64>,
    pub investor: Option<String>,
    pub category: Category,
    pub nature: Nature,
    pub industry_chain_id: Option<i64>,
    pub total_investment: Money,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    pub annual_output: Option<Money>,
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub registered: bool,
    pub registered_on: Option<NaiveDate>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
}

/// Columns a ledger list can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LedgerSort {
    #[default]
    Zone,
    Name,
    Stage,
    TotalInvestment,
    Planned,
    YearToDate,
    Rag,
    Updated,
}

impl LedgerSort {
    pub const ALL: &'static [(&'static str, LedgerSort)] = &[
        ("zone", LedgerSort::Zone),
        ("name", LedgerSort::Name),
        ("stage", LedgerSort::Stage),
        ("total_investment", LedgerSort::TotalInvestment),
        ("planned", LedgerSort::Planned),
        ("ytd", LedgerSort::YearToDate),
        ("rag", LedgerSort::Rag),
        ("updated", LedgerSort::Updated),
    ];

    pub fn from_code(code: &str) -> Option<LedgerSort> {
        Self::ALL.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
    }
}

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub zone_id: Option<i64>,
    pub stage: Option<Stage>,
    pub category: Option<Category>,
    pub industry_chain_id: Option<i64>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub rag: Option<kfq_domain::Rag>,
    pub registered: Option<bool>,
    pub name_contains: Option<String>,
    /// The year of the plan and of year-to-date investment, and the month it runs to.
    pub year: i32,
    pub month: u32,
    pub sort: LedgerSort,
    pub descending: bool,
}

/// A line of the ledger list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerRow {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    pub name: String,
    /// 建设单位.
    pub investor: Option<String>,
    pub project_code: Option<String>,
    pub stage: String,
    pub category: String,
    pub industry_chain: Option<String>,
    pub liaison_name: Option<String>,
    pub department_name: Option<String>,
    pub registered: i64,
    pub rag: String,
    /// Yuan.
    pub total_investment: i64,
    /// 年度计划投资 of the filter's year, yuan.
    pub planned_investment: Option<i64>,
    /// 1–N月累计 of the filter's year, yuan.
    pub ytd: i64,
}

/// The totals row of a ledger list (all matches, not just the page).
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerTotals {
    pub count: i64,
    pub total_investment: i64,
    pub planned_investment: i64,
    pub ytd: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub page: Page<LedgerRow>,
    pub totals: LedgerTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub on_date: String,
    pub correction: i64,
    pub reason: Option<String>,
    pub actor_name: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualPlan {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub planned_investment: i64,
    pub target_start: Option<String>,
    pub target_completion: Option<String>,
    pub target_production: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyInvestment {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub month: i64,
    pub amount: i64,
    pub note: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blocker {
    pub id: i64,
    pub zone_id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub factor: String,
    pub description: String,
    pub raised_on: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub deadline: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub resolved_on: Option<String>,
    pub version: i64,
}

impl Blocker {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != BlockerStatus::Resolved.code()
            && self
                .deadline
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone)]
pub struct BlockerInput {
    pub factor: BlockerFactor,
    pub description: String,
    pub raised_on: NaiveDate,
    pub department_id: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub status: BlockerStatus,
    pub resolution: Option<String>,
    pub resolved_on: Option<NaiveDate>,
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub(crate) fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

const COLUMNS: &str = "p.id, p.zone_id, z.name AS zone_name, z.path AS zone_path, p.name, p.enterprise_id, \
     e.name AS enterprise_name, p.investor, p.category, p.nature, p.industry_chain_id, ic.name AS industry_chain, \
     p.stage, p.furthest_stage, p.stage_since, p.total_investment, p.land_mu_hundredths, p.floor_area_m2, \
     p.construction_content, p.annual_output, p.annual_tax, p.jobs, p.registered, p.registered_on, \
     p.liaison_user_id, lu.display_name AS liaison_name, p.department_id, d.name AS department_name, p.task_force, \
     p.project_code, p.rag, p.rag_reasons, p.version, p.created_at, p.updated_at";

const FROM: &str = "projects p JOIN org_units z ON z.id = p.zone_id \
     LEFT JOIN enterprises e ON e.id = p.enterprise_id \
     LEFT JOIN industry_chains ic ON ic.id = p.industry_chain_id \
     LEFT JOIN users lu ON lu.id = p.liaison_user_id \
     LEFT JOIN org_units d ON d.id = p.department_id";

pub(crate) async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Project> {
    sqlx::query_as::<_, Project>(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Projects by id (in id order), for recording a batch.
pub(crate) async fn fetch_many_unscoped(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<Project>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id IN ("));
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
    sql.push(") ORDER BY p.id");
    Ok(sql.query_as::<Project>().fetch_all(conn).await?)
}

/// Every project of a zone, for an import to match rows against.
pub(crate) async fn projects_of_zone(
    conn: &mut AnyConnection,
    zone_id: i64,
) -> Result<Vec<Project>> {
    Ok(sqlx::query_as::<_, Project>(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE p.zone_id = $1 ORDER BY p.id"
    ))
    .bind(zone_id)
    .fetch_all(conn)
    .await?)
}

/// The references of a project must belong to its zone.
pub(crate) async fn check_references(conn: &mut AnyConnection, input: &ProjectInput) -> Result<()> {
    let mut errors = FieldErrors::new();
    let checks: [(&str, Option<i64>, &str, &'static str); 4] = [
        (
            "enterprise_id",
            input.enterprise_id,
            "SELECT zone_id FROM enterprises WHERE id = $1",
            "error.project.enterprise",
        ),
        (
            "department_id",
            input.department_id,
            "SELECT zone_id FROM org_units WHERE id = $1 AND kind = 'department'",
            "error.project.department",
        ),
        (
            "liaison_user_id",
            input.liaison_user_id,
            "SELECT zone_id FROM users WHERE id = $1",
            "error.project.liaison",
        ),
        (
            "industry_chain_id",
            input.industry_chain_id,
            "SELECT zone_id FROM industry_chains WHERE id = $1",
            "error.project.chain",
        ),
    ];
    for (field, id, sql, key) in checks {
        if let Some(id) = id {
            let zone: Option<Option<i64>> = sqlx::query_scalar(sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            if zone.flatten() != Some(input.zone_id) {
                errors.add(field, key);
            }
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

pub(crate) fn bind_input<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    input: &'q ProjectInput,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(input.zone_id)
        .bind(&input.name)
        .bind(input.enterprise_id)
        .bind(&input.investor)
        .bind(input.category.code())
        .bind(input.nature.code())
        .bind(input.industry_chain_id)
        .bind(input.total_investment.yuan())
        .bind(input.land.map(|m| m.hundredths()))
        .bind(input.floor_area_m2)
        .bind(&input.construction_content)
        .bind(input.annual_output.map(|m| m.yuan()))
        .bind(input.annual_tax.map(|m| m.yuan()))
        .bind(input.jobs)
        .bind(i64::from(input.registered))
        .bind(date_text(input.registered_on))
        .bind(input.liaison_user_id)
        .bind(input.department_id)
        .bind(&input.task_force)
        .bind(&input.project_code)
}

pub(crate) const INPUT_COLUMNS: &str = "zone_id, name, enterprise_id, investor, category, nature, industry_chain_id, \
     total_investment, land_mu_hundredths, floor_area_m2, construction_content, annual_output, annual_tax, jobs, \
     registered, registered_on, liaison_user_id, department_id, task_force, project_code";

/// What refreshing a project's status needs from outside storage.
pub struct RagContext<'a> {
    pub today: NaiveDate,
    pub rules: RagRules,
    /// Working days from the first date to the second (the calendar's count).
    pub working_days: &'a (dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
}

/// Recomputes and stores one project's status, inside the caller's transaction.
pub(crate) async fn refresh_rag(
    conn: &mut AnyConnection,
    project_id: i64,
    ctx: &RagContext<'_>,
) -> Result<()> {
    use chrono::Datelike;
    let today = ctx.today;
    let today_text = today.format("%Y-%m-%d").to_string();
    let oldest_open: Option<String> = sqlx::query_scalar(
        "SELECT MIN(planned_on) FROM project_milestones WHERE project_id = $1 AND actual_on IS NULL AND planned_on < $2",
    )
    .bind(project_id)
    .bind(&today_text)
    .fetch_one(&mut *conn)
    .await?;
    let milestone_overdue_days = oldest_open
        .as_deref()
        .and_then(parse_date)
        .map(|planned| (ctx.working_days)(planned, today).max(0))
        .unwrap_or(0);
    let deadlines: Vec<String> = sqlx::query_scalar(
        "SELECT deadline FROM blockers WHERE project_id = $1 AND status <> 'resolved' AND deadline IS NOT NULL",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut overdue_blockers = 0;
    let mut blockers_due_soon = 0;
    for deadline in deadlines.iter().filter_map(|d| parse_date(d)) {
        if deadline < today {
            overdue_blockers += 1;
        } else if (ctx.working_days)(today, deadline) <= ctx.rules.blocker_due_days {
            blockers_due_soon += 1;
        }
    }
    let (year, month) = (today.year(), today.month());
    let plan: Option<i64> = sqlx::query_scalar(
        "SELECT planned_investment FROM project_plans WHERE project_id = $1 AND year = $2",
    )
    .bind(project_id)
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    // Months are reported after they end: judge against the last full month.
    let (judge_year, judge_month) = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let investment_gap_tenths = if judge_year == year {
        let done: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(amount) AS BIGINT) FROM project_investments WHERE project_id = $1 AND year = $2 AND month <= $3",
        )
        .bind(project_id)
        .bind(i64::from(year))
        .bind(i64::from(judge_month))
        .fetch_one(&mut *conn)
        .await?;
        plan.and_then(|plan| {
            gap_to_elapsed_tenths(
                Money::from_yuan(done.unwrap_or(0)),
                Money::from_yuan(plan),
                judge_month,
            )
        })
    } else {
        None
    };
    let stage: String = sqlx::query_scalar("SELECT stage FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(&mut *conn)
        .await?;
    // Finished, suspended and cancelled projects are not judged on progress.
    let judged =
        matches!(Stage::from_code(&stage), Some(s) if s.rank().is_some() && s != Stage::AtCapacity);
    let input = RagInput {
        milestone_overdue_days,
        overdue_blockers,
        blockers_due_soon,
        investment_gap_tenths: if judged { investment_gap_tenths } else { None },
    };
    let (rag, reasons) = if judged || overdue_blockers > 0 {
        assess(&ctx.rules, &input)
    } else {
        (kfq_domain::Rag::Green, vec![])
    };
    sqlx::query(
        "UPDATE projects SET rag_since = CASE WHEN rag = $1 AND rag_since IS NOT NULL THEN rag_since ELSE $3 END, \
         rag = $1, rag_reasons = $2, rag_on = $3 WHERE id = $4",
    )
        .bind(rag.code())
        .bind(serde_json::to_string(&reasons)?)
        .bind(&today_text)
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records an audited change of the project and refreshes its status.
pub(crate) async fn finish(
    conn: &mut AnyConnection,
    actor: &Actor,
    ctx: &RagContext<'_>,
    action: AuditAction,
    before: Option<&Project>,
    project_id: i64,
) -> Result<Project> {
    refresh_rag(conn, project_id, ctx).await?;
    let after = fetch_unscoped(conn, project_id).await?;
    record(
        conn,
        actor,
        Change {
            action,
            entity: "project",
            entity_id: project_id,
            zone_id: Some(after.zone_id),
            scope_path: &after.zone_org_path(),
            before,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Records a change of something that belongs to a project (plan, month, blocker…).
pub(crate) async fn record_part<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (entity, id): (&'static str, i64),
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    record(
        conn,
        actor,
        Change {
            action,
            entity,
            entity_id: id,
            zone_id: Some(project.zone_id),
            scope_path: &project.zone_org_path(),
            before,
            after,
        },
    )
    .await
}

impl Store {
    pub async fn project(&self, visibility: &Visibility, id: i64) -> Result<Project> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = "));
        sql.bind(id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.query_as::<Project>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_project(
        &self,
        actor: &Actor,
        input: &ProjectInput,
        stage: Stage,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        check_references(&mut tx, input).await?;
        let now = now_ms();
        let placeholders: Vec<String> = (1..=20).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO projects ({INPUT_COLUMNS}, stage, furthest_stage, created_at, updated_at) \
             VALUES ({}, $21, $22, $23, $23) RETURNING id",
            placeholders.join(", ")
        );
        let furthest = if stage.rank().is_some() {
            stage
        } else {
            Stage::Planning
        };
        let id: i64 = bind_input(sqlx::query(&sql), input)
            .bind(stage.code())
            .bind(furthest.code())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let created = finish(&mut tx, actor, ctx, AuditAction::Create, None, id).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_project(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        input: &ProjectInput,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        check_references(&mut tx, input).await?;
        let assignments: Vec<String> = INPUT_COLUMNS
            .split(", ")
            .enumerate()
            .map(|(n, column)| format!("{} = ${}", column.trim(), n + 1))
            .collect();
        let sql = format!(
            "UPDATE projects SET {}, version = version + 1, updated_at = $21 WHERE id = $22 AND version = $23",
            assignments.join(", ")
        );
        one_row(
            bind_input(sqlx::query(&sql), input)
                .bind(now_ms())
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?,
        )?;
        let after = finish(&mut tx, actor, ctx, AuditAction::Update, Some(&before), id).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_project(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        claim(&mut tx, "projects", id, expected_version).await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        for table in [
            "project_stage_changes",
            "project_plans",
            "project_investments",
            "project_milestones",
            "project_baselines",
            "blockers",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM projects WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Delete,
                entity: "project",
                entity_id: id,
                zone_id: Some(before.zone_id),
                scope_path: &before.zone_org_path(),
                before: Some(&before),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a project to `next` on `date`: forward only, unless this is a
    /// correction with a reason.
    pub async fn change_stage(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        (next, date): (Stage, NaiveDate),
        correction: Option<&str>,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        claim(&mut tx, "projects", id, expected_version).await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        let rule = match correction {
            Some(reason) => check_correction(before.stage(), next, reason),
            None => check_advance(before.stage(), before.furthest(), next),
        };
        let last = before.stage_since.as_deref().and_then(parse_date);
        let mut errors = FieldErrors::new();
        if let Err(key) = rule {
            errors.add(
                if key == "error.stage.reason" {
                    "reason"
                } else {
                    "stage"
                },
                key,
            );
        }
        // A correction may put right a wrong date too, so only the future is refused.
        let date_rule = check_stage_date(
            date,
            if correction.is_some() { None } else { last },
            ctx.today,
        );
        if let Err(key) = date_rule {
            errors.add("date", key);
        }
        errors.into_result().map_err(StoreError::Invalid)?;
        let furthest = match (next.rank(), before.furthest().rank(), correction) {
            (Some(n), _, Some(_)) => Stage::MAIN_LINE[n],
            (Some(n), Some(f), None) if n > f => next,
            _ => before.furthest(),
        };
        sqlx::query(
            "UPDATE projects SET stage = $1, furthest_stage = $2, stage_since = $3, version = version + 1, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(next.code())
        .bind(furthest.code())
        .bind(date.format("%Y-%m-%d").to_string())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO project_stage_changes (zone_id, project_id, from_stage, to_stage, on_date, correction, reason, actor_name, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(before.zone_id)
        .bind(id)
        .bind(&before.stage)
        .bind(next.code())
        .bind(date.format("%Y-%m-%d").to_string())
        .bind(i64::from(correction.is_some()))
        .bind(correction.map(str::trim))
        .bind(&actor.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let after = finish(&mut tx, actor, ctx, AuditAction::Update, Some(&before), id).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn stage_changes(&self, project_id: i64) -> Result<Vec<StageChange>> {
        Ok(sqlx::query_as(
            "SELECT id, from_stage, to_stage, on_date, correction, reason, actor_name, at FROM project_stage_changes \
             WHERE project_id = $1 ORDER BY on_date, id",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Projects of `year` (within the visibility) that were signed, started and
    /// put into production that same year: 当年签约、当年开工、当年投产.
    pub async fn same_year_fast_path(
        &self,
        visibility: &Visibility,
        year: i32,
    ) -> Result<Vec<i64>> {
        let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
        let mut sql =
            Sql::new("SELECT p.id FROM projects p JOIN org_units z ON z.id = p.zone_id WHERE ");
        sql.scope(visibility, "z.path", Some("p.enterprise_id"));
        for stage in [Stage::Signed, Stage::Started, Stage::Producing] {
            sql.push(" AND EXISTS (SELECT 1 FROM project_stage_changes c WHERE c.project_id = p.id AND c.correction = 0 AND c.to_stage = ")
                .bind(stage.code())
                .push(" AND c.on_date >= ")
                .bind(from.clone())
                .push(" AND c.on_date <= ")
                .bind(to.clone())
                .push(")");
        }
        sql.push(" ORDER BY p.id");
        Ok(sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .collect())
    }

    // ---- annual plans ----

    pub async fn plans(&self, project_id: i64) -> Result<Vec<AnnualPlan>> {
        Ok(sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE project_id = $1 ORDER BY year",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets the plan of one year (creating it, or updating it at `expected_version`).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_plan(
        &self,
        actor: &Actor,
        project: &Project,
        year: i32,
        planned: Money,
        targets: [Option<NaiveDate>; 3],
        expected_version: Option<i64>,
        ctx: &RagContext<'_>,
    ) -> Result<AnnualPlan> {
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let before: Option<AnnualPlan> = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE project_id = $1 AND year = $2",
        )
        .bind(project.id)
        .bind(i64::from(year))
        .fetch_optional(&mut *tx)
        .await?;
        let [start, completion, production] = targets.map(date_text);
        let id = match (&before, expected_version) {
            (Some(plan), Some(version)) => {
                one_row(sqlx::query(
                    "UPDATE project_plans SET planned_investment = $1, target_start = $2, target_completion = $3, \
                     target_production = $4, version = version + 1, recorded_at = $7 WHERE id = $5 AND version = $6",
                )
                .bind(planned.yuan())
                .bind(&start)
                .bind(&completion)
                .bind(&production)
                .bind(plan.id)
                .bind(version)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?)?;
                plan.id
            }
            (Some(_), None) => return Err(StoreError::Invalid(FieldErrors::single("year", "error.plan.taken"))),
            (None, _) => sqlx::query_scalar(
                "INSERT INTO project_plans (zone_id, project_id, year, planned_investment, target_start, target_completion, \
                 target_production, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(project.zone_id)
            .bind(project.id)
            .bind(i64::from(year))
            .bind(planned.yuan())
            .bind(&start)
            .bind(&completion)
            .bind(&production)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?,
        };
        let after: AnnualPlan = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_part(
            &mut tx,
            actor,
            project,
            ("project_plan", id),
            action,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    // ---- monthly investment ----

    pub async fn investments(&self, project_id: i64) -> Result<Vec<MonthlyInvestment>> {
        Ok(sqlx::query_as(
            "SELECT id, project_id, year, month, amount, note, version FROM project_investments \
             WHERE project_id = $1 ORDER BY year, month",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The months as the domain's arithmetic takes them.
    pub fn month_amounts(rows: &[MonthlyInvestment]) -> Vec<MonthAmount> {
        rows.iter()
            .map(|r| MonthAmount {
                year: r.year as i32,
                month: r.month as u32,
                amount: Money::from_yuan(r.amount),
            })
            .collect()
    }

    /// Reports one month's completed investment (当月完成), or corrects it at
    /// `expected_version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_investment(
        &self,
        actor: &Actor,
        project: &Project,
        (year, month): (i32, u32),
        amount: Money,
        note: Option<&str>,
        expected_version: Option<i64>,
        ctx: &RagContext<'_>,
    ) -> Result<MonthlyInvestment> {
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let select =
            "SELECT id, project_id, year, month, amount, note, version FROM project_investments";
        let before: Option<MonthlyInvestment> = sqlx::query_as(&format!(
            "{select} WHERE project_id = $1 AND year = $2 AND month = $3"
        ))
        .bind(project.id)
        .bind(i64::from(year))
        .bind(i64::from(month))
        .fetch_optional(&mut *tx)
        .await?;
        let id = match (&before, expected_version) {
            (Some(row), Some(version)) => {
                one_row(sqlx::query(
                    "UPDATE project_investments SET amount = $1, note = $2, version = version + 1, recorded_at = $5 \
                     WHERE id = $3 AND version = $4",
                )
                .bind(amount.yuan())
                .bind(note)
                .bind(row.id)
                .bind(version)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?)?;
                row.id
            }
            (Some(_), None) => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "month",
                    "error.investment.taken",
                )))
            }
            (None, _) => sqlx::query_scalar(
                "INSERT INTO project_investments (zone_id, project_id, year, month, amount, note, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(project.zone_id)
            .bind(project.id)
            .bind(i64::from(year))
            .bind(i64::from(month))
            .bind(amount.yuan())
            .bind(note)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?,
        };
        let after: MonthlyInvestment = sqlx::query_as(&format!("{select} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_part(
            &mut tx,
            actor,
            project,
            ("project_investment", id),
            action,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    // ---- blockers ----

    pub async fn blockers(
        &self,
        visibility: &Visibility,
        project_id: Option<i64>,
        department_id: Option<i64>,
        open_only: bool,
    ) -> Result<Vec<Blocker>> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE ",
        );
        sql.scope(visibility, "z.path", Some("p.enterprise_id"));
        if let Some(id) = project_id {
            sql.push(" AND b.project_id = ").bind(id);
        }
        if let Some(id) = department_id {
            sql.push(" AND b.department_id = ").bind(id);
        }
        if open_only {
            sql.push(" AND b.status <> 'resolved'");
        }
        sql.push(" ORDER BY CASE WHEN b.status = 'resolved' THEN 1 ELSE 0 END, b.deadline, b.id LIMIT 1000");
        Ok(sql.query_as::<Blocker>().fetch_all(&self.pool).await?)
    }

    /// Open blockers of the projects a liaison leader looks after.
    pub async fn blockers_of_liaison(
        &self,
        visibility: &Visibility,
        user_id: i64,
    ) -> Result<Vec<Blocker>> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE b.status <> 'resolved' AND p.liaison_user_id = ",
        );
        sql.bind(user_id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.push(" ORDER BY b.deadline, b.id LIMIT 1000");
        Ok(sql.query_as::<Blocker>().fetch_all(&self.pool).await?)
    }

    pub async fn blocker(&self, visibility: &Visibility, id: i64) -> Result<Blocker> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE b.id = ",
        );
        sql.bind(id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.query_as::<Blocker>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Creates a blocker (`id` none) or updates one at `expected_version`.
    pub async fn save_blocker(
        &self,
        actor: &Actor,
        project: &Project,
        id: Option<(i64, i64)>,
        input: &BlockerInput,
        ctx: &RagContext<'_>,
    ) -> Result<Blocker> {
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        if let Some(department) = input.department_id {
            let zone: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT zone_id FROM org_units WHERE id = $1 AND kind = 'department'",
            )
            .bind(department)
            .fetch_optional(&mut *tx)
            .await?;
            if zone.flatten() != Some(project.zone_id) {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "department_id",
                    "error.project.department",
                )));
            }
        }
        let now = now_ms();
        let values = (
            input.factor.code(),
            input.description.clone(),
            input.raised_on.format("%Y-%m-%d").to_string(),
            input.department_id,
            date_text(input.deadline),
            input.status.code(),
            input.resolution.clone(),
            date_text(input.resolved_on),
        );
        let select = "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id LEFT JOIN org_units d ON d.id = b.department_id \
             WHERE b.id = $1";
        let (blocker_id, before) = match id {
            Some((blocker_id, version)) => {
                let before: Blocker = sqlx::query_as(select)
                    .bind(blocker_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if before.project_id != project.id {
                    return Err(StoreError::NotFound);
                }
                one_row(sqlx::query(
                    "UPDATE blockers SET factor = $1, description = $2, raised_on = $3, department_id = $4, deadline = $5, \
                     status = $6, resolution = $7, resolved_on = $8, version = version + 1, updated_at = $9 \
                     WHERE id = $10 AND version = $11",
                )
                .bind(values.0)
                .bind(&values.1)
                .bind(&values.2)
                .bind(values.3)
                .bind(&values.4)
                .bind(values.5)
                .bind(&values.6)
                .bind(&values.7)
                .bind(now)
                .bind(blocker_id)
                .bind(version)
                .execute(&mut *tx)
                .await?)?;
                (blocker_id, Some(before))
            }
            None => {
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO blockers (zone_id, project_id, factor, description, raised_on, department_id, deadline, status, \
                     resolution, resolved_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
                     RETURNING id",
                )
                .bind(project.zone_id)
                .bind(project.id)
                .bind(values.0)
                .bind(&values.1)
                .bind(&values.2)
                .bind(values.3)
                .bind(&values.4)
                .bind(values.5)
                .bind(&values.6)
                .bind(&values.7)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                (new_id, None)
            }
        };
        let after: Blocker = sqlx::query_as(select)
            .bind(blocker_id)
            .fetch_one(&mut *tx)
            .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_part(
            &mut tx,
            actor,
            project,
            ("blocker", blocker_id),
            action,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    // ---- per-zone lists and rules ----

    /// The zone's industry chains, seeding the default list the first time.
    pub async fn industry_chains(&self, zone_id: i64) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM industry_chains WHERE zone_id = $1 ORDER BY sort, id",
        )
        .bind(zone_id)
        .fetch_all(&self.pool)
        .await?;
        if !rows.is_empty() {
            return Ok(rows);
        }
        let mut tx = self.begin_write().await?;
        for (n, name) in kfq_domain::project::DEFAULT_INDUSTRY_CHAINS
            .iter()
            .enumerate()
        {
            sqlx::query("INSERT INTO industry_chains (zone_id, name, sort) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(zone_id)
                .bind(*name)
                .bind(n as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(sqlx::query_as(
            "SELECT id, name FROM industry_chains WHERE zone_id = $1 ORDER BY sort, id",
        )
        .bind(zone_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn rag_rules(&self, zone_id: i64) -> Result<RagRules> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT rag_rules FROM zone_settings WHERE zone_id = $1")
                .bind(zone_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// Recomputes the status of every project whose status was computed before
    /// `today` (run daily, and at start).
    pub async fn refresh_stale_rag(
        &self,
        today: NaiveDate,
        working_days: &(dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
    ) -> Result<usize> {
        let today_text = today.format("%Y-%m-%d").to_string();
        let stale: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, zone_id FROM projects WHERE rag_on IS NULL OR rag_on < $1 ORDER BY zone_id, id",
        )
        .bind(&today_text)
        .fetch_all(&self.pool)
        .await?;
        // Ordered by zone: each zone's rules are read once.
        let mut rules: Option<(i64, RagRules)> = None;
        for chunk in stale.chunks(500) {
            let mut tx = self.begin_write().await?;
            for (id, zone) in chunk {
                let zone_rules = match &rules {
                    Some((held, r)) if held == zone => *r,
                    _ => {
                        let r = self.rag_rules(*zone).await?;
                        rules = Some((*zone, r));
                        r
                    }
                };
                let ctx = RagContext {
                    today,
                    rules: zone_rules,
                    working_days,
                };
                refresh_rag(&mut tx, *id, &ctx).await?;
            }
            tx.commit().await?;
        }
        Ok(stale.len())
    }
}

/// A whole project with its history, as an import or the demo brings it.
#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub input: ProjectInput,
    pub stage: Stage,
    /// (stage reached, date), in order.
    pub stage_changes: Vec<(Stage, NaiveDate)>,
    /// (year, planned investment).
    pub plans: Vec<(i32, Money)>,
    /// (year, month, completed).
    pub months: Vec<(i32, u32, Money)>,
    pub blockers: Vec<BlockerInput>,
    /// (key, name, planned, actual), in template order.
    pub milestones: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)>,
}

impl Store {
    /// Writes a project and everything under it in one transaction, recorded as
    /// one audited creation (the record holds the project as created). Statuses
    /// are left for [`Store::refresh_stale_rag`].
    pub async fn import_project(&self, actor: &Actor, project: &ProjectRecord) -> Result<i64> {
        let ids = self
            .import_projects(actor, std::slice::from_ref(project))
            .await?;
        Ok(ids[0])
    }
}
