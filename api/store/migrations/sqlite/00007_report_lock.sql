-- +goose Up
-- Reports can be replaced (Decree 30/2020/NĐ-CP, Art. 18): a period keeps
-- every report it had, at most one draft and at most one issued report at
-- a time; a replaced report keeps its number and frozen files and names
-- its successor. A draft has an as-of date (empty: the default, see
-- period.DefaultAsOf); an issued report's is its issue date. An issued
-- report locks its period's progress until the secretariat reopens it
-- (reopened_at).
--
-- SQLite cannot drop a table constraint, so the table is rebuilt; nothing
-- refers to reports, and the rename carries its sequence and the
-- self-references.
CREATE TABLE reports_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    period       TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    narrative    TEXT    NOT NULL DEFAULT '{}',
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'replaced')),
    number       INTEGER NOT NULL DEFAULT 0,
    issued_on    TEXT    NOT NULL DEFAULT '',
    as_of        TEXT    NOT NULL DEFAULT '',
    replaces     INTEGER REFERENCES reports_new(id) ON DELETE RESTRICT,
    replaced_by  INTEGER REFERENCES reports_new(id) ON DELETE RESTRICT,
    reopened_at  TIMESTAMP,
    pdf          BLOB,
    pdf_sha256   TEXT    NOT NULL DEFAULT '',
    xlsx         BLOB,
    xlsx_sha256  TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    CHECK ((status = 'replaced') = (replaced_by IS NOT NULL))
);
INSERT INTO reports_new (id, plan_id, period, title, narrative, status, number, issued_on, as_of,
                         pdf, pdf_sha256, xlsx, xlsx_sha256, version, created_at, updated_at)
SELECT id, plan_id, period, title, narrative, status, number, issued_on, issued_on,
       pdf, pdf_sha256, xlsx, xlsx_sha256, version, created_at, updated_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE UNIQUE INDEX reports_one_draft ON reports (plan_id, period) WHERE status = 'draft';
CREATE UNIQUE INDEX reports_one_issued ON reports (plan_id, period) WHERE status = 'issued';
CREATE UNIQUE INDEX reports_replaces ON reports (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX reports_plan ON reports (plan_id, period);

-- +goose Down
-- Back to one report per period: the issued one where there is one, else
-- the draft; replaced reports and replacement drafts are dropped.
CREATE TABLE reports_old (
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
INSERT INTO reports_old (id, plan_id, period, title, narrative, status, number, issued_on,
                         pdf, pdf_sha256, xlsx, xlsx_sha256, version, created_at, updated_at)
SELECT id, plan_id, period, title, narrative, status, number, issued_on,
       pdf, pdf_sha256, xlsx, xlsx_sha256, version, created_at, updated_at
FROM reports r
WHERE r.status = 'issued'
   OR (r.status = 'draft' AND NOT EXISTS (SELECT 1 FROM reports i WHERE i.plan_id = r.plan_id AND i.period = r.period AND i.status = 'issued'));
DROP TABLE reports;
ALTER TABLE reports_old RENAME TO reports;
