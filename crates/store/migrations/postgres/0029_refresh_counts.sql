-- Derived data recomputed without an audit record (projects' statuses,
-- refreshed each day) counts its refreshes here, so results kept while the
-- audit heads stand still (boards, reports, ledger pages) see them too.
CREATE TABLE refresh_counts (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO refresh_counts (name, n) VALUES ('rag', 0);
