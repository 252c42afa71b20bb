-- +goose Up
-- Nothing lost, nothing duplicated (issue 11).
--
-- A task that has progress submissions is never deleted: a plan update or
-- a task deletion that leaves it out is refused, or, when the request
-- asks for it (?archive_tasks=true), the task is archived with its
-- submissions: archived_at is set and the task moves to its plan's hidden
-- appendix at position -1, which no document shows and no change of the
-- plan's appendices removes.
ALTER TABLE tasks ADD COLUMN archived_at TIMESTAMP;

-- The database itself refuses to lose a submission: deleting a task or a
-- plan that has some fails instead of cascading. SQLite cannot change a
-- foreign key in place, so progress is rebuilt; nothing refers to it, and
-- the rename carries its sequence.
CREATE TABLE progress_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    task_id       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE RESTRICT,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    period        TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    completed_on  TEXT    NOT NULL DEFAULT '',
    result        TEXT    NOT NULL DEFAULT '',
    figures       TEXT    NOT NULL DEFAULT '[]',
    difficulties  TEXT    NOT NULL DEFAULT '',
    proposals     TEXT    NOT NULL DEFAULT '',
    submitted_by  TEXT    NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, agency_id, period, revision)
);
INSERT INTO progress_new (id, plan_id, task_id, agency_id, period, revision, status, completed_on, result, figures,
                          difficulties, proposals, submitted_by, submitted_at, late)
SELECT id, plan_id, task_id, agency_id, period, revision, status, completed_on, result, figures,
       difficulties, proposals, submitted_by, submitted_at, late
FROM progress;
DROP TABLE progress;
ALTER TABLE progress_new RENAME TO progress;
CREATE INDEX progress_plan_period ON progress(plan_id, period);

-- Idempotency-Key: the stored answer to a POST, per caller and key, for
-- 24 hours. status is 0 while the first request runs.
CREATE TABLE idempotency_keys (
    principal     TEXT    NOT NULL,   -- user:<id> or key:<id>
    idem_key      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,   -- SHA-256 of method, path, query and body
    method        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    status        INTEGER NOT NULL DEFAULT 0,
    headers       TEXT    NOT NULL DEFAULT '{}',
    body          BLOB,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
CREATE TABLE progress_old (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    period        TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    completed_on  TEXT    NOT NULL DEFAULT '',
    result        TEXT    NOT NULL DEFAULT '',
    figures       TEXT    NOT NULL DEFAULT '[]',
    difficulties  TEXT    NOT NULL DEFAULT '',
    proposals     TEXT    NOT NULL DEFAULT '',
    submitted_by  TEXT    NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, agency_id, period, revision)
);
INSERT INTO progress_old (id, plan_id, task_id, agency_id, period, revision, status, completed_on, result, figures,
                          difficulties, proposals, submitted_by, submitted_at, late)
SELECT id, plan_id, task_id, agency_id, period, revision, status, completed_on, result, figures,
       difficulties, proposals, submitted_by, submitted_at, late
FROM progress;
DROP TABLE progress;
ALTER TABLE progress_old RENAME TO progress;
CREATE INDEX progress_plan_period ON progress(plan_id, period);
-- Archived tasks come back as a last appendix of their plan: nothing lost.
UPDATE appendices SET position = (SELECT COALESCE(MAX(a2.position), -1) + 1 FROM appendices a2 WHERE a2.plan_id = appendices.plan_id)
WHERE position = -1;
ALTER TABLE tasks DROP COLUMN archived_at;
