package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
	"baocao/workflow"
)

// reportRef is a short account of another report: the one a report
// replaces, or its successor.
type otherReport struct {
	ID        int64  `json:"id"`
	Number    int    `json:"number,omitempty"`
	Reference string `json:"reference,omitempty"` // "01/BC-UBND"
	IssuedOn  string `json:"issued_on,omitempty"`
	Status    string `json:"status"`
}

// reportJSON is a report as the API shows it.
type reportJSON struct {
	domain.Report
	PeriodName string `json:"period_name"`
	Reference  string `json:"reference,omitempty"`
	// AsOf is the day whose data the report shows (shadows the stored
	// value, "" for a draft's default): the draft's date or its default,
	// or the issue date. AsOfDefault says a draft takes the default.
	AsOf          string           `json:"as_of"`
	AsOfDefault   bool             `json:"as_of_default"`
	LocksProgress bool             `json:"locks_progress"`
	Current       bool             `json:"current"`
	ReplacesRef   *otherReport     `json:"replaces_report,omitempty"`
	ReplacedByRef *otherReport     `json:"replaced_by_report,omitempty"`
	Note          string           `json:"note,omitempty"` // "Đã được thay thế bởi Báo cáo số 02/BC-UBND"
	Narrative     report.Narrative `json:"narrative"`
	// Drafted are the parts of a draft written from the data as of its
	// date: what the report prints where the narrative leaves a part
	// empty. Warnings are what to fix before issuing.
	Drafted  *report.Narrative `json:"drafted,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
	Links    map[string]string `json:"links"`
}

// refOf is r's short account.
func refOf(r domain.Report, plan domain.Plan) *otherReport {
	return &otherReport{ID: r.ID, Number: r.Number, Reference: reportRef(r, plan), IssuedOn: r.IssuedOn, Status: r.Status}
}

// related reads the reports r replaces and is replaced by.
func (s *Server) related(c echo.Context, plan domain.Plan, r domain.Report) (replaces, replacedBy *domain.Report, err error) {
	get := func(id int64) (*domain.Report, error) {
		if id == 0 {
			return nil, nil
		}
		o, err := s.store.GetReportByID(c.Request().Context(), plan.ID, id)
		if err != nil {
			return nil, err
		}
		return &o, nil
	}
	if replaces, err = get(r.Replaces); err != nil {
		return nil, nil, err
	}
	replacedBy, err = get(r.ReplacedBy)
	return replaces, replacedBy, err
}

// reportOut is the API's view of a report; current says it is the
// period's current report (its draft, else its issued report).
func (s *Server) reportOut(c echo.Context, plan domain.Plan, r domain.Report, current bool) (reportJSON, error) {
	p, _ := period.Parse(r.Period)
	asOf, def := workflow.ReportAsOf(plan, p, r, time.Now())
	out := reportJSON{Report: r, PeriodName: p.Name(), Reference: reportRef(r, plan), AsOf: asOf.Format(time.DateOnly),
		AsOfDefault: def, LocksProgress: r.Locks(), Current: current}
	var err error
	if out.Narrative, err = workflow.NarrativeOf(r); err != nil {
		return out, err
	}
	replaces, replacedBy, err := s.related(c, plan, r)
	if err != nil {
		return out, err
	}
	if replaces != nil {
		out.ReplacesRef = refOf(*replaces, plan)
	}
	if replacedBy != nil {
		out.ReplacedByRef = refOf(*replacedBy, plan)
		out.Note = replacedNote(*replacedBy, plan)
	}
	base := fmt.Sprintf("/api/v1/plans/%d/reports/%s", r.PlanID, r.Period)
	out.Links = map[string]string{"self": base, "history": base + "/history"}
	switch {
	case current:
		out.Links["pdf"], out.Links["xlsx"] = base+".pdf", base+".xlsx"
		if r.Status == domain.ReportDraft {
			out.Links["docx"] = base + ".docx" // a draft's working copy; an issued report has none
		}
	case r.Status != domain.ReportDraft:
		out.Links["pdf"], out.Links["xlsx"] = fmt.Sprintf("%s/history/%d.pdf", base, r.ID), fmt.Sprintf("%s/history/%d.xlsx", base, r.ID)
	}
	switch r.Status {
	case domain.ReportDraft:
		out.Links["issue"] = base + "/issue"
	case domain.ReportIssued:
		out.Links["replace"] = base + "/replace"
		if r.Locks() {
			out.Links["reopen"] = base + "/reopen"
		}
	}
	return out, nil
}

// replacedNote is what lists say of a replaced report.
func replacedNote(successor domain.Report, plan domain.Plan) string {
	if successor.Number == 0 {
		return "Đã được thay thế" // not reached: a report is replaced when its successor is issued
	}
	return "Đã được thay thế bởi Báo cáo số " + reportRef(successor, plan)
}

// pathPlan reads the plan of a path's id.
func (s *Server) pathPlan(c echo.Context) (domain.Plan, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Plan{}, err
	}
	return s.store.GetPlan(c.Request().Context(), id)
}

func (s *Server) listReports(c echo.Context) error {
	plan, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	list, err := s.store.ListReports(c.Request().Context(), plan.ID)
	if err != nil {
		return err
	}
	return s.reportList(c, plan, list)
}

// reportList answers reports with, for each, whether it is its period's
// current one.
func (s *Server) reportList(c echo.Context, plan domain.Plan, list []domain.Report) error {
	items := []reportJSON{}
	for _, r := range list {
		out, err := s.reportOut(c, plan, r, isCurrent(r, list))
		if err != nil {
			return err
		}
		items = append(items, out)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// isCurrent reports whether r is its period's current report among list
// (its draft, else its issued report).
func isCurrent(r domain.Report, list []domain.Report) bool {
	switch r.Status {
	case domain.ReportDraft:
		return true
	case domain.ReportIssued:
		for _, o := range list {
			if o.Period == r.Period && o.Status == domain.ReportDraft {
				return false
			}
		}
		return true
	}
	return false
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

// splitFormat splits "x.pdf" into "x" and "pdf" (.xlsx, .docx likewise;
// "" for none).
func splitFormat(name string) (string, string) {
	for _, ext := range []string{".pdf", ".xlsx", ".docx"} {
		if strings.HasSuffix(name, ext) {
			return strings.TrimSuffix(name, ext), ext[1:]
		}
	}
	return name, ""
}

// reportName splits "2024-Q1.pdf" into the period and the format ("" for
// the JSON record).
func reportName(c echo.Context) (period.Period, string, error) {
	name, format := splitFormat(c.Param("name"))
	p, err := period.Parse(name)
	if err != nil {
		return p, "", validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	return p, format, nil
}

// pathPeriod reads the :period of a path.
func pathPeriod(c echo.Context) (period.Period, error) {
	p, err := period.Parse(c.Param("period"))
	if err != nil {
		return p, validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	return p, nil
}

// getReport answers the period's current report's record, or its file:
// an issued report's frozen bytes, or a draft (a first one or a
// replacement) rendered now with "DỰ THẢO", as of its as-of date.
func (s *Server) getReport(c echo.Context) error {
	id, p, format, err := reportTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	plan, err := s.store.GetPlan(ctx, id)
	if err != nil {
		return err
	}
	rec, err := s.store.GetReport(ctx, id, p.Code())
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	if format == "" {
		if err != nil {
			return err
		}
		out, err := s.reportOut(c, plan, rec, true)
		if err != nil {
			return err
		}
		if workflow.StatusOf(rec) == workflow.StatusDraft {
			d, err := s.wf.Drafted(ctx, plan, p, rec)
			if err != nil {
				return err
			}
			out.Drafted, out.Warnings = &d, report.Warnings(plan.Doc)
		}
		c.Response().Header().Set("ETag", etagOf(rec.Version))
		return c.JSON(http.StatusOK, out)
	}
	if rec.Status == domain.ReportIssued {
		if format == string(workflow.FormatDOCX) {
			return noDOCX(rec, plan, p)
		}
		data, err := s.store.ReportFile(ctx, id, p.Code(), format)
		if err != nil {
			return err
		}
		if format == string(workflow.FormatPDF) {
			// Once signed, the signed file (README "Digital signatures and PDF/A").
			if data, _, err = s.signer.Current(ctx, workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: id}, data); err != nil {
				return err
			}
		}
		return sendFile(c, data, contentType(format), issuedName(rec, plan, p, format))
	}
	// A draft, or no draft yet: a preview from the data as of its date
	// (a reporter's holds its agency's texts only).
	built, err := s.wf.Preview(ctx, actorOf(c), s.renderer(c), plan, p, rec, workflow.Format(format))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("Báo cáo %s %s.%s", p.Name(), plan.Doc.Agency.Symbol, format)
	return sendFile(c, built.Files[workflow.Format(format)], contentType(format), "Dự thảo "+name)
}

// noDOCX answers the DOCX of an issued report: there is none. An issued
// report is frozen as its PDF and XLSX (workflow.Formats); the DOCX is the
// working copy of a draft, for the clerk's edits before issuing.
func noDOCX(rec domain.Report, plan domain.Plan, p period.Period) error {
	return notFound(fmt.Sprintf("report %s of %s is issued: its frozen files are .pdf and .xlsx; a DOCX is made from a draft only; file",
		reportRef(rec, plan), p.Name()))
}

func issuedName(rec domain.Report, plan domain.Plan, p period.Period, format string) string {
	return fmt.Sprintf("Báo cáo %s %s.%s", reportRef(rec, plan), p.Name(), format)
}

// reportHistory lists every report a period has had, oldest first:
// replaced ones, the issued one, a draft.
func (s *Server) reportHistory(c echo.Context) error {
	id, p, err := planPeriod(c)
	if err != nil {
		return err
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	list, err := s.store.PeriodReports(c.Request().Context(), id, p.Code())
	if err != nil {
		return err
	}
	return s.reportList(c, plan, list)
}

// reportHistoryFile answers the frozen file of any issued or replaced
// report of a period by its id: /history/7.pdf.
func (s *Server) reportHistoryFile(c echo.Context) error {
	id, p, err := planPeriod(c)
	if err != nil {
		return err
	}
	name, format := splitFormat(c.Param("file"))
	rid, err := strconv.ParseInt(name, 10, 64)
	if err != nil || rid <= 0 || format == "" {
		return validation(doc.FieldError{Field: "file", Problem: fmt.Sprintf("phải là mã báo cáo kèm .pdf hoặc .xlsx, như 7.pdf / want a report id and .pdf or .xlsx, such as 7.pdf, not %q", c.Param("file"))})
	}
	ctx := c.Request().Context()
	plan, err := s.store.GetPlan(ctx, id)
	if err != nil {
		return err
	}
	rec, err := s.store.GetReportByID(ctx, id, rid)
	if err != nil {
		return err
	}
	if rec.Period != p.Code() {
		return notFound(fmt.Sprintf("report %d of period %s", rid, p.Code()))
	}
	if rec.Status == domain.ReportDraft {
		return notFound(fmt.Sprintf("report %d is a draft: it has no frozen files (preview it at %s.%s); file", rid, p.Code(), format))
	}
	if format == string(workflow.FormatDOCX) {
		return noDOCX(rec, plan, p)
	}
	data, err := s.store.ReportFileByID(ctx, id, rid, format)
	if err != nil {
		return err
	}
	return sendFile(c, data, contentType(format), issuedName(rec, plan, p, format))
}

type draftInput struct {
	Version   int64            `json:"version,omitempty"`
	Title     string           `json:"title,omitempty"`
	Narrative report.Narrative `json:"narrative"`
	// AsOf is the day whose data the draft shows, "YYYY-MM-DD"; "" sets
	// the default back; absent keeps the stored one.
	AsOf *string `json:"as_of,omitempty"`
}

// saveReport creates or edits the period's report draft (a first draft or
// a replacement).
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
	rec, err := s.saveDraft(c, id, p, in.Title, in.Narrative, in.AsOf, v)
	if v == 0 && errors.Is(err, domain.ErrStale) {
		// A draft exists and the request sent no version: the same answer
		// as every other update without one.
		return problem(http.StatusPreconditionRequired, "version-required", "Thiếu phiên bản / Version required",
			"a draft of this report exists: send the version you read, in the body's version field or an If-Match header")
	}
	if err != nil {
		return err
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out, err := s.reportOut(c, plan, rec, true)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(rec.Version))
	status := http.StatusOK
	if v == 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, out)
}

type issueInput struct {
	Version int64  `json:"version,omitempty"`
	Date    string `json:"date,omitempty"` // YYYY-MM-DD, default today
}

// readIssue reads an issue's version (If-Match or the body's) and date
// (zero: today) — of a report or a letter.
func (s *Server) readIssue(c echo.Context) (int64, doc.Date, error) {
	var in issueInput
	if c.Request().ContentLength != 0 {
		if err := s.decodeStrict(c, &in); err != nil {
			return 0, doc.Date{}, err
		}
	}
	v, err := version(c, in.Version)
	if err != nil {
		return 0, doc.Date{}, err
	}
	var date doc.Date // zero: today
	if in.Date != "" {
		if date, err = doc.ParseDate(in.Date); err != nil || !date.Complete() {
			return 0, doc.Date{}, validation(doc.FieldError{Field: "date", Problem: "phải là một ngày YYYY-MM-DD / must be a date YYYY-MM-DD"})
		}
	}
	return v, date, nil
}

// issueReport numbers the period's draft and freezes its files.
func (s *Server) issueReport(c echo.Context) error {
	id, p, err := planPeriod(c)
	if err != nil {
		return err
	}
	v, date, err := s.readIssue(c)
	if err != nil {
		return err
	}
	issued, err := s.issue(c, id, p, v, date)
	if err != nil {
		return err
	}
	out, err := s.reportOut(c, issued.Plan, issued.Report, true)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(issued.Report.Version))
	return c.JSON(http.StatusOK, out)
}

type versionInput struct {
	Version int64 `json:"version,omitempty"`
}

// readVersion reads the version of an action's target: If-Match or an
// optional body {"version": n}.
func (s *Server) readVersion(c echo.Context) (int64, error) {
	var in versionInput
	if c.Request().ContentLength != 0 {
		if err := s.decodeStrict(c, &in); err != nil {
			return 0, err
		}
	}
	return version(c, in.Version)
}

// reopenReport opens a period locked by its issued report to progress
// again; the report stays issued.
func (s *Server) reopenReport(c echo.Context) error {
	return s.reportAction(c, s.reopen, http.StatusOK)
}

// reportAction runs a versioned action on a period's report (reopen,
// replace) and answers the report it leaves.
func (s *Server) reportAction(c echo.Context, act func(echo.Context, domain.Plan, period.Period, int64) (domain.Report, error), status int) error {
	id, p, err := planPeriod(c)
	if err != nil {
		return err
	}
	v, err := s.readVersion(c)
	if err != nil {
		return err
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	rec, err := act(c, plan, p, v)
	if err != nil {
		return err
	}
	out, err := s.reportOut(c, plan, rec, true)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(rec.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set("Location", out.Links["self"])
	}
	return c.JSON(status, out)
}

func (s *Server) reopen(c echo.Context, plan domain.Plan, p period.Period, v int64) (domain.Report, error) {
	return s.audited(c)(s.wf.Reopen(c.Request().Context(), actorOf(c), plan, p, v))
}

// replaceReport makes a draft that replaces the period's issued report.
func (s *Server) replaceReport(c echo.Context) error {
	return s.reportAction(c, s.replace, http.StatusCreated)
}

func (s *Server) replace(c echo.Context, plan domain.Plan, p period.Period, v int64) (domain.Report, error) {
	return s.audited(c)(s.wf.Replace(c.Request().Context(), actorOf(c), plan, p, v))
}

// audited records a changed report's account in the audit trail.
func (s *Server) audited(c echo.Context) func(workflow.Changed, error) (domain.Report, error) {
	return func(ch workflow.Changed, err error) (domain.Report, error) {
		if err == nil {
			c.Set(auditDetailKey, ch.Detail)
		}
		return ch.Report, err
	}
}

// lockedProblem words a refused submission: the period is locked by an
// issued report.
func lockedProblem(plan domain.Plan, le *domain.LockedError) *Problem {
	p, _ := period.Parse(le.Period)
	rp, _ := period.Parse(le.Report.Period)
	return problem(http.StatusConflict, "period-locked", "Kỳ báo cáo đã khóa / Reporting period locked",
		lockedMessage(plan, p, rp, le.Report)+" / "+le.Error())
}

// lockedMessage says in Vietnamese why a period takes no progress.
func lockedMessage(plan domain.Plan, p, rp period.Period, r domain.Report) string {
	issued := r.IssuedOn
	if t, err := time.Parse(time.DateOnly, r.IssuedOn); err == nil {
		issued = t.Format("02/01/2006")
	}
	return fmt.Sprintf("%s đã có Báo cáo số %s ngày %s (%s) ban hành: không nhận thêm báo cáo tiến độ cho kỳ này cho đến khi Văn phòng mở lại kỳ báo cáo.",
		upperFirst(p.Name()), reportRef(r, plan), issued, rp.Name())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// issue issues the period's draft of version v (workflow.Issue) and
// records its number in the audit trail.
func (s *Server) issue(c echo.Context, id int64, p period.Period, v int64, date doc.Date) (workflow.Issued, error) {
	issued, err := s.wf.Issue(c.Request().Context(), actorOf(c), s.renderer(c), workflow.IssueInput{PlanID: id, Period: p, Version: v, Date: date})
	if err == nil {
		c.Set(auditDetailKey, issued.Detail)
	}
	return issued, err
}

// renderer renders a request's reports in a render slot, within the
// render timeout: the characters replaced are named in the answer's
// warning header, each file's render is measured.
func (s *Server) renderer(c echo.Context) workflow.Renderer { return slotRenderer{s, c} }

type slotRenderer struct {
	s *Server
	c echo.Context
}

func (r slotRenderer) Render(ctx context.Context, comp *workflow.Composed, formats ...workflow.Format) (map[workflow.Format][]byte, error) {
	s, c := r.s, r.c
	s.warnReplaced(c, comp.Repaired)
	out := map[workflow.Format][]byte{}
	err := s.withRenderSlot(ctx, func(ctx context.Context) error {
		plain := workflow.Renderers{PDF: s.pdfFor(c), DOCX: s.docxFor(c), Fonts: s.cfg.Fonts}
		files := map[workflow.Format][]byte{}
		for _, f := range formats {
			start := time.Now()
			data, err := plain.One(ctx, comp, f)
			if err != nil && f == workflow.FormatPDF {
				return renderError(err)
			}
			if err != nil {
				return err
			}
			s.metrics.observe(comp.Name(), string(f), start, len(data))
			files[f] = data
		}
		for f, data := range files {
			out[f] = data
		}
		return nil
	})
	return out, err
}

// saveDraft stores a draft's title, narrative and as-of date (nil: keep
// it) as the caller (workflow.SaveDraft); version 0 creates the draft.
func (s *Server) saveDraft(c echo.Context, id int64, p period.Period, title string, nar report.Narrative, asOf *string, v int64) (domain.Report, error) {
	return s.wf.SaveDraft(c.Request().Context(), actorOf(c), workflow.DraftInput{PlanID: id, Period: p, Title: title,
		Narrative: nar, AsOf: asOf, Version: v})
}

// planPeriod reads the plan id and the period of a report route's path.
func planPeriod(c echo.Context) (int64, period.Period, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, period.Period{}, err
	}
	p, err := pathPeriod(c)
	return id, p, err
}
