-- 月通报 once issued is a monthly report: "bulletin" is the 简报 of the
-- bulletin reader only (docs/ARCHITECTURE.md, words).
ALTER TABLE issued_bulletins RENAME TO monthly_reports;
ALTER INDEX issued_bulletins_period RENAME TO monthly_reports_period;
ALTER INDEX issued_bulletins_pkey RENAME TO monthly_reports_pkey;
ALTER SEQUENCE issued_bulletins_id_seq RENAME TO monthly_reports_id_seq;
ALTER TABLE monthly_reports RENAME CONSTRAINT issued_bulletins_org_id_fkey TO monthly_reports_org_id_fkey;
