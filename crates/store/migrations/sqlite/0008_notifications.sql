-- Alerts to the named person: where each user is reached (channels), what
-- they want to hear about (subscriptions), and every delivery, queued here
-- so it survives a restart, retried with backoff, and never made twice for
-- the same event (the unique key).

-- When a project's status last changed colour: a project turning red is an
-- event once, however often its status is recomputed.
ALTER TABLE projects ADD COLUMN rag_since TEXT;

CREATE TABLE notification_channels (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    config      TEXT NOT NULL,
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
CREATE INDEX notification_channels_user ON notification_channels(user_id);

CREATE TABLE notification_subscriptions (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    event       TEXT NOT NULL,
    PRIMARY KEY (user_id, event)
);
CREATE INDEX notification_subscriptions_event ON notification_subscriptions(event);

-- One row per notice and channel (channel_id NULL: the in-app notice).
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    event            TEXT NOT NULL,
    delivery_key     TEXT NOT NULL,
    channel_id       BIGINT,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    link             TEXT,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_at       BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    read_at          BIGINT
);
CREATE UNIQUE INDEX notifications_delivery_key ON notifications(delivery_key);
CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
