-- 月通报 once issued is a monthly report: "bulletin" is the 简报 of the
-- bulletin reader only (docs/ARCHITECTURE.md, words).
ALTER TABLE issued_bulletins RENAME TO monthly_reports;
DROP INDEX issued_bulletins_period;
CREATE UNIQUE INDEX monthly_reports_period ON monthly_reports(org_id, year, month);
