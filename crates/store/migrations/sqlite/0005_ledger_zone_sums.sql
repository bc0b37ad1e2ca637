-- A scope of whole zones (a supervisor's city or province) sums plans and
-- months by zone: one index range per zone, amounts included. Within a zone
-- the months are in project order, so year-to-date per project groups
-- without a sort.
DROP INDEX project_plans_zone_year;
CREATE INDEX project_plans_zone_year ON project_plans(zone_id, year, planned_investment);
DROP INDEX project_investments_zone_year;
CREATE INDEX project_investments_zone_year ON project_investments(zone_id, year, project_id, month, amount);
