//! The ledger as it stood: every project of a set of zones at the close of a
//! month, as recorded by a cut-off time. Values come from what was known at
//! the cut-off (monthly investment and plans from their history, migration
//! 0011; blockers from their history too; stage changes and projects by
//! when they were recorded),
//! and what happened from the dates it happened (stages reached by the
//! month's last day, blockers raised and resolved by then). So a month's
//! bulletin or a quarter's scores come out the same however much the ledger
//! has moved on, as long as the cut-off is the same.
//!
//! A country's ledger is a quarter of a million projects: the six reads go
//! to the database at once, each on its own connection, and the monthly
//! investment comes back summed by project in the database (one row a
//! project, a column a month) instead of one row a month.
//! [`Store::ledger_as_of_by_rows`] reads the months row by row, one
//! statement after the other, as before: the tests hold the two to the same
//! answer.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Category, Money, Nature, OrgKind, OrgPath, Stage};
use kfq_monthly_report::{BlockerAsOf, Period, ProjectAsOf, Unit};

use crate::error::Result;
use crate::ledger::parse_date;
use sqlx::Row;

use crate::copy_out::{CopyField, CopyRow, Fields, Transport};
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

type ChangeRow = (i64, i64, Option<String>, String, String, i64);

type PlanRow = (i64, i64, Option<String>, Option<String>);

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

