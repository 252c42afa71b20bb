-- +goose Up
-- Digital signatures of issued documents (issue 15), in the order Decree
-- 30 sets: the competent person's signed file ('person'), then the one
-- with the organisation's signature over it ('organisation'). A document
-- is named by its kind ('report' now; plans and reminder letters can use
-- the same table) and id. Each signed file is frozen with its SHA-256 and
-- the SHA-256 of the file it was signed over.
CREATE TABLE signed_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_kind     TEXT    NOT NULL,
    doc_id       INTEGER NOT NULL,
    stage        TEXT    NOT NULL CHECK (stage IN ('person', 'organisation')),
    pdf          BLOB    NOT NULL,
    sha256       TEXT    NOT NULL,
    over_sha256  TEXT    NOT NULL,
    signer       TEXT    NOT NULL DEFAULT '',
    signed_at    TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (doc_kind, doc_id, stage)
);
CREATE INDEX signed_files_sha256 ON signed_files (sha256);
CREATE INDEX reports_pdf_sha256 ON reports (pdf_sha256);

-- Signed files are frozen.
CREATE TRIGGER signed_files_no_update BEFORE UPDATE ON signed_files
BEGIN SELECT RAISE(ABORT, 'signed_files are frozen'); END;
CREATE TRIGGER signed_files_no_delete BEFORE DELETE ON signed_files
BEGIN SELECT RAISE(ABORT, 'signed_files are frozen'); END;

-- +goose Down
DROP INDEX reports_pdf_sha256;
DROP TABLE signed_files;
