//! The ledger list (重点项目台账): one page of projects with their plan and
//! year-to-date figures, and the totals of every match. Year-to-date stays
//! derived, summed from the monthly figures on each request. At province
//! scale (10,000 projects, half a million months) the shape of the query is
//! what keeps that fast, on SQLite and PostgreSQL alike:
//! - one statement answers page and totals; the matching projects are found
//!   once (a materialized `m`), not once for the page and again per total;
//! - the page is chosen on the few columns its order needs; only its rows are
//!   joined to names and get their own year-to-date;
//! - totals are sums over each table for the year, read from covering
//!   indexes (migration 0003), narrowed to `m` only when something narrows;
//! - sorting by year-to-date sums every project's months once (`y`), and the
//!   total is taken from those same sums.

use kfq_domain::{OrgKind, Visibility};

use super::{Ledger, LedgerFilter, LedgerRow, LedgerSort, LedgerTotals};
use crate::error::Result;
use crate::sql::Sql;
use crate::{Page, Store};

/// The stages a ledger leaves out unless asked: 取消 and 停建.
const INACTIVE: &str = "('cancelled', 'suspended')";

/// A page row with the totals beside it (the same on every row).
#[derive(sqlx::FromRow)]
struct RowWithTotals {
    #[sqlx(flatten)]
    row: LedgerRow,
    totals_count: i64,
    totals_total_investment: i64,
    totals_planned_investment: i64,
    totals_ytd: i64,
}

/// How one ledger request is answered.
struct Plan<'a> {
    visibility: &'a Visibility,
    filter: &'a LedgerFilter,
    year: i64,
    month: i64,
    /// Something narrows the ledger below every project: the matches are
    /// collected in `m` first.
    narrowed: bool,
    /// The order is by year-to-date: every match's sum is needed (`y`).
    by_ytd: bool,
    /// Only zones narrow (the caller's subtree, a zone filter): the sums over
    /// plans and months select by their own `zone_id`, an index range per
    /// zone, instead of probing every row against `m`.
    by_zone: bool,
    /// With `by_zone`, the zones in scope (see [`Plan::find_zones`]).
    zones: Option<Vec<i64>>,
}

impl<'a> Plan<'a> {
    /// Cancelled and suspended projects are left out (by default, and when no
    /// stage is asked for).
    fn hides_inactive(&self) -> bool {
        !self.filter.with_inactive && self.filter.stage.is_none()
    }

    /// `AND <column> NOT IN INACTIVE` when they are left out.
    fn push_active(&self, q: &mut Sql, column: &str) {
        if self.hides_inactive() {
            q.push(&format!(" AND {column} NOT IN {INACTIVE}"));
        }
    }

    fn new(visibility: &'a Visibility, filter: &'a LedgerFilter) -> Self {
        let narrowed = !matches!(visibility, Visibility::All)
            || filter.zone_id.is_some()
            || filter.stage.is_some()
            || filter.category.is_some()
            || filter.industry_chain_id.is_some()
            || filter.liaison_user_id.is_some()
            || filter.department_id.is_some()
            || filter.rag.is_some()
            || filter.registered.is_some()
            || filter.name_contains.is_some();
        let only_zones = filter.stage.is_none()
            && filter.category.is_none()
            && filter.industry_chain_id.is_none()
            && filter.liaison_user_id.is_none()
            && filter.department_id.is_none()
            && filter.rag.is_none()
            && filter.registered.is_none()
            && filter.name_contains.is_none()
            && !matches!(visibility, Visibility::Enterprise(_));
        Plan {
            visibility,
            filter,
            by_zone: narrowed && only_zones,
            zones: None,
            year: i64::from(filter.year),
            month: i64::from(filter.month),
            narrowed,
            by_ytd: filter.sort == LedgerSort::YearToDate,
        }
    }

