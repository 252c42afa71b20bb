package workflow

import (
	"context"
	"errors"
	"fmt"

	"baocao/domain"
	"baocao/reports/doc"
)

// Plans issued in baocao (README "Digital signatures and PDF/A", "A
// plan issued"): unlike a report, which baocao numbers, a plan is entered
// with its number, symbol and date, and issuing it freezes its files as
// they are — the document as PDF/A-2b with the empty signature field,
// and, when it prints an appendix, the appendix alone as a separate
// PDF/A file — each with its SHA-256. While issued, what the files show
// (text, header, appendices, tasks) cannot change (domain.ErrPlanIssued,
// checked by the store in the edit's transaction); progress, reports and
// letters go on. Reopening ends the issue (kept, with who, when and why)
// so that the plan can be edited and issued again.

// PlanIssues stores plans' issues; *store.Store implements it.
type PlanIssues interface {
	IssuePlan(ctx context.Context, in domain.PlanIssue) (domain.PlanIssue, error)
	CurrentPlanIssue(ctx context.Context, planID int64, withFiles bool) (domain.PlanIssue, error)
	PlanIssues(ctx context.Context, planID int64) ([]domain.PlanIssue, error)
	ReopenPlan(ctx context.Context, planID int64, by, reason string) (domain.PlanIssue, error)
}

// The parts of a plan its issue renders (Composed.Plan): the document
// (with any appendix printed in it) and the appendix alone, as a separate
// file.
const (
	PlanDocument = "plan"
	PlanAppendix = "appendix"
)

// PlanIssued is a plan issued, and the audit trail's account of it.
type PlanIssued struct {
	Issue  domain.PlanIssue
	Plan   domain.Plan
	Detail string
}

// issuingDoc is the document whose number and date a plan is issued
// under: the decision that promulgates it, else the plan itself; prefix
// is its fields' path.
func issuingDoc(d *doc.Document) (issuing *doc.Document, prefix string) {
	if d.PromulgatedBy != nil {
		return d.PromulgatedBy, "promulgated_by."
	}
	return d, ""
}

// IssueReference is the number and symbol a plan is issued under,
// "20/KH-UBND" ("" when its document has no number).
func IssueReference(d *doc.Document) string {
	is, _ := issuingDoc(d)
	if is.Number <= 0 {
		return ""
	}
	return is.NumberAndSymbol()
}

