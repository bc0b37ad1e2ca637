//! What the exported ledger carries beside the list's columns: each
//! project's plan target dates, its open blockers, the days it reached 开工
//! and 投产, and the last month of the year that has figures. Read for the rows the list already chose, in
//! batches, within the caller's scope.

use std::collections::HashMap;

use super::*;
use crate::decode;
use crate::sql::in_list;

/// Beside a project's ledger line in the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFacts {
    /// The year's plan target start and production days.
    pub target_start: Option<NaiveDate>,
    pub target_production: Option<NaiveDate>,
    /// Descriptions of its blockers not yet resolved, oldest first.
    pub open_blockers: Vec<String>,
    /// The first days it reached 开工 and 投产 (corrections aside).
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
}

/// Ids per statement: inlined lists stay a reasonable size for a province.
const BATCH: usize = 1000;

impl Store {
    /// The export's facts of `ids` (projects the caller sees) for `year`.
    pub async fn export_facts(
        &self,
        visibility: &Visibility,
        ids: &[i64],
        year: i32,
    ) -> Result<HashMap<i64, ExportFacts>> {
        let mut facts: HashMap<i64, ExportFacts> = HashMap::new();
        for batch in ids.chunks(BATCH) {
            let mut sql = Sql::new(&format!(
                "SELECT t.project_id, t.target_start, t.target_production FROM project_plans t \
                 JOIN projects p ON p.id = t.project_id JOIN org_units z ON z.id = p.zone_id \
                 WHERE {} AND t.year = ",
                in_list("t.project_id", batch)
            ));
            sql.bind(i64::from(year)).push(" AND ");
            sql.scope(visibility, "z.path", Some("p.enterprise_id"));
            for row in sql.query().fetch_all(&self.pool).await? {
                let f = facts.entry(row.try_get("project_id")?).or_default();
                f.target_start = decode::opt_date(&row, "target_start")?;
                f.target_production = decode::opt_date(&row, "target_production")?;
            }
            let mut sql = Sql::new(&format!(
                "SELECT t.project_id, t.description FROM blockers t \
                 JOIN projects p ON p.id = t.project_id JOIN org_units z ON z.id = p.zone_id \
                 WHERE {} AND t.status <> ",
                in_list("t.project_id", batch)
            ));
            sql.bind(BlockerStatus::Resolved.code()).push(" AND ");
            sql.scope(visibility, "z.path", Some("p.enterprise_id"));
            sql.push(" ORDER BY t.project_id, t.raised_on, t.id");
            for row in sql.query().fetch_all(&self.pool).await? {
                facts
                    .entry(row.try_get("project_id")?)
                    .or_default()
                    .open_blockers
                    .push(row.try_get("description")?);
            }
            let mut sql = Sql::new(&format!(
                "SELECT t.project_id, t.to_stage, MIN(t.on_date) AS on_date FROM project_stage_changes t \
                 JOIN projects p ON p.id = t.project_id JOIN org_units z ON z.id = p.zone_id \
                 WHERE {} AND t.correction = 0 AND t.to_stage IN ('started', 'producing') AND ",
                in_list("t.project_id", batch)
            ));
            sql.scope(visibility, "z.path", Some("p.enterprise_id"));
            sql.push(" GROUP BY t.project_id, t.to_stage");
            for row in sql.query().fetch_all(&self.pool).await? {
                let f = facts.entry(row.try_get("project_id")?).or_default();
                let day = decode::opt_date(&row, "on_date")?;
                match row.try_get::<String, _>("to_stage")?.as_str() {
                    "started" => f.started_on = day,
                    _ => f.producing_on = day,
                }
            }
        }
        Ok(facts)
    }

    /// The last month of `year`, not after `through`, for which any of `ids`
    /// has a figure (a reported zero counts): the month a "1-N月" column can
    /// honestly name.
    pub async fn last_reported_month(
        &self,
        visibility: &Visibility,
        ids: &[i64],
        year: i32,
        through: u32,
    ) -> Result<Option<u32>> {
        let mut last: Option<u32> = None;
        for batch in ids.chunks(BATCH) {
            let mut sql = Sql::new(&format!(
                "SELECT MAX(t.month) FROM project_investments t \
                 JOIN projects p ON p.id = t.project_id JOIN org_units z ON z.id = p.zone_id \
                 WHERE {} AND t.year = ",
                in_list("t.project_id", batch)
            ));
            sql.bind(i64::from(year))
                .push(" AND t.month <= ")
                .bind(i64::from(through))
                .push(" AND ");
            sql.scope(visibility, "z.path", Some("p.enterprise_id"));
            let month: Option<i64> = sql.query_scalar().fetch_one(&self.pool).await?;
            let month = month.and_then(|m| u32::try_from(m).ok());
            last = last.max(month);
        }
        Ok(last)
    }
}