/// An ISO date as stored ("2024-06-30"), read without a format string (a
/// country's ledger has a million of them); anything else as the ledger
/// reads it.
fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
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
    /// `recorded_by` (Unix ms). Ordered by zone, then project id. Zones
    /// unchanged since an earlier read come from what it kept
    /// (`ledger::kept`).
    pub async fn ledger_as_of(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
    ) -> Result<Vec<ProjectAsOf>> {
        self.ledger_as_of_kept(zones, period, recorded_by).await
    }

    /// [`Store::ledger_as_of`] with the reads sent as `transport` says (the
    /// tests hold COPY and the pool to the same answer).
    #[doc(hidden)]
    pub async fn ledger_as_of_via(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
        transport: Transport,
    ) -> Result<Vec<ProjectAsOf>> {
        let started = Instant::now();
        let t = transport.for_zones(zones.len());
        // Each read a task of its own, so rows are decoded on every worker
        // thread while the database works on the others.
        let zones: Arc<[i64]> = zones.into();
        macro_rules! read {
            ($what:literal, |$store:ident, $zones:ident| $read:expr) => {{
                let ($store, $zones) = (self.clone(), zones.clone());
                joined(tokio::spawn(async move {
                    let $zones: &[i64] = &$zones;
                    timed($what, $read).await
                }))
            }};
        }
        let (projects, changes, plans, months, blockers, milestones) = tokio::try_join!(
            read!("projects", |s, z| s.projects_as_of(z, recorded_by, t)),
            read!("stage changes", |s, z| s.stage_changes_as_of(
                z,
                recorded_by,
                t
            )),
            read!("plans", |s, z| s.plans_as_of(z, period, recorded_by, t)),
            read!("months", |s, z| s.month_sums_as_of(
                z,
                period,
                recorded_by,
                t
            )),
            read!("blockers", |s, z| s.blockers_as_of(
                z,
                period,
                recorded_by,
                t
            )),
            read!("milestones", |s, z| s.open_milestones_as_of(z, period, t)),
        )?;
        let read = started.elapsed();
        let out = assemble(
            period, projects, changes, plans, months, blockers, milestones,
        );
        tracing::debug!(
            projects = out.len(),
            read_ms = read.as_millis() as u64,
            assemble_ms = (started.elapsed() - read).as_millis() as u64,
            "ledger as of"
        );
        Ok(out)
    }

    /// [`Store::ledger_as_of`] as it was first written: every read one
    /// after the other, the monthly investment one row a month, open
    /// milestones by one scan, rows sorted by the database. Kept as the
    /// reference the tests hold the faster reading to.
    #[doc(hidden)]
    pub async fn ledger_as_of_by_rows(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
    ) -> Result<Vec<ProjectAsOf>> {
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
        let changes: Vec<ChangeRow> = sqlx::query_as(&format!(
            "SELECT project_id, id, from_stage, to_stage, on_date, correction FROM project_stage_changes \
             WHERE {} AND at <= $1 ORDER BY project_id, id",
            in_list("zone_id", zones)
        ))
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        let changes = typed_changes(changes);
        let plans = self
            .plans_as_of(zones, period, recorded_by, Transport::Pool)
            .await?;
        let months: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT project_id, month, amount FROM project_investments \
             WHERE {zones} AND year = $1 AND month <= $2 AND recorded_at <= $3 \
             UNION ALL SELECT project_id, month, amount FROM project_investment_history \
             WHERE {zones} AND year = $1 AND month <= $2 AND valid_from <= $3 AND valid_until > $3",
            zones = in_list("zone_id", zones)
        ))
        .bind(i64::from(period.year()))
        .bind(i64::from(period.month()))
        .bind(recorded_by)
        .fetch_all(&self.pool)
        .await?;
        let blockers = self
            .blockers_as_of(zones, period, recorded_by, Transport::Pool)
            .await?;
        let milestones: Vec<(i64, Option<String>)> = sqlx::query_as(&format!(
            "SELECT project_id, MIN(planned_on) FROM project_milestones WHERE {} AND planned_on < $1 \
             AND (actual_on IS NULL OR actual_on > $1) GROUP BY project_id",
            in_list("zone_id", zones)
        ))
        .bind(period.last_day().to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = assemble(
            period,
            projects,
            changes,
            plans,
            Vec::new(),
            blockers,
            milestones,
        );
        let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for (project_id, month, amount) in months {
            if let (Some(&i), Ok(m)) = (index.get(&project_id), usize::try_from(month - 1)) {
                if let Some(slot) = out[i].months.get_mut(m) {
                    *slot = Money::from_yuan(amount);
                }
            }
        }
        Ok(out)
    }

    async fn projects_as_of(
        &self,
        zones: &[i64],
        recorded_by: i64,
        t: Transport,
    ) -> Result<Vec<ProjectRow>> {
        let sql = format!(
            "SELECT p.id, p.name, p.zone_id, z.name, p.department_id, d.name, p.liaison_user_id, \
             u.display_name, p.category, p.nature, p.total_investment, p.stage \
             FROM projects p JOIN org_units z ON z.id = p.zone_id \
             LEFT JOIN org_units d ON d.id = p.department_id \
             LEFT JOIN users u ON u.id = p.liaison_user_id \
             WHERE {} AND p.created_at <= $1",
            in_list("p.zone_id", zones)
        );
        let mut rows: Vec<ProjectRow> = self.bulk_rows(&sql, &[recorded_by.into()], t).await?;
        // By zone, then id (sorted here rather than by the database, which
        // would sort a country's projects on disk with its default memory).
        rows.sort_unstable_by_key(|p| (p.2, p.0));
        Ok(rows)
    }

    /// The stage changes recorded by the cut-off, typed and in order of
    /// record within each project (sorted here, on the read's own thread).
    async fn stage_changes_as_of(
        &self,
        zones: &[i64],
        recorded_by: i64,
        t: Transport,
    ) -> Result<Vec<Change>> {
        let sql = format!(
            "SELECT project_id, id, from_stage, to_stage, on_date, correction FROM project_stage_changes \
             WHERE {} AND at <= $1",
            in_list("zone_id", zones)
        );
        let rows: Vec<ChangeRow> = self.bulk_rows(&sql, &[recorded_by.into()], t).await?;
        Ok(typed_changes(rows))
    }

    /// Plans: the current value if recorded by the cut-off, else the
    /// superseded one that was current then.
    async fn plans_as_of(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
        t: Transport,
    ) -> Result<Vec<PlanRow>> {
        let sql = format!(
            "SELECT project_id, planned_investment, target_start, target_production FROM project_plans \
             WHERE {zones} AND year = $1 AND recorded_at <= $2 \
             UNION ALL SELECT project_id, planned_investment, target_start, target_production \
             FROM project_plan_history WHERE {zones} AND year = $1 AND valid_from <= $2 AND valid_until > $2",
            zones = in_list("zone_id", zones)
        );
        self.bulk_rows(
            &sql,
            &[i64::from(period.year()).into(), recorded_by.into()],
            t,
        )
        .await
    }

    /// Each project's months of the period's year up to its month, gathered
    /// in the database: one row a project, a column a month (a project has
    /// one row a month, so the column is that row's amount), read in the
    /// order of the index on (zone, year, project, month), which holds the
    /// amount and when it was recorded: no table, no sort. A month is its
    /// current value if recorded by the cut-off, else the superseded value
    /// current then (from the history, read row by row: few rows); a month
    /// without either is zero.
    async fn month_sums_as_of(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
        t: Transport,
    ) -> Result<Vec<(i64, Vec<Money>)>> {
        let n = period.month();
        let columns: Vec<String> = (1..=n)
            .map(|m| format!("COALESCE(MAX(amount) FILTER (WHERE month = {m}), 0)"))
            .collect();
        let current_sql = |zones: &[i64]| {
            format!(
                "SELECT project_id, {columns} FROM project_investments \
                 WHERE {zones} AND year = $1 AND month <= $2 AND recorded_at <= $3 \
                 GROUP BY zone_id, project_id",
                columns = columns.join(", "),
                zones = in_list("zone_id", zones)
            )
        };
        let superseded_sql = format!(
            "SELECT project_id, month, amount FROM project_investment_history \
             WHERE {zones} AND year = $1 AND month <= $2 AND valid_from <= $3 AND valid_until > $3",
            zones = in_list("zone_id", zones)
        );
        let values = [
            i64::from(period.year()).into(),
            i64::from(n).into(),
            recorded_by.into(),
        ];
        let current = async {
            if t != Transport::Copy || zones.len() < 2 {
                return self
                    .bulk_rows::<MonthRow>(&current_sql(zones), &values, t)
                    .await;
            }
            // The longest of the reads: in two halves, one on each core.
            let (first, second) = zones.split_at(zones.len() / 2);
            let half = |zones: &[i64]| {
                let (store, sql, values) = (self.clone(), current_sql(zones), values.clone());
                joined(tokio::spawn(async move {
                    store.bulk_rows::<MonthRow>(&sql, &values, t).await
                }))
            };
            let (mut a, b) = tokio::try_join!(half(first), half(second))?;
            a.extend(b);
            Ok(a)
        };
        let superseded = async {
            let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&superseded_sql)
                .bind(i64::from(period.year()))
                .bind(i64::from(n))
                .bind(recorded_by)
                .fetch_all(&self.pool)
                .await?;
            Ok(rows)
        };
        let (current, superseded) = tokio::try_join!(current, superseded)?;
        let mut sums: Vec<(i64, Vec<Money>)> =
            current.into_iter().map(|MonthRow(id, m)| (id, m)).collect();
        if !superseded.is_empty() {
            // The month's current value was recorded after the cut-off, so
            // it is not in the sums: the superseded value takes its place.
            let mut at: HashMap<i64, usize> = sums
                .iter()
                .enumerate()
                .map(|(i, (id, _))| (*id, i))
                .collect();
            for (project_id, month, amount) in superseded {
                let i = *at.entry(project_id).or_insert_with(|| {
                    sums.push((project_id, vec![Money::ZERO; n as usize]));
                    sums.len() - 1
                });
                if let Some(slot) = usize::try_from(month - 1)
                    .ok()
                    .and_then(|m| sums[i].1.get_mut(m))
                {
                    *slot = Money::from_yuan(amount);
                }
            }
        }
        Ok(sums)
    }

    /// Each blocker as it was known at the cut-off: the current row if
    /// last changed by then, else the earlier state current then.
    async fn blockers_as_of(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
        t: Transport,
    ) -> Result<Vec<BlockerRow>> {
        let sql = format!(
            "SELECT b.project_id, b.id, b.factor, b.description, b.raised_on, b.deadline, b.resolved_on, \
             b.department_id, d.name, b.status FROM ( \
             SELECT project_id, id, factor, description, raised_on, deadline, resolved_on, department_id, status \
             FROM blockers WHERE {zones} AND updated_at <= $2 \
             UNION ALL SELECT project_id, blocker_id, factor, description, raised_on, deadline, resolved_on, \
             department_id, status FROM blocker_history WHERE {zones} AND valid_from <= $2 AND valid_until > $2 \
             ) b LEFT JOIN org_units d ON d.id = b.department_id WHERE b.raised_on <= $1",
            zones = in_list("zone_id", zones)
        );
        let mut rows: Vec<BlockerRow> = self
            .bulk_rows(
                &sql,
                &[period.last_day().to_string().into(), recorded_by.into()],
                t,
            )
            .await?;
        // By project, then id (sorted here, as the projects are).
        rows.sort_unstable_by_key(|b| (b.0, b.1));
        Ok(rows)
    }

    /// The oldest milestone of each project due before the period's last
    /// day and not done by then.
    async fn open_milestones_as_of(
        &self,
        zones: &[i64],
        period: Period,
        t: Transport,
    ) -> Result<Vec<(i64, Option<String>)>> {
        // Not done by then: still open (the partial index of open
        // milestones), or done after the day (the index of done ones).
        let sql = format!(
            "SELECT project_id, MIN(planned_on) FROM ( \
             SELECT project_id, planned_on FROM project_milestones \
             WHERE {zones} AND actual_on IS NULL AND planned_on < $1 \
             UNION ALL SELECT project_id, planned_on FROM project_milestones \
             WHERE {zones} AND actual_on > $1 AND planned_on < $1 \
             ) m GROUP BY project_id",
            zones = in_list("zone_id", zones)
        );
        self.bulk_rows(&sql, &[period.last_day().to_string().into()], t)
            .await
    }
}

