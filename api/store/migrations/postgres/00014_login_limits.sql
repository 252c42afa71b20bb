-- +goose Up
-- Failed logins per client address and per user name, as token buckets
-- shared by every instance on this database (README: "Several instances").
-- tokens: attempts left at at_ms (Unix milliseconds); the bucket refills
-- at one attempt per interval up to its burst.
CREATE TABLE login_limits (
    bucket TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at_ms  BIGINT NOT NULL
);
CREATE INDEX login_limits_at ON login_limits (at_ms);

-- +goose Down
DROP TABLE login_limits;
