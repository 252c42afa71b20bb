package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrIssued: the report is issued and frozen; it cannot change.
var ErrIssued = errors.New("already issued")

// Report is a periodic report's record: a draft, or an issued report with
// its frozen files.
type Report struct {
	ID         int64     `json:"id"`
	PlanID     int64     `json:"plan_id"`
	Period     string    `json:"period"`
	Title      string    `json:"title,omitempty"`
	Narrative  string    `json:"-"` // JSON, see report.Narrative
	Status     string    `json:"status"`
	Number     int       `json:"number,omitempty"`
	IssuedOn   string    `json:"issued_on,omitempty"`
	PDFSHA256  string    `json:"pdf_sha256,omitempty"`
	XLSXSHA256 string    `json:"xlsx_sha256,omitempty"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type reportRow struct {
	ID         int64
	PlanID     int64
	Period     string
	Title      string
	Narrative  string
	Status     string
	Number     int
	IssuedOn   string
	PDF        []byte `gorm:"column:pdf"`
	PDFSHA256  string `gorm:"column:pdf_sha256"`
	XLSX       []byte `gorm:"column:xlsx"`
	XLSXSHA256 string `gorm:"column:xlsx_sha256"`
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (reportRow) TableName() string { return "reports" }

func (r reportRow) report() Report {
	return Report{ID: r.ID, PlanID: r.PlanID, Period: r.Period, Title: r.Title, Narrative: r.Narrative, Status: r.Status,
		Number: r.Number, IssuedOn: r.IssuedOn, PDFSHA256: r.PDFSHA256, XLSXSHA256: r.XLSXSHA256, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// reportColumns are read for a record without its files.
var reportColumns = []string{"id", "plan_id", "period", "title", "narrative", "status", "number", "issued_on",
	"pdf_sha256", "xlsx_sha256", "version", "created_at", "updated_at"}

// GetReport returns a plan's report for a period.
func (s *Store) GetReport(ctx context.Context, planID int64, period string) (Report, error) {
	var r reportRow
	err := s.db.WithContext(ctx).Select(reportColumns).Where("plan_id = ? AND period = ?", planID, period).Take(&r).Error
	return r.report(), mapErr(err, "report")
}

// ListReports returns a plan's reports.
func (s *Store) ListReports(ctx context.Context, planID int64) ([]Report, error) {
	var rows []reportRow
	if err := s.db.WithContext(ctx).Select(reportColumns).Where("plan_id = ?", planID).Order("period").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	out := make([]Report, len(rows))
	for i, r := range rows {
		out[i] = r.report()
	}
	return out, nil
}

// SaveDraft creates a report draft (version 0) or updates one whose
// version is current; an issued report is refused with ErrIssued.
func (s *Store) SaveDraft(ctx context.Context, planID int64, period, title, narrative string, version int64) (Report, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur reportRow
		err := tx.Select(reportColumns).Where("plan_id = ? AND period = ?", planID, period).Take(&cur).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if version != 0 {
				return ErrNotFound
			}
			now := s.now()
			return tx.Create(&reportRow{PlanID: planID, Period: period, Title: title, Narrative: narrative,
				Status: "draft", Version: 1, CreatedAt: now, UpdatedAt: now}).Error
		case err != nil:
			return err
		case cur.Status == "issued":
			return fmt.Errorf("%w: report %s of plan %d is issued as number %d", ErrIssued, period, planID, cur.Number)
		case version == 0:
			return fmt.Errorf("%w: a draft exists; send its version to change it", ErrStale)
		}
		res := tx.Model(&reportRow{}).Where("id = ? AND version = ? AND status = 'draft'", cur.ID, version).Updates(map[string]any{
			"title": title, "narrative": narrative, "version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return nil
	})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReport(ctx, planID, period)
}

// IssueRequest says how to issue a report.
type IssueRequest struct {
	PlanID   int64
	Period   string
	Version  int64
	AgencyID int64 // the issuing agency, whose numbering is used
	Kind     string
	Date     time.Time
	// Render makes the frozen files with the number given.
	Render func(number int) (pdf, xlsx []byte, err error)
}

// Issue gives a draft the next number of its agency, kind and calendar
// year and freezes its files, in one transaction: a failed render uses no
// number, and concurrent issues never share or skip one.
func (s *Store) Issue(ctx context.Context, req IssueRequest) (Report, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur reportRow
		if err := tx.Select(reportColumns).Where("plan_id = ? AND period = ?", req.PlanID, req.Period).Take(&cur).Error; err != nil {
			return err
		}
		if cur.Status == "issued" {
			return fmt.Errorf("%w as number %d", ErrIssued, cur.Number)
		}
		// Claim the draft first: a second issue of it waits here and then
		// finds it stale.
		res := tx.Model(&reportRow{}).Where("id = ? AND version = ? AND status = 'draft'", cur.ID, req.Version).
			Updates(map[string]any{"status": "issued", "version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		year := req.Date.Year()
		row := map[string]any{"agency_id": req.AgencyID, "kind": req.Kind, "year": year, "last": 1}
		var last int
		if err := tx.Table("doc_numbers").Clauses(
			clause.OnConflict{Columns: []clause.Column{{Name: "agency_id"}, {Name: "kind"}, {Name: "year"}},
				DoUpdates: clause.Assignments(map[string]any{"last": gorm.Expr("doc_numbers.last + 1")})},
		).Create(row).Error; err != nil {
			return fmt.Errorf("number: %w", err)
		}
		if err := tx.Table("doc_numbers").Select("last").Where("agency_id = ? AND kind = ? AND year = ?", req.AgencyID, req.Kind, year).
			Scan(&last).Error; err != nil {
			return fmt.Errorf("number: %w", err)
		}
		pdf, xlsx, err := req.Render(last)
		if err != nil {
			return fmt.Errorf("render the issued report: %w", err)
		}
		ps, xs := sha256.Sum256(pdf), sha256.Sum256(xlsx)
		return tx.Model(&reportRow{}).Where("id = ?", cur.ID).Updates(map[string]any{
			"number": last, "issued_on": req.Date.Format(time.DateOnly), "pdf": pdf, "pdf_sha256": hex.EncodeToString(ps[:]),
			"xlsx": xlsx, "xlsx_sha256": hex.EncodeToString(xs[:])}).Error
	})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReport(ctx, req.PlanID, req.Period)
}

// ReportFile returns an issued report's frozen file ("pdf" or "xlsx").
func (s *Store) ReportFile(ctx context.Context, planID int64, period, format string) ([]byte, error) {
	var r reportRow
	col := map[string]string{"pdf": "pdf", "xlsx": "xlsx"}[format]
	if col == "" {
		return nil, fmt.Errorf("%w: format %q", ErrInvalid, format)
	}
	if err := s.db.WithContext(ctx).Select(col).Where("plan_id = ? AND period = ? AND status = 'issued'", planID, period).Take(&r).Error; err != nil {
		return nil, mapErr(err, "issued report")
	}
	if format == "pdf" {
		return r.PDF, nil
	}
	return r.XLSX, nil
}