// checkIssuable refuses a plan whose document has no number or no full
// date, naming the field.
func checkIssuable(d *doc.Document) error {
	is, prefix := issuingDoc(d)
	var errs []doc.FieldError
	if is.Number <= 0 {
		errs = append(errs, doc.FieldError{Field: prefix + "number",
			Problem: "kế hoạch chưa có số văn bản: nhập số rồi ban hành / a plan is issued under the number its document gives: enter it before issuing"})
	}
	if !is.Date.Complete() {
		errs = append(errs, doc.FieldError{Field: prefix + "date",
			Problem: fmt.Sprintf("kế hoạch cần ngày ban hành đầy đủ (ngày/tháng/năm), không phải %q / a plan is issued on the full date its document gives (YYYY-MM-DD), not %q", is.Date.String(), is.Date.String())})
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	return nil
}

// IssuePlan issues the plan of the version given: renders and freezes
// its document (PDF/A-2b with the empty signature field) and its printed
// appendix as a separate PDF/A file. The secretariat (or the admin)
// issues; a plan without a number or full date is refused naming the
// field, one already issued with domain.ErrPlanIssued.
func (w *Service) IssuePlan(ctx context.Context, actor Actor, r Renderer, planID, version int64) (PlanIssued, error) {
	if err := actor.may("issue plans", editors...); err != nil {
		return PlanIssued{}, err
	}
	plan, err := w.Store.GetPlan(ctx, planID)
	if err != nil {
		return PlanIssued{}, err
	}
	if plan.Version != version {
		return PlanIssued{}, domain.ErrStale
	}
	if cur, err := w.Store.CurrentPlanIssue(ctx, planID, false); err == nil {
		return PlanIssued{}, fmt.Errorf("%w as số %s on %s: reopen it to issue it again", domain.ErrPlanIssued, cur.Reference, cur.IssuedOn)
	} else if !errors.Is(err, domain.ErrNotFound) {
		return PlanIssued{}, err
	}
	if err := checkIssuable(plan.Doc); err != nil {
		return PlanIssued{}, err
	}
	docPDF, err := renderPlanPart(ctx, r, plan.Doc, PlanDocument)
	if err != nil {
		return PlanIssued{}, err
	}
	var appPDF []byte
	if len(plan.Doc.Printed().Appendices) > 0 {
		if appPDF, err = renderPlanPart(ctx, r, plan.Doc, PlanAppendix); err != nil {
			return PlanIssued{}, err
		}
	}
	is, _ := issuingDoc(plan.Doc)
	issue, err := w.Store.IssuePlan(ctx, domain.PlanIssue{PlanID: planID, PlanVersion: version, Reference: IssueReference(plan.Doc),
		IssuedOn: is.Date.String(), PDF: docPDF, AppendixPDF: appPDF, IssuedBy: actor.Name})
	if err != nil {
		return PlanIssued{}, err
	}
	detail := fmt.Sprintf("kế hoạch số %s ngày %s, SHA-256 %s", issue.Reference, dmy(is.Date.Time()), issue.PDFSHA256)
	if issue.AppendixSHA256 != "" {
		detail += ", phụ lục (tệp riêng) SHA-256 " + issue.AppendixSHA256
	}
	return PlanIssued{Issue: issue, Plan: plan, Detail: detail}, nil
}

// renderPlanPart renders a part of a plan (PlanDocument, PlanAppendix)
// as an issued file: PDF/A-2b, the document with the empty signature
// field where its signature block leaves room.
func renderPlanPart(ctx context.Context, r Renderer, d *doc.Document, part string) ([]byte, error) {
	c := &Composed{Doc: d, Plan: part, Archival: true}
	files, err := r.Render(ctx, c, FormatPDF)
	if err != nil {
		return nil, err
	}
	if part == PlanAppendix {
		return files[FormatPDF], nil
	}
	return withSignatureField(files[FormatPDF], c.SignatureField)
}

// ReopenPlan ends a plan's current issue, with a reason, so that it can
// be edited and issued again; its files (issued and signed) are kept and
// still verify as this baocao's, marked reopened. An editor reopens.
func (w *Service) ReopenPlan(ctx context.Context, actor Actor, planID int64, reason string) (PlanIssued, error) {
	if err := actor.may("reopen issued plans", editors...); err != nil {
		return PlanIssued{}, err
	}
	if errs := w.cleanTexts(TextField{Name: "reason", V: &reason}); len(errs) > 0 {
		return PlanIssued{}, invalid(errs...)
	}
	if reason == "" {
		return PlanIssued{}, invalid(doc.FieldError{Field: "reason", Problem: "hãy ghi lý do mở lại kế hoạch đã ban hành / say why the issued plan is reopened"})
	}
	if n := len([]rune(reason)); n > 1000 {
		return PlanIssued{}, invalid(doc.FieldError{Field: "reason", Problem: fmt.Sprintf("tối đa 1000 ký tự, không phải %d / at most 1000 characters, not %d", n, n)})
	}
	plan, err := w.Store.GetPlan(ctx, planID)
	if err != nil {
		return PlanIssued{}, err
	}
	issue, err := w.Store.ReopenPlan(ctx, planID, actor.Name, reason)
	if errors.Is(err, domain.ErrNotFound) {
		return PlanIssued{}, &NotIssuedError{Detail: fmt.Sprintf("plan %d is not issued: there is nothing to reopen", planID)}
	}
	if err != nil {
		return PlanIssued{}, err
	}
	return PlanIssued{Issue: issue, Plan: plan, Detail: fmt.Sprintf("kế hoạch số %s, lý do: %s", issue.Reference, reason)}, nil
}

// PlanDocuments finds issued plans for signing: the document file (the
// competent person's signature, then the organisation's with the seal),
// with its appendix in a separate file, which the organisation's
// signature stamps at its top right.
type PlanDocuments struct {
	Store PlanFiles
}

// PlanFiles reads plans and their current issue.
type PlanFiles interface {
	GetPlan(ctx context.Context, id int64) (domain.Plan, error)
	CurrentPlanIssue(ctx context.Context, planID int64, withFiles bool) (domain.PlanIssue, error)
}

// IssuedDocument is the issued plan ref names (ref.ID: its issue, 0 for
// none); a plan not issued, or reopened since, is refused.
func (p PlanDocuments) IssuedDocument(ctx context.Context, ref DocRef) (IssuedDocument, error) {
	plan, err := p.Store.GetPlan(ctx, ref.PlanID)
	if err != nil {
		return IssuedDocument{}, err
	}
	issue, err := p.Store.CurrentPlanIssue(ctx, ref.PlanID, true)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && issue.ID != ref.ID) {
		return IssuedDocument{}, &NotIssuedError{Detail: fmt.Sprintf("plan %d is not issued (or was reopened): only an issued plan is signed", ref.PlanID)}
	}
	if err != nil {
		return IssuedDocument{}, err
	}
	is, _ := issuingDoc(plan.Doc)
	d := IssuedDocument{Ref: ref, Reference: issue.Reference, Agency: is.Agency.Name, PDF: issue.PDF, SHA256: issue.PDFSHA256}
	if s := is.Signature; s != nil {
		d.Signer = s.Signer
	}
	if issue.AppendixPDF != nil {
		d.Separate = &SeparateFile{Kind: DocPlanAppendix, PDF: issue.AppendixPDF, SHA256: issue.AppendixSHA256}
	}
	return d, nil
}

// PlanIssueOf is a plan's current issue (ok false: not issued).
func PlanIssueOf(ctx context.Context, st PlanFiles, planID int64, withFiles bool) (domain.PlanIssue, bool, error) {
	issue, err := st.CurrentPlanIssue(ctx, planID, withFiles)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.PlanIssue{}, false, nil
	}
	return issue, err == nil, err
}

// NotIssuedError refuses a step that needs an issued plan (signing,
// reopening) on one that is not issued (409 not-issued).
type NotIssuedError struct{ Detail string }

func (e *NotIssuedError) Error() string { return "not issued: " + e.Detail }
