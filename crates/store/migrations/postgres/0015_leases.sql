-- Work that one instance must do at a time (the alert scan, the status
-- refresh, deliveries): the instance holding a lease does it until the lease
-- runs out; a dead holder's lease expires and another instance takes it.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
