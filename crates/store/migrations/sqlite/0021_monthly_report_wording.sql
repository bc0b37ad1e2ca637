-- The words typed before a monthly report is issued (导语, 下步工作, 主送,
-- 抄送), kept with the issued copy; reports issued before stay NULL.
ALTER TABLE monthly_reports ADD COLUMN lead TEXT;
ALTER TABLE monthly_reports ADD COLUMN next_steps TEXT;
ALTER TABLE monthly_reports ADD COLUMN addressee TEXT;
ALTER TABLE monthly_reports ADD COLUMN copy_to TEXT;