    /// The sort key of the order over `p` (and `z`, `pl`, `y` when joined).
    fn sort_key(&self) -> String {
        if self.filter.sort == LedgerSort::Completion {
            // Per ten thousand, from the project's own rows; -1 without a
            // plan, so those come last in a descending order on both
            // databases. Year and month are integers checked by the filter.
            return format!(
                "COALESCE(COALESCE((SELECT CAST(SUM(ci.amount) AS BIGINT) FROM project_investments ci \
                 WHERE ci.project_id = p.id AND ci.year = {y} AND ci.month <= {m}), 0) * 10000 \
                 / (SELECT NULLIF(cp.planned_investment, 0) FROM project_plans cp \
                 WHERE cp.project_id = p.id AND cp.year = {y}), -1)",
                y = self.year,
                m = self.month
            );
        }
        let key = match self.filter.sort {
            LedgerSort::Zone => "z.path",
            LedgerSort::Name => "p.name",
            LedgerSort::Stage => {
                "CASE p.stage WHEN 'planning' THEN 0 WHEN 'signed' THEN 1 WHEN 'pre_construction' THEN 2 \
                 WHEN 'started' THEN 3 WHEN 'completed' THEN 4 WHEN 'producing' THEN 5 WHEN 'at_capacity' THEN 6 \
                 WHEN 'suspended' THEN 7 ELSE 8 END"
            }
            LedgerSort::TotalInvestment => "p.total_investment",
            LedgerSort::Planned => "pl.planned_investment",
            LedgerSort::YearToDate => "COALESCE(y.amount, 0)",
            LedgerSort::Rag => "CASE p.rag WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END",
            LedgerSort::Updated => "p.updated_at",
            LedgerSort::Completion => unreachable!("handled above"),
        };
        key.to_owned()
    }

    /// `key, id`, both in the requested direction: `id` breaks ties, so pages
    /// never overlap.
    fn order(&self, key: &str, id: &str) -> String {
        let direction = if self.filter.descending { " DESC" } else { "" };
        format!("{key}{direction}, {id}{direction}")
    }

    /// `projects p`, joined to what the conditions read and, with `ordered`,
    /// to what the sort key reads.
    fn push_projects(&self, q: &mut Sql, ordered: bool) {
        let sort = if ordered {
            Some(self.filter.sort)
        } else {
            None
        };
        if sort == Some(LedgerSort::YearToDate) {
            // `y` first: SQLite then reads it once and looks each project up
            // by id, rather than building an index over `y` for the lookup.
            q.push("y RIGHT JOIN projects p ON y.project_id = p.id");
        } else {
            q.push("projects p");
        }
        if matches!(self.visibility, Visibility::Subtree(_)) || sort == Some(LedgerSort::Zone) {
            q.push(" JOIN org_units z ON z.id = p.zone_id");
        }
        if sort == Some(LedgerSort::Planned) {
            q.push(" LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ")
                .bind(self.year);
        }
    }

    /// The caller's scope and the filters.
    fn push_conditions(&self, q: &mut Sql) {
        let filter = self.filter;
        q.push(" WHERE ");
        match &self.zones {
            // Only zones narrow and they are known: the projects of those
            // zones, by the index on zone. The subtree's range on the
            // zones' paths says the same, but PostgreSQL plans it afresh at
            // every request (a zone's staff: 1 ms more a request).
            Some(_) => self.push_zone_list(q, "p.zone_id"),
            None => {
                q.scope(self.visibility, "z.path", Some("p.enterprise_id"));
                if let Some(v) = filter.zone_id {
                    q.push(" AND p.zone_id = ").bind(v);
                }
            }
        }
        if let Some(v) = filter.stage {
            q.push(" AND p.stage = ").bind(v.code());
        }
        self.push_active(q, "p.stage");
        if let Some(v) = filter.category {
            q.push(" AND p.category = ").bind(v.code());
        }
        if let Some(v) = filter.industry_chain_id {
            q.push(" AND p.industry_chain_id = ").bind(v);
        }
        if let Some(v) = filter.liaison_user_id {
            q.push(" AND p.liaison_user_id = ").bind(v);
        }
        if let Some(v) = filter.department_id {
            q.push(" AND p.department_id = ").bind(v);
        }
        if let Some(v) = filter.rag {
            q.push(" AND p.rag = ").bind(v.code());
        }
        if let Some(v) = filter.registered {
            q.push(" AND p.registered = ").bind(i64::from(v));
        }
        if let Some(name) = &filter.name_contains {
            q.words_in(&["p.name"], name);
        }
    }

    /// ` AND <column> IN (the matches)`, when something narrows; by the
    /// row's zone (`{alias}.zone_id`) when only zones narrow. The rows of
    /// inactive projects in a range are taken out by the caller
    /// ([`Self::subtracts_inactive`]).
    fn push_in_scope(&self, q: &mut Sql, alias: &str) {
        if let Some(zones) = &self.zones {
            if zones.is_empty() {
                q.push(" AND 1 = 0");
                return;
            }
            q.push(&format!(" AND {alias}.zone_id IN ("));
            for (n, zone) in zones.iter().enumerate() {
                if n > 0 {
                    q.push(", ");
                }
                q.bind(*zone);
            }
            q.push(")");
        } else if self.narrowed {
            q.push(&format!(" AND {alias}.project_id IN (SELECT m.id FROM m)"));
        }
    }

