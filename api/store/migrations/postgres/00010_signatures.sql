-- +goose Up
-- Digital signatures of issued documents (issue 15), in the order Decree
-- 30 sets: the competent person's signed file ('person'), then the one
-- with the organisation's signature over it ('organisation'). A document
-- is named by its kind ('report' now; plans and reminder letters can use
-- the same table) and id. Each signed file is frozen with its SHA-256 and
-- the SHA-256 of the file it was signed over.
CREATE TABLE signed_files (
    id           BIGSERIAL PRIMARY KEY,
    doc_kind     TEXT    NOT NULL,
    doc_id       BIGINT  NOT NULL,
    stage        TEXT    NOT NULL CHECK (stage IN ('person', 'organisation')),
    pdf          BYTEA   NOT NULL,
    sha256       TEXT    NOT NULL,
    over_sha256  TEXT    NOT NULL,
    signer       TEXT    NOT NULL DEFAULT '',
    signed_at    TIMESTAMPTZ NOT NULL,
    created_by   TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (doc_kind, doc_id, stage)
);
CREATE INDEX signed_files_sha256 ON signed_files (sha256);
CREATE INDEX reports_pdf_sha256 ON reports (pdf_sha256);

-- Signed files are frozen.
-- +goose StatementBegin
CREATE FUNCTION signed_files_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signed_files are frozen';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER signed_files_frozen BEFORE UPDATE OR DELETE ON signed_files
    FOR EACH ROW EXECUTE FUNCTION signed_files_frozen();

-- +goose Down
DROP INDEX reports_pdf_sha256;
DROP TABLE signed_files;
DROP FUNCTION signed_files_frozen();
