-- 招商引资: the investors (客商) a zone deals with and their contacts, the
-- leads (招商项目) from first contact to production with every stage change
-- on record, and the people who work each lead besides its owner (招商专班).
-- Investors are the zone's own: the same company met by two zones is two
-- rows, found to be one by its credit code or its name key (首谈).
CREATE UNIQUE INDEX industry_chains_zone_key ON industry_chains(zone_id, id);

CREATE TABLE investors (
    id            INTEGER PRIMARY KEY,
    zone_id       BIGINT NOT NULL REFERENCES org_units(id),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    credit_code   TEXT,
    origin        TEXT NOT NULL,
    origin_place  TEXT,
    industry      TEXT,
    size          TEXT,
    chain_leader  BIGINT NOT NULL DEFAULT 0,
    notes         TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX investors_zone_key ON investors(zone_id, id);
CREATE UNIQUE INDEX investors_credit_code ON investors(credit_code, zone_id);
CREATE INDEX investors_name_key ON investors(name_key, zone_id);
CREATE INDEX investors_zone_name ON investors(zone_id, name);

CREATE TABLE investor_contacts (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    investor_id  BIGINT NOT NULL,
    name         TEXT NOT NULL,
    post         TEXT,
    phone        TEXT,
    FOREIGN KEY (zone_id, investor_id) REFERENCES investors(zone_id, id) ON DELETE CASCADE
);
CREATE INDEX investor_contacts_investor ON investor_contacts(investor_id, zone_id);

CREATE TABLE leads (
    id                      INTEGER PRIMARY KEY,
    zone_id                 BIGINT NOT NULL REFERENCES org_units(id),
    name                    TEXT NOT NULL,
    investor_id             BIGINT NOT NULL,
    industry_chain_id       BIGINT,
    chain_node              TEXT,
    investment              BIGINT NOT NULL,
    land_mu_hundredths      BIGINT,
    energy_tce              BIGINT,
    expected_output         BIGINT,
    expected_tax            BIGINT,
    expected_jobs           BIGINT,
    source                  TEXT NOT NULL,
    referrer                TEXT,
    owner_id                BIGINT REFERENCES users(id),
    task_force              TEXT,
    stage                   TEXT NOT NULL,
    stage_since             TEXT NOT NULL,
    left_at                 TEXT,
    registered_on           TEXT NOT NULL,
    last_touch_on           TEXT NOT NULL,
    signed_on               TEXT,
    signed_amount           BIGINT,
    agreement               TEXT,
    agreement_docs          TEXT,
    enterprise_name         TEXT,
    enterprise_credit_code  TEXT,
    started_on              TEXT,
    produced_on             TEXT,
    terminated_reason       TEXT,
    first_talk              BIGINT NOT NULL DEFAULT 0,
    project_id              BIGINT,
    version                 BIGINT NOT NULL DEFAULT 1,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    FOREIGN KEY (zone_id, investor_id) REFERENCES investors(zone_id, id),
    FOREIGN KEY (zone_id, industry_chain_id) REFERENCES industry_chains(zone_id, id),
    FOREIGN KEY (zone_id, project_id) REFERENCES projects(zone_id, id)
);
CREATE UNIQUE INDEX leads_zone_key ON leads(zone_id, id);
CREATE INDEX leads_zone_stage ON leads(zone_id, stage, updated_at);
CREATE INDEX leads_investor ON leads(investor_id, zone_id);
CREATE INDEX leads_owner ON leads(owner_id);

CREATE TABLE lead_members (
    id       INTEGER PRIMARY KEY,
    zone_id  BIGINT NOT NULL,
    lead_id  BIGINT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users(id),
    FOREIGN KEY (zone_id, lead_id) REFERENCES leads(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX lead_members_key ON lead_members(lead_id, user_id, zone_id);
CREATE INDEX lead_members_user ON lead_members(user_id);

CREATE TABLE lead_stage_changes (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    lead_id     BIGINT NOT NULL,
    from_stage  TEXT,
    to_stage    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    note        TEXT,
    changed_by  TEXT NOT NULL,
    changed_at  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, lead_id) REFERENCES leads(zone_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_stage_changes_lead ON lead_stage_changes(lead_id, zone_id, changed_at);
