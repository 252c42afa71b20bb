package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/report"
	"baocao/reports/xlsx"
)

// reportJSON is a report as the API shows it.
type reportJSON struct {
	store.Report
	PeriodName string            `json:"period_name"`
	Narrative  report.Narrative  `json:"narrative"`
	Links      map[string]string `json:"links"`
}

func reportOut(r store.Report, p period.Period) reportJSON {
	out := reportJSON{Report: r, PeriodName: p.Name()}
	_ = json.Unmarshal([]byte(r.Narrative), &out.Narrative)
	base := fmt.Sprintf("/api/v1/plans/%d/reports/%s", r.PlanID, r.Period)
	out.Links = map[string]string{"self": base, "pdf": base + ".pdf", "xlsx": base + ".xlsx", "issue": base + "/issue"}
	return out
}

func (s *Server) listReports(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.GetPlan(c.Request().Context(), id); err != nil {
		return err
	}
	list, err := s.store.ListReports(c.Request().Context(), id)
	if err != nil {
		return err
	}
	items := []reportJSON{}
	for _, r := range list {
		p, _ := period.Parse(r.Period)
		items = append(items, reportOut(r, p))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// reportTarget reads the plan id and the report name of the path.
func reportTarget(c echo.Context) (int64, period.Period, string, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, period.Period{}, "", err
	}
	p, format, err := reportName(c)
	return id, p, format, err
}

// reportName splits "2024-Q1.pdf" into the period and the format ("" for
// the JSON record).
func reportName(c echo.Context) (period.Period, string, error) {
	name := c.Param("name")
	format := ""
	for _, ext := range []string{".pdf", ".xlsx"} {
		if strings.HasSuffix(name, ext) {
			name, format = strings.TrimSuffix(name, ext), ext[1:]
		}
	}
	p, err := period.Parse(name)
	if err != nil {
		return p, "", validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	return p, format, nil
}

// getReport answers the draft or issued report's record, or its file: an
// issued report's frozen bytes, or a draft rendered now with "DỰ THẢO".
func (s *Server) getReport(c echo.Context) error {
	id, p, format, err := reportTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rec, err := s.store.GetReport(ctx, id, p.Code())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if format == "" {
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etagOf(rec.Version))
		return c.JSON(http.StatusOK, reportOut(rec, p))
	}
	plan, gerr := s.store.GetPlan(ctx, id)
	if gerr != nil {
		return gerr
	}
	name := fmt.Sprintf("Báo cáo %s %s.%s", p.Name(), plan.Doc.Agency.Symbol, format)
	if rec.Status == "issued" {
		data, err := s.store.ReportFile(ctx, id, p.Code(), format)
		if err != nil {
			return err
		}
		name = fmt.Sprintf("Báo cáo %02d/BC-%s %s.%s", rec.Number, plan.Doc.Agency.Symbol, p.Name(), format)
		return sendFile(c, data, contentType(format), name)
	}
	// A draft, or no draft yet: a preview from the data as they are now.
	var nar report.Narrative
	_ = json.Unmarshal([]byte(rec.Narrative), &nar)
	board, asOf, err := s.reportBoard(c, plan, p, doc.Date{})
	if err != nil {
		return err
	}
	data, err := s.renderReport(c, plan, p, board, asOf, rec.Title, nar, 0, doc.Date{Year: asOf.Year()})
	if err != nil {
		return err
	}
	return sendFile(c, data[format], contentType(format), "Dự thảo "+name)
}

func contentType(format string) string {
	if format == "xlsx" {
		return typeXLSX
	}
	return typePDF
}

// reportBoard aggregates a plan's progress for a report: as of the
// report's date when it has one, else today.
func (s *Server) reportBoard(c echo.Context, plan store.Plan, p period.Period, date doc.Date) (*progress.Board, time.Time, error) {
	subs, err := s.store.Submissions(c.Request().Context(), plan.ID, periodCodes(p)...)
	if err != nil {
		return nil, time.Time{}, err
	}
	asOf := time.Now().In(period.Vietnam)
	if date.Complete() {
		asOf = date.Time()
	}
	return progress.Build(plan.Doc, p, toProgress(subs), asOf), asOf, nil
}

// renderReport renders a report in both formats; it reads nothing from
// the database, so that issuing can call it inside its transaction.
func (s *Server) renderReport(c echo.Context, plan store.Plan, p period.Period, board *progress.Board, asOf time.Time,
	title string, nar report.Narrative, number int, date doc.Date) (map[string][]byte, error) {
	rd, tables, err := report.Build(s.templates, report.Input{Plan: plan.Doc, Period: p, Board: board, Narrative: nar,
		Title: title, Number: number, Date: date, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	err = s.withRenderSlot(c.Request().Context(), func() error {
		start := time.Now()
		pdf, err := s.pdfFor(c).Report(rd, tables)
		if err != nil {
			return renderError(err)
		}
		s.metrics.observe("report", "pdf", start, len(pdf))
		start = time.Now()
		x, err := xlsx.Report(board, xlsx.ReportInfo{Title: "Báo cáo " + rd.Title, Attached: rd.AttachedLine(),
			Created: created(date), FontName: s.cfg.Fonts.SpreadsheetName()})
		if err != nil {
			return err
		}
		s.metrics.observe("report", "xlsx", start, len(x))
		out["pdf"], out["xlsx"] = pdf, x
		return nil
	})
	return out, err
}

func created(d doc.Date) time.Time {
	if d.Complete() {
		return d.Time()
	}
	return time.Date(max(d.Year, 2000), 1, 1, 0, 0, 0, 0, time.UTC)
}

type draftInput struct {
	Version   int64            `json:"version,omitempty"`
	Title     string           `json:"title,omitempty"`
	Narrative report.Narrative `json:"narrative"`
}

// saveReport creates or edits a report draft.
func (s *Server) saveReport(c echo.Context) error {
	id, p, format, err := reportTarget(c)
	if err != nil {
		return err
	}
	if format != "" {
		return problem(http.StatusMethodNotAllowed, "method-not-allowed", "Phương thức không được hỗ trợ / Method not allowed", "files are read-only")
	}
	var in draftInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	v := in.Version
	if h := c.Request().Header.Get("If-Match"); h != "" {
		if v, err = version(c, in.Version); err != nil {
			return err
		}
	}
	rec, err := s.saveDraft(c, id, p, in.Title, in.Narrative, v)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(rec.Version))
	status := http.StatusOK
	if v == 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, reportOut(rec, p))
}

// saveDraft normalises and stores a draft's title and narrative; version
// 0 creates the draft.
func (s *Server) saveDraft(c echo.Context, id int64, p period.Period, title string, nar report.Narrative, v int64) (store.Report, error) {
	fields := []struct {
		name string
		v    *string
	}{{"title", &title}, {"narrative.assessment", &nar.Assessment}, {"narrative.shortcomings", &nar.Shortcomings},
		{"narrative.causes", &nar.Causes}, {"narrative.directions", &nar.Directions}, {"narrative.proposals", &nar.Proposals}}
	var errs []doc.FieldError
	for _, f := range fields {
		errs = append(errs, s.cleanTexts(textField{f.name, f.v})...) // the text rule: textdoor.go
		if len([]rune(*f.v)) > 50000 {
			errs = append(errs, doc.FieldError{Field: f.name, Problem: "is longer than 50000 characters"})
		}
	}
	if len(errs) > 0 {
		return store.Report{}, validation(errs...)
	}
	if _, err := s.store.GetPlan(c.Request().Context(), id); err != nil {
		return store.Report{}, err
	}
	data, _ := json.Marshal(nar)
	return s.store.SaveDraft(c.Request().Context(), id, p.Code(), title, string(data), v)
}

type issueInput struct {
	Version int64  `json:"version,omitempty"`
	Date    string `json:"date,omitempty"` // YYYY-MM-DD, default today
}

// issueReport numbers a draft and freezes its files.
func (s *Server) issueReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := period.Parse(c.Param("period"))
	if err != nil {
		return validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	var in issueInput
	if c.Request().ContentLength != 0 {
		if err := s.decodeStrict(c, &in); err != nil {
			return err
		}
	}
	v, err := version(c, in.Version)
	if err != nil {
		return err
	}
	day := time.Now().In(period.Vietnam)
	date := doc.Date{Year: day.Year(), Month: int(day.Month()), Day: day.Day()}
	if in.Date != "" {
		if date, err = doc.ParseDate(in.Date); err != nil || !date.Complete() {
			return validation(doc.FieldError{Field: "date", Problem: "must be a date YYYY-MM-DD"})
		}
	}
	issued, err := s.issue(c, id, p, v, date)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(issued.Version))
	return c.JSON(http.StatusOK, reportOut(issued, p))
}

