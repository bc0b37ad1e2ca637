-- 资金到位: the money of a signed lead that has arrived, month by month and
-- by where it came from (省内, 省外, 境外), the base of 资金到位率 and of the
-- province's 省外到位资金. A lead becomes one ledger project at most.
CREATE TABLE lead_funds (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL,
    lead_id     BIGINT NOT NULL,
    month       TEXT NOT NULL,
    origin      TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, lead_id) REFERENCES leads(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX lead_funds_month ON lead_funds(lead_id, month, origin, zone_id);
CREATE INDEX lead_funds_zone_month ON lead_funds(zone_id, month);
CREATE UNIQUE INDEX leads_project ON leads(project_id, zone_id);
