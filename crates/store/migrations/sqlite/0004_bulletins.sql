-- Zone bulletins as read by kfq, and where ledger figures came from.

CREATE TABLE bulletins (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL REFERENCES org_units(id),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX bulletins_zone ON bulletins(zone_id, created_at);

-- A figure or stage accepted into the ledger from a bulletin: the provenance.
CREATE TABLE project_sources (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    bulletin_id  BIGINT NOT NULL REFERENCES bulletins(id),
    fact_kind    TEXT NOT NULL,
    span_start   BIGINT NOT NULL,
    span_end     BIGINT NOT NULL,
    quote        TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX project_sources_project ON project_sources(project_id);
