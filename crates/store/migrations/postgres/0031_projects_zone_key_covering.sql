-- A zone's projects by id were indexed twice: `projects_zone_key` (zone_id,
-- id) unique, behind the foreign keys of openings and leads, and
-- `projects_zone_id` (zone_id, id) INCLUDE (total_investment) for the
-- zone's reads. One unique index with the column included serves both, and
-- every project written (an import of 100,000 of them) updates one index
-- fewer. The foreign keys are made again on it.
ALTER TABLE project_openings DROP CONSTRAINT project_openings_zone_id_project_id_fkey;
ALTER TABLE leads DROP CONSTRAINT leads_zone_id_project_id_fkey;
DROP INDEX projects_zone_key;
DROP INDEX projects_zone_id;
CREATE UNIQUE INDEX projects_zone_id ON projects(zone_id, id) INCLUDE (total_investment);
ALTER TABLE project_openings ADD CONSTRAINT project_openings_zone_id_project_id_fkey
    FOREIGN KEY (zone_id, project_id) REFERENCES projects(zone_id, id) ON DELETE CASCADE;
ALTER TABLE leads ADD CONSTRAINT leads_zone_id_project_id_fkey
    FOREIGN KEY (zone_id, project_id) REFERENCES projects(zone_id, id);
