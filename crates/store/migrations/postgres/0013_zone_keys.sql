-- Unique keys of zone-owned tables include zone_id (docs/ARCHITECTURE.md,
-- schema conventions): a zone's rows can then live on one shard. zone_id goes
-- last so lookups by project keep using the index.
DROP INDEX project_plans_project_year;
CREATE UNIQUE INDEX project_plans_project_year ON project_plans(project_id, year, zone_id);
DROP INDEX project_investments_month;
CREATE UNIQUE INDEX project_investments_month ON project_investments(project_id, year, month, zone_id);
DROP INDEX project_milestones_key;
CREATE UNIQUE INDEX project_milestones_key ON project_milestones(project_id, key, zone_id);
DROP INDEX project_baselines_name;
CREATE UNIQUE INDEX project_baselines_name ON project_baselines(project_id, name, zone_id);
