-- 三个一批 campaigns and 集中开工 ceremonies: the projects put on record with
-- a promise, as they stood when added (for the headline as announced).
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES org_units(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(org_id, held_on);

CREATE TABLE campaign_projects (
    campaign_id       BIGINT NOT NULL REFERENCES campaigns(id),
    project_id        BIGINT NOT NULL REFERENCES projects(id),
    zone_id           BIGINT NOT NULL,
    total_investment  BIGINT NOT NULL,
    category          TEXT NOT NULL,
    stage             TEXT NOT NULL,
    added_at          BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, project_id)
);
CREATE INDEX campaign_projects_project ON campaign_projects(project_id);
