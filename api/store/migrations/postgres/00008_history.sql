-- +goose Up
-- Nothing lost, nothing duplicated (issue 11).
--
-- A task that has progress submissions is never deleted: a plan update or
-- a task deletion that leaves it out is refused, or, when the request
-- asks for it (?archive_tasks=true), the task is archived with its
-- submissions: archived_at is set and the task moves to its plan's hidden
-- appendix at position -1, which no document shows and no change of the
-- plan's appendices removes.
ALTER TABLE tasks ADD COLUMN archived_at TIMESTAMPTZ;

-- The database itself refuses to lose a submission: deleting a task or a
-- plan that has some fails instead of cascading.
ALTER TABLE progress DROP CONSTRAINT progress_task_id_fkey;
ALTER TABLE progress ADD CONSTRAINT progress_task_id_fkey
    FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE RESTRICT;
ALTER TABLE progress DROP CONSTRAINT progress_plan_id_fkey;
ALTER TABLE progress ADD CONSTRAINT progress_plan_id_fkey
    FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE RESTRICT;

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
    body          BYTEA,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
ALTER TABLE progress DROP CONSTRAINT progress_plan_id_fkey;
ALTER TABLE progress ADD CONSTRAINT progress_plan_id_fkey
    FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE;
ALTER TABLE progress DROP CONSTRAINT progress_task_id_fkey;
ALTER TABLE progress ADD CONSTRAINT progress_task_id_fkey
    FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE;
-- Archived tasks come back as a last appendix of their plan: nothing lost.
UPDATE appendices SET position = (SELECT COALESCE(MAX(a2.position), -1) + 1 FROM appendices a2 WHERE a2.plan_id = appendices.plan_id)
WHERE position = -1;
ALTER TABLE tasks DROP COLUMN archived_at;
