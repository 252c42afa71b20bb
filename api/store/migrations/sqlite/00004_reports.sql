-- +goose Up
-- A periodic report of a plan for a period: a draft with the narrative
-- parts the secretariat writes, then, once issued, its number, date and
-- frozen files with their SHA-256.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    period       TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    narrative    TEXT    NOT NULL DEFAULT '{}',
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    number       INTEGER NOT NULL DEFAULT 0,
    issued_on    TEXT    NOT NULL DEFAULT '',
    pdf          BLOB,
    pdf_sha256   TEXT    NOT NULL DEFAULT '',
    xlsx         BLOB,
    xlsx_sha256  TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (plan_id, period)
);

-- The last number given per issuing agency, document kind and calendar
-- year (Decree 30, Art. 15): issuing takes the next one atomically.
CREATE TABLE doc_numbers (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    kind       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (agency_id, kind, year)
);

-- +goose Down
DROP TABLE doc_numbers;
DROP TABLE reports;
