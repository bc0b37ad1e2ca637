-- A workbook between upload and commit, now kept as bytes, with the reading
-- of it (the parsed workbook, compressed) and the options it was read with:
-- showing the plan again, correcting nothing, or committing does not read
-- the file again. Uploads wait a day at most and count against their
-- user's quota, so the table is rebuilt rather than converted.
DROP TABLE import_uploads;
CREATE TABLE import_uploads (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES org_units(id),
    user_id      BIGINT,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BLOB NOT NULL,
    read_options TEXT,
    reading      BLOB,
    created_at   BIGINT NOT NULL
);
CREATE INDEX import_uploads_org ON import_uploads(org_id, created_at);
CREATE INDEX import_uploads_user ON import_uploads(user_id, created_at);
