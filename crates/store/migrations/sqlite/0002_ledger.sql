-- Key-project ledger: projects, stage history, annual plans, monthly investment,
-- milestones, baselines, blockers, per-zone lists and rules, calendar edits.
-- Every table carries zone_id, the distribution key. Dates are 'YYYY-MM-DD' text.

CREATE TABLE industry_chains (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL REFERENCES org_units(id),
    name        TEXT NOT NULL,
    sort        BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX industry_chains_zone_name ON industry_chains(zone_id, name);

CREATE TABLE projects (
    id                    INTEGER PRIMARY KEY,
    zone_id               BIGINT NOT NULL REFERENCES org_units(id),
    name                  TEXT NOT NULL,
    enterprise_id         BIGINT REFERENCES enterprises(id),
    investor              TEXT,
    category              TEXT NOT NULL,
    nature                TEXT NOT NULL,
    industry_chain_id     BIGINT REFERENCES industry_chains(id),
    stage                 TEXT NOT NULL,
    furthest_stage        TEXT NOT NULL,
    stage_since           TEXT,
    total_investment      BIGINT NOT NULL DEFAULT 0,
    land_mu_hundredths    BIGINT,
    floor_area_m2         BIGINT,
    construction_content  TEXT,
    annual_output         BIGINT,
    annual_tax            BIGINT,
    jobs                  BIGINT,
    registered            BIGINT NOT NULL DEFAULT 0,
    registered_on         TEXT,
    liaison_user_id       BIGINT REFERENCES users(id),
    department_id         BIGINT REFERENCES org_units(id),
    task_force            TEXT,
    project_code          TEXT,
    -- Computed red/yellow/green, refreshed on every change and daily.
    rag                   TEXT NOT NULL DEFAULT 'green',
    rag_reasons           TEXT NOT NULL DEFAULT '[]',
    rag_on                TEXT,
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX projects_project_code ON projects(project_code) WHERE project_code IS NOT NULL;
CREATE INDEX projects_zone ON projects(zone_id, stage);
CREATE INDEX projects_zone_rag ON projects(zone_id, rag);
CREATE INDEX projects_department ON projects(department_id);
CREATE INDEX projects_liaison ON projects(liaison_user_id);
CREATE INDEX projects_enterprise ON projects(enterprise_id);

CREATE TABLE project_stage_changes (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    from_stage  TEXT,
    to_stage    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    correction  BIGINT NOT NULL DEFAULT 0,
    reason      TEXT,
    actor_name  TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX project_stage_changes_project ON project_stage_changes(project_id, on_date);
CREATE INDEX project_stage_changes_zone ON project_stage_changes(zone_id, to_stage, on_date);

CREATE TABLE project_plans (
    id                  INTEGER PRIMARY KEY,
    zone_id             BIGINT NOT NULL,
    project_id          BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year                BIGINT NOT NULL,
    planned_investment  BIGINT NOT NULL,
    target_start        TEXT,
    target_completion   TEXT,
    target_production   TEXT,
    version             BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX project_plans_project_year ON project_plans(project_id, year);
CREATE INDEX project_plans_zone_year ON project_plans(zone_id, year);

CREATE TABLE project_investments (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year        BIGINT NOT NULL,
    month       BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    note        TEXT,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX project_investments_month ON project_investments(project_id, year, month);
CREATE INDEX project_investments_zone_year ON project_investments(zone_id, year, month);

CREATE TABLE project_milestones (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    sort        BIGINT NOT NULL,
    planned_on  TEXT,
    actual_on   TEXT,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX project_milestones_key ON project_milestones(project_id, key);
CREATE INDEX project_milestones_open ON project_milestones(zone_id, planned_on) WHERE actual_on IS NULL;

CREATE TABLE project_baselines (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    milestones  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX project_baselines_name ON project_baselines(project_id, name);

CREATE TABLE blockers (
    id             INTEGER PRIMARY KEY,
    zone_id        BIGINT NOT NULL,
    project_id     BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    factor         TEXT NOT NULL,
    description    TEXT NOT NULL,
    raised_on      TEXT NOT NULL,
    department_id  BIGINT REFERENCES org_units(id),
    deadline       TEXT,
    status         TEXT NOT NULL,
    resolution     TEXT,
    resolved_on    TEXT,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX blockers_project ON blockers(project_id);
CREATE INDEX blockers_open ON blockers(zone_id, status, deadline);
CREATE INDEX blockers_department ON blockers(department_id, status);

CREATE TABLE milestone_templates (
    zone_id     BIGINT PRIMARY KEY,
    nodes       TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE zone_settings (
    zone_id     BIGINT PRIMARY KEY,
    rag_rules   TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

-- An administrator's edits of the working-day calendar (province-wide).
CREATE TABLE calendar_overrides (
    id        INTEGER PRIMARY KEY,
    on_date   TEXT NOT NULL,
    working   BIGINT NOT NULL,
    note      TEXT NOT NULL,
    version   BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX calendar_overrides_date ON calendar_overrides(on_date);
