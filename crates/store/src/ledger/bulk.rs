//! Bulk import: many projects in one transaction, their months, plans, stage
//! changes, milestones and blockers written with multi-row INSERTs. A province's ledgers
//! (10,000 projects, half a million months) load in seconds this way instead of
//! one statement per row. The outcome is the same as importing the projects
//! one by one: one audited creation per project, statuses left for
//! [`Store::refresh_stale_rag`].

use std::collections::HashSet;

use kfq_domain::audit::AuditAction;
use kfq_domain::Stage;
use sqlx::{AnyConnection, Row};

use crate::audit::{record_many, Actor, Change};
use crate::error::Result;
use crate::ledger::{
    after_input, bind_input, check_references, date_text, fetch_many_unscoped, input_columns,
    input_placeholders, Project, ProjectRecord,
};
use crate::{now_ms, Backend, Store};

/// Placeholders per statement. SQLite finds a `$n` parameter by walking the
/// list of all of them, so binding costs grow with the square of their
/// number: about a hundred rows a statement is where the fewer round trips
/// stop paying (8,000 placeholders a statement were 15 times slower than 500).
const BINDS_PER_STATEMENT: usize = 500;

/// One value of a row; the type travels with a NULL too, as PostgreSQL wants it.
pub(crate) enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(Some(v))
    }
}

impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Self {
        Cell::Int(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(Some(v.to_owned()))
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(Some(v))
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        Cell::Text(v)
    }
}

/// Rows for one table, written as few INSERT statements as the limits allow.
pub(crate) struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    cells: Vec<Cell>,
}

