-- The ledger at province scale (100 zones × 100 projects, five years of months).
-- Year-to-date and plan totals are summed per year: these indexes hold every
-- column those sums read, so they run as index-only scans, in project order.
CREATE INDEX project_investments_year ON project_investments(year, project_id, month) INCLUDE (amount);
CREATE INDEX project_plans_year ON project_plans(year, project_id) INCLUDE (planned_investment);
-- A zone's projects in id order: the default order (by zone) without sorting,
-- and the count and total investment of any set of zones from the index alone.
CREATE INDEX projects_zone_id ON projects(zone_id, id) INCLUDE (total_investment);
