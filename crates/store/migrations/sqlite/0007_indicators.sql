-- Economic indicators (经济运行监测): the catalogue, monthly figures per zone
-- with every revision kept, yearly targets, and the warning rules.
-- Figures are integers in ten-thousandths of the indicator's unit.

CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    roll_up     TEXT NOT NULL,
    direction   TEXT NOT NULL,
    sort        BIGINT NOT NULL,
    standard    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX indicators_code ON indicators(code);

-- The province's standard set (kfq-indicators' standard_catalogue; a test
-- keeps the two alike).
INSERT INTO indicators (code, name, unit, kind, roll_up, direction, sort, standard, created_at) VALUES
    ('industrial_investment', '工业投资', 'yi_yuan', 'cumulative', 'sum', 'higher_is_better', 1, 1, 0),
    ('fixed_asset_investment', '固定资产投资', 'yi_yuan', 'cumulative', 'sum', 'higher_is_better', 2, 1, 0),
    ('industrial_value_added', '规上工业增加值', 'percent', 'growth', 'weighted', 'higher_is_better', 3, 1, 0),
    ('industrial_output', '规上工业总产值', 'yi_yuan', 'cumulative', 'sum', 'higher_is_better', 4, 1, 0),
    ('operating_revenue', '营业收入', 'yi_yuan', 'cumulative', 'sum', 'higher_is_better', 5, 1, 0),
    ('tax_revenue', '税收收入', 'wan_yuan', 'cumulative', 'sum', 'higher_is_better', 6, 1, 0),
    ('import_export', '进出口总额', 'yi_yuan', 'cumulative', 'sum', 'higher_is_better', 7, 1, 0),
    ('foreign_investment', '实际利用外资', 'wan_usd', 'cumulative', 'sum', 'higher_is_better', 8, 1, 0),
    ('output_intensity', '产出强度', 'wan_yuan_per_mu', 'ratio', 'weighted', 'higher_is_better', 9, 1, 0),
    ('tax_per_mu', '亩均税收', 'wan_yuan_per_mu', 'ratio', 'weighted', 'higher_is_better', 10, 1, 0);

-- The figure as it stands now (1–N月累计, a ratio, or a growth rate in %).
-- numerator/denominator: a ratio's parts, or a growth's two years' bases,
-- when known (what a weighted roll-up needs).
CREATE TABLE indicator_values (
    id            INTEGER PRIMARY KEY,
    zone_id       BIGINT NOT NULL REFERENCES org_units(id),
    indicator_id  BIGINT NOT NULL REFERENCES indicators(id),
    year          BIGINT NOT NULL,
    month         BIGINT NOT NULL,
    value         BIGINT NOT NULL,
    numerator     BIGINT,
    denominator   BIGINT,
    revision      BIGINT NOT NULL,
    source        TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX indicator_values_key ON indicator_values(zone_id, indicator_id, year, month);
CREATE INDEX indicator_values_period ON indicator_values(indicator_id, year, month);

-- Every version of a figure, first report included: a bulletin of a past
-- month is rebuilt from the versions it was issued with.
CREATE TABLE indicator_revisions (
    id            INTEGER PRIMARY KEY,
    zone_id       BIGINT NOT NULL,
    indicator_id  BIGINT NOT NULL,
    year          BIGINT NOT NULL,
    month         BIGINT NOT NULL,
    revision      BIGINT NOT NULL,
    value         BIGINT NOT NULL,
    numerator     BIGINT,
    denominator   BIGINT,
    source        TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX indicator_revisions_key ON indicator_revisions(zone_id, indicator_id, year, month, revision);

-- 省定考核目标: the annual amount (paced indicators) and/or target growth.
CREATE TABLE indicator_targets (
    id              INTEGER PRIMARY KEY,
    zone_id         BIGINT NOT NULL REFERENCES org_units(id),
    indicator_id    BIGINT NOT NULL REFERENCES indicators(id),
    year            BIGINT NOT NULL,
    annual          BIGINT,
    growth_tenths   BIGINT,
    actor_name      TEXT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE UNIQUE INDEX indicator_targets_key ON indicator_targets(zone_id, indicator_id, year);

-- The warning rules (one row: the installation's; kfq-indicators' defaults
-- when absent).
CREATE TABLE warning_rules (
    id          BIGINT PRIMARY KEY,
    rules       TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