    /// Whether the matches are rows of a range (zones, or everything) from
    /// which the inactive projects' rows must be taken out, rather than the
    /// ids in `m`, which leave them out already.
    fn subtracts_inactive(&self) -> bool {
        self.hides_inactive() && (self.zones.is_some() || !self.narrowed)
    }

    /// The ids of the cancelled and suspended projects in the range.
    fn push_inactive_ids(&self, q: &mut Sql) {
        q.push("SELECT x.id FROM projects x WHERE ");
        if self.zones.is_some() {
            self.push_zone_list(q, "x.zone_id");
            q.push(" AND ");
        }
        q.push(&format!("x.stage IN {INACTIVE}"));
    }

    /// `SUM({column})` of the matches' rows of `{table} {alias}` where
    /// `{condition}`. A range's sum reads the zone-ordered covering index;
    /// taking out the few inactive projects' rows with a `NOT IN` there would
    /// look up every row, so their sum is read apart and subtracted.
    fn push_sum(
        &self,
        q: &mut Sql,
        (column, table, alias): (&str, &str, &str),
        condition: impl Fn(&mut Sql),
    ) {
        let sum = |q: &mut Sql| {
            q.push(&format!(
                "COALESCE((SELECT CAST(SUM({alias}.{column}) AS BIGINT) FROM {table} {alias} WHERE "
            ));
            condition(q);
        };
        sum(q);
        self.push_in_scope(q, alias);
        q.push("), 0)");
        if self.subtracts_inactive() {
            q.push(" - ");
            sum(q);
            q.push(&format!(" AND {alias}.project_id IN ("));
            self.push_inactive_ids(q);
            q.push(")), 0)");
        }
    }

    /// The zones in the caller's scope (and the zone filter), when only zones
    /// narrow: a list of ids lets both databases read each zone's range of
    /// the zone-ordered indexes, where a subquery made PostgreSQL scan the
    /// whole table.
    async fn find_zones(&mut self, store: &Store) -> Result<()> {
        if !self.by_zone {
            return Ok(());
        }
        let mut q = Sql::new("SELECT z.id FROM org_units z WHERE z.kind = ");
        q.bind(OrgKind::Zone.code())
            .push(" AND ")
            .scope(self.visibility, "z.path", None);
        if let Some(zone) = self.filter.zone_id {
            q.push(" AND z.id = ").bind(zone);
        }
        q.push(" ORDER BY z.id");
        let zones: Vec<i64> = q.query_scalar().fetch_all(&store.pool).await?;
        self.zones = Some(zones);
        Ok(())
    }

    /// Whether the matches are collected in `m`. Not when only zones narrow a
    /// year-to-date order: `y` and the counts read the zones' ranges directly.
    fn uses_m(&self) -> bool {
        self.narrowed && !(self.zones.is_some() && self.by_ytd)
    }

    /// `<column> IN (zones)`, or a condition that is never true.
    fn push_zone_list(&self, q: &mut Sql, column: &str) {
        match self.zones.as_deref() {
            Some(zones) if !zones.is_empty() => {
                q.push(&format!("{column} IN ("));
                for (n, zone) in zones.iter().enumerate() {
                    if n > 0 {
                        q.push(", ");
                    }
                    q.bind(*zone);
                }
                q.push(")");
            }
            _ => {
                q.push("1 = 0");
            }
        }
    }

    /// `WITH m …, y …`: the matches with their sort key, and every match's
    /// year-to-date when the order needs it.
    fn push_with(&self, q: &mut Sql) {
        let mut ctes = Vec::new();
        if self.uses_m() {
            ctes.push("m");
        }
        if self.by_ytd {
            ctes.push("y");
        }
        if ctes.is_empty() {
            return;
        }
        q.push("WITH ");
        if self.uses_m() {
            // The year-to-date order joins `y` to the page, not here.
            let key = if self.by_ytd {
                "0".to_owned()
            } else {
                self.sort_key()
            };
            q.push(&format!(
                "m AS MATERIALIZED (SELECT p.id, p.total_investment, {key} AS sort_key FROM "
            ));
            self.push_projects(q, !self.by_ytd);
            self.push_conditions(q);
            q.push(")");
            if self.by_ytd {
                q.push(", ");
            }
        }
        if self.by_ytd {
            q.push(
                "y AS MATERIALIZED (SELECT i.project_id, CAST(SUM(i.amount) AS BIGINT) AS amount \
                 FROM project_investments i WHERE i.year = ",
            )
            .bind(self.year)
            .push(" AND i.month <= ")
            .bind(self.month);
            self.push_in_scope(q, "i");
            // A project lies in one zone: grouping by both is grouping by
            // project, in the order the zone index reads the months.
            let group = if self.zones.is_some() {
                "i.zone_id, i.project_id"
            } else {
                "i.project_id"
            };
            q.push(&format!(" GROUP BY {group}"));
            // Inactive projects leave once summed: one test a project, not
            // a row lookup for each month read from the covering index.
            if self.subtracts_inactive() {
                q.push(" HAVING i.project_id NOT IN (");
                self.push_inactive_ids(q);
                q.push(")");
            }
            q.push(")");
        }
        q.push(" ");
    }

