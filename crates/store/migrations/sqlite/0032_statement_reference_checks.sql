-- PostgreSQL checks a project's zone, and the project of its months, plans
-- and stage changes, once per statement instead of with foreign keys row by
-- row. SQLite keeps its foreign keys: a check there is a lookup in the same
-- process, and costs a bulk load little.
--
-- On both, a project moved to another zone takes its months, plans and
-- stage changes with it: they were left under the old zone, summed there.
-- Rows a move left so go to their project's zone now.
UPDATE project_investments SET zone_id = (SELECT p.zone_id FROM projects p WHERE p.id = project_id)
 WHERE zone_id <> (SELECT p.zone_id FROM projects p WHERE p.id = project_id);
UPDATE project_plans SET zone_id = (SELECT p.zone_id FROM projects p WHERE p.id = project_id)
 WHERE zone_id <> (SELECT p.zone_id FROM projects p WHERE p.id = project_id);
UPDATE project_stage_changes SET zone_id = (SELECT p.zone_id FROM projects p WHERE p.id = project_id)
 WHERE zone_id <> (SELECT p.zone_id FROM projects p WHERE p.id = project_id);

CREATE TRIGGER projects_zone_moved AFTER UPDATE OF zone_id ON projects
WHEN OLD.zone_id <> NEW.zone_id
BEGIN
    UPDATE project_investments SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
    UPDATE project_plans SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
    UPDATE project_stage_changes SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
END;
