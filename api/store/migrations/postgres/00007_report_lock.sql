-- +goose Up
-- Reports can be replaced (Decree 30/2020/NĐ-CP, Art. 18): a period keeps
-- every report it had, at most one draft and at most one issued report at
-- a time; a replaced report keeps its number and frozen files and names
-- its successor. A draft has an as-of date (empty: the default, see
-- period.DefaultAsOf); an issued report's is its issue date. An issued
-- report locks its period's progress until the secretariat reopens it
-- (reopened_at).
ALTER TABLE reports DROP CONSTRAINT reports_plan_id_period_key;
ALTER TABLE reports DROP CONSTRAINT reports_status_check;
ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('draft', 'issued', 'replaced'));
ALTER TABLE reports
    ADD COLUMN as_of       TEXT NOT NULL DEFAULT '',
    ADD COLUMN replaces    BIGINT REFERENCES reports(id) ON DELETE RESTRICT,
    ADD COLUMN replaced_by BIGINT REFERENCES reports(id) ON DELETE RESTRICT,
    ADD COLUMN reopened_at TIMESTAMPTZ;
UPDATE reports SET as_of = issued_on;
ALTER TABLE reports ADD CONSTRAINT reports_replaced_check CHECK ((status = 'replaced') = (replaced_by IS NOT NULL));
CREATE UNIQUE INDEX reports_one_draft ON reports (plan_id, period) WHERE status = 'draft';
CREATE UNIQUE INDEX reports_one_issued ON reports (plan_id, period) WHERE status = 'issued';
CREATE UNIQUE INDEX reports_replaces ON reports (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX reports_plan ON reports (plan_id, period);

-- +goose Down
-- Back to one report per period: the issued one where there is one, else
-- the draft; replaced reports and replacement drafts are dropped.
DROP INDEX reports_plan;
DROP INDEX reports_replaces;
DROP INDEX reports_one_issued;
DROP INDEX reports_one_draft;
ALTER TABLE reports DROP CONSTRAINT reports_replaced_check;
ALTER TABLE reports DROP COLUMN reopened_at, DROP COLUMN replaced_by, DROP COLUMN replaces, DROP COLUMN as_of;
DELETE FROM reports r
WHERE r.status = 'replaced'
   OR (r.status = 'draft' AND EXISTS (SELECT 1 FROM reports i WHERE i.plan_id = r.plan_id AND i.period = r.period AND i.status = 'issued'));
ALTER TABLE reports DROP CONSTRAINT reports_status_check;
ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('draft', 'issued'));
ALTER TABLE reports ADD CONSTRAINT reports_plan_id_period_key UNIQUE (plan_id, period);
