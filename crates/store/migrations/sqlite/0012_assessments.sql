-- 季考核 and 年兑现: the score sheet a unit sets for a year (weighted items,
-- each computed from the ledger), and the scores of a closed quarter, frozen.
CREATE TABLE assessment_sheets (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES org_units(id),
    year        BIGINT NOT NULL,
    items       TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX assessment_sheets_period ON assessment_sheets(org_id, year);

CREATE TABLE assessment_closings (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES org_units(id),
    year        BIGINT NOT NULL,
    quarter     BIGINT NOT NULL,
    as_of       BIGINT NOT NULL,
    results     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    closed_by   TEXT NOT NULL,
    closed_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX assessment_closings_period ON assessment_closings(org_id, year, quarter);
