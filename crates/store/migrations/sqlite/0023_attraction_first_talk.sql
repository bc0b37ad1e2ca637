-- 招商引资 across zones: the rules a unit sets for the zones under it (a
-- province's 首谈 threshold, a zone's or province's time limits; a value
-- left NULL comes from above), the province's register of 首谈 (one zone
-- holds an investor in a province at a time: the unique keys decide
-- between two zones claiming at once), and a capital increase (增资扩产)
-- pointing at the lead it adds to, so that only the increase is counted.
CREATE TABLE attraction_rules (
    org_id                 BIGINT PRIMARY KEY REFERENCES org_units(id),
    first_talk_threshold   BIGINT,
    register_working_days  BIGINT,
    assess_working_days    BIGINT,
    referrer_reply_days    BIGINT,
    follow_up_days         BIGINT,
    version                BIGINT NOT NULL DEFAULT 1,
    updated_at             BIGINT NOT NULL
);

CREATE TABLE first_talk_claims (
    id             INTEGER PRIMARY KEY,
    province_id    BIGINT NOT NULL REFERENCES org_units(id),
    province_path  TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    credit_code    TEXT,
    investor_name  TEXT NOT NULL,
    zone_id        BIGINT NOT NULL REFERENCES org_units(id),
    lead_id        BIGINT NOT NULL,
    claimed_on     TEXT NOT NULL,
    claimed_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX first_talk_claims_name ON first_talk_claims(province_id, name_key);
CREATE UNIQUE INDEX first_talk_claims_code ON first_talk_claims(province_id, credit_code);
CREATE UNIQUE INDEX first_talk_claims_lead ON first_talk_claims(lead_id);
CREATE INDEX first_talk_claims_zone ON first_talk_claims(zone_id);

ALTER TABLE leads ADD COLUMN increase_of BIGINT;
