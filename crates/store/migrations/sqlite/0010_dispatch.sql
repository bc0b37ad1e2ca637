-- 周调度: what a dispatch meeting decided on a blocker — who decided, what,
-- who carries it out and by when; shown again on the next week's sheet.
CREATE TABLE blocker_decisions (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    blocker_id   BIGINT NOT NULL REFERENCES blockers(id),
    meeting_on   TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decision     TEXT NOT NULL,
    owner        TEXT,
    due_on       TEXT,
    recorded_by  TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX blocker_decisions_blocker ON blocker_decisions(blocker_id, meeting_on);
