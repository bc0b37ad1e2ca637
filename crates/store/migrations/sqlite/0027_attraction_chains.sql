-- 产业链图谱: the links (环节) of a zone's industry chains, upstream to
-- downstream, with the zone's enterprises at each and the companies it
-- targets for it. A lead names its link by name (leads.chain_node), so a
-- link's rename carries its leads along in the same transaction.
CREATE TABLE chain_nodes (
    id          INTEGER PRIMARY KEY,
    zone_id     BIGINT NOT NULL REFERENCES org_units(id),
    chain_id    BIGINT NOT NULL,
    segment     TEXT NOT NULL,
    name        TEXT NOT NULL,
    sort        BIGINT NOT NULL DEFAULT 0,
    extension   BIGINT NOT NULL DEFAULT 0,
    note        TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, chain_id) REFERENCES industry_chains(zone_id, id)
);
CREATE UNIQUE INDEX chain_nodes_zone_key ON chain_nodes(zone_id, id);
CREATE UNIQUE INDEX chain_nodes_name ON chain_nodes(zone_id, chain_id, name);

-- The zone's enterprises at a link (an enterprise moved to another zone
-- leaves the old zone's map as it moves).
CREATE UNIQUE INDEX enterprises_zone_key ON enterprises(zone_id, id);
CREATE TABLE chain_node_enterprises (
    id             INTEGER PRIMARY KEY,
    zone_id        BIGINT NOT NULL,
    node_id        BIGINT NOT NULL,
    enterprise_id  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, node_id) REFERENCES chain_nodes(zone_id, id) ON DELETE CASCADE,
    FOREIGN KEY (zone_id, enterprise_id) REFERENCES enterprises(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX chain_node_enterprises_key ON chain_node_enterprises(node_id, enterprise_id, zone_id);

-- Target companies (目标企业) for a link: investors of the zone.
CREATE TABLE chain_node_targets (
    id           INTEGER PRIMARY KEY,
    zone_id      BIGINT NOT NULL,
    node_id      BIGINT NOT NULL,
    investor_id  BIGINT NOT NULL,
    FOREIGN KEY (zone_id, node_id) REFERENCES chain_nodes(zone_id, id) ON DELETE CASCADE,
    FOREIGN KEY (zone_id, investor_id) REFERENCES investors(zone_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX chain_node_targets_key ON chain_node_targets(node_id, investor_id, zone_id);
CREATE INDEX chain_node_targets_investor ON chain_node_targets(investor_id, zone_id);
CREATE INDEX leads_zone_chain ON leads(zone_id, industry_chain_id, chain_node);
