package workflow

import (
	"context"
	"encoding/json"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
)

// readers may read plans, boards and reports.
var readers = []Role{RoleAdmin, RoleSecretariat, RoleReporter, RoleAuditor}

// Preview renders the period's draft (a first one or a replacement), or
// the report as it would be with no draft yet (rec zero), from the data
// as of its as-of date, marked "DỰ THẢO" with a blank number, in the
// formats asked (none: the issued files' formats, PDF and XLSX). A
// reporter's preview holds its own agency's texts only.
func (w *Service) Preview(ctx context.Context, actor Actor, r Renderer, plan domain.Plan, p period.Period, rec domain.Report, formats ...Format) (*Built, error) {
	if err := actor.may("read reports", readers...); err != nil {
		return nil, err
	}
	nar, err := NarrativeOf(rec)
	if err != nil {
		return nil, err
	}
	if len(formats) == 0 {
		formats = Formats
	}
	asOf, _ := ReportAsOf(plan, p, rec, w.now())
	board, err := w.Board(ctx, plan, p, asOf)
	if err != nil {
		return nil, err
	}
	if actor.Reporter() {
		board.RedactFor(actor.AgencyName)
	}
	replaces, err := w.replacedOf(ctx, plan, rec)
	if err != nil {
		return nil, err
	}
	return BuildReport(ctx, nil, r, w.Templates, w.Fonts, BuildInput{PlanID: plan.ID, Plan: plan.Doc, Period: p, AsOf: asOf,
		Board: board, Title: rec.Title, Narrative: nar, Date: doc.Date{Year: asOf.Year()}, Replaces: replaces, Formats: formats})
}

// PreviewDraft renders what the secretariat has typed on the report page
// without storing it: the text checked as SaveDraft checks it, laid over
// the period's draft (rec; zero for none), previewed as Preview does.
func (w *Service) PreviewDraft(ctx context.Context, actor Actor, r Renderer, plan domain.Plan, rec domain.Report, in DraftInput) (*Built, error) {
	if err := actor.may("preview report drafts", editors...); err != nil {
		return nil, err
	}
	title, nar, asOf, err := w.checkDraft(in)
	if err != nil {
		return nil, err
	}
	if StatusOf(rec) != StatusDraft && rec.ID != 0 {
		return nil, &ConflictError{Detail: "the report is issued; only a draft is previewed"}
	}
	data, err := json.Marshal(nar)
	if err != nil {
		return nil, err
	}
	rec.Status, rec.Title, rec.Narrative = domain.ReportDraft, title, string(data)
	if asOf != nil {
		rec.AsOf = *asOf
	}
	return w.Preview(ctx, actor, r, plan, in.Period, rec)
}

// Drafted are the parts of a draft written from the data as of its date:
// what the report prints where the narrative leaves a part empty.
func (w *Service) Drafted(ctx context.Context, plan domain.Plan, p period.Period, rec domain.Report) (report.Narrative, error) {
	asOf, _ := ReportAsOf(plan, p, rec, w.now())
	board, err := w.Board(ctx, plan, p, asOf)
	if err != nil {
		return report.Narrative{}, err
	}
	return report.Drafted(board), nil
}
