//! 月度填报: one month of one zone's projects on one sheet, read in one
//! statement and written in one transaction.

use sqlx::any::AnyRow;

use super::investments::write_month;
use super::*;
use crate::decode;

/// Which of the zone's projects the sheet lists.
#[derive(Debug, Clone, Default)]
pub struct MonthSheetFilter {
    pub department_id: Option<i64>,
    pub liaison_user_id: Option<i64>,
}

/// One project on the month's sheet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthLine {
    pub project_id: i64,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: Stage,
    pub department_name: Option<String>,
    pub liaison_name: Option<String>,
    /// 本年计划投资, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub planned: Option<Money>,
    /// The year's months before this one, summed; yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub ytd_before: Money,
    /// The month before (December of last year for January), yuan; none if
    /// it was not reported.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub last_month: Option<Money>,
    /// This month as reported, if it was.
    pub reported: Option<MonthlyInvestment>,
}

impl MonthLine {
    /// Expected and not reported: a suspended project is not expected.
    pub fn is_missing(&self) -> bool {
        self.reported.is_none() && !self.stage.is_inactive()
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for MonthLine {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let reported = match row.try_get::<Option<i64>, _>("t_id")? {
            Some(id) => Some(MonthlyInvestment {
                id,
                project_id: row.try_get("id")?,
                year: row.try_get("t_year")?,
                month: row.try_get("t_month")?,
                amount: decode::money(row, "t_amount")?,
                note: row.try_get("t_note")?,
                version: row.try_get("t_version")?,
            }),
            None => None,
        };
        Ok(MonthLine {
            project_id: row.try_get("id")?,
            name: row.try_get("name")?,
            stage: decode::code(row, "stage")?,
            department_name: row.try_get("department_name")?,
            liaison_name: row.try_get("liaison_name")?,
            planned: decode::opt_money(row, "planned")?,
            ytd_before: decode::money(row, "ytd_before")?,
            last_month: decode::opt_money(row, "last_month")?,
            reported,
        })
    }
}

/// One project on a year's plan sheet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanLine {
    pub project_id: i64,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: Stage,
    pub department_name: Option<String>,
    pub liaison_name: Option<String>,
    /// Yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    /// Last year's plan, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub last_planned: Option<Money>,
    /// Last year's months summed, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_done: Money,
    /// This year's plan, if set.
    pub plan: Option<AnnualPlan>,
}

impl PlanLine {
    /// Expected and without a plan: a suspended project is not expected.
    pub fn is_missing(&self) -> bool {
        self.plan.is_none() && !self.stage.is_inactive()
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for PlanLine {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let plan = match row.try_get::<Option<i64>, _>("t_id")? {
            Some(id) => Some(AnnualPlan {
                id,
                project_id: row.try_get("t_project_id")?,
                year: row.try_get("t_year")?,
                planned_investment: decode::money(row, "t_planned")?,
                target_start: decode::opt_date(row, "t_start")?,
                target_completion: decode::opt_date(row, "t_completion")?,
                target_production: decode::opt_date(row, "t_production")?,
                version: row.try_get("t_version")?,
            }),
            None => None,
        };
        Ok(PlanLine {
            project_id: row.try_get("id")?,
            name: row.try_get("name")?,
            stage: decode::code(row, "stage")?,
            department_name: row.try_get("department_name")?,
            liaison_name: row.try_get("liaison_name")?,
            total_investment: decode::money(row, "total_investment")?,
            last_planned: decode::opt_money(row, "last_planned")?,
            last_done: decode::money(row, "last_done")?,
            plan,
        })
    }
}

/// A month to write for one project: the amount, the note (a correction's
/// reason) and the version read, when the month was reported before.
#[derive(Debug, Clone)]
pub struct MonthEntry {
    pub project: Project,
    pub amount: Money,
    pub note: Option<String>,
    pub version: Option<i64>,
}

impl Store {
    /// The month's sheet of a zone the caller writes to: its projects (but
    /// cancelled ones) with the year's plan, the months before summed, the
    /// month before and this month as reported, in the ledger's order.
    pub async fn month_sheet(
        &self,
        proof: &ZoneWrite,
        (zone_id, zone_path): (i64, &OrgPath),
        (year, month): (i32, u32),
        filter: &MonthSheetFilter,
    ) -> Result<Vec<MonthLine>> {
        within(proof, zone_path)?;
        let (last_year, last) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
        let mut sql = Sql::new(
            "SELECT p.id, p.name, p.stage, d.name AS department_name, u.display_name AS liaison_name, \
             pl.planned_investment AS planned, \
             CAST(COALESCE((SELECT SUM(b.amount) FROM project_investments b \
               WHERE b.project_id = p.id AND b.year = ",
        );
        sql.bind(i64::from(year))
            .push(" AND b.month < ")
            .bind(i64::from(month))
            .push(
                "), 0) AS BIGINT) AS ytd_before, \
             (SELECT l.amount FROM project_investments l WHERE l.project_id = p.id AND l.year = ",
            )
            .bind(i64::from(last_year))
            .push(" AND l.month = ")
            .bind(i64::from(last))
            .push(
                ") AS last_month, \
             t.id AS t_id, t.year AS t_year, t.month AS t_month, t.amount AS t_amount, \
             t.note AS t_note, t.version AS t_version \
             FROM projects p \
             LEFT JOIN org_units d ON d.id = p.department_id \
             LEFT JOIN users u ON u.id = p.liaison_user_id \
             LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ",
            )
            .bind(i64::from(year))
            .push(" LEFT JOIN project_investments t ON t.project_id = p.id AND t.year = ")
            .bind(i64::from(year))
            .push(" AND t.month = ")
            .bind(i64::from(month))
            .push(" WHERE p.zone_id = ")
            .bind(zone_id)
            .push(" AND p.stage <> 'cancelled'");
        if let Some(id) = filter.department_id {
            sql.push(" AND p.department_id = ").bind(id);
        }
        if let Some(id) = filter.liaison_user_id {
            sql.push(" AND p.liaison_user_id = ").bind(id);
        }
        sql.push(" ORDER BY p.id");
        Ok(sql.query_as::<MonthLine>().fetch_all(&self.pool).await?)
    }

