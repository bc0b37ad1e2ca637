-- 招商活动: visits out, receptions, talks, salons and fairs a zone holds,
-- each with the leads and investors it concerned and the next step it
-- agreed (what, by whom, by when, done when): the reminders and the
-- calendar of the coming weeks read these.
CREATE TABLE activities (
    id             INTEGER PRIMARY KEY,
    zone_id        BIGINT NOT NULL REFERENCES org_units(id),
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    ends_on        TEXT,
    place          TEXT,
    our_people     TEXT,
    their_people   TEXT,
    purpose        TEXT,
    outcome        TEXT,
    next_step      TEXT,
    next_due       TEXT,
    next_owner_id  BIGINT REFERENCES users(id),
    next_done_on   TEXT,
    created_by_id  BIGINT REFERENCES users(id),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX activities_zone_key ON activities(zone_id, id);
CREATE INDEX activities_zone_date ON activities(zone_id, on_date);
CREATE INDEX activities_next_due ON activities(next_due, zone_id);

CREATE TABLE activity_leads (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    activity_id  BIGINT NOT NULL,
    lead_id      BIGINT NOT NULL,
    FOREIGN KEY (zone_id, activity_id) REFERENCES activities(zone_id, id) ON DELETE CASCADE,
    FOREIGN KEY (zone_id, lead_id) REFERENCES leads(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX activity_leads_key ON activity_leads(activity_id, lead_id, zone_id);
CREATE INDEX activity_leads_lead ON activity_leads(lead_id, zone_id);

CREATE TABLE activity_investors (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    activity_id  BIGINT NOT NULL,
    investor_id  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, activity_id) REFERENCES activities(zone_id, id) ON DELETE CASCADE,
    FOREIGN KEY (zone_id, investor_id) REFERENCES investors(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX activity_investors_key ON activity_investors(activity_id, investor_id, zone_id);
CREATE INDEX activity_investors_investor ON activity_investors(investor_id, zone_id);
