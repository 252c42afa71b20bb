package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

type letterRow struct {
	ID         int64
	PlanID     int64
	Period     string
	Parts      string
	Status     string
	Number     int
	Symbol     string
	IssuedOn   string
	PDF        []byte `gorm:"column:pdf"`
	PDFSHA256  string `gorm:"column:pdf_sha256"`
	XLSX       []byte `gorm:"column:xlsx"`
	XLSXSHA256 string `gorm:"column:xlsx_sha256"`
	CreatedBy  string
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (letterRow) TableName() string { return "letters" }

func (r letterRow) letter() Letter {
	return Letter{ID: r.ID, PlanID: r.PlanID, Period: r.Period, Parts: r.Parts, Status: r.Status, Number: r.Number,
		Symbol: r.Symbol, IssuedOn: r.IssuedOn, PDFSHA256: r.PDFSHA256, XLSXSHA256: r.XLSXSHA256, CreatedBy: r.CreatedBy,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// letterColumns are read for a record without its files.
var letterColumns = []string{"id", "plan_id", "period", "parts", "status", "number", "symbol", "issued_on",
	"pdf_sha256", "xlsx_sha256", "created_by", "version", "created_at", "updated_at"}

// CreateLetter stores a new letter draft (version 1).
func (s *Store) CreateLetter(ctx context.Context, d LetterDraft) (Letter, error) {
	now := s.now()
	row := letterRow{PlanID: d.PlanID, Period: d.Period, Parts: d.Parts, Status: ReportDraft, CreatedBy: d.CreatedBy,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return Letter{}, mapErr(err, "letter")
	}
	return row.letter(), nil
}

// SaveLetter changes the parts of a draft whose version is current
// (ErrStale otherwise); an issued letter takes none (ErrIssued).
func (s *Store) SaveLetter(ctx context.Context, d LetterDraft) (Letter, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := letterByID(tx, d.PlanID, d.ID)
		if err != nil {
			return err
		}
		if cur.Status != ReportDraft {
			return fmt.Errorf("%w: letter %d is issued as number %d", ErrIssued, cur.ID, cur.Number)
		}
		return updateCurrent(tx.Model(&letterRow{}).Where("id = ? AND version = ? AND status = ?", d.ID, d.Version, ReportDraft),
			map[string]any{"parts": d.Parts, "version": gorm.Expr("version + 1"), "updated_at": s.now()})
	})
	if err != nil {
		return Letter{}, mapErr(err, "letter")
	}
	return s.GetLetter(ctx, d.PlanID, d.ID)
}

func letterByID(tx *gorm.DB, planID, id int64) (letterRow, error) {
	var r letterRow
	err := tx.Select(letterColumns).Where("id = ? AND plan_id = ?", id, planID).Take(&r).Error
	return r, err
}

// GetLetter returns one letter of a plan.
func (s *Store) GetLetter(ctx context.Context, planID, id int64) (Letter, error) {
	r, err := letterByID(s.read(ctx), planID, id)
	return r.letter(), mapErr(err, "letter")
}

// ListLetters returns a plan's letters, by period and then oldest first.
func (s *Store) ListLetters(ctx context.Context, planID int64) ([]Letter, error) {
	var rows []letterRow
	if err := s.read(ctx).Select(letterColumns).Where("plan_id = ?", planID).Order("period, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	out := make([]Letter, len(rows))
	for i, r := range rows {
		out[i] = r.letter()
	}
	return out, nil
}

// IssueLetter gives the letter draft the next number of its agency's
// numbering of its kind (issueNumbered, as reports are numbered) and
// freezes its files; the draft must still be the version rendered.
func (s *Store) IssueLetter(ctx context.Context, req LetterIssue) (Letter, error) {
	check := func(tx *gorm.DB) error {
		cur, err := letterByID(tx, req.PlanID, req.ID)
		switch {
		case err != nil:
			return err
		case cur.Status != ReportDraft:
			return fmt.Errorf("%w as number %d", ErrIssued, cur.Number)
		case cur.Version != req.Version:
			return ErrStale
		}
		return nil
	}
	// What the transaction would refuse is refused before a render.
	if err := check(s.read(ctx)); err != nil {
		return Letter{}, mapErr(err, "letter")
	}
	err := s.issueNumbered(ctx, numbered{AgencyID: req.AgencyID, Kind: req.Kind, Date: req.Date, Render: req.Render,
		Store: func(tx *gorm.DB, number int, pdf, xlsx []byte) error {
			if err := check(tx); err != nil {
				return err
			}
			set := s.frozen(number, req.Date, pdf, xlsx)
			set["symbol"] = req.Symbol
			return updateCurrent(tx.Model(&letterRow{}).Where("id = ? AND version = ? AND status = ?", req.ID, req.Version, ReportDraft), set)
		}})
	if err != nil {
		return Letter{}, mapErr(err, "letter")
	}
	return s.GetLetter(ctx, req.PlanID, req.ID)
}

// LetterFile returns an issued letter's frozen file ("pdf" or "xlsx").
func (s *Store) LetterFile(ctx context.Context, planID, id int64, format string) ([]byte, error) {
	var r letterRow
	col := map[string]string{"pdf": "pdf", "xlsx": "xlsx"}[format]
	if col == "" {
		return nil, fmt.Errorf("%w: format %q", ErrInvalid, format)
	}
	err := s.read(ctx).Select(col).Where("id = ? AND plan_id = ? AND status = ?", id, planID, ReportIssued).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("issued letter: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("issued letter: %w", err)
	}
	if format == "pdf" {
		return r.PDF, nil
	}
	return r.XLSX, nil
}
