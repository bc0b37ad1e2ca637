-- The ledger at province scale (100 zones × 100 projects, five years of months).
-- Year-to-date and plan totals are summed per year: these indexes hold every
-- column those sums read, so they run on the index alone, in project order.
CREATE INDEX project_investments_year ON project_investments(year, project_id, month, amount);
CREATE INDEX project_plans_year ON project_plans(year, project_id, planned_investment);
-- With statistics (ANALYZE) SQLite would rather skip-scan the zone index for a
-- year's sum than take project_investments_year; holding the amount, the zone
-- index at least reads no rows.
DROP INDEX project_investments_zone_year;
CREATE INDEX project_investments_zone_year ON project_investments(zone_id, year, month, amount);
-- One project's months of a year, amounts included: for the page's rows and
-- when a filter narrows the totals to some projects. (With statistics SQLite
-- would otherwise take the unique index and read every row it points to.)
CREATE INDEX project_investments_project ON project_investments(project_id, year, month, amount);
-- A zone's projects in id order: the default order (by zone) without sorting,
-- and the count and total investment of any set of zones from the index alone.
CREATE INDEX projects_zone_id ON projects(zone_id, id, total_investment);
