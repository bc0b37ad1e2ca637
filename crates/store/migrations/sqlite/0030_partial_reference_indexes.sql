-- A project's enterprise, liaison and department are often blank (most
-- ledgers name no enterprise; many no liaison or department), and nothing
-- looks projects up by a blank one: the indexes behind these references
-- (a department's projects, the foreign keys' checks when a user or unit
-- goes) hold the filled ones only. A 100,000-project import no longer
-- writes 300,000 entries of NULL.
DROP INDEX projects_department;
DROP INDEX projects_liaison;
DROP INDEX projects_enterprise;
CREATE INDEX projects_department ON projects(department_id) WHERE department_id IS NOT NULL;
CREATE INDEX projects_liaison ON projects(liaison_user_id) WHERE liaison_user_id IS NOT NULL;
CREATE INDEX projects_enterprise ON projects(enterprise_id) WHERE enterprise_id IS NOT NULL;
