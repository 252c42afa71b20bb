-- +goose Up
-- Tasks kept for progress tracking that the plan as issued does not print
-- as an appendix.
ALTER TABLE appendices ADD COLUMN track_only BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE appendices DROP COLUMN track_only;
