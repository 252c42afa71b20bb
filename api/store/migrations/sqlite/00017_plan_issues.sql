-- +goose Up
-- Plans issued in baocao (issue 15): a plan's number, symbol and date
-- come from its document; issuing freezes its document PDF (PDF/A-2b,
-- with the empty signature field) and, when it prints an appendix, the
-- appendix as a separate PDF/A file, each with its SHA-256. A plan has at
-- most one current issue (reopened_at NULL): while it has one, what the
-- files show cannot be edited. Reopening keeps the issue, with who, when
-- and why, as history; the plan may then be issued again (a new row).
-- The issue's id is the doc_id of its signed files in signed_files
-- (doc_kind 'plan' for the document, 'plan-appendix' for the appendix
-- stamped with the organisation's signature).
CREATE TABLE plan_issues (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id          INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    plan_version     INTEGER NOT NULL,
    reference        TEXT    NOT NULL,
    issued_on        TEXT    NOT NULL,
    pdf              BLOB    NOT NULL,
    pdf_sha256       TEXT    NOT NULL,
    appendix_pdf     BLOB,
    appendix_sha256  TEXT    NOT NULL DEFAULT '',
    issued_by        TEXT    NOT NULL DEFAULT '',
    issued_at        TIMESTAMP NOT NULL,
    reopened_by      TEXT    NOT NULL DEFAULT '',
    reopened_at      TIMESTAMP,
    reopen_reason    TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX plan_issues_current ON plan_issues (plan_id) WHERE reopened_at IS NULL;
CREATE INDEX plan_issues_pdf_sha256 ON plan_issues (pdf_sha256);
CREATE INDEX plan_issues_appendix_sha256 ON plan_issues (appendix_sha256);

-- The frozen files never change and an issue is never deleted; only its
-- reopening is written, once.
CREATE TRIGGER plan_issues_frozen BEFORE UPDATE OF id, plan_id, plan_version, reference, issued_on, pdf, pdf_sha256,
    appendix_pdf, appendix_sha256, issued_by, issued_at ON plan_issues
BEGIN SELECT RAISE(ABORT, 'plan_issues are frozen'); END;
CREATE TRIGGER plan_issues_reopened_once BEFORE UPDATE ON plan_issues
WHEN OLD.reopened_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'plan_issues are frozen: already reopened'); END;
CREATE TRIGGER plan_issues_no_delete BEFORE DELETE ON plan_issues
BEGIN SELECT RAISE(ABORT, 'plan_issues are frozen'); END;

-- +goose Down
DROP TABLE plan_issues;
