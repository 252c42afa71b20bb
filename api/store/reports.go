package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"baocao/reports/period"
)

type reportRow struct {
	ID         int64
	PlanID     int64
	Period     string
	Title      string
	Narrative  string
	Status     string
	Number     int
	IssuedOn   string
	AsOf       string `gorm:"column:as_of"`
	Replaces   *int64
	ReplacedBy *int64
	ReopenedAt *time.Time
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
	out := Report{ID: r.ID, PlanID: r.PlanID, Period: r.Period, Title: r.Title, Narrative: r.Narrative, Status: r.Status,
		Number: r.Number, IssuedOn: r.IssuedOn, AsOf: r.AsOf, PDFSHA256: r.PDFSHA256, XLSXSHA256: r.XLSXSHA256, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Replaces != nil {
		out.Replaces = *r.Replaces
	}
	if r.ReplacedBy != nil {
		out.ReplacedBy = *r.ReplacedBy
	}
	if r.ReopenedAt != nil {
		t := r.ReopenedAt.UTC()
		out.ReopenedAt = &t
	}
	return out
}

// reportColumns are read for a record without its files.
var reportColumns = []string{"id", "plan_id", "period", "title", "narrative", "status", "number", "issued_on", "as_of",
	"replaces", "replaced_by", "reopened_at", "pdf_sha256", "xlsx_sha256", "version", "created_at", "updated_at"}

// currentReport reads the period's current report: its draft when there
// is one (a first draft, or the draft of a replacement), else its issued
// report.
func currentReport(tx *gorm.DB, planID int64, period string) (reportRow, error) {
	var r reportRow
	err := tx.Select(reportColumns).Where("plan_id = ? AND period = ? AND status IN ?", planID, period, []string{ReportDraft, ReportIssued}).
		Order("CASE WHEN status = 'draft' THEN 0 ELSE 1 END").Take(&r).Error
	return r, err
}

func reportWith(tx *gorm.DB, planID int64, period, status string) (reportRow, error) {
	var r reportRow
	err := tx.Select(reportColumns).Where("plan_id = ? AND period = ? AND status = ?", planID, period, status).Take(&r).Error
	return r, err
}

// GetReport returns a plan's current report for a period: its draft when
// there is one, else its issued report (replaced ones: see
// PeriodReports).
func (s *Store) GetReport(ctx context.Context, planID int64, period string) (Report, error) {
	r, err := currentReport(s.read(ctx), planID, period)
	return r.report(), mapErr(err, "report")
}

// IssuedReport returns the period's issued report (in force, even while
// a replacement is drafted).
func (s *Store) IssuedReport(ctx context.Context, planID int64, period string) (Report, error) {
	r, err := reportWith(s.read(ctx), planID, period, ReportIssued)
	return r.report(), mapErr(err, "issued report")
}

// GetReportByID returns one report of a plan, whatever its status.
func (s *Store) GetReportByID(ctx context.Context, planID, id int64) (Report, error) {
	var r reportRow
	err := s.read(ctx).Select(reportColumns).Where("id = ? AND plan_id = ?", id, planID).Take(&r).Error
	return r.report(), mapErr(err, "report")
}

// PeriodReports returns every report a plan has had for a period, oldest
// first: replaced ones, the issued one, a draft.
func (s *Store) PeriodReports(ctx context.Context, planID int64, period string) ([]Report, error) {
	return s.listReports(ctx, "plan_id = ? AND period = ?", planID, period)
}

// ListReports returns a plan's reports, replaced ones included, by
// period and then oldest first.
func (s *Store) ListReports(ctx context.Context, planID int64) ([]Report, error) {
	return s.listReports(ctx, "plan_id = ?", planID)
}

func (s *Store) listReports(ctx context.Context, where string, args ...any) ([]Report, error) {
	var rows []reportRow
	if err := s.read(ctx).Select(reportColumns).Where(where, args...).Order("period, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	// In reporting order (Quý I, Quý II, 6 tháng …), not the codes' order.
	slices.SortStableFunc(rows, func(a, b reportRow) int { return period.Order(a.Period, b.Period) })
	out := make([]Report, len(rows))
	for i, r := range rows {
		out[i] = r.report()
	}
	return out, nil
}

// SaveDraft creates a report draft (version 0) or updates one whose
// version is current, leaving its as-of date; see SaveReportDraft.
func (s *Store) SaveDraft(ctx context.Context, planID int64, period, title, narrative string, version int64) (Report, error) {
	return s.SaveReportDraft(ctx, Draft{PlanID: planID, Period: period, Title: title, Narrative: narrative, Version: version})
}

// SaveReportDraft creates a report draft (version 0) or updates the
// period's draft whose version is current. A period whose report is
// issued takes no new draft (ErrIssued): an issued report is corrected by
// replacing it (Replace).
func (s *Store) SaveReportDraft(ctx context.Context, d Draft) (Report, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := currentReport(tx, d.PlanID, d.Period)
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if d.Version != 0 {
				return ErrNotFound
			}
			now := s.now()
			row := reportRow{PlanID: d.PlanID, Period: d.Period, Title: d.Title, Narrative: d.Narrative,
				Status: ReportDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
			if d.AsOf != nil {
				row.AsOf = *d.AsOf
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			id = row.ID
			return nil
		case err != nil:
			return err
		case cur.Status == ReportIssued:
			return fmt.Errorf("%w: report %s of plan %d is issued as number %d; replace it to correct it", ErrIssued, d.Period, d.PlanID, cur.Number)
		case d.Version == 0:
			return fmt.Errorf("%w: a draft exists; send its version to change it", ErrStale)
		}
		id = cur.ID
		set := map[string]any{"title": d.Title, "narrative": d.Narrative, "version": gorm.Expr("version + 1"), "updated_at": s.now()}
		if d.AsOf != nil {
			set["as_of"] = *d.AsOf
		}
		return updateCurrent(tx.Model(&reportRow{}).Where("id = ? AND version = ? AND status = ?", cur.ID, d.Version, ReportDraft), set)
	})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReportByID(ctx, d.PlanID, id)
}

// Issue gives the period's draft the next number of its agency, kind and
// calendar year and freezes its files (issueNumbered): a failed render
// uses no number, and concurrent issues never share or skip one. Its
// as-of date becomes the issue date. A replacement draft's issue marks
// the report it replaces as replaced by it. The draft must still be the
// version rendered when the files are stored (else ErrStale).
func (s *Store) Issue(ctx context.Context, req IssueRequest) (Report, error) {
	// What the transaction would refuse is refused before a render.
	cur, err := currentReport(s.read(ctx), req.PlanID, req.Period)
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	if cur.Status == ReportIssued {
		return Report{}, fmt.Errorf("%w as number %d", ErrIssued, cur.Number)
	}
	if cur.Version != req.Version {
		return Report{}, ErrStale
	}
	err = s.issueNumbered(ctx, numbered{AgencyID: req.AgencyID, Kind: req.Kind, Date: req.Date, Render: req.Render,
		Store: func(tx *gorm.DB, number int, pdf, xlsx []byte) error {
			return s.storeIssued(tx, req, cur.ID, number, pdf, xlsx)
		}})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReportByID(ctx, req.PlanID, cur.ID)
}

// storeIssued stores the files of the draft id rendered with number, in
// issueNumbered's transaction.
func (s *Store) storeIssued(tx *gorm.DB, req IssueRequest, id int64, number int, pdf, xlsx []byte) error {
	cur, err := currentReport(tx, req.PlanID, req.Period)
	if err != nil {
		return err
	}
	if cur.Status == ReportIssued {
		return fmt.Errorf("%w as number %d", ErrIssued, cur.Number)
	}
	if cur.ID != id {
		return ErrStale
	}
	// The report replaced first: a period has one issued report.
	if cur.Replaces != nil {
		res := tx.Model(&reportRow{}).Where("id = ? AND status = ?", *cur.Replaces, ReportIssued).Updates(map[string]any{
			"status": ReportReplaced, "replaced_by": cur.ID, "version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: the report replaced (id %d) is no longer issued", ErrStale, *cur.Replaces)
		}
	}
	day := req.Date.Format(time.DateOnly)
	set := s.frozen(number, req.Date, pdf, xlsx)
	set["as_of"], set["reopened_at"] = day, nil
	// The draft rendered, unchanged since: a second issue of it, or an
	// edit made during the render, finds it stale.
	return updateCurrent(tx.Model(&reportRow{}).Where("id = ? AND version = ? AND status = ?", id, req.Version, ReportDraft), set)
}

// Reopen opens a period locked by its issued report (of version
// version) to progress again; the report stays issued, its files frozen.
func (s *Store) Reopen(ctx context.Context, planID int64, period string, version int64) (Report, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := reportWith(tx, planID, period, ReportIssued)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: period %s of plan %d has no issued report", ErrNotLocked, period, planID)
		}
		if err != nil {
			return err
		}
		if cur.ReopenedAt != nil {
			return fmt.Errorf("%w: period %s of plan %d was reopened on %s", ErrNotLocked, period, planID, cur.ReopenedAt.UTC().Format(time.RFC3339))
		}
		id = cur.ID
		return updateCurrent(tx.Model(&reportRow{}).Where("id = ? AND version = ? AND status = ? AND reopened_at IS NULL", cur.ID, version, ReportIssued),
			map[string]any{"reopened_at": s.now(), "version": gorm.Expr("version + 1"), "updated_at": s.now()})
	})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReportByID(ctx, planID, id)
}

