package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"baocao/reports/period"
)

type returnRow struct {
	ID         int64
	ProgressID int64
	PlanID     int64
	Period     string
	Comment    string
	ReturnedBy string
	ReturnedAt time.Time
}

func (returnRow) TableName() string { return "progress_returns" }

// ReturnSubmission sends a submission of a plan back to its agency with a
// comment. Only the latest revision of its task, agency and period may be
// sent back (ErrSuperseded), once (ErrDuplicate), and not while an issued
// report locks the period (*LockedError): the agency could not answer.
func (s *Store) ReturnSubmission(ctx context.Context, planID, submissionID int64, comment, by string) (Return, error) {
	var out Return
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sub progressRow
		if err := tx.Where("id = ? AND plan_id = ?", submissionID, planID).Take(&sub).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("%w: submission %d of plan %d", ErrNotFound, submissionID, planID)
			}
			return err
		}
		p, err := period.Parse(sub.Period)
		if err != nil {
			return fmt.Errorf("submission %d: stored period: %w", sub.ID, err)
		}
		lock, err := s.periodLock(tx, planID, p)
		if err != nil {
			return err
		}
		if lock != nil {
			return &LockedError{Period: p.Code(), Report: *lock}
		}
		var later int64
		if err := tx.Model(&progressRow{}).Where("task_id = ? AND agency_id = ? AND period = ? AND revision > ?",
			sub.TaskID, sub.AgencyID, sub.Period, sub.Revision).Count(&later).Error; err != nil {
			return err
		}
		if later > 0 {
			return fmt.Errorf("%w: submission %d (revision %d)", ErrSuperseded, sub.ID, sub.Revision)
		}
		var n int64
		if err := tx.Model(&returnRow{}).Where("progress_id = ?", sub.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: submission %d was sent back already", ErrDuplicate, sub.ID)
		}
		row := returnRow{ProgressID: sub.ID, PlanID: planID, Period: sub.Period, Comment: comment, ReturnedBy: by, ReturnedAt: s.now().UTC()}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("send back submission %d: %w", sub.ID, err)
		}
		out = returnOf(row, sub)
		return nil
	})
	return out, err
}

func returnOf(r returnRow, sub progressRow) Return {
	return Return{ID: r.ID, SubmissionID: r.ProgressID, PlanID: r.PlanID, TaskID: sub.TaskID, AgencyID: sub.AgencyID,
		Period: r.Period, Revision: sub.Revision, Comment: r.Comment, ReturnedBy: r.ReturnedBy, ReturnedAt: r.ReturnedAt.UTC()}
}

// returnColumns read a return with its submission's task, agency and
// revision.
const returnColumns = "progress_returns.id, progress_returns.progress_id, progress_returns.plan_id, progress_returns.period, " +
	"progress_returns.comment, progress_returns.returned_by, progress_returns.returned_at, " +
	"progress.task_id, progress.agency_id, progress.revision"

func (s *Store) returns(ctx context.Context, where string, args ...any) ([]Return, error) {
	var rows []struct {
		ID, ProgressID, PlanID      int64
		Period, Comment, ReturnedBy string
		ReturnedAt                  time.Time
		TaskID, AgencyID            int64
		Revision                    int
	}
	err := s.read(ctx).Table("progress_returns").Joins("JOIN progress ON progress.id = progress_returns.progress_id").
		Select(returnColumns).Where(where, args...).Order("progress_returns.returned_at, progress_returns.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list returns: %w", err)
	}
	out := make([]Return, len(rows))
	for i, r := range rows {
		rr := returnRow{ID: r.ID, ProgressID: r.ProgressID, PlanID: r.PlanID, Period: r.Period, Comment: r.Comment,
			ReturnedBy: r.ReturnedBy, ReturnedAt: r.ReturnedAt}
		out[i] = returnOf(rr, progressRow{TaskID: r.TaskID, AgencyID: r.AgencyID, Revision: r.Revision})
	}
	return out, nil
}

// Returns lists the returns of a plan's submissions for the given
// periods, oldest first: with Submissions, the exchange.
func (s *Store) Returns(ctx context.Context, planID int64, periods ...string) ([]Return, error) {
	return s.returns(ctx, "progress_returns.plan_id = ? AND progress_returns.period IN ?", planID, periods)
}

// OpenReturns lists an agency's returns for a period that it has not
// answered yet: those of submissions with no later revision.
func (s *Store) OpenReturns(ctx context.Context, agencyID int64, period string) ([]Return, error) {
	return s.returns(ctx, "progress.agency_id = ? AND progress_returns.period = ? AND NOT EXISTS (SELECT 1 FROM progress later "+
		"WHERE later.task_id = progress.task_id AND later.agency_id = progress.agency_id AND later.period = progress.period "+
		"AND later.revision > progress.revision)", agencyID, period)
}
