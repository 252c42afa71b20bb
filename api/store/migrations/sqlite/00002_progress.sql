-- +goose Up
-- Progress reported by a lead agency on a task for a reporting period.
-- Every submission is kept: a resubmission is a new revision.
CREATE TABLE progress (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    period        TEXT    NOT NULL,               -- 2024-Q1, 2024-H1, …
    revision      INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    completed_on  TEXT    NOT NULL DEFAULT '',    -- YYYY-MM-DD when done
    result        TEXT    NOT NULL DEFAULT '',
    figures       TEXT    NOT NULL DEFAULT '[]',  -- JSON [{name, value, unit}]
    difficulties  TEXT    NOT NULL DEFAULT '',
    proposals     TEXT    NOT NULL DEFAULT '',
    submitted_by  TEXT    NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, agency_id, period, revision)
);
CREATE INDEX progress_plan_period ON progress(plan_id, period);

-- +goose Down
DROP TABLE progress;
