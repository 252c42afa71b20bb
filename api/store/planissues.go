package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Plans issued in baocao (migration 00017): a plan's frozen files, at
// most one current issue per plan, reopened issues kept as history.

type planIssueRow struct {
	ID             int64
	PlanID         int64
	PlanVersion    int64
	Reference      string
	IssuedOn       string
	PDF            []byte `gorm:"column:pdf"`
	PDFSHA256      string `gorm:"column:pdf_sha256"`
	AppendixPDF    []byte `gorm:"column:appendix_pdf"`
	AppendixSHA256 string `gorm:"column:appendix_sha256"`
	IssuedBy       string
	IssuedAt       time.Time
	ReopenedBy     string
	ReopenedAt     *time.Time
	ReopenReason   string
}

func (planIssueRow) TableName() string { return "plan_issues" }

func (r planIssueRow) issue() PlanIssue {
	out := PlanIssue(r)
	if out.ReopenedAt != nil {
		t := out.ReopenedAt.UTC()
		out.ReopenedAt = &t
	}
	out.IssuedAt = out.IssuedAt.UTC()
	return out
}

// hexSHA256 is the SHA-256 of data in hexadecimal.
func hexSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// IssuePlan stores a plan's issue: its files rendered from the plan of
// version in.PlanVersion, which must still be current (else ErrStale);
// a plan already issued is refused (ErrPlanIssued). The plan moves to its
// next version. The SHA-256s and the time are set here.
func (s *Store) IssuePlan(ctx context.Context, in PlanIssue) (PlanIssue, error) {
	in.PDFSHA256 = hexSHA256(in.PDF)
	in.AppendixSHA256 = ""
	if in.AppendixPDF != nil {
		in.AppendixSHA256 = hexSHA256(in.AppendixPDF)
	}
	in.IssuedAt = s.now().UTC()
	in.ID, in.ReopenedAt, in.ReopenedBy, in.ReopenReason = 0, nil, "", ""
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The plan's row locked (PostgreSQL), so that no edit comes in
		// between the version's check and the issue (an edit checks for
		// a current issue after its update: UpdatePlanWith).
		var p planRow
		if err := s.lockRows(tx.Select("id", "version").Where("id = ?", in.PlanID)).Take(&p).Error; err != nil {
			return err
		}
		if p.Version != in.PlanVersion {
			return ErrStale
		}
		if cur, err := currentIssue(tx, in.PlanID); err == nil {
			return fmt.Errorf("%w as số %s on %s", ErrPlanIssued, cur.Reference, cur.IssuedOn)
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		row := planIssueRow(in)
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fmt.Errorf("%w meanwhile", ErrPlanIssued)
			}
			return err
		}
		in.ID = row.ID
		return bumpVersion(tx, in.PlanID)
	})
	if errors.Is(err, ErrPlanIssued) || errors.Is(err, ErrStale) {
		return PlanIssue{}, err
	}
	if err != nil {
		return PlanIssue{}, mapErr(err, "plan")
	}
	return in, nil
}

// currentIssue reads a plan's current issue, without its files.
func currentIssue(tx *gorm.DB, planID int64) (planIssueRow, error) {
	var r planIssueRow
	err := tx.Omit("pdf", "appendix_pdf").Where("plan_id = ? AND reopened_at IS NULL", planID).Take(&r).Error
	return r, err
}

// CurrentPlanIssue is a plan's current issue (ErrNotFound: the plan is
// not issued), with its files if withFiles.
func (s *Store) CurrentPlanIssue(ctx context.Context, planID int64, withFiles bool) (PlanIssue, error) {
	var r planIssueRow
	q := s.read(ctx).Where("plan_id = ? AND reopened_at IS NULL", planID)
	if !withFiles {
		q = q.Omit("pdf", "appendix_pdf")
	}
	if err := q.Take(&r).Error; err != nil {
		return PlanIssue{}, mapErr(err, fmt.Sprintf("issue of plan %d", planID))
	}
	return r.issue(), nil
}