    /// `(…) t`: the count and total investment of the matches, in one pass.
    fn push_counts(&self, q: &mut Sql) {
        q.push(
            "(SELECT COUNT(*) AS count, COALESCE(CAST(SUM(total_investment) AS BIGINT), 0) AS total_investment FROM ",
        );
        if self.uses_m() {
            q.push("m");
        } else if self.narrowed {
            // Only zones narrow: from the zone-ordered covering index.
            q.push("projects WHERE ");
            self.push_zone_list(q, "zone_id");
            self.push_active(q, "stage");
        } else {
            q.push("projects WHERE 1 = 1");
            self.push_active(q, "stage");
        }
        q.push(") t");
    }

    /// The four totals, as columns named `{prefix}count` and so on (the first
    /// two from `t`).
    fn push_totals(&self, q: &mut Sql, prefix: &str) {
        q.push(&format!(
            "t.count AS {prefix}count, t.total_investment AS {prefix}total_investment, ("
        ));
        let (year, month) = (self.year, self.month);
        self.push_sum(q, ("planned_investment", "project_plans", "pl"), |q| {
            q.push("pl.year = ").bind(year);
        });
        q.push(&format!(") AS {prefix}planned_investment, "));
        if self.by_ytd {
            // The order summed every match's months already.
            q.push("COALESCE((SELECT CAST(SUM(y.amount) AS BIGINT) FROM y), 0)");
        } else {
            q.push("(");
            self.push_sum(q, ("amount", "project_investments", "i"), |q| {
                q.push("i.year = ")
                    .bind(year)
                    .push(" AND i.month <= ")
                    .bind(month);
            });
            q.push(")");
        }
        q.push(&format!(" AS {prefix}ytd"));
    }

    /// `(SELECT id … LIMIT …) page`: the ids of the page, in order. With
    /// `positive`, only among the matches whose year-to-date is above zero,
    /// straight from `y` (see [`Store::ledger`]).
    fn push_page(&self, q: &mut Sql, offset: i64, limit: i64, positive: bool) {
        if positive {
            q.push(
                "(SELECT y.project_id AS id FROM y WHERE y.amount > 0 \
                 ORDER BY y.amount DESC, y.project_id DESC LIMIT ",
            );
        } else {
            q.push("(");
            self.push_ranked(q);
            q.push(" LIMIT ");
        }
        q.bind(limit).push(" OFFSET ").bind(offset).push(") page");
    }

    /// `SELECT id … ORDER BY …`: every match's id, in order.
    fn push_ranked(&self, q: &mut Sql) {
        if self.narrowed && !self.uses_m() {
            q.push("SELECT p.id FROM y RIGHT JOIN projects p ON y.project_id = p.id WHERE ");
            self.push_zone_list(q, "p.zone_id");
            self.push_active(q, "p.stage");
            q.push(&format!(
                " ORDER BY {}",
                self.order("COALESCE(y.amount, 0)", "p.id")
            ));
        } else if self.narrowed {
            let key = if self.by_ytd {
                q.push("SELECT m.id FROM y RIGHT JOIN m ON y.project_id = m.id");
                "COALESCE(y.amount, 0)"
            } else {
                q.push("SELECT m.id FROM m");
                "m.sort_key"
            };
            q.push(&format!(" ORDER BY {}", self.order(key, "m.id")));
        } else {
            q.push("SELECT p.id FROM ");
            let key = self.sort_key();
            self.push_projects(q, true);
            q.push(" WHERE 1 = 1");
            self.push_active(q, "p.stage");
            q.push(&format!(" ORDER BY {}", self.order(&key, "p.id")));
        }
    }

