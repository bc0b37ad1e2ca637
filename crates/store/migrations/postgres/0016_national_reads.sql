-- A country's monthly report (issue #13) reads every project's months of a
-- year as they stood at a cut-off: with when each was recorded in the index,
-- the months are read from the index alone, in (zone, year, project, month)
-- order, ready to be gathered by project without a sort.
DROP INDEX project_investments_zone_year;
CREATE INDEX project_investments_zone_year ON project_investments(zone_id, year, project_id, month) INCLUDE (amount, recorded_at);
-- Milestones not done by a month's last day: the open ones have their
-- partial index; these are the ones done, found by when.
CREATE INDEX project_milestones_done ON project_milestones(zone_id, actual_on) WHERE actual_on IS NOT NULL;
