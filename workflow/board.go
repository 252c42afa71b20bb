package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/report"
)

// ProgressSource gives what a status board is computed from: the plan's
// submissions for period p (and the earlier periods of its year) and its
// lead agencies by identity.
type ProgressSource interface {
	BoardProgress(ctx context.Context, planID int64, p period.Period) ([]progress.Submission, map[int64][]string, error)
}

// Stored is the ProgressSource of a store.
type Stored struct{ Progress }

// BoardProgress reads the submissions of every period of p's year that
// ends no later than p (a task done in an earlier quarter stays done) and
// the lead agencies.
func (s Stored) BoardProgress(ctx context.Context, planID int64, p period.Period) ([]progress.Submission, map[int64][]string, error) {
	subs, err := s.Submissions(ctx, planID, BoardCodes(p)...)
	if err != nil {
		return nil, nil, err
	}
	leads, err := s.LeadAgencies(ctx, planID)
	if err != nil {
		return nil, nil, err
	}
	return ToProgress(subs), leads, nil
}

// Submitted is the ProgressSource of submissions at hand (a progress
// file: see progress.File), whatever the period.
type Submitted struct {
	Submissions []progress.Submission
	Leads       map[int64][]string
}

// BoardProgress answers the submissions and leads held.
func (s Submitted) BoardProgress(context.Context, int64, period.Period) ([]progress.Submission, map[int64][]string, error) {
	return s.Submissions, s.Leads, nil
}

// ComputeBoard is the one aggregation every figure is read from (the
// status API, the plan page, the report's preview and issued files, the
// command line's report): the plan's progress for period p as of a day.
func ComputeBoard(ctx context.Context, src ProgressSource, planID int64, plan *doc.Document, p period.Period, asOf time.Time) (*progress.Board, error) {
	subs, leads, err := src.BoardProgress(ctx, planID, p)
	if err != nil {
		return nil, err
	}
	return progress.Compute(progress.Input{Plan: plan, Period: p, Submissions: subs, AsOf: asOf, Leads: leads}), nil
}

// BoardCodes are the period codes a board reads: every period of the
// year that ends no later than p.
func BoardCodes(p period.Period) []string {
	var codes []string
	for _, q := range period.All(p.Year) {
		if q.LastMonth() <= p.LastMonth() {
			codes = append(codes, q.Code())
		}
	}
	return codes
}

// PeriodCodes are p's code and, for a cumulative period, its quarters'.
func PeriodCodes(p period.Period) []string {
	codes := []string{p.Code()}
	for _, q := range p.Quarters() {
		if q != p {
			codes = append(codes, q.Code())
		}
	}
	return codes
}

// ToProgress turns stored submissions into the aggregation's.
func ToProgress(subs []domain.Submission) []progress.Submission {
	out := make([]progress.Submission, len(subs))
	for i, s := range subs {
		out[i] = progress.Submission{TaskID: s.TaskID, Agency: s.Agency, Period: s.Period, Revision: s.Revision,
			Status: s.Status, CompletedOn: s.CompletedOn, Result: s.Result, Difficulty: s.Difficulties,
			Proposal: s.Proposals, SubmittedAt: s.SubmittedAt, Late: s.Late, Figures: s.Figures}
	}
	return out
}

// ReportAsOf is the day whose data a report shows: an issued (or
// replaced) report's issue date, a draft's date set by the secretariat,
// else the default (period.DefaultAsOf as of now); def says it is the
// default.
func ReportAsOf(plan domain.Plan, p period.Period, r domain.Report, now time.Time) (asOf time.Time, def bool) {
	if StatusOf(r) != StatusDraft && r.IssuedOn != "" {
		if t, err := time.Parse(time.DateOnly, r.IssuedOn); err == nil {
			return t, false
		}
	}
	if StatusOf(r) == StatusDraft && r.AsOf != "" {
		if t, err := time.Parse(time.DateOnly, r.AsOf); err == nil {
			return t, false
		}
	}
	return period.DefaultAsOf(p, plan.Doc.ReportDueDay, now), true
}

// PeriodAsOf is the as-of date of a period's status board when none is
// asked for: that of its current report (a draft's, or the issue date of
// an issued report that locks the period), else the default — so that
// the board, the preview and the issued files show the same figures.
func (w *Service) PeriodAsOf(ctx context.Context, plan domain.Plan, p period.Period) (time.Time, error) {
	rec, err := w.Store.GetReport(ctx, plan.ID, p.Code())
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return period.DefaultAsOf(p, plan.Doc.ReportDueDay, w.now()), nil
	case err != nil:
		return time.Time{}, err
	case StatusOf(rec) == StatusIssued && !rec.Locks():
		// Reopened: progress comes in again, the board follows it.
		return period.DefaultAsOf(p, plan.Doc.ReportDueDay, w.now()), nil
	}
	asOf, _ := ReportAsOf(plan, p, rec, w.now())
	return asOf, nil
}

// Board is the plan's status board for p as of a day, from the store.
func (w *Service) Board(ctx context.Context, plan domain.Plan, p period.Period, asOf time.Time) (*progress.Board, error) {
	return ComputeBoard(ctx, Stored{w.Store}, plan.ID, plan.Doc, p, asOf)
}

// StatusBoard is the status board the API answers for a plan and a
// period: as of asOf, which must lie within period.CheckBoardAsOf's
// bounds, or, when zero, as of the period's report (PeriodAsOf), so that
// the board shows the report's figures; a reporter gets its own agency's
// texts and figures only, on shared tasks too (Board.RedactFor).
func (w *Service) StatusBoard(ctx context.Context, actor Actor, planID int64, p period.Period, asOf time.Time) (*progress.Board, error) {
	plan, err := w.Store.GetPlan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		if asOf, err = w.PeriodAsOf(ctx, plan, p); err != nil {
			return nil, err
		}
	} else if err := period.CheckBoardAsOf(p, plan.Doc.ReportDueDay, asOf, w.now()); err != nil {
		return nil, invalid(doc.FieldError{Field: "as_of", Problem: err.Error()})
	}
	b, err := w.Board(ctx, plan, p, asOf)
	if err != nil {
		return nil, err
	}
	if actor.Reporter() {
		b.RedactFor(actor.AgencyName)
	}
	return b, nil
}

// NarrativeOf reads a report's stored narrative; a record that does not
// decode is an error, never an empty narrative that would print.
func NarrativeOf(r domain.Report) (report.Narrative, error) {
	var n report.Narrative
	if r.Narrative == "" {
		return n, nil
	}
	if err := json.Unmarshal([]byte(r.Narrative), &n); err != nil {
		return n, fmt.Errorf("report %d: stored narrative: %w", r.ID, err)
	}
	return n, nil
}

// replacedOf is what rec replaces, or nil.
func (w *Service) replacedOf(ctx context.Context, plan domain.Plan, rec domain.Report) (*report.Replaced, error) {
	if rec.Replaces == 0 {
		return nil, nil
	}
	old, err := w.Store.GetReportByID(ctx, plan.ID, rec.Replaces)
	if err != nil {
		return nil, err
	}
	d, _ := doc.ParseDate(old.IssuedOn)
	return &report.Replaced{Number: old.Number, Symbol: report.Symbol(plan.Doc), Date: d}, nil
}