    /// How many projects of the zone the month sheet and the plan sheet would
    /// show missing ([`MonthLine::is_missing`], [`PlanLine::is_missing`]),
    /// counted without building the sheets: the home page asks on every visit.
    pub async fn zone_missing(
        &self,
        proof: &ZoneWrite,
        (zone_id, zone_path): (i64, &OrgPath),
        (year, month): (i32, u32),
        plan_year: i32,
    ) -> Result<(i64, i64)> {
        within(proof, zone_path)?;
        let mut sql = Sql::new(
            "SELECT COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM project_investments t \
               WHERE t.project_id = p.id AND t.year = ",
        );
        sql.bind(i64::from(year))
            .push(" AND t.month = ")
            .bind(i64::from(month))
            .push(
                ") THEN 1 ELSE 0 END), 0) AS month_missing, \
                 COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM project_plans pl \
                   WHERE pl.project_id = p.id AND pl.year = ",
            )
            .bind(i64::from(plan_year))
            .push(
                ") THEN 1 ELSE 0 END), 0) AS plan_missing \
                 FROM projects p WHERE p.zone_id = ",
            )
            .bind(zone_id)
            .push(" AND p.stage NOT IN ('cancelled', 'suspended')");
        let row = sql.query().fetch_one(&self.pool).await?;
        Ok((row.try_get("month_missing")?, row.try_get("plan_missing")?))
    }

    /// Writes the months of several projects of one zone in one
    /// transaction: each month audited, each project's status refreshed; a
    /// refusal of any row (its field named `amount_<project id>`) or a
    /// version moved by someone else writes none of them.
    pub async fn set_months(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        (year, month): (i32, u32),
        entries: &[MonthEntry],
        ctx: &RagContext<'_>,
    ) -> Result<Vec<MonthlyInvestment>> {
        for entry in entries {
            within(proof, &entry.project.zone_org_path())?;
        }
        let mut tx = self.begin_write().await?;
        let mut written = Vec::with_capacity(entries.len());
        for entry in entries {
            let row = write_month(
                &mut tx,
                actor,
                &entry.project,
                (year, month),
                (entry.amount, entry.note.as_deref()),
                entry.version,
            )
            .await
            .map_err(|e| match e {
                StoreError::Invalid(errors) => StoreError::Invalid(FieldErrors(
                    errors
                        .0
                        .into_iter()
                        .map(|mut f| {
                            f.field = format!("amount_{}", entry.project.id);
                            f
                        })
                        .collect(),
                )),
                other => other,
            })?;
            written.push(row);
        }
        let ids: Vec<i64> = entries.iter().map(|e| e.project.id).collect();
        for chunk in ids.chunks(300) {
            refresh_rags(&mut tx, chunk, ctx.today, &|_| ctx.rules, ctx.working_days).await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}