// PlanIssues lists a plan's issues, the current one last, without files.
func (s *Store) PlanIssues(ctx context.Context, planID int64) ([]PlanIssue, error) {
	var rows []planIssueRow
	if err := s.read(ctx).Omit("pdf", "appendix_pdf").Where("plan_id = ?", planID).Order("id").Find(&rows).Error; err != nil {
		return nil, mapErr(err, "plan issues")
	}
	out := make([]PlanIssue, len(rows))
	for i, r := range rows {
		out[i] = r.issue()
	}
	return out, nil
}

// ReopenPlan ends a plan's current issue (kept, with who reopened it, when
// and why), so that the plan can be edited and issued again; a plan not
// issued is refused (ErrNotFound naming its issue). The plan moves to its
// next version. It returns the issue reopened.
func (s *Store) ReopenPlan(ctx context.Context, planID int64, by, reason string) (PlanIssue, error) {
	var out planIssueRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := currentIssue(s.lockRows(tx), planID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Model(&planIssueRow{}).Where("id = ? AND reopened_at IS NULL", r.ID).
			Updates(map[string]any{"reopened_by": by, "reopened_at": now, "reopen_reason": reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		r.ReopenedBy, r.ReopenedAt, r.ReopenReason = by, &now, reason
		out = r
		return bumpVersion(tx, planID)
	})
	if errors.Is(err, ErrStale) {
		return PlanIssue{}, err
	}
	if err != nil {
		return PlanIssue{}, mapErr(err, fmt.Sprintf("issue of plan %d", planID))
	}
	return out.issue(), nil
}

// bumpVersion moves a plan to its next version: issuing and reopening
// change what the plan's GET answers (its issue) and whether it may be
// edited, so a version read before is stale after.
func bumpVersion(tx *gorm.DB, planID int64) error {
	return tx.Model(&planRow{}).Where("id = ?", planID).Update("version", gorm.Expr("version + 1")).Error
}

// refuseIssued refuses, within an edit's transaction, an edit of a plan
// that has a current issue (ErrPlanIssued).
func refuseIssued(tx *gorm.DB, planID int64) error {
	cur, err := currentIssue(tx, planID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: plan %d was issued as số %s on %s; reopen it to edit what its files show", ErrPlanIssued, planID, cur.Reference, cur.IssuedOn)
}

// The doc_kind of a plan's files in signed_files and IssuedMatch: its
// document, and its appendix in a separate file (which carries the
// organisation's signature only, stamped at its top right).
const (
	planKind         = "plan"
	planAppendixKind = "plan-appendix"
)

// match is the issue as verification names it.
func (r planIssueRow) match(kind, stage string) IssuedMatch {
	return IssuedMatch{DocKind: kind, DocID: r.ID, PlanID: r.PlanID, Reference: r.Reference, Stage: stage, Reopened: r.ReopenedAt != nil}
}

// findPlanIssues finds the issued plans' documents and appendices with
// one of the SHA-256s given.
func (s *Store) findPlanIssues(ctx context.Context, sums []string) ([]IssuedMatch, error) {
	var rows []planIssueRow
	if err := s.read(ctx).Omit("pdf", "appendix_pdf").Where("pdf_sha256 IN ? OR appendix_sha256 IN ?", sums, sums).
		Order("id").Find(&rows).Error; err != nil {
		return nil, mapErr(err, "plan issues")
	}
	in := map[string]bool{}
	for _, s := range sums {
		in[s] = true
	}
	var out []IssuedMatch
	for _, r := range rows {
		if in[r.PDFSHA256] {
			out = append(out, r.match(planKind, "issued"))
		}
		if r.AppendixSHA256 != "" && in[r.AppendixSHA256] {
			out = append(out, r.match(planAppendixKind, "issued"))
		}
	}
	return out, nil
}
