-- +goose Up
-- Background jobs (River's own tables come from River's migrator): an
-- optional e-mail address for reminders and notices, the documents
-- waiting to be rendered in the background and the results kept for a
-- while, and the marks of scheduled work
-- done once (a reminder, a period's drafts).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE job_results (
    job_id        BIGINT  PRIMARY KEY,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    data          BYTEA    NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_results_expires ON job_results (expires_at);

CREATE TABLE job_inputs (
    token       TEXT    PRIMARY KEY,
    data        BYTEA    NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE job_marks (
    kind     TEXT NOT NULL,
    subject  TEXT NOT NULL,
    done_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, subject)
);

-- +goose Down
DROP TABLE job_marks;
DROP TABLE job_inputs;
DROP TABLE job_results;
ALTER TABLE users DROP COLUMN email;
