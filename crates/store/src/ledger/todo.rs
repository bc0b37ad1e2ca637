//! What a home page lists as work to do: red projects with their reasons,
//! milestones coming due, and each zone's progress and reporting for a
//! supervisor. Scoped like every read; cancelled and suspended projects are
//! left out, as they are of totals and statuses.

use chrono::NaiveDate;
use kfq_domain::rag::StoredReason;
use kfq_domain::{OrgKind, Visibility};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::decode;
use crate::error::Result;
use crate::sql::Sql;
use crate::Store;

/// A red project and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedProject {
    pub id: i64,
    pub name: String,
    pub zone_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub reasons: Vec<StoredReason>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub rag_since: Option<NaiveDate>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for RedProject {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(RedProject {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            zone_name: row.try_get("zone_name")?,
            reasons: decode::json(row, "rag_reasons")?,
            rag_since: decode::opt_date(row, "rag_since")?,
        })
    }
}

/// A milestone not yet reached whose planned day is near or past.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueMilestone {
    pub project_id: i64,
    pub project_name: String,
    pub zone_name: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub planned_on: NaiveDate,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for DueMilestone {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(DueMilestone {
            project_id: row.try_get("project_id")?,
            project_name: row.try_get("project_name")?,
            zone_name: row.try_get("zone_name")?,
            name: row.try_get("name")?,
            planned_on: decode::date(row, "planned_on")?,
        })
    }
}

/// A zone's year so far, for a supervisor: plan, done, red projects and
/// the projects that have not reported the month.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneProgress {
    pub zone_id: i64,
    pub zone_name: String,
    /// Where the zone sits, so a country's zones can be summed by province.
    #[serde(skip)]
    pub zone_path: String,
    /// Zones summed in this line: 1 for a zone, more for a province or city.
    pub zones: i64,
    pub projects: i64,
    pub red: i64,
    /// Projects without a figure for the month.
    pub not_reported: i64,
    /// Yuan.
    pub planned: i64,
    /// Yuan, January to the month.
    pub ytd: i64,
}

const ACTIVE: &str = "p.stage NOT IN ('cancelled', 'suspended')";

impl Store {
    /// Red projects in scope, longest red first, at most `limit`, and how many
    /// there are in all.
    pub async fn red_projects_in(
        &self,
        visibility: &Visibility,
        limit: i64,
    ) -> Result<(Vec<RedProject>, i64)> {
        let condition = |sql: &mut Sql| {
            sql.push(" WHERE p.rag = 'red' AND ")
                .push(ACTIVE)
                .push(" AND ")
                .scope(visibility, "z.path", Some("p.enterprise_id"));
        };
        let mut sql = Sql::new(
            "SELECT p.id, p.name, z.name AS zone_name, p.rag_reasons, p.rag_since \
             FROM projects p JOIN org_units z ON z.id = p.zone_id",
        );
        condition(&mut sql);
        sql.push(" ORDER BY p.rag_since, p.id LIMIT ").bind(limit);
        let lines = sql.query_as::<RedProject>().fetch_all(&self.pool).await?;
        let mut count =
            Sql::new("SELECT COUNT(*) FROM projects p JOIN org_units z ON z.id = p.zone_id");
        condition(&mut count);
        let total: i64 = count.query_scalar().fetch_one(&self.pool).await?;
        Ok((lines, total))
    }

    /// Milestones in scope not reached and planned on or before `until`, at
    /// most `limit`: the nearest first, so what falls due soon and what has
    /// just slipped come before what slipped long ago.
    pub async fn milestones_due(
        &self,
        visibility: &Visibility,
        until: NaiveDate,
        limit: i64,
    ) -> Result<Vec<DueMilestone>> {
        let mut sql = Sql::new(
            "SELECT m.project_id, p.name AS project_name, z.name AS zone_name, m.name, m.planned_on \
             FROM project_milestones m JOIN projects p ON p.id = m.project_id \
             JOIN org_units z ON z.id = p.zone_id \
             WHERE m.actual_on IS NULL AND m.planned_on <= ",
        );
        sql.bind(until.to_string())
            .push(" AND ")
            .push(ACTIVE)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"))
            .push(" ORDER BY m.planned_on DESC, m.id LIMIT ")
            .bind(limit);
        Ok(sql.query_as::<DueMilestone>().fetch_all(&self.pool).await?)
    }

    /// How many blockers are open on each of `projects` (within scope); a
    /// project without one is absent.
    pub async fn open_blockers_of(
        &self,
        visibility: &Visibility,
        projects: &[i64],
    ) -> Result<std::collections::HashMap<i64, i64>> {
        if projects.is_empty() {
            return Ok(Default::default());
        }
        let mut sql = Sql::new(
            "SELECT b.project_id, COUNT(*) AS open FROM blockers b \
             JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = p.zone_id \
             WHERE b.status <> 'resolved' AND b.project_id IN (",
        );
        for (i, id) in projects.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(*id);
        }
        sql.push(") AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"))
            .push(" GROUP BY b.project_id");
        let rows = sql.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| Ok((row.try_get("project_id")?, row.try_get("open")?)))
            .collect()
    }

    /// Every zone in scope with its plan, year to date and red projects, and
    /// the projects without a figure for `(year, month)`.
    pub async fn zone_progress(
        &self,
        visibility: &Visibility,
        (year, month): (i32, u32),
    ) -> Result<Vec<ZoneProgress>> {
        let (year, month) = (i64::from(year), i64::from(month));
        let mut sql = Sql::new(
            "SELECT z.id, z.name, z.path, COUNT(p.id) AS projects, \
             COALESCE(SUM(CASE WHEN p.rag = 'red' THEN 1 ELSE 0 END), 0) AS red, \
             COALESCE(SUM(CASE WHEN p.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM project_investments i \
               WHERE i.project_id = p.id AND i.year = ",
        );
        sql.bind(year)
            .push(" AND i.month = ")
            .bind(month)
            .push(
                ") THEN 1 ELSE 0 END), 0) AS not_reported, \
                 COALESCE(CAST(SUM((SELECT pl.planned_investment FROM project_plans pl \
                   WHERE pl.project_id = p.id AND pl.year = ",
            )
            .bind(year)
            .push(
                ")) AS BIGINT), 0) AS planned, \
                 COALESCE(CAST(SUM((SELECT SUM(i.amount) FROM project_investments i \
                   WHERE i.project_id = p.id AND i.year = ",
            )
            .bind(year)
            .push(" AND i.month <= ")
            .bind(month)
            .push(
                ")) AS BIGINT), 0) AS ytd \
                 FROM org_units z LEFT JOIN projects p ON p.zone_id = z.id AND ",
            )
            .push(ACTIVE)
            .push(" WHERE z.kind = ")
            .bind(OrgKind::Zone.code())
            .push(" AND ")
            .scope(visibility, "z.path", None)
            .push(" GROUP BY z.id, z.name, z.path ORDER BY z.id");
        let rows = sql.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(ZoneProgress {
                    zone_id: row.try_get("id")?,
                    zone_name: row.try_get("name")?,
                    zone_path: row.try_get("path")?,
                    zones: 1,
                    projects: row.try_get("projects")?,
                    red: row.try_get("red")?,
                    not_reported: row.try_get("not_reported")?,
                    planned: row.try_get("planned")?,
                    ytd: row.try_get("ytd")?,
                })
            })
            .collect()
    }
}
