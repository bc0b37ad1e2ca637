-- A scope of whole zones (a supervisor's city or province) sums plans and
-- months by zone: index-only scans of one range per zone. Within a zone the
-- months are in project order, for year-to-date per project.
DROP INDEX project_plans_zone_year;
CREATE INDEX project_plans_zone_year ON project_plans(zone_id, year) INCLUDE (planned_investment);
DROP INDEX project_investments_zone_year;
CREATE INDEX project_investments_zone_year ON project_investments(zone_id, year, project_id, month) INCLUDE (amount);
