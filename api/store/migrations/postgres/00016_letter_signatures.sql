-- +goose Up
-- Reminder letters are signed as reports are (issue 15): signed_files
-- rows of doc_kind 'letter'; verification finds an issued letter by the
-- SHA-256 of its PDF.
CREATE INDEX letters_pdf_sha256 ON letters (pdf_sha256);

-- +goose Down
DROP INDEX letters_pdf_sha256;
