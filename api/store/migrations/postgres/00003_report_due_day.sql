-- +goose Up
-- The day of a period's last month before which lead agencies report.
ALTER TABLE plans ADD COLUMN report_due_day INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE plans DROP COLUMN report_due_day;
