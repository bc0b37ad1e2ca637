-- A province's funnel counts each stage's leads and sums their investment
-- from this index alone, zone by zone.
CREATE INDEX leads_zone_stage_money ON leads(zone_id, stage, investment);
-- Few investors have a credit code: a 首谈 claim finds its investor by code
-- among those that do (the planner's statistics count the blanks otherwise).
CREATE INDEX investors_credit_code_set ON investors(credit_code) WHERE credit_code IS NOT NULL;
