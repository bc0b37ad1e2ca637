-- 招商引资 targets a unit is set for a year from above (省定目标): signings,
-- 签约额, 亿元以上 projects, 省外签约额 and 当年开工率. A figure left NULL has
-- no target.
CREATE TABLE attraction_targets (
    id                      INTEGER PRIMARY KEY,
    org_id                  BIGINT NOT NULL REFERENCES org_units(id),
    year                    BIGINT NOT NULL,
    signed                  BIGINT,
    signed_amount           BIGINT,
    over_one_yi             BIGINT,
    out_of_province_amount  BIGINT,
    start_rate_tenths       BIGINT,
    version                 BIGINT NOT NULL DEFAULT 1,
    updated_at              BIGINT NOT NULL
);
CREATE UNIQUE INDEX attraction_targets_year ON attraction_targets(org_id, year);
CREATE INDEX leads_zone_signed ON leads(zone_id, signed_on);