// Replace makes a new draft for the period of an issued report (of
// version version) that replaces it (Decree 30/2020/NĐ-CP, Art. 18),
// starting from its title and narrative. The issued report stays in force
// until the draft is issued; a period has one replacement draft at most
// (ErrDuplicate).
func (s *Store) Replace(ctx context.Context, planID int64, period string, version int64) (Report, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := reportWith(tx, planID, period, ReportIssued)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: period %s of plan %d has no issued report to replace", ErrNotFound, period, planID)
		}
		if err != nil {
			return err
		}
		if old.Version != version {
			return ErrStale
		}
		if _, err := reportWith(tx, planID, period, ReportDraft); err == nil {
			return fmt.Errorf("%w: a draft replacing report number %d exists", ErrDuplicate, old.Number)
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		now := s.now()
		row := reportRow{PlanID: planID, Period: period, Title: old.Title, Narrative: old.Narrative, Status: ReportDraft,
			Replaces: &old.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return nil
	})
	if err != nil {
		return Report{}, mapErr(err, "report")
	}
	return s.GetReportByID(ctx, planID, id)
}

// ReportFile returns the frozen file ("pdf" or "xlsx") of the period's
// issued report.
func (s *Store) ReportFile(ctx context.Context, planID int64, period, format string) ([]byte, error) {
	return s.reportFile(ctx, format, "plan_id = ? AND period = ? AND status = ?", planID, period, ReportIssued)
}

