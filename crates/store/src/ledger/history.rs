//! The ledger as it stood: every project of a set of zones at the close of a
//! month, as recorded by a cut-off time. Values come from what was known at
//! the cut-off (monthly investment and plans from their history, migration
//! 0011; blockers from their history too; stage changes and projects by
//! when they were recorded),
//! and what happened from the dates it happened (stages reached by the
//! month's last day, blockers raised and resolved by then). So a month's
//! bulletin or a quarter's scores come out the same however much the ledger
//! has moved on, as long as the cut-off is the same.

use std::collections::HashMap;

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Category, Money, Nature, OrgKind, OrgPath, Stage};
use kfq_monthly_report::{BlockerAsOf, Period, ProjectAsOf, Unit};

use crate::error::Result;
use crate::ledger::parse_date;
use crate::sql::in_list;
use crate::Store;

type ProjectRow = (
    i64,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
    String,
    i64,
    String,
);

type BlockerRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
);

fn date(text: &str) -> Option<NaiveDate> {
    parse_date(text)
}

impl Store {
    /// The zones at or under a unit, in id order.
    pub async fn zones_under(&self, path: &OrgPath) -> Result<Vec<i64>> {
        let mut q = crate::sql::Sql::new("SELECT z.id FROM org_units z WHERE z.kind = ");
        q.bind(OrgKind::Zone.code())
            .push(" AND ")
            .scope(
                &kfq_domain::Visibility::Subtree(path.clone()),
                "z.path",
                None,
            )
            .push(" ORDER BY z.id");
        Ok(q.query_scalar().fetch_all(&self.pool).await?)
    }

    /// Every project of `zones` at the close of `period`, as recorded by
    /// `recorded_by` (Unix ms). Ordered by zone, then project id.
    pub async fn ledger_as_of(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
    ) -> Result<Vec<ProjectAsOf>> {
        let last_day = period.last_day().to_string();
        let year = i64::from(period.year());
        let projects: Vec<ProjectRow> = sqlx::query_as(&format!(
            "SELECT p.id, p.name, p.zone_id, z.name, p.department_id, d.name, p.liaison_user_id, \
             u.display_name, p.category, p.nature, p.total_investment, p.stage \
             FROM projects p JOIN org_units z ON z.id = p.zone_id \
             LEFT JOIN org_units d ON d.id = p.department_id \
             LEFT JOIN users u ON u.id = p.liaison_user_id \
             WHERE {} AND p.created_at <= $1 ORDER BY p.zone_id, p.id",
            in_list("p.zone_id", zones)
        ))
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<ProjectAsOf> = Vec::with_capacity(projects.len());
        let mut index: HashMap<i64, usize> = HashMap::with_capacity(projects.len());
        let mut current_stage: Vec<Stage> = Vec::with_capacity(projects.len());
        for row in projects {
            let (id, name, zone_id, zone_name, dept_id, dept_name, liaison_id, liaison_name) =
                (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
            index.insert(id, out.len());
            current_stage.push(Stage::from_code(&row.11).unwrap_or(Stage::Planning));
            out.push(ProjectAsOf {
                id,
                name,
                zone: Unit {
                    id: zone_id,
                    name: zone_name,
                },
                department: dept_id.map(|id| Unit {
                    id,
                    name: dept_name.unwrap_or_default(),
                }),
                liaison: liaison_id.map(|id| Unit {
                    id,
                    name: liaison_name.unwrap_or_default(),
                }),
                category: Category::from_code(&row.8).unwrap_or(Category::Industrial),
                nature: Nature::from_code(&row.9).unwrap_or(Nature::New),
                total_investment: Money::from_yuan(row.10),
                stage: Stage::Planning,
                reached: Vec::new(),
                plan: None,
                target_start: None,
                target_production: None,
                months: vec![Money::ZERO; period.month() as usize],
                blockers: Vec::new(),
                oldest_open_milestone: None,
            });
        }
        self.stages_as_of(zones, &index, &current_stage, &mut out, period, recorded_by)
            .await?;

        // Plans and months: the current value if recorded by the cut-off,
        // else the superseded one that was current then.
        let plans: Vec<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(&format!(
            "SELECT project_id, planned_investment, target_start, target_production FROM project_plans \
             WHERE {zones} AND year = $1 AND recorded_at <= $2 \
             UNION ALL SELECT project_id, planned_investment, target_start, target_production \
             FROM project_plan_history WHERE {zones} AND year = $1 AND valid_from <= $2 AND valid_until > $2",
            zones = in_list("zone_id", zones)
        ))
        .bind(year)
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        for (project_id, planned, start, production) in plans {
            if let Some(&i) = index.get(&project_id) {
                let p = &mut out[i];
                p.plan = Some(Money::from_yuan(planned));
                p.target_start = start.as_deref().and_then(date);
                p.target_production = production.as_deref().and_then(date);
            }
        }
        let months: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT project_id, month, amount FROM project_investments \
             WHERE {zones} AND year = $1 AND month <= $2 AND recorded_at <= $3 \
             UNION ALL SELECT project_id, month, amount FROM project_investment_history \
             WHERE {zones} AND year = $1 AND month <= $2 AND valid_from <= $3 AND valid_until > $3",
            zones = in_list("zone_id", zones)
        ))
        .bind(year)
        .bind(i64::from(period.month()))
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        for (project_id, month, amount) in months {
            if let (Some(&i), Ok(m)) = (index.get(&project_id), usize::try_from(month - 1)) {
                if let Some(slot) = out[i].months.get_mut(m) {
                    *slot = Money::from_yuan(amount);
                }
            }
        }

