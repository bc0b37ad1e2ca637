-- Foundation: organisation tree, enterprises, accounts, sessions, tokens, audit.
-- Times are Unix milliseconds (BIGINT) so both backends read them the same way.

CREATE TABLE org_units (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES org_units(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    code        TEXT,
    -- Materialized path "/1/4/9/": subtree = one index range.
    path        TEXT NOT NULL,
    -- The zone this unit belongs to (itself for a zone), the distribution key.
    zone_id     BIGINT,
    zone_level  TEXT,
    zone_type   TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX org_units_path ON org_units(path);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE UNIQUE INDEX org_units_code ON org_units(code) WHERE code IS NOT NULL;
CREATE UNIQUE INDEX org_units_sibling_name ON org_units(COALESCE(parent_id, 0), name);

CREATE TABLE enterprises (
    id            INTEGER PRIMARY KEY,
    zone_id       BIGINT NOT NULL REFERENCES org_units(id),
    name          TEXT NOT NULL,
    credit_code   TEXT NOT NULL,
    industry      TEXT,
    address       TEXT,
    contact_name  TEXT,
    contact_phone TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX enterprises_credit_code ON enterprises(credit_code);
CREATE INDEX enterprises_zone ON enterprises(zone_id, name);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    org_unit_id    BIGINT NOT NULL REFERENCES org_units(id),
    zone_id        BIGINT,
    enterprise_id  BIGINT REFERENCES enterprises(id),
    phone          TEXT,
    email          TEXT,
    active         BIGINT NOT NULL DEFAULT 1,
    last_login_at  BIGINT,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(username);
CREATE INDEX users_org_unit ON users(org_unit_id);

-- Sessions live here so any app instance can serve any request.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    ip            TEXT,
    user_agent    TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    expires_at    BIGINT,
    revoked_at    BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed logins, for throttling across instances.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    ip        TEXT,
    at        BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

-- Audit trail: one hash chain per zone (chain 0 for data above zones).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    chain       BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   BIGINT NOT NULL,
    -- Path of the org unit that owns the object, for scoped reading.
    scope_path  TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log(chain, seq);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_scope ON audit_log(scope_path, id);

CREATE TABLE audit_heads (
    chain      BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    last_hash  TEXT NOT NULL
);
