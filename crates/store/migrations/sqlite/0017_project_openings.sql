-- 开工以来累计完成投资 as a ledger stated it on its reporting date: the
-- project's investment since its start up to and including that month. The
-- months kfq records after it add to it, so 开工累计 is right for a project
-- that was already being built when the zone started using kfq. One per
-- project: a later ledger's figure replaces an earlier one (audited).
CREATE UNIQUE INDEX projects_zone_key ON projects(zone_id, id);
CREATE TABLE project_openings (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    as_of       TEXT NOT NULL,
    note        TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    recorded_at BIGINT NOT NULL,
    FOREIGN KEY (zone_id, project_id) REFERENCES projects(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX project_openings_project ON project_openings(project_id, zone_id);
