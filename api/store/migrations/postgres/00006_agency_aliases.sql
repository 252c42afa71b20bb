-- +goose Up
-- Other spellings of an agency's name. name_key is built like the
-- agencies' own (the folded name, " @<parent id>" for an agency with a
-- parent), so an alias is unique in its agency's scope; the store also
-- refuses an alias that is another agency's name there.
CREATE TABLE agency_aliases (
    id          BIGSERIAL PRIMARY KEY,
    agency_id   BIGINT  NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX agency_aliases_agency ON agency_aliases(agency_id);

-- A task's lead or cooperating entry that names no agency ("Theo Kế hoạch
-- của tỉnh", "Các Sở, ban, ngành tỉnh"), or names again an agency the task
-- already lists in that role, keeps its written text with no agency.
ALTER TABLE task_agencies ALTER COLUMN agency_id DROP NOT NULL;

-- +goose Down
DELETE FROM task_agencies WHERE agency_id IS NULL;
ALTER TABLE task_agencies ALTER COLUMN agency_id SET NOT NULL;
DROP TABLE agency_aliases;
