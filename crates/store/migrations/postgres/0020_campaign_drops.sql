-- A project dropped from a campaign stays on record with the reason, out of
-- the look-back's figures.
ALTER TABLE campaign_projects ADD COLUMN dropped_at BIGINT;
ALTER TABLE campaign_projects ADD COLUMN drop_reason TEXT;
