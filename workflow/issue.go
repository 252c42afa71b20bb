package workflow

import (
	"context"
	"fmt"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
)

// IssueInput says which draft to issue and when.
type IssueInput struct {
	PlanID  int64
	Period  period.Period
	Version int64 // the draft's version
	// Date is the issue date; zero: today in Vietnam.
	Date doc.Date
}

// Issued is an issued report, its plan, and the report it replaces
// (nil for none).
type Issued struct {
	Report   domain.Report
	Plan     domain.Plan
	Replaces *report.Replaced
	// Detail is the audit trail's account: "số 01/BC-UBND, thay thế số …".
	Detail string
}

// Issue numbers the period's draft of the version given and freezes its
// files, rendered as of the issue date, which must lie from the period's
// cut-off (the report due date) to today. The secretariat (or the admin)
// issues; a failed render uses no number (store.Issue).
func (w *Service) Issue(ctx context.Context, actor Actor, r Renderer, in IssueInput) (Issued, error) {
	if err := actor.may("issue reports", editors...); err != nil {
		return Issued{}, err
	}
	date := w.issueDate(in.Date)
	p := in.Period
	plan, err := w.Store.GetPlan(ctx, in.PlanID)
	if err != nil {
		return Issued{}, err
	}
	if err := period.CheckIssueDate(p, plan.Doc.ReportDueDay, date.Time(), w.now()); err != nil {
		return Issued{}, invalid(doc.FieldError{Field: "date", Problem: err.Error()})
	}
	rec, err := w.Store.GetReport(ctx, in.PlanID, p.Code())
	if err != nil {
		return Issued{}, err
	}
	if StatusOf(rec) == StatusIssued {
		return Issued{}, fmt.Errorf("%w as number %d", domain.ErrIssued, rec.Number)
	}
	nar, err := NarrativeOf(rec)
	if err != nil {
		return Issued{}, err
	}
	asOf := date.Time() // an issued report shows the data of its issue date
	board, err := w.Board(ctx, plan, p, asOf)
	if err != nil {
		return Issued{}, err
	}
	replaces, err := w.replacedOf(ctx, plan, rec)
	if err != nil {
		return Issued{}, err
	}
	issued, err := w.Store.Issue(ctx, domain.IssueRequest{
		PlanID: in.PlanID, Period: p.Code(), Version: in.Version, AgencyID: plan.AgencyID, Kind: string(KindReport), Date: date.Time(),
		Render: frozenFiles(ctx, r, func(number int) (*Composed, error) {
			b, err := BuildReport(ctx, nil, r, w.Templates, w.Fonts, BuildInput{PlanID: plan.ID, Plan: plan.Doc, Period: p, AsOf: asOf,
				Board: board, Title: rec.Title, Narrative: nar, Number: number, Date: date, Replaces: replaces})
			if err != nil {
				return nil, err
			}
			return b.Composed, nil
		}),
	})
	if err != nil {
		return Issued{}, err
	}
	detail := "số " + Reference(issued, plan)
	if replaces != nil {
		detail += ", thay thế số " + replaces.Reference()
	}
	return Issued{Report: issued, Plan: plan, Replaces: replaces, Detail: detail}, nil
}

// Reference is an issued report's number and symbol, "01/BC-UBND" ("" for
// a draft).
func Reference(r domain.Report, plan domain.Plan) string {
	if r.Number == 0 {
		return ""
	}
	return doc.Reference(r.Number, report.Symbol(plan.Doc))
}