impl Rows {
    pub(crate) fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            cells: Vec::new(),
        }
    }

    pub(crate) fn push<const N: usize>(&mut self, row: [Cell; N]) {
        debug_assert_eq!(N, self.columns.len());
        self.cells.extend(row);
    }

    pub(crate) async fn write(&self, conn: &mut AnyConnection) -> Result<()> {
        let width = self.columns.len();
        let rows_per_statement = (BINDS_PER_STATEMENT / width).max(1);
        for chunk in self.cells.chunks(rows_per_statement * width) {
            let mut sql = format!(
                "INSERT INTO {} ({}) VALUES ",
                self.table,
                self.columns.join(", ")
            );
            for row in 0..chunk.len() / width {
                if row > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for column in 0..width {
                    if column > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${}", row * width + column + 1));
                }
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for cell in chunk {
                query = match cell {
                    Cell::Int(v) => query.bind(*v),
                    Cell::Text(v) => query.bind(v),
                };
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

impl Store {
    /// Writes many projects and everything under them in one transaction: all
    /// or none. Returns their ids in the order given. Meant for batches of a
    /// few hundred projects (a zone's ledger); callers split larger loads.
    pub async fn import_projects(
        &self,
        actor: &Actor,
        projects: &[ProjectRecord],
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let ids = insert_records(&mut tx, actor, projects).await?;
        tx.commit().await?;
        Ok(ids)
    }
}

/// Writes `projects` and everything under them within the caller's
/// transaction, each recorded as one audited creation.
pub(crate) async fn insert_records(
    tx: &mut AnyConnection,
    actor: &Actor,
    projects: &[ProjectRecord],
) -> Result<Vec<i64>> {
    let now = now_ms();
    // A zone's projects share a handful of departments, chains and
    // liaisons: each combination is checked once.
    let mut checked = HashSet::new();
    let mut ids = Vec::with_capacity(projects.len());
    let insert = format!(
        "INSERT INTO projects ({}, stage, furthest_stage, stage_since, created_at, updated_at) \
         VALUES ({}, {stage}, {furthest}, {since}, {now}, {now}) RETURNING id",
        input_columns(),
        input_placeholders(),
        stage = after_input(1),
        furthest = after_input(2),
        since = after_input(3),
        now = after_input(4),
    );
    for project in projects {
        let input = &project.input;
        let references = (
            input.zone_id,
            input.enterprise_id,
            input.department_id,
            input.liaison_user_id,
            input.industry_chain_id,
        );
        if checked.insert(references) {
            check_references(tx, input).await?;
        }
        let furthest = project
            .stage_changes
            .iter()
            .map(|(s, _)| *s)
            .chain(std::iter::once(project.stage))
            .filter(|s| s.rank().is_some())
            .max_by_key(|s| s.rank())
            .unwrap_or(Stage::Planning);
        let since = project.stage_changes.last().map(|(_, d)| d.to_string());
        let id: i64 = bind_input(sqlx::query(&insert), input)
            .bind(project.stage.code())
            .bind(furthest.code())
            .bind(since)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        ids.push(id);
    }

    let mut changes = Rows::new(
        "project_stage_changes",
        &[
            "zone_id",
            "project_id",
            "from_stage",
            "to_stage",
            "on_date",
            "correction",
            "actor_name",
            "at",
        ],
    );
    let mut plans = Rows::new(
        "project_plans",
        &[
            "zone_id",
            "project_id",
            "year",
            "planned_investment",
            "target_start",
            "target_production",
        ],
    );
    let mut openings = Rows::new(
        "project_openings",
        &["zone_id", "project_id", "amount", "as_of", "recorded_at"],
    );
    let mut months = Rows::new(
        "project_investments",
        &["zone_id", "project_id", "year", "month", "amount"],
    );
    let mut milestones = Rows::new(
        "project_milestones",
        &[
            "zone_id",
            "project_id",
            "key",
            "name",
            "sort",
            "planned_on",
            "actual_on",
        ],
    );
    let mut blockers = Rows::new(
        "blockers",
        &[
            "zone_id",
            "project_id",
            "factor",
            "description",
            "raised_on",
            "department_id",
            "deadline",
            "status",
            "resolution",
            "resolved_on",
            "created_at",
            "updated_at",
        ],
    );
    for (project, &id) in projects.iter().zip(&ids) {
        let zone = project.input.zone_id;
        let mut from: Option<&str> = None;
        for (stage, date) in &project.stage_changes {
            changes.push([
                zone.into(),
                id.into(),
                from.map(str::to_owned).into(),
                stage.code().into(),
                date.to_string().into(),
                0.into(),
                actor.name.as_str().into(),
                now.into(),
            ]);
            from = Some(stage.code());
        }
        for (year, planned) in &project.plans {
            let (start, production) = project
                .targets
                .iter()
                .find(|(y, _, _)| y == year)
                .map_or((None, None), |(_, s, p)| (*s, *p));
            plans.push([
                zone.into(),
                id.into(),
                i64::from(*year).into(),
                planned.yuan().into(),
                date_text(start).into(),
                date_text(production).into(),
            ]);
        }
        if let Some((amount, as_of)) = project.opening {
            openings.push([
                zone.into(),
                id.into(),
                amount.yuan().into(),
                as_of.to_string().into(),
                now.into(),
            ]);
        }
        for (year, month, amount) in &project.months {
            months.push([
                zone.into(),
                id.into(),
                i64::from(*year).into(),
                i64::from(*month).into(),
                amount.yuan().into(),
            ]);
        }
        for (sort, (key, name, planned, actual)) in project.milestones.iter().enumerate() {
            milestones.push([
                zone.into(),
                id.into(),
                key.as_str().into(),
                name.as_str().into(),
                (sort as i64).into(),
                date_text(*planned).into(),
                date_text(*actual).into(),
            ]);
        }
        for b in &project.blockers {
            blockers.push([
                zone.into(),
                id.into(),
                b.factor.code().into(),
                b.description.clone().into(),
                b.raised_on.to_string().into(),
                b.department_id.into(),
                date_text(b.deadline).into(),
                b.status.code().into(),
                b.resolution.clone().into(),
                date_text(b.resolved_on).into(),
                now.into(),
                now.into(),
            ]);
        }
    }
    for rows in [&changes, &plans, &months, &milestones, &blockers, &openings] {
        rows.write(tx).await?;
    }

    // One audited creation per project, each holding the project as
    // created; read back and recorded a few hundred at a time per zone.
    for chunk in ids.chunks(500) {
        let created = fetch_many_unscoped(tx, chunk).await?;
        let mut by_zone: Vec<(i64, Vec<&Project>)> = Vec::new();
        for project in &created {
            match by_zone
                .iter_mut()
                .find(|(zone, _)| *zone == project.zone_id)
            {
                Some((_, list)) => list.push(project),
                None => by_zone.push((project.zone_id, vec![project])),
            }
        }
        for (zone, projects) in by_zone {
            let path = projects[0].zone_org_path();
            let changes: Vec<Change<'_, Project>> = projects
                .iter()
                .map(|p| Change {
                    action: AuditAction::Create,
                    entity: "project",
                    entity_id: p.id,
                    zone_id: Some(zone),
                    scope_path: &path,
                    before: None,
                    after: Some(*p),
                })
                .collect();
            record_many(tx, actor, &changes).await?;
        }
    }
    Ok(ids)
}

impl Store {
    /// Refreshes the query planner's statistics after a bulk load, so the
    /// ledger's plans fit the data from the first request on (PostgreSQL's
    /// autovacuum would get there, later). VACUUM also marks the pages
    /// all-visible, which index-only scans need.
    pub async fn analyze(&self) -> Result<()> {
        let sql = match self.backend() {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Keeps the planner's statistics in step with the data as it grows
    /// (SQLite analyses only the tables that changed enough, within a
    /// bound; PostgreSQL's autovacuum does this itself). Plans such as the
    /// province's pipeline depend on them.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.backend() == Backend::Sqlite {
            sqlx::query("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
