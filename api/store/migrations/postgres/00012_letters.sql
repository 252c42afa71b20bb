-- +goose Up
-- Reminder letters (công văn đôn đốc, issue 14 part 5): a letter of a
-- plan for a reporting period to the lead agencies that are late or have
-- not reported. A draft holds the parts the secretariat writes (JSON, see
-- letter.Parts); once issued, its number in the agency's numbering of
-- công văn (kind CV in doc_numbers), its symbol as printed ("UBND-KSTT"),
-- date and frozen files with their SHA-256. A period may have several
-- letters (a second reminder).
CREATE TABLE letters (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT  NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    period       TEXT    NOT NULL,
    parts        TEXT    NOT NULL DEFAULT '{}',
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    number       INTEGER NOT NULL DEFAULT 0,
    symbol       TEXT    NOT NULL DEFAULT '',
    issued_on    TEXT    NOT NULL DEFAULT '',
    pdf          BYTEA,
    pdf_sha256   TEXT    NOT NULL DEFAULT '',
    xlsx         BYTEA,
    xlsx_sha256  TEXT    NOT NULL DEFAULT '',
    created_by   TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'issued') = (number > 0))
);
CREATE INDEX letters_plan ON letters (plan_id, period);

-- +goose Down
DROP TABLE letters;
