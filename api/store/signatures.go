package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

type signedFileRow struct {
	ID         int64
	DocKind    string
	DocID      int64
	Stage      string
	PDF        []byte `gorm:"column:pdf"`
	SHA256     string `gorm:"column:sha256"`
	OverSHA256 string `gorm:"column:over_sha256"`
	Signer     string
	SignedAt   time.Time
	CreatedBy  string
	CreatedAt  time.Time
}

func (signedFileRow) TableName() string { return "signed_files" }

func (r signedFileRow) file() SignedFile { return SignedFile(r) }

// SignedFiles returns a document's signed files in the order signed
// (without their bytes unless withPDF).
func (s *Store) SignedFiles(ctx context.Context, kind string, id int64, withPDF bool) ([]SignedFile, error) {
	var rows []signedFileRow
	q := s.read(ctx).Where("doc_kind = ? AND doc_id = ?", kind, id).Order("id")
	if !withPDF {
		q = q.Omit("pdf")
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, mapErr(err, "signed files")
	}
	out := make([]SignedFile, len(rows))
	for i, r := range rows {
		out[i] = r.file()
	}
	return out, nil
}

// AddSignedFile stores a signed file of a stage, in Decree 30's order: a
// person's over nothing signed yet, the organisation's over the person's
// (whose SHA-256 f.OverSHA256 must be); else ErrOrder. Its SHA-256 and
// times are set here.
func (s *Store) AddSignedFile(ctx context.Context, f SignedFile) (SignedFile, error) {
	files, err := s.AddSignedFiles(ctx, f)
	if err != nil {
		return SignedFile{}, err
	}
	return files[0], nil
}

// AddSignedFiles stores f as AddSignedFile does and, in the same
// transaction, the files attached to it: the organisation's signature
// over f's document's separate files (a plan's appendix, stamped at its
// top right), each the only signature of its own document; f must then
// be the organisation's.
func (s *Store) AddSignedFiles(ctx context.Context, f SignedFile, attached ...SignedFile) ([]SignedFile, error) {
	if len(attached) > 0 && f.Stage != StageOrganisation {
		return nil, fmt.Errorf("%w: only the organisation's signature is applied over a document's separate files", ErrInvalid)
	}
	all := append([]SignedFile{f}, attached...)
	for i := range all {
		all[i].SHA256 = hexSHA256(all[i].PDF)
		all[i].CreatedAt = time.Now().UTC()
		all[i].SignedAt = all[i].SignedAt.UTC()
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range all {
			if err := addSignedFile(tx, &all[i], i > 0); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrOrder) || errors.Is(err, ErrInvalid) {
		return nil, err
	}
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, fmt.Errorf("signed file: %w: signed meanwhile", ErrOrder)
		}
		return nil, mapErr(err, "signed file")
	}
	return all, nil
}

// addSignedFile stores f in tx if its stage comes next in Decree 30's
// order (attached: the organisation's signature over a separate file
// of a document signed in the same transaction, its only one).
func addSignedFile(tx *gorm.DB, f *SignedFile, attached bool) error {
	var have []signedFileRow
	if err := tx.Omit("pdf").Where("doc_kind = ? AND doc_id = ?", f.DocKind, f.DocID).Order("id").Find(&have).Error; err != nil {
		return err
	}
	switch {
	case f.Stage != StagePerson && f.Stage != StageOrganisation:
		return fmt.Errorf("%w: stage %q", ErrInvalid, f.Stage)
	case attached && f.Stage == StageOrganisation && len(have) == 0:
	case attached:
		return fmt.Errorf("%w: the separate file already has the organisation's signature", ErrOrder)
	case f.Stage == StagePerson && len(have) == 0:
	case f.Stage == StageOrganisation && len(have) == 1 && have[0].Stage == StagePerson:
		if have[0].SHA256 != f.OverSHA256 {
			return fmt.Errorf("%w: the organisation's signature is not over the person's signed file", ErrOrder)
		}
	case f.Stage == StageOrganisation && len(have) == 0:
		return fmt.Errorf("%w: the organisation signs only after the competent person (Decree 30, art. 32.2)", ErrOrder)
	default:
		return fmt.Errorf("%w: the document already has the %s signature", ErrOrder, have[len(have)-1].Stage)
	}
	row := signedFileRow(*f)
	row.ID = 0
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	f.ID = row.ID
	return nil
}

// issuedKinds are the issued documents FindBySHA256 looks for, by their
// doc_kind: reports and letters, both numbered with a pdf_sha256.
var issuedKinds = []issuedKind{{"report", "reports"}, {"letter", "letters"}}

type issuedKind struct{ kind, table string }

// issuedRow is what FindBySHA256 reads of a report or a letter.
type issuedRow struct {
	ID     int64
	PlanID int64
	Period string
	Number int
	Symbol string
}

func (r issuedRow) match(kind, stage string) IssuedMatch {
	m := IssuedMatch{DocKind: kind, DocID: r.ID, PlanID: r.PlanID, Period: r.Period, Number: r.Number, Stage: stage}
	if kind == "letter" && r.Number != 0 {
		m.Reference = fmt.Sprintf("%02d/%s", r.Number, r.Symbol)
	}
	return m
}

// FindBySHA256 finds the issued reports, letters and plans (a plan's
// document or its separate appendix) and the signed files
// with one of the SHA-256s given (a signed file with its document's plan,
// period and number).
func (s *Store) FindBySHA256(ctx context.Context, sums []string) ([]IssuedMatch, error) {
	if len(sums) == 0 {
		return nil, nil
	}
	var out []IssuedMatch
	for _, k := range issuedKinds {
		var rows []issuedRow
		if err := s.read(ctx).Table(k.table).Select(k.columns()).
			Where("pdf_sha256 IN ? AND status <> ?", sums, ReportDraft).Order("id").Find(&rows).Error; err != nil {
			return nil, mapErr(err, k.table)
		}
		for _, r := range rows {
			out = append(out, r.match(k.kind, "issued"))
		}
	}
	plans, err := s.findPlanIssues(ctx, sums)
	if err != nil {
		return nil, err
	}
	out = append(out, plans...)
	var files []signedFileRow
	if err := s.read(ctx).Omit("pdf").Where("sha256 IN ?", sums).Order("id").Find(&files).Error; err != nil {
		return nil, mapErr(err, "signed files")
	}
	for _, f := range files {
		m := IssuedMatch{DocKind: f.DocKind, DocID: f.DocID, Stage: f.Stage}
		if f.DocKind == planKind || f.DocKind == planAppendixKind {
			var r planIssueRow
			if err := s.read(ctx).Omit("pdf", "appendix_pdf").Where("id = ?", f.DocID).Take(&r).Error; err == nil {
				m = r.match(f.DocKind, f.Stage)
			} else if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, mapErr(err, "plan issues")
			}
		}
		for _, k := range issuedKinds {
			if k.kind != f.DocKind {
				continue
			}
			var r issuedRow
			if err := s.read(ctx).Table(k.table).Select(k.columns()).Where("id = ?", f.DocID).Take(&r).Error; err == nil {
				m = r.match(k.kind, f.Stage)
			} else if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, mapErr(err, k.table)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// columns are the issuedRow columns of the kind's table (reports have no
// symbol: theirs comes from the plan).
func (k issuedKind) columns() []string {
	if k.kind == "letter" {
		return []string{"id", "plan_id", "period", "number", "symbol"}
	}
	return []string{"id", "plan_id", "period", "number"}
}