// ReportFileByID returns the frozen file of an issued or replaced report.
func (s *Store) ReportFileByID(ctx context.Context, planID, id int64, format string) ([]byte, error) {
	return s.reportFile(ctx, format, "plan_id = ? AND id = ? AND status IN ?", planID, id, []string{ReportIssued, ReportReplaced})
}

func (s *Store) reportFile(ctx context.Context, format, where string, args ...any) ([]byte, error) {
	var r reportRow
	col := map[string]string{"pdf": "pdf", "xlsx": "xlsx"}[format]
	if col == "" {
		return nil, fmt.Errorf("%w: format %q", ErrInvalid, format)
	}
	if err := s.read(ctx).Select(col).Where(where, args...).Take(&r).Error; err != nil {
		return nil, mapErr(err, "issued report")
	}
	if format == "pdf" {
		return r.PDF, nil
	}
	return r.XLSX, nil
}

// PeriodLock returns the issued report that locks progress for period p
// of a plan (p's or a covering period's, not reopened), or nil.
func (s *Store) PeriodLock(ctx context.Context, planID int64, p period.Period) (*Report, error) {
	return s.periodLock(s.read(ctx), planID, p)
}

func (s *Store) periodLock(tx *gorm.DB, planID int64, p period.Period) (*Report, error) {
	var codes []string
	for _, q := range p.Covering() {
		codes = append(codes, q.Code())
	}
	q := tx.Select(reportColumns).Where("plan_id = ? AND period IN ? AND status IN ?", planID, codes, []string{ReportDraft, ReportIssued})
	if !s.Embedded() {
		// Wait for an issue of one of these reports in flight (it holds its
		// draft's row), so that no submission slips in beside it.
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	var rows []reportRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("period lock: %w", err)
	}
	for _, r := range rows {
		if rep := r.report(); rep.Locks() {
			return &rep, nil
		}
	}
	return nil, nil
}

// updateCurrent applies set to the row q selects by its id and the
// version (and state) the caller read; no row means someone changed it
// first: ErrStale.
func updateCurrent(q *gorm.DB, set map[string]any) error {
	res := q.Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	return nil
}