// issue numbers a draft of version v and freezes its files, rendered as of
// the issue date.
func (s *Server) issue(c echo.Context, id int64, p period.Period, v int64, date doc.Date) (store.Report, error) {
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return store.Report{}, err
	}
	rec, err := s.store.GetReport(c.Request().Context(), id, p.Code())
	if err != nil {
		return store.Report{}, err
	}
	var nar report.Narrative
	_ = json.Unmarshal([]byte(rec.Narrative), &nar)
	board, asOf, err := s.reportBoard(c, plan, p, date)
	if err != nil {
		return store.Report{}, err
	}
	issued, err := s.store.Issue(c.Request().Context(), store.IssueRequest{
		PlanID: id, Period: p.Code(), Version: v, AgencyID: plan.AgencyID, Kind: "BC", Date: date.Time(),
		Render: func(number int) ([]byte, []byte, error) {
			files, err := s.renderReport(c, plan, p, board, asOf, rec.Title, nar, number, date)
			if err != nil {
				return nil, nil, err
			}
			return files["pdf"], files["xlsx"], nil
		},
	})
	if err == nil {
		c.Set(auditDetailKey, fmt.Sprintf("số %02d/BC-%s", issued.Number, plan.Doc.Agency.Symbol))
	}
	return issued, err
}
