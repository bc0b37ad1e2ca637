-- A project's zone, and the project of each of its months, plans and stage
-- changes, were held by foreign keys. PostgreSQL checks a foreign key row by
-- row, each check a query of its own: a 100,000-project import ran 415,000
-- of them, a third of its statements' time. Here the same references are
-- checked once per statement, over all its rows at once (a statement-level
-- trigger reading the rows the statement wrote). The months', plans' and
-- stage changes' check is stricter than the key it replaces: the row's
-- zone_id must be its project's.
--
-- What a foreign key guarantees still holds:
-- * a row written names a parent that exists when its statement ends, or
--   the statement fails (SQLSTATE 23503, foreign_key_violation);
-- * the parent stays until the writer commits. Under READ COMMITTED (the
--   application's isolation) a writer holds, until it commits, a shared
--   advisory lock on each zone it wrote under (class 7001, the zone's id),
--   and whoever deletes a parent or changes its key takes that zone's lock
--   exclusively first, from the parent row's BEFORE trigger: it waits for
--   every writer in flight there, then sees their rows; a writer coming
--   after it waits, then finds the parent gone. A lock per zone, not per
--   row, so a load of 100,000 rows takes one. A writer under REPEATABLE
--   READ or SERIALIZABLE locks each parent row FOR KEY SHARE instead, as a
--   foreign key does; deleting a parent or changing its key needs READ
--   COMMITTED;
-- * deleting a project deletes its months, plans and stage changes (as ON
--   DELETE CASCADE did); deleting a zone with projects fails (as the key's
--   NO ACTION did).
-- A project moved to another zone takes its months, plans and stage changes
-- with it: they were left under the old zone, summed there.
-- SQLite keeps its foreign keys: they cost it little.

-- Rows a move left under their project's old zone go to its zone now.
UPDATE project_investments c SET zone_id = p.zone_id FROM projects p
 WHERE p.id = c.project_id AND c.zone_id <> p.zone_id;
UPDATE project_plans c SET zone_id = p.zone_id FROM projects p
 WHERE p.id = c.project_id AND c.zone_id <> p.zone_id;
UPDATE project_stage_changes c SET zone_id = p.zone_id FROM projects p
 WHERE p.id = c.project_id AND c.zone_id <> p.zone_id;

-- Whether the writer's transaction sees others' commits statement by
-- statement (then a zone's lock and a fresh look are enough).
CREATE FUNCTION kfq_read_committed() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT current_setting('transaction_isolation') = 'read committed' $$;

-- A zone's lock, shared by its writers, taken whole by whoever deletes
-- a parent in it. Ids past 2^31 fold onto smaller ones: a shared key only
-- makes someone wait.
CREATE FUNCTION kfq_share_zone(zone bigint) RETURNS void LANGUAGE sql AS
$$ SELECT pg_advisory_xact_lock_shared(7001, (zone % 2147483647)::int) $$;
CREATE FUNCTION kfq_take_zone(zone bigint) RETURNS void LANGUAGE sql AS
$$ SELECT pg_advisory_xact_lock(7001, (zone % 2147483647)::int) $$;

-- After an INSERT into a table under projects: every (zone_id, project_id)
-- written names a project of that zone.
CREATE FUNCTION kfq_check_project_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint;
    held bigint;
    missing record;
BEGIN
    IF kfq_read_committed() THEN
        PERFORM kfq_share_zone(w.zone_id) FROM (SELECT DISTINCT zone_id FROM new_rows) w;
        SELECT w.zone_id, w.project_id INTO missing FROM new_rows w
         WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.zone_id = w.zone_id AND p.id = w.project_id)
         LIMIT 1;
        IF FOUND THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('insert into %I: zone %s has no project %s', TG_TABLE_NAME, missing.zone_id, missing.project_id),
                TABLE = TG_TABLE_NAME;
        END IF;
    ELSE
        SELECT count(*) INTO wanted FROM (SELECT DISTINCT zone_id, project_id FROM new_rows) w;
        SELECT count(*) INTO held FROM (
            SELECT 1 FROM projects p WHERE (p.zone_id, p.id) IN (SELECT zone_id, project_id FROM new_rows)
               FOR KEY SHARE OF p) h;
        IF held < wanted THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('insert into %I: a row names no project of its zone', TG_TABLE_NAME),
                TABLE = TG_TABLE_NAME;
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- After an UPDATE that moves a row under another project or zone.
CREATE FUNCTION kfq_check_project_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF kfq_read_committed() THEN
        PERFORM kfq_share_zone(NEW.zone_id);
        PERFORM 1 FROM projects p WHERE p.zone_id = NEW.zone_id AND p.id = NEW.project_id;
    ELSE
        PERFORM 1 FROM projects p WHERE p.zone_id = NEW.zone_id AND p.id = NEW.project_id FOR KEY SHARE;
    END IF;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update of %I: zone %s has no project %s', TG_TABLE_NAME, NEW.zone_id, NEW.project_id),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

-- After an INSERT into projects: every zone_id written is an org unit.
CREATE FUNCTION kfq_check_project_zones() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint;
    held bigint;
    missing bigint;
BEGIN
    IF kfq_read_committed() THEN
        PERFORM kfq_share_zone(w.zone_id) FROM (SELECT DISTINCT zone_id FROM new_rows) w;
        SELECT w.zone_id INTO missing FROM (SELECT DISTINCT zone_id FROM new_rows) w
         WHERE NOT EXISTS (SELECT 1 FROM org_units o WHERE o.id = w.zone_id)
         LIMIT 1;
        IF FOUND THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('insert into projects: no org unit %s', missing), TABLE = 'projects';
        END IF;
    ELSE
        SELECT count(*) INTO wanted FROM (SELECT DISTINCT zone_id FROM new_rows) w;
        SELECT count(*) INTO held FROM (
            SELECT 1 FROM org_units o WHERE o.id IN (SELECT zone_id FROM new_rows) FOR KEY SHARE OF o) h;
        IF held < wanted THEN
            RAISE foreign_key_violation USING
                MESSAGE = 'insert into projects: a project names no org unit', TABLE = 'projects';
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- Before a parent row is deleted or its key changed (its row locked): the
-- writers under its zone are waited for (see above).
CREATE FUNCTION kfq_take_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT kfq_read_committed() THEN
        RAISE feature_not_supported USING
            MESSAGE = format('deleting from %I or changing its keys needs READ COMMITTED', TG_TABLE_NAME);
    END IF;
    IF TG_TABLE_NAME = 'org_units' THEN
        PERFORM kfq_take_zone(OLD.id);
    ELSE
        PERFORM kfq_take_zone(OLD.zone_id);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

-- After projects are deleted: their months, plans and stage changes go.
CREATE FUNCTION kfq_delete_project_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_investments WHERE project_id IN (SELECT id FROM old_rows);
    DELETE FROM project_plans WHERE project_id IN (SELECT id FROM old_rows);
    DELETE FROM project_stage_changes WHERE project_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;

-- After a project's id or zone changes: its zone exists; its months,
-- plans and stage changes move to its new zone with it; its id changes
-- only while nothing is under it.
CREATE FUNCTION kfq_project_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kfq_share_zone(NEW.zone_id);
    PERFORM 1 FROM org_units o WHERE o.id = NEW.zone_id;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update of projects: no org unit %s', NEW.zone_id), TABLE = 'projects';
    END IF;
    IF OLD.id <> NEW.id AND (
        EXISTS (SELECT 1 FROM project_investments c WHERE c.project_id = OLD.id)
        OR EXISTS (SELECT 1 FROM project_plans c WHERE c.project_id = OLD.id)
        OR EXISTS (SELECT 1 FROM project_stage_changes c WHERE c.project_id = OLD.id))
    THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update of projects: project %s still has months, plans or stage changes', OLD.id),
            TABLE = 'projects';
    END IF;
    IF OLD.zone_id <> NEW.zone_id THEN
        UPDATE project_investments SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
        UPDATE project_plans SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
        UPDATE project_stage_changes SET zone_id = NEW.zone_id WHERE project_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

-- After org units are deleted or renumbered: no project was in them.
CREATE FUNCTION kfq_check_zone_unused() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT p.zone_id INTO used FROM projects p WHERE p.zone_id IN (SELECT id FROM old_rows) LIMIT 1;
    ELSE
        SELECT p.zone_id INTO used FROM projects p WHERE p.zone_id = OLD.id LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s of org_units: zone %s still has projects', lower(TG_OP), used),
            TABLE = 'org_units';
    END IF;
    RETURN NULL;
END $$;

ALTER TABLE project_investments DROP CONSTRAINT project_investments_project_id_fkey;
ALTER TABLE project_plans DROP CONSTRAINT project_plans_project_id_fkey;
ALTER TABLE project_stage_changes DROP CONSTRAINT project_stage_changes_project_id_fkey;
ALTER TABLE projects DROP CONSTRAINT projects_zone_id_fkey;

CREATE TRIGGER project_investments_project AFTER INSERT ON project_investments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_check_project_rows();
CREATE TRIGGER project_plans_project AFTER INSERT ON project_plans
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_check_project_rows();
CREATE TRIGGER project_stage_changes_project AFTER INSERT ON project_stage_changes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_check_project_rows();

CREATE TRIGGER project_investments_project_moved AFTER UPDATE OF zone_id, project_id ON project_investments
    FOR EACH ROW WHEN (OLD.zone_id IS DISTINCT FROM NEW.zone_id OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION kfq_check_project_row();
CREATE TRIGGER project_plans_project_moved AFTER UPDATE OF zone_id, project_id ON project_plans
    FOR EACH ROW WHEN (OLD.zone_id IS DISTINCT FROM NEW.zone_id OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION kfq_check_project_row();
CREATE TRIGGER project_stage_changes_project_moved AFTER UPDATE OF zone_id, project_id ON project_stage_changes
    FOR EACH ROW WHEN (OLD.zone_id IS DISTINCT FROM NEW.zone_id OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION kfq_check_project_row();

CREATE TRIGGER projects_zone AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_check_project_zones();
CREATE TRIGGER projects_before_delete BEFORE DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION kfq_take_parent();
CREATE TRIGGER projects_deleted AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_delete_project_rows();
CREATE TRIGGER projects_key_before_update BEFORE UPDATE OF id, zone_id ON projects
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.zone_id IS DISTINCT FROM NEW.zone_id)
    EXECUTE FUNCTION kfq_take_parent();
CREATE TRIGGER projects_key_updated AFTER UPDATE OF id, zone_id ON projects
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.zone_id IS DISTINCT FROM NEW.zone_id)
    EXECUTE FUNCTION kfq_project_key_changed();

CREATE TRIGGER org_units_before_delete BEFORE DELETE ON org_units
    FOR EACH ROW EXECUTE FUNCTION kfq_take_parent();
CREATE TRIGGER org_units_deleted AFTER DELETE ON org_units
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kfq_check_zone_unused();
CREATE TRIGGER org_units_id_before_update BEFORE UPDATE OF id ON org_units
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION kfq_take_parent();
CREATE TRIGGER org_units_id_updated AFTER UPDATE OF id ON org_units
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION kfq_check_zone_unused();