        // Each blocker as it was known at the cut-off: the current row if
        // last changed by then, else the earlier state current then.
        let blockers: Vec<BlockerRow> = sqlx::query_as(&format!(
            "SELECT b.project_id, b.id, b.factor, b.description, b.raised_on, b.deadline, b.resolved_on, \
             b.department_id, d.name, b.status FROM ( \
             SELECT project_id, id, factor, description, raised_on, deadline, resolved_on, department_id, status \
             FROM blockers WHERE {zones} AND updated_at <= $2 \
             UNION ALL SELECT project_id, blocker_id, factor, description, raised_on, deadline, resolved_on, \
             department_id, status FROM blocker_history WHERE {zones} AND valid_from <= $2 AND valid_until > $2 \
             ) b LEFT JOIN org_units d ON d.id = b.department_id WHERE b.raised_on <= $1 ORDER BY b.project_id, b.id",
            zones = in_list("zone_id", zones)
        ))
        .bind(&last_day)
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        for (
            project_id,
            id,
            factor,
            description,
            raised,
            deadline,
            resolved,
            dept_id,
            dept_name,
            status,
        ) in blockers
        {
            let resolved = resolved.filter(|_| status == "resolved");
            let (Some(&i), Some(raised_on)) = (index.get(&project_id), date(&raised)) else {
                continue;
            };
            out[i].blockers.push(BlockerAsOf {
                id,
                factor: BlockerFactor::from_code(&factor).unwrap_or(BlockerFactor::Other),
                description,
                raised_on,
                deadline: deadline.as_deref().and_then(date),
                resolved_on: resolved
                    .as_deref()
                    .and_then(date)
                    .filter(|d| *d <= period.last_day()),
                department: dept_id.map(|id| Unit {
                    id,
                    name: dept_name.unwrap_or_default(),
                }),
            });
        }

        let milestones: Vec<(i64, Option<String>)> = sqlx::query_as(&format!(
            "SELECT project_id, MIN(planned_on) FROM project_milestones WHERE {} AND planned_on < $1 \
             AND (actual_on IS NULL OR actual_on > $1) GROUP BY project_id",
            in_list("zone_id", zones)
        ))
        .bind(&last_day)
        .fetch_all(&self.pool)
        .await?;
        for (project_id, planned) in milestones {
            if let Some(&i) = index.get(&project_id) {
                out[i].oldest_open_milestone = planned.as_deref().and_then(date);
            }
        }
        Ok(out)
    }

    /// Stages at the close of the period from the changes recorded by the
    /// cut-off: the stage is the latest recorded change dated by the last
    /// day; first reaches count progress only, not corrections.
    async fn stages_as_of(
        &self,
        zones: &[i64],
        index: &HashMap<i64, usize>,
        current_stage: &[Stage],
        out: &mut [ProjectAsOf],
        period: Period,
        recorded_by: i64,
    ) -> Result<()> {
        let changes: Vec<(i64, Option<String>, String, String, i64)> = sqlx::query_as(&format!(
            "SELECT project_id, from_stage, to_stage, on_date, correction FROM project_stage_changes \
             WHERE {} AND at <= $1 ORDER BY project_id, id",
            in_list("zone_id", zones)
        ))
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        let last_day = period.last_day();
        // Projects without any recorded change keep the stage they were entered at.
        let mut seen = vec![false; out.len()];
        for (project_id, from, to, on, correction) in changes {
            let (Some(&i), Some(on), Some(to)) =
                (index.get(&project_id), date(&on), Stage::from_code(&to))
            else {
                continue;
            };
            if on > last_day {
                // A later change: before it, the project stood where it came from.
                if !seen[i] {
                    out[i].stage = from
                        .as_deref()
                        .and_then(Stage::from_code)
                        .unwrap_or(Stage::Planning);
                    seen[i] = true;
                }
                continue;
            }
            seen[i] = true;
            out[i].stage = to;
            if correction == 0 && !out[i].reached.iter().any(|(s, _)| *s == to) {
                out[i].reached.push((to, on));
            }
        }
        for i in 0..out.len() {
            if !seen[i] {
                out[i].stage = current_stage[i];
            }
        }
        Ok(())
    }
}
