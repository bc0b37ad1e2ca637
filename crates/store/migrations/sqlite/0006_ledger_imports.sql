-- Ledger workbooks imported (导入台账): what file, by whom, with what outcome.
-- The file's SHA-256 ties the ledger's audit trail to the very workbook.
CREATE TABLE ledger_imports (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES org_units(id),
    zone_id      BIGINT,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    year         BIGINT NOT NULL,
    month        BIGINT,
    created      BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    rejected     BIGINT NOT NULL,
    months       BIGINT NOT NULL,
    blockers     BIGINT NOT NULL,
    actor_name   TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX ledger_imports_org ON ledger_imports(org_id, at);

-- The column mapping a zone confirmed, reused for its next workbook.
CREATE TABLE import_mappings (
    org_id      BIGINT NOT NULL REFERENCES org_units(id),
    kind        TEXT NOT NULL,
    options     TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- A workbook between upload and commit: the dry run and the mapping
-- corrections read it from here, so any app server can take the next step.
-- Base64 text keeps one column type for both databases.
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES org_units(id),
    user_id     BIGINT,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    content     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX import_uploads_org ON import_uploads(org_id, created_at);