    /// The page with names, its rows' own figures and the totals.
    fn page_query(&self, offset: i64, limit: i64, positive: bool) -> Sql {
        let mut q = Sql::new("");
        self.push_with(&mut q);
        q.push(
            "SELECT p.id, p.zone_id, z.name AS zone_name, p.name, p.investor, p.project_code, p.stage, p.category, \
             (SELECT ic.name FROM industry_chains ic WHERE ic.id = p.industry_chain_id) AS industry_chain, \
             (SELECT lu.display_name FROM users lu WHERE lu.id = p.liaison_user_id) AS liaison_name, \
             (SELECT d.name FROM org_units d WHERE d.id = p.department_id) AS department_name, \
             p.registered, p.rag, p.total_investment, pl.planned_investment, COALESCE((SELECT CAST(SUM(i.amount) AS BIGINT) FROM project_investments i \
             WHERE i.project_id = p.id AND i.year = ",
        )
        .bind(self.year)
        .push(" AND i.month <= ")
        .bind(self.month)
        .push("), 0) AS ytd, ");
        self.push_totals(&mut q, "totals_");
        q.push(" FROM ");
        // LEFT joins (every page id is a project in its zone) keep the page
        // the outer loop: SQLite would otherwise scan all projects for it.
        // Names are looked up per row: fewer joins, less for PostgreSQL to plan.
        self.push_page(&mut q, offset, limit, positive);
        q.push(" CROSS JOIN ");
        self.push_counts(&mut q);
        q.push(
            " LEFT JOIN projects p ON p.id = page.id LEFT JOIN org_units z ON z.id = p.zone_id \
             LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ",
        )
        .bind(self.year);
        let key = match self.filter.sort {
            LedgerSort::Planned => "planned_investment".to_owned(),
            LedgerSort::YearToDate => "ytd".to_owned(),
            _ => self.sort_key(),
        };
        q.push(&format!(" ORDER BY {}", self.order(&key, "p.id")));
        q
    }

    /// How many cancelled and suspended projects match the other filters.
    fn left_out_query(&self) -> Sql {
        let mut q = Sql::new("SELECT COUNT(*) FROM projects p");
        if !matches!(self.visibility, Visibility::All) {
            q.push(" JOIN org_units z ON z.id = p.zone_id");
        }
        let asked = LedgerFilter {
            with_inactive: true,
            ..self.filter.clone()
        };
        let plan = Plan {
            filter: &asked,
            zones: None,
            ..*self
        };
        plan.push_conditions(&mut q);
        q.push(&format!(" AND p.stage IN {INACTIVE}"));
        q
    }

    /// The totals alone, for a page past the end.
    fn totals_query(&self) -> Sql {
        let mut q = Sql::new("");
        self.push_with(&mut q);
        q.push("SELECT ");
        self.push_totals(&mut q, "");
        q.push(" FROM ");
        self.push_counts(&mut q);
        q
    }
}

impl Store {
    /// The ledger: one page of projects with plan and year-to-date figures, and
    /// the totals of every match.
    pub async fn ledger(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Ledger> {
        let mut plan = Plan::new(visibility, filter);
        plan.find_zones(self).await?;
        // Largest year-to-date first: the projects with a positive sum come
        // before all others, so a full page of them, taken from `y` alone, is
        // the page, without ranking every project. Short of a full page (the
        // last pages, or January before any figures) rank them all.
        let mut rows = Vec::new();
        if plan.by_ytd && filter.descending && limit > 0 {
            rows = plan
                .page_query(offset, limit, true)
                .query_as::<RowWithTotals>()
                .fetch_all(&self.pool)
                .await?;
        }
        if limit == 0 || i64::try_from(rows.len()).ok() != Some(limit) {
            rows = plan
                .page_query(offset, limit, false)
                .query_as::<RowWithTotals>()
                .fetch_all(&self.pool)
                .await?;
        }
        let totals = match rows.first() {
            Some(first) => LedgerTotals {
                count: first.totals_count,
                total_investment: kfq_domain::Money::from_yuan(first.totals_total_investment),
                planned_investment: kfq_domain::Money::from_yuan(first.totals_planned_investment),
                ytd: kfq_domain::Money::from_yuan(first.totals_ytd),
            },
            // Nothing matches at all.
            None if offset == 0 && limit > 0 => LedgerTotals::default(),
            None => {
                plan.totals_query()
                    .query_as::<LedgerTotals>()
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        let left_out = if plan.hides_inactive() {
            plan.left_out_query()
                .query_scalar::<i64>()
                .fetch_one(&self.pool)
                .await?
        } else {
            0
        };
        Ok(Ledger {
            left_out,
            page: Page {
                items: rows.into_iter().map(|r| r.row).collect(),
                total: totals.count,
                offset,
                limit,
            },
            totals,
        })
    }
}
