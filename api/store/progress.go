package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
)

// Progress statuses a lead agency reports. "Overdue" and "done late" are
// derived from the deadline and dates, never typed in.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

// Figure is a named quantity with its unit: 24 "tin bài".
type Figure = progress.Figure

// Submission is one report of progress on a task for a period.
type Submission struct {
	ID           int64     `json:"id"`
	PlanID       int64     `json:"plan_id"`
	TaskID       int64     `json:"task_id"`
	AgencyID     int64     `json:"agency_id"`
	Agency       string    `json:"agency"`
	Period       string    `json:"period"`
	Revision     int       `json:"revision"`
	Status       string    `json:"status"`
	CompletedOn  string    `json:"completed_on,omitempty"`
	Result       string    `json:"result,omitempty"`
	Figures      []Figure  `json:"figures"`
	Difficulties string    `json:"difficulties,omitempty"`
	Proposals    string    `json:"proposals,omitempty"`
	SubmittedBy  string    `json:"submitted_by"`
	SubmittedAt  time.Time `json:"submitted_at"`
	Late         bool      `json:"late"`
}

type progressRow struct {
	ID           int64
	PlanID       int64
	TaskID       int64
	AgencyID     int64
	Period       string
	Revision     int
	Status       string
	CompletedOn  string
	Result       string
	Figures      string
	Difficulties string
	Proposals    string
	SubmittedBy  string
	SubmittedAt  time.Time
	Late         bool
}

func (progressRow) TableName() string { return "progress" }

// SubmitInput is a lead agency's report; Agency names it as the task does
// (or AgencyID gives it).
type SubmitInput struct {
	TaskID   int64 `json:"task_id"`
	AgencyID int64 `json:"agency_id,omitempty"`
	progress.Report
}

// Submit stores a submission as the next revision for its task, agency
// and period. Only a lead agency of the task may report on it; a
// submission after the period's due date (dueDay of its last month, see
// period.Due) is marked late. A period locked by an issued report (see
// PeriodLock) takes none: a *LockedError (ErrLocked).
func (s *Store) Submit(ctx context.Context, planID int64, in SubmitInput, dueDay int) (Submission, error) {
	return s.SubmitAt(ctx, planID, in, dueDay, s.now())
}