/// A project and its months' amounts, a column a month.
struct MonthRow(i64, Vec<Money>);

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for MonthRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        let months = (1..row.len())
            .map(|c| row.try_get::<i64, _>(c).map(Money::from_yuan))
            .collect::<sqlx::Result<Vec<Money>>>()?;
        Ok(MonthRow(row.try_get(0)?, months))
    }
}

impl CopyRow for MonthRow {
    fn from_fields(fields: &mut Fields<'_>) -> Option<Self> {
        let id = fields.next()?;
        let mut months = Vec::with_capacity(12);
        while let Some(field) = fields.raw() {
            months.push(Money::from_yuan(i64::from_field(field)?));
        }
        Some(MonthRow(id, months))
    }
}

/// A read's task, its panic passed on.
async fn joined<T>(task: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    match task.await {
        Ok(out) => out,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Logs how long one read took.
async fn timed<T>(
    what: &'static str,
    read: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let started = Instant::now();
    let out = read.await;
    tracing::debug!(
        read = what,
        ms = started.elapsed().as_millis() as u64,
        "ledger as of"
    );
    out
}

/// The projects at the close of `period` from what was read.
fn assemble(
    period: Period,
    projects: Vec<ProjectRow>,
    changes: Vec<Change>,
    plans: Vec<PlanRow>,
    months: Vec<(i64, Vec<Money>)>,
    blockers: Vec<BlockerRow>,
    milestones: Vec<(i64, Option<String>)>,
) -> Vec<ProjectAsOf> {
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
    stages_as_of(&index, &current_stage, &mut out, period, changes);

    for (project_id, planned, start, production) in plans {
        if let Some(&i) = index.get(&project_id) {
            let p = &mut out[i];
            p.plan = Some(Money::from_yuan(planned));
            p.target_start = start.as_deref().and_then(date);
            p.target_production = production.as_deref().and_then(date);
        }
    }
    for (project_id, months) in months {
        if let Some(&i) = index.get(&project_id) {
            out[i].months = months;
        }
    }
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
    for (project_id, planned) in milestones {
        if let Some(&i) = index.get(&project_id) {
            out[i].oldest_open_milestone = planned.as_deref().and_then(date);
        }
    }
    out
}

/// Stages at the close of the period from the changes recorded by the
/// cut-off (in order of record): the stage is the latest recorded change
/// dated by the last day; first reaches count progress only, not corrections.
/// A stage change as the reading uses it.
struct Change {
    project_id: i64,
    /// Where it came from (none: not known, read as 规划).
    from: Option<Stage>,
    /// Where it went and on which day; a change without either is passed over.
    to: Option<Stage>,
    on: Option<NaiveDate>,
    correction: bool,
}

/// Typed changes in order of record (project, then id).
fn typed_changes(mut rows: Vec<ChangeRow>) -> Vec<Change> {
    rows.sort_unstable_by_key(|c| (c.0, c.1));
    rows.into_iter()
        .map(|(project_id, _, from, to, on, correction)| Change {
            project_id,
            from: from.as_deref().and_then(Stage::from_code),
            to: Stage::from_code(&to),
            on: date(&on),
            correction: correction != 0,
        })
        .collect()
}

fn stages_as_of(
    index: &HashMap<i64, usize>,
    current_stage: &[Stage],
    out: &mut [ProjectAsOf],
    period: Period,
    changes: Vec<Change>,
) {
    let last_day = period.last_day();
    // Projects without any recorded change keep the stage they were entered at.
    let mut seen = vec![false; out.len()];
    for change in changes {
        let (Some(&i), Some(on), Some(to)) = (index.get(&change.project_id), change.on, change.to)
        else {
            continue;
        };
        if on > last_day {
            // A later change: before it, the project stood where it came from.
            if !seen[i] {
                out[i].stage = change.from.unwrap_or(Stage::Planning);
                seen[i] = true;
            }
            continue;
        }
        seen[i] = true;
        out[i].stage = to;
        if !change.correction && !out[i].reached.iter().any(|(s, _)| *s == to) {
            out[i].reached.push((to, on));
        }
    }
    for i in 0..out.len() {
        if !seen[i] {
            out[i].stage = current_stage[i];
        }
    }
}
