-- The ledger as it stood: monthly investment and annual plans keep every
-- value they held, with when it was recorded, so a month's bulletin or a
-- quarter's scores can be rebuilt later exactly as they were (corrections
-- made since do not leak into them). The current row says since when its
-- value is known (`recorded_at`, ms; 0 for values known from the start); a
-- superseded value moves to the history table with the span it was current.
-- Triggers keep the history, so no write path can forget it.

ALTER TABLE project_investments ADD COLUMN recorded_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE project_plans ADD COLUMN recorded_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE project_investment_history (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    project_id   BIGINT NOT NULL,
    year         BIGINT NOT NULL,
    month        BIGINT NOT NULL,
    amount       BIGINT NOT NULL,
    valid_from   BIGINT NOT NULL,
    valid_until  BIGINT NOT NULL
);
CREATE INDEX project_investment_history_zone ON project_investment_history(zone_id, year, valid_until);

CREATE TABLE project_plan_history (
    id                  INTEGER PRIMARY KEY,
    zone_id             BIGINT NOT NULL,
    project_id          BIGINT NOT NULL,
    year                BIGINT NOT NULL,
    planned_investment  BIGINT NOT NULL,
    target_start        TEXT,
    target_production   TEXT,
    valid_from          BIGINT NOT NULL,
    valid_until         BIGINT NOT NULL
);
CREATE INDEX project_plan_history_zone ON project_plan_history(zone_id, year, valid_until);

-- Writers set recorded_at on every insert and update; the old value is kept.
CREATE TRIGGER project_investments_keep AFTER UPDATE ON project_investments
WHEN OLD.amount <> NEW.amount
BEGIN
    INSERT INTO project_investment_history (zone_id, project_id, year, month, amount, valid_from, valid_until)
    VALUES (OLD.zone_id, OLD.project_id, OLD.year, OLD.month, OLD.amount, OLD.recorded_at, NEW.recorded_at);
END;

CREATE TRIGGER project_plans_keep AFTER UPDATE ON project_plans
WHEN OLD.planned_investment <> NEW.planned_investment
  OR COALESCE(OLD.target_start, '') <> COALESCE(NEW.target_start, '')
  OR COALESCE(OLD.target_production, '') <> COALESCE(NEW.target_production, '')
BEGIN
    INSERT INTO project_plan_history (zone_id, project_id, year, planned_investment, target_start, target_production, valid_from, valid_until)
    VALUES (OLD.zone_id, OLD.project_id, OLD.year, OLD.planned_investment, OLD.target_start, OLD.target_production, OLD.recorded_at, NEW.recorded_at);
END;

-- A blocker's earlier states (deadline moved, resolution entered late and
-- dated back…), each with the span it was current, so a month already
-- reported keeps its overdue blockers. `updated_at` says since when the
-- current state is known.
CREATE TABLE blocker_history (
    id             INTEGER PRIMARY KEY,
    zone_id        BIGINT NOT NULL,
    blocker_id     BIGINT NOT NULL,
    project_id     BIGINT NOT NULL,
    factor         TEXT NOT NULL,
    description    TEXT NOT NULL,
    raised_on      TEXT NOT NULL,
    department_id  BIGINT,
    deadline       TEXT,
    status         TEXT NOT NULL,
    resolved_on    TEXT,
    valid_from     BIGINT NOT NULL,
    valid_until    BIGINT NOT NULL
);
CREATE INDEX blocker_history_zone ON blocker_history(zone_id, valid_until);

CREATE TRIGGER blockers_keep AFTER UPDATE ON blockers
WHEN NEW.updated_at > OLD.updated_at
BEGIN
    INSERT INTO blocker_history (zone_id, blocker_id, project_id, factor, description, raised_on, department_id, deadline, status, resolved_on, valid_from, valid_until)
    VALUES (OLD.zone_id, OLD.id, OLD.project_id, OLD.factor, OLD.description, OLD.raised_on, OLD.department_id, OLD.deadline, OLD.status, OLD.resolved_on, OLD.updated_at, NEW.updated_at);
END;

-- 月通报 once issued: frozen with its figures and the Word file, and the
-- file's SHA-256, so what was sent out can be shown and checked later.
CREATE TABLE issued_bulletins (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES org_units(id),
    year         BIGINT NOT NULL,
    month        BIGINT NOT NULL,
    as_of        BIGINT NOT NULL,
    figures      TEXT NOT NULL,
    docx         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    issued_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX issued_bulletins_period ON issued_bulletins(org_id, year, month);