// SubmitAt is Submit with the submission time given (loading recorded
// submissions, such as the demo data).
func (s *Store) SubmitAt(ctx context.Context, planID int64, in SubmitInput, dueDay int, now time.Time) (Submission, error) {
	p, err := period.Parse(in.Period)
	if err != nil {
		return Submission{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var out progressRow
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// An issued report of the period, or of a period covering it,
		// locks it until the secretariat reopens it.
		lock, err := s.periodLock(tx, planID, p)
		if err != nil {
			return err
		}
		if lock != nil {
			return &LockedError{Period: p.Code(), Report: *lock}
		}
		// Dates within reason: the period within the plan's years, a
		// completion date neither in the future nor before the plan.
		var plan planRow
		if err := tx.Select("id, year, agency_id").Take(&plan, planID).Error; err != nil {
			return err
		}
		var deadlines []string
		if err := tx.Model(&taskRow{}).Where("plan_id = ? AND archived_at IS NULL", planID).Pluck("deadline", &deadlines).Error; err != nil {
			return err
		}
		dls := make([]doc.Deadline, len(deadlines))
		for i, t := range deadlines {
			dls[i] = doc.Deadline{Text: t}
		}
		if first, last, ok := period.YearSpan(plan.Year, dls); ok {
			if errs := ValidateSubmitDates(first, last, &in, now); len(errs) > 0 {
				return &doc.ValidationError{Fields: errs}
			}
		}
		// The task row is locked until the end (PostgreSQL: FOR UPDATE;
		// SQLite has one writer), so that concurrent submissions on it
		// take consecutive revisions below instead of racing for one, and
		// none lands on a task being archived or deleted. An archived task
		// is no task of the plan.
		var task taskRow
		if err := s.lockRows(tx.Where("id = ? AND plan_id = ? AND archived_at IS NULL", in.TaskID, planID)).Take(&task).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("%w: task %d is not a task of plan %d", ErrInvalid, in.TaskID, planID)
			}
			return err
		}
		var leads []taskAgencyRow
		if err := tx.Where("task_id = ? AND role = ? AND agency_id IS NOT NULL", task.ID, roleLead).Order("position").Find(&leads).Error; err != nil {
			return err
		}
		// The reporting agency by id, or by its name or an alias in the
		// plan's scope; then it must be one of the task's leads, by id,
		// whatever spelling the plan wrote.
		agencyID := in.AgencyID
		if agencyID == 0 && in.Agency != "" {
			root, err := rootOf(tx, plan.AgencyID)
			if err != nil {
				return err
			}
			a, ok, err := lookupAgency(tx, in.Agency, sql.NullInt64{Int64: root, Valid: true})
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: %q is no known agency, and only a lead agency of task %d reports on it", ErrForbidden, in.Agency, task.ID)
			}
			agencyID = a.ID
		}
		lead := false
		for _, l := range leads {
			lead = lead || l.AgencyID.Int64 == agencyID
		}
		if !lead {
			return fmt.Errorf("%w: only a lead agency of task %d reports on it", ErrForbidden, task.ID)
		}
		var rev int
		if err := tx.Model(&progressRow{}).Where("task_id = ? AND agency_id = ? AND period = ?", task.ID, agencyID, p.Code()).
			Select("COALESCE(MAX(revision), 0)").Scan(&rev).Error; err != nil {
			return err
		}
		out = progressRow{PlanID: planID, TaskID: task.ID, AgencyID: agencyID, Period: p.Code(), Revision: rev + 1,
			Status: in.Status, CompletedOn: in.CompletedOn, Result: in.Result, Figures: mustJSON(nonNilFigures(in.Figures)),
			Difficulties: in.Difficulties, Proposals: in.Proposals, SubmittedBy: in.SubmittedBy, SubmittedAt: now,
			Late: !now.Before(p.DueEnd(dueDay))}
		return tx.Create(&out).Error
	})
	if err != nil {
		return Submission{}, mapErr(err, "progress")
	}
	subs, err := s.submissions(ctx, "id = ?", out.ID)
	if err != nil || len(subs) == 0 {
		return Submission{}, fmt.Errorf("read back submission: %w", err)
	}
	return subs[0], nil
}

// ErrForbidden: the actor may not do this (an agency reporting on a task
// it does not lead).
var ErrForbidden = errors.New("forbidden")

func nonNilFigures(f []Figure) []Figure {
	if f == nil {
		return []Figure{}
	}
	return f
}

// Submissions lists every submission of a plan for the given periods (all
// periods when none), oldest first: the full history.
func (s *Store) Submissions(ctx context.Context, planID int64, periods ...string) ([]Submission, error) {
	if len(periods) == 0 {
		return s.submissions(ctx, "plan_id = ?", planID)
	}
	return s.submissions(ctx, "plan_id = ? AND period IN ?", planID, periods)
}

