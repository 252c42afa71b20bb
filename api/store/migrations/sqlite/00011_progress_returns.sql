-- +goose Up
-- A submission sent back by the secretariat ("cần bổ sung") with its
-- comment (issue 14). The submission itself is kept as it was and still
-- counts; the agency answers with a new revision, which ends the request.
-- One request per submission.
CREATE TABLE progress_returns (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    progress_id   INTEGER NOT NULL UNIQUE REFERENCES progress(id) ON DELETE RESTRICT,
    plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    period        TEXT    NOT NULL,
    comment       TEXT    NOT NULL,
    returned_by   TEXT    NOT NULL,
    returned_at   TIMESTAMP NOT NULL
);
CREATE INDEX progress_returns_plan_period ON progress_returns(plan_id, period);

-- +goose Down
DROP TABLE progress_returns;
