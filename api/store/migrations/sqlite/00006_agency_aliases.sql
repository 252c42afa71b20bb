-- +goose Up
-- Other spellings of an agency's name. name_key is built like the
-- agencies' own (the folded name, " @<parent id>" for an agency with a
-- parent), so an alias is unique in its agency's scope; the store also
-- refuses an alias that is another agency's name there.
CREATE TABLE agency_aliases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX agency_aliases_agency ON agency_aliases(agency_id);

-- A task's lead or cooperating entry that names no agency ("Theo Kế hoạch
-- của tỉnh", "Các Sở, ban, ngành tỉnh"), or names again an agency the task
-- already lists in that role, keeps its written text with no agency.
-- SQLite cannot drop NOT NULL in place: the table is rebuilt.
CREATE TABLE task_agencies_new (
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('lead', 'cooperating')),
    position   INTEGER NOT NULL,
    agency_id  INTEGER REFERENCES agencies(id) ON DELETE RESTRICT,
    written_as TEXT    NOT NULL,
    PRIMARY KEY (task_id, role, position)
);
INSERT INTO task_agencies_new (task_id, role, position, agency_id, written_as)
    SELECT task_id, role, position, agency_id, written_as FROM task_agencies;
DROP TABLE task_agencies;
ALTER TABLE task_agencies_new RENAME TO task_agencies;
CREATE INDEX task_agencies_agency ON task_agencies(agency_id);

-- +goose Down
DELETE FROM task_agencies WHERE agency_id IS NULL;
CREATE TABLE task_agencies_old (
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('lead', 'cooperating')),
    position   INTEGER NOT NULL,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    written_as TEXT    NOT NULL,
    PRIMARY KEY (task_id, role, position)
);
INSERT INTO task_agencies_old (task_id, role, position, agency_id, written_as)
    SELECT task_id, role, position, agency_id, written_as FROM task_agencies;
DROP TABLE task_agencies;
ALTER TABLE task_agencies_old RENAME TO task_agencies;
CREATE INDEX task_agencies_agency ON task_agencies(agency_id);
DROP TABLE agency_aliases;