func (s *Store) submissions(ctx context.Context, where string, args ...any) ([]Submission, error) {
	var rows []progressRow
	if err := s.read(ctx).Where(where, args...).Order("submitted_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	names := map[int64]string{}
	for _, r := range rows {
		names[r.AgencyID] = ""
	}
	if len(names) > 0 {
		ids := make([]int64, 0, len(names))
		for id := range names {
			ids = append(ids, id)
		}
		var ags []agencyRow
		if err := s.read(ctx).Select("id, name").Where("id IN ?", ids).Find(&ags).Error; err != nil {
			return nil, fmt.Errorf("list progress: %w", err)
		}
		for _, a := range ags {
			names[a.ID] = a.Name
		}
	}
	out := make([]Submission, len(rows))
	for i, r := range rows {
		out[i] = Submission{ID: r.ID, PlanID: r.PlanID, TaskID: r.TaskID, AgencyID: r.AgencyID, Agency: names[r.AgencyID],
			Period: r.Period, Revision: r.Revision, Status: r.Status, CompletedOn: r.CompletedOn, Result: r.Result,
			Difficulties: r.Difficulties, Proposals: r.Proposals, SubmittedBy: r.SubmittedBy,
			SubmittedAt: r.SubmittedAt.UTC(), Late: r.Late}
		if err := json.Unmarshal([]byte(r.Figures), &out[i].Figures); err != nil {
			return nil, fmt.Errorf("stored figures of submission %d: %w", r.ID, err)
		}
	}
	return out, nil
}

// ValidStatus reports whether s is a status a reporter may send.
func ValidStatus(s string) bool { return validStatus[s] }

// validStatus lists the statuses a reporter may send.
var validStatus = map[string]bool{StatusNotStarted: true, StatusInProgress: true, StatusDone: true}

// ValidateSubmit checks a submission's fields and lists the problems.
func ValidateSubmit(in *SubmitInput) []doc.FieldError {
	var errs []doc.FieldError
	add := func(f, p string) { errs = append(errs, doc.FieldError{Field: f, Problem: p}) }
	if in.TaskID <= 0 {
		add("task_id", "is required")
	}
	if _, err := period.Parse(in.Period); err != nil {
		add("period", err.Error())
	}
	if in.Agency == "" && in.AgencyID == 0 {
		add("agency", "is required: the lead agency that reports")
	}
	if !validStatus[in.Status] {
		add("status", fmt.Sprintf("must be not_started, in_progress or done, not %q (overdue and late are derived)", in.Status))
	}
	if in.CompletedOn != "" {
		d, err := doc.ParseDate(in.CompletedOn)
		if err != nil || !d.Complete() {
			add("completed_on", "must be a date YYYY-MM-DD")
		}
	}
	if in.Status == StatusDone && in.CompletedOn == "" {
		add("completed_on", "is required when the status is done")
	}
	if in.Status != StatusDone && in.CompletedOn != "" {
		add("completed_on", "is only for a done task")
	}
	if in.SubmittedBy == "" {
		add("submitted_by", "is required")
	} else if len([]rune(in.SubmittedBy)) > 200 {
		add("submitted_by", "is longer than 200 characters")
	}
	for name, v := range map[string]string{"result": in.Result, "difficulties": in.Difficulties, "proposals": in.Proposals} {
		if len([]rune(v)) > 20000 {
			add(name, "is longer than 20000 characters")
		}
	}
	if len(in.Figures) > 50 {
		add("figures", "has more than 50 figures")
	}
	for i, f := range in.Figures {
		if f.Name == "" {
			add(fmt.Sprintf("figures[%d].name", i), "is required")
		}
		if math.IsNaN(f.Value) || f.Value < 0 || f.Value > 1e12 {
			add(fmt.Sprintf("figures[%d].value", i), "must be between 0 and 10^12")
		}
	}
	return errs
}

// ValidateSubmitDates checks a submission's dates against its plan's
// years first–last (period.PlanYears): the period within them (a 2024
// plan takes 2024 periods; one with a task due "Quý I/2025" also 2025's)
// and the completion date neither after today (in Vietnam) nor before the
// plan's first year. Problems are worded "Vietnamese / English".
func ValidateSubmitDates(first, last int, in *SubmitInput, today time.Time) []doc.FieldError {
	var errs []doc.FieldError
	if p, err := period.Parse(in.Period); err == nil {
		if err := period.CheckPlanPeriod(first, last, p); err != nil {
			errs = append(errs, doc.FieldError{Field: "period", Problem: err.Error()})
		}
	}
	if in.CompletedOn != "" {
		if d, err := doc.ParseDate(in.CompletedOn); err == nil && d.Complete() {
			if err := period.CheckCompletedOn(first, d.Time(), today); err != nil {
				errs = append(errs, doc.FieldError{Field: "completed_on", Problem: err.Error()})
			}
		}
	}
	return errs
}

// ReportedPeriods lists the period codes a plan has submissions for.
func (s *Store) ReportedPeriods(ctx context.Context, planID int64) ([]string, error) {
	var codes []string
	err := s.read(ctx).Model(&progressRow{}).Where("plan_id = ?", planID).Distinct().Order("period").Pluck("period", &codes).Error
	if err != nil {
		return nil, fmt.Errorf("periods of plan %d: %w", planID, err)
	}
	return codes, nil
}
