package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"baocao/reports/doc"
	"baocao/reports/period"
)

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

// ReportedPeriods lists the period codes a plan has submissions for.
func (s *Store) ReportedPeriods(ctx context.Context, planID int64) ([]string, error) {
	var codes []string
	err := s.read(ctx).Model(&progressRow{}).Where("plan_id = ?", planID).Distinct().Order("period").Pluck("period", &codes).Error
	if err != nil {
		return nil, fmt.Errorf("periods of plan %d: %w", planID, err)
	}
	return codes, nil
}
