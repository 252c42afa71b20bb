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
    id               BIGSERIAL PRIMARY KEY,
    plan_id          BIGINT  NOT NULL REFERENCES plans(id) ON DELETE RESTRICT,
    plan_version     BIGINT  NOT NULL,
    reference        TEXT    NOT NULL,
    issued_on        TEXT    NOT NULL,
    pdf              BYTEA   NOT NULL,
    pdf_sha256       TEXT    NOT NULL,
    appendix_pdf     BYTEA,
    appendix_sha256  TEXT    NOT NULL DEFAULT '',
    issued_by        TEXT    NOT NULL DEFAULT '',
    issued_at        TIMESTAMPTZ NOT NULL,
    reopened_by      TEXT    NOT NULL DEFAULT '',
    reopened_at      TIMESTAMPTZ,
    reopen_reason    TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX plan_issues_current ON plan_issues (plan_id) WHERE reopened_at IS NULL;
CREATE INDEX plan_issues_pdf_sha256 ON plan_issues (pdf_sha256);
CREATE INDEX plan_issues_appendix_sha256 ON plan_issues (appendix_sha256);

-- The frozen files never change and an issue is never deleted; only its
-- reopening is written, once.
-- +goose StatementBegin
CREATE FUNCTION plan_issues_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'plan_issues are frozen';
    END IF;
    IF OLD.reopened_at IS NOT NULL OR
       (NEW.id, NEW.plan_id, NEW.plan_version, NEW.reference, NEW.issued_on, NEW.pdf, NEW.pdf_sha256,
        NEW.appendix_pdf, NEW.appendix_sha256, NEW.issued_by, NEW.issued_at)
       IS DISTINCT FROM
       (OLD.id, OLD.plan_id, OLD.plan_version, OLD.reference, OLD.issued_on, OLD.pdf, OLD.pdf_sha256,
        OLD.appendix_pdf, OLD.appendix_sha256, OLD.issued_by, OLD.issued_at) THEN
        RAISE EXCEPTION 'plan_issues are frozen';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER plan_issues_frozen BEFORE UPDATE OR DELETE ON plan_issues
    FOR EACH ROW EXECUTE FUNCTION plan_issues_frozen();

-- +goose Down
DROP TABLE plan_issues;
DROP FUNCTION plan_issues_frozen();
