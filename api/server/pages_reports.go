package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
	textrule "baocao/reports/text"
	"baocao/reports/vn"
	"baocao/workflow"
)

type draftField struct {
	Name, Label, Placeholder, Value, Error string
	// Drafted is the text written from the data that an empty field
	// stands for.
	Drafted string
}

// draftFields are the parts of a report the secretariat writes or, left
// empty, takes as drafted from the data; Kính gửi and Nơi nhận one per line.
func draftFields(title string, n report.Narrative) []draftField {
	auto := "Để trống: dùng bản lập tự động từ số liệu (xem bên dưới)."
	return []draftField{
		{Name: "title", Label: "Tiêu đề báo cáo", Placeholder: "Để trống: “Kết quả thực hiện …” theo tên kế hoạch", Value: title},
		{Name: "addressees", Label: "Kính gửi (mỗi dòng một cơ quan)", Placeholder: "Để trống: cơ quan cấp trên theo Kế hoạch.", Value: strings.Join(n.Addressees, "\n")},
		{Name: "assessment", Label: "Đánh giá chung", Value: n.Assessment},
		{Name: "results", Label: "Kết quả thực hiện các nhiệm vụ", Placeholder: auto, Value: n.Results},
		{Name: "shortcomings", Label: "Tồn tại, hạn chế", Placeholder: auto, Value: n.Shortcomings},
		{Name: "causes", Label: "Nguyên nhân", Placeholder: auto, Value: n.Causes},
		{Name: "directions", Label: "Nhiệm vụ, phương hướng kỳ tới", Placeholder: auto, Value: n.Directions},
		{Name: "proposals", Label: "Đề xuất, kiến nghị", Placeholder: auto, Value: n.Proposals},
		{Name: "recipients", Label: "Nơi nhận (mỗi dòng một nơi, không kể “Lưu”)", Placeholder: "Để trống: “Như trên”.", Value: strings.Join(n.Recipients, "\n")},
	}
}

// withDrafted fills in each field's drafted text.
func withDrafted(fields []draftField, d report.Narrative) []draftField {
	by := map[string]string{"results": d.Results, "shortcomings": d.Shortcomings, "causes": d.Causes,
		"directions": d.Directions, "proposals": d.Proposals}
	for i := range fields {
		fields[i].Drafted = by[fields[i].Name]
	}
	return fields
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) reportTargetPage(c echo.Context) (domain.Plan, period.Period, domain.Report, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Plan{}, period.Period{}, domain.Report{}, err
	}
	p, err := period.Parse(c.Param("period"))
	if err != nil {
		return domain.Plan{}, p, domain.Report{}, validation(doc.FieldError{Field: "period", Problem: "kỳ báo cáo không hợp lệ, ví dụ 2024-Q1 / " + err.Error()})
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return plan, p, domain.Report{}, err
	}
	rec, err := s.store.GetReport(c.Request().Context(), id, p.Code())
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return plan, p, rec, err
	}
	return plan, p, rec, nil
}

func (s *Server) reportPage(c echo.Context) error {
	_, _, _, show, err := s.reportOnPage(c)
	if err != nil {
		return err
	}
	return show(http.StatusOK, reportForm{}, "")
}

// reportOnPage reads the page's plan, period and report, and how to show
// the page again (with its stored text, a form's state and an alert).
func (s *Server) reportOnPage(c echo.Context) (domain.Plan, period.Period, domain.Report, func(int, reportForm, string) error, error) {
	plan, p, rec, err := s.reportTargetPage(c)
	if err != nil {
		return plan, p, rec, nil, err
	}
	nar, err := workflow.NarrativeOf(rec)
	if err != nil {
		return plan, p, rec, nil, err
	}
	return plan, p, rec, func(status int, form reportForm, alert string) error {
		return s.showReport(c, status, plan, p, rec, draftFields(rec.Title, nar), form, alert)
	}, nil
}

// reportForm is what the report page's forms hold besides the
// narrative: the as-of date typed and the errors of the dates.
type reportForm struct {
	AsOf, AsOfError, Date, DateError string
	// SignError is why the signed file uploaded was refused.
	SignError string
}

// isoDate turns a date typed dd/mm/yyyy (or yyyy-mm-dd) into yyyy-mm-dd;
// "" stays ""; bad reports a text that is no day.
func isoDate(v string) (iso string, bad bool) {
	if strings.TrimSpace(v) == "" {
		return "", false
	}
	t, err := vn.ParseDate(v)
	if err != nil {
		return "", true
	}
	return t.Format(time.DateOnly), false
}

func (s *Server) showReport(c echo.Context, status int, plan domain.Plan, p period.Period, rec domain.Report,
	fields []draftField, form reportForm, alert string, confirmErr ...string) error {
	nar, err := workflow.NarrativeOf(rec)
	if err != nil {
		return err
	}
	subs, err := s.store.Submissions(c.Request().Context(), plan.ID, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	warn := s.warningVI(s.wouldReplace(plan.Doc, &nar, subs))
	asOf, def := workflow.ReportAsOf(plan, p, rec, time.Now())
	if workflow.StatusOf(rec) != workflow.StatusIssued {
		d, err := s.wf.Drafted(c.Request().Context(), plan, p, rec)
		if err != nil {
			return err
		}
		fields = withDrafted(fields, d)
	}
	if form.AsOf == "" && form.AsOfError == "" && rec.Status == domain.ReportDraft {
		form.AsOf = dmyOf(rec.AsOf)
	}
	if form.Date == "" {
		form.Date = time.Now().In(period.Vietnam).Format(vn.DateLayout)
	}
	data := map[string]any{"PlanID": plan.ID, "PlanRef": reference(plan), "Period": p.Code(), "PeriodName": p.Name(),
		"Issued": rec.Status == domain.ReportIssued, "Reference": reportRef(rec, plan), "IssuedOn": dmyOf(rec.IssuedOn), "Version": rec.Version,
		"Fields": fields, "DateError": form.DateError, "ConfirmError": strings.Join(confirmErr, ""),
		"Today": form.Date,
		"AsOf":  form.AsOf, "AsOfError": form.AsOfError, "AsOfShown": asOf.Format("02/01/2006"), "AsOfDefault": def,
		"DefaultAsOf": period.DefaultAsOf(p, plan.Doc.ReportDueDay, time.Now()).Format("02/01/2006"),
		"CutOff":      p.CutOff(plan.Doc.ReportDueDay).Format("02/01/2006"),
		"Locks":       rec.Locks(), "Reopened": rec.ReopenedAt != nil, "Warnings": report.Warnings(plan.Doc)}
	if rec.ReopenedAt != nil {
		data["ReopenedAt"] = rec.ReopenedAt.In(period.Vietnam).Format("02/01/2006 15:04")
	}
	if rec.Status == domain.ReportIssued {
		base := fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code())
		if data["Signing"], err = s.signingData(c, workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: plan.ID}, base, form.SignError); err != nil {
			return err
		}
	}
	if rec.Replaces != 0 {
		if old, err := s.store.GetReportByID(c.Request().Context(), plan.ID, rec.Replaces); err == nil {
			data["Replaces"] = map[string]any{"Reference": reportRef(old, plan), "IssuedOn": dmyOf(old.IssuedOn), "Status": old.Status, "ID": old.ID}
		}
	}
	// The period's earlier reports, replaced ones and one in force beside a
	// replacement draft.
	if rec.ID != 0 {
		all, err := s.store.PeriodReports(c.Request().Context(), plan.ID, p.Code())
		if err != nil {
			return err
		}
		var earlier []map[string]any
		for _, r := range all {
			if r.ID == rec.ID || r.Status == domain.ReportDraft {
				continue
			}
			note := "Đang có hiệu lực"
			if r.Status == domain.ReportReplaced {
				if succ, err := s.store.GetReportByID(c.Request().Context(), plan.ID, r.ReplacedBy); err == nil {
					note = replacedNote(succ, plan)
				}
			}
			earlier = append(earlier, map[string]any{"ID": r.ID, "Reference": reportRef(r, plan), "IssuedOn": dmyOf(r.IssuedOn), "Note": note})
		}
		data["Earlier"] = earlier
	}
	return s.page(c, status, "report", "Báo cáo "+p.Name(), view{Alert: alert, Warning: warn, Data: data})
}

// dmyOf writes a stored date "2024-03-20" as "20/03/2024".
func dmyOf(v string) string {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format("02/01/2006")
	}
	return v
}

// vietnamesePart is the Vietnamese half of a "vi / en" message.
func vietnamesePart(msg string) string {
	vi, _, _ := strings.Cut(msg, " / ")
	return upperFirst(vi) + "."
}

// formVersion reads the version a form was made from (0: none yet).
func formVersion(c echo.Context) int64 {
	v, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	return max(v, 0)
}

// alertFor words a store error for a report form, or returns "" when the
// error is not the user's to fix.
func alertFor(err error) string {
	switch {
	case errors.Is(err, domain.ErrStale):
		return "Dự thảo vừa được người khác sửa. Nội dung bạn nhập vẫn ở dưới; hãy tải lại trang để xem bản mới rồi nhập lại."
	case errors.Is(err, domain.ErrIssued):
		return "Báo cáo đã ban hành, không sửa được; muốn đính chính, hãy lập báo cáo thay thế."
	case errors.Is(err, domain.ErrNotFound):
		return "Chưa có dự thảo: hãy lưu dự thảo trước khi ban hành."
	case errors.Is(err, domain.ErrNotLocked):
		return "Kỳ báo cáo không bị khóa (chưa có báo cáo ban hành, hoặc đã được mở lại)."
	case errors.Is(err, domain.ErrDuplicate):
		return "Đã có dự thảo thay thế cho báo cáo này."
	}
	return ""
}

// draftForm is what the report page's draft form holds: the title, the
// narrative, the as-of date as typed and, read back, as yyyy-mm-dd.
type draftForm struct {
	title  string
	nar    report.Narrative
	fields []draftField
	form   reportForm
	asOf   string
}

// readDraftForm reads the draft form; a date that is no day is marked on
// its field (ok false).
func readDraftForm(c echo.Context) (d draftForm, ok bool) {
	d.nar = report.Narrative{Assessment: c.FormValue("assessment"), Results: c.FormValue("results"),
		Shortcomings: c.FormValue("shortcomings"), Causes: c.FormValue("causes"), Directions: c.FormValue("directions"),
		Proposals: c.FormValue("proposals"), Addressees: lines(c.FormValue("addressees")), Recipients: lines(c.FormValue("recipients"))}
	d.title = c.FormValue("title")
	d.fields = draftFields(d.title, d.nar)
	d.form = reportForm{AsOf: strings.TrimSpace(c.FormValue("as_of"))}
	asOf, bad := isoDate(d.form.AsOf)
	if bad {
		d.form.AsOfError = "Ngày lấy số liệu phải có dạng ngày/tháng/năm, ví dụ 15/03/2024."
	}
	d.asOf = asOf
	return d, !bad
}

// markErrors puts a refused draft's field errors, in Vietnamese, beside
// their fields; it reports whether pe was such a refusal.
func (d *draftForm) markErrors(pe *Problem) bool {
	if pe == nil || pe.Status != http.StatusUnprocessableEntity {
		return false
	}
	for _, fe := range pe.Errors {
		if fe.Field == "as_of" {
			d.form.AsOfError = vietnamesePart(fe.Problem)
		}
		for i := range d.fields {
			if strings.TrimPrefix(fe.Field, "narrative.") == d.fields[i].Name && d.fields[i].Error == "" {
				d.fields[i].Error = "Nội dung dài quá 50.000 ký tự."
				if r, ok := runeOf(fe); ok {
					d.fields[i].Error = textrule.ProblemVI(r)
				}
			}
		}
	}
	return true
}

func (s *Server) reportPost(c echo.Context) error {
	plan, p, rec, err := s.reportTargetPage(c)
	if err != nil {
		return err
	}
	const refused = "Dự thảo chưa được lưu: hãy sửa các ô được đánh dấu."
	d, ok := readDraftForm(c)
	if !ok {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, d.fields, d.form, refused)
	}
	_, err = s.saveDraft(c, plan.ID, p, d.title, d.nar, &d.asOf, formVersion(c))
	switch {
	case d.markErrors(answerOf(err)):
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, d.fields, d.form, refused)
	case alertFor(err) != "":
		return s.showReport(c, http.StatusConflict, plan, p, rec, d.fields, d.form, alertFor(err))
	case err != nil:
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()), "Đã lưu dự thảo báo cáo.")
}

// reportPreviewPost renders what is in the boxes of the report page as a
// PDF (or, with do=xlsx, a workbook), without saving it.
func (s *Server) reportPreviewPost(c echo.Context) error {
	plan, p, rec, err := s.reportTargetPage(c)
	if err != nil {
		return err
	}
	const refused = "Chưa xem trước được: hãy sửa các ô được đánh dấu."
	d, ok := readDraftForm(c)
	if !ok {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, d.fields, d.form, refused)
	}
	built, err := s.wf.PreviewDraft(c.Request().Context(), actorOf(c), s.renderer(c), plan, rec,
		workflow.DraftInput{PlanID: plan.ID, Period: p, Title: d.title, Narrative: d.nar, AsOf: &d.asOf})
	if d.markErrors(answerOf(err)) {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, d.fields, d.form, refused)
	}
	if err != nil {
		return err
	}
	format := workflow.FormatPDF
	if c.FormValue("do") == "xlsx" {
		format = workflow.FormatXLSX
	}
	name := fmt.Sprintf("Xem trước báo cáo %s %s.%s", p.Name(), plan.Doc.Agency.Symbol, format)
	return sendFile(c, built.Files[format], contentType(string(format)), name)
}

func (s *Server) reportIssuePost(c echo.Context) error {
	plan, p, rec, err := s.reportTargetPage(c)
	if err != nil {
		return err
	}
	nar, err := workflow.NarrativeOf(rec)
	if err != nil {
		return err
	}
	fields := draftFields(rec.Title, nar)
	if c.FormValue("confirm") != "yes" {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, fields, reportForm{}, "Báo cáo chưa được ban hành.",
			"Hãy đánh dấu ô xác nhận ban hành.")
	}
	day, derr := vn.ParseDate(c.FormValue("date"))
	if derr != nil {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, fields,
			reportForm{DateError: "Ngày ban hành phải có dạng ngày/tháng/năm, ví dụ 20/03/2024.", Date: c.FormValue("date")}, "Báo cáo chưa được ban hành.")
	}
	date := doc.Date{Year: day.Year(), Month: int(day.Month()), Day: day.Day()}
	version := formVersion(c)
	if rec.ID == 0 && version == 0 {
		// Issuing from a first visit: the report as drafted from the data,
		// with nothing of the secretariat's own.
		draft, err := s.saveDraft(c, plan.ID, p, "", report.Narrative{}, nil, 0)
		if msg := alertFor(err); msg != "" {
			return s.showReport(c, http.StatusConflict, plan, p, rec, fields, reportForm{}, msg)
		}
		if err != nil {
			return err
		}
		version = draft.Version
	}
	issued, err := s.issue(c, plan.ID, p, version, date)
	if pe := answerOf(err); pe != nil && pe.Status == http.StatusUnprocessableEntity && len(pe.Errors) > 0 {
		return s.showReport(c, http.StatusUnprocessableEntity, plan, p, rec, fields,
			reportForm{DateError: vietnamesePart(pe.Errors[0].Problem), Date: c.FormValue("date")}, "Báo cáo chưa được ban hành.")
	}
	if msg := alertFor(err); msg != "" {
		return s.showReport(c, http.StatusConflict, plan, p, rec, fields, reportForm{}, msg)
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()),
		fmt.Sprintf("Đã ban hành báo cáo số %s.", reportRef(issued.Report, plan)))
}

// reportReopenPost reopens a period locked by its issued report.
func (s *Server) reportReopenPost(c echo.Context) error {
	return s.issuedReportAction(c, s.reopen, "Kỳ báo cáo chưa có báo cáo ban hành nên không bị khóa.",
		func(plan domain.Plan, p period.Period, _ domain.Report) string {
			return fmt.Sprintf("Đã mở lại %s: các cơ quan báo cáo tiến độ được tiếp.", p.Name())
		})
}

// reportReplacePost makes a draft replacing the period's issued report.
func (s *Server) reportReplacePost(c echo.Context) error {
	return s.issuedReportAction(c, s.replace, "Chỉ thay thế được báo cáo đã ban hành; dự thảo thì sửa trực tiếp.",
		func(plan domain.Plan, _ period.Period, rec domain.Report) string {
			return fmt.Sprintf("Đã lập dự thảo thay thế Báo cáo số %s.", reportRef(rec, plan))
		})
}

// issuedReportAction runs a page's action on an issued report (reopen,
// replace): refused with notIssued when the period has none, a refusal of
// the action shown on the page, done() flashed after it.
func (s *Server) issuedReportAction(c echo.Context, act func(echo.Context, domain.Plan, period.Period, int64) (domain.Report, error),
	notIssued string, done func(domain.Plan, period.Period, domain.Report) string) error {
	plan, p, rec, err := s.reportTargetPage(c)
	if err != nil {
		return err
	}
	nar, err := workflow.NarrativeOf(rec)
	if err != nil {
		return err
	}
	if rec.Status != domain.ReportIssued {
		return s.showReport(c, http.StatusConflict, plan, p, rec, draftFields(rec.Title, nar), reportForm{}, notIssued)
	}
	if _, err := act(c, plan, p, formVersion(c)); err != nil {
		if msg := alertFor(err); msg != "" {
			return s.showReport(c, http.StatusConflict, plan, p, rec, draftFields(rec.Title, nar), reportForm{}, msg)
		}
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()), done(plan, p, rec))
}

func (s *Server) exportsPage(c echo.Context) error {
	ctx := c.Request().Context()
	plans, _, err := s.store.ListPlans(ctx, domain.PlanFilter{Limit: 1000})
	if err != nil {
		return err
	}
	list, err := s.store.ListAgencies(ctx)
	if err != nil {
		return err
	}
	// The picker shows the labels: the province follows a name that
	// repeats, in Vietnamese order (the store's).
	type option struct {
		ID   int64
		Name string
	}
	agencies := make([]option, len(list))
	for i, a := range list {
		agencies[i] = option{a.ID, a.Label}
	}
	years := map[int]bool{time.Now().In(period.Vietnam).Year(): true}
	for _, pl := range plans {
		years[pl.Year] = true
	}
	var periods []periodOption
	for y := time.Now().In(period.Vietnam).Year(); y >= 2000; y-- {
		if years[y] || years[y-1] || years[y-2] {
			for _, p := range period.All(y) {
				periods = append(periods, periodOption{Code: p.Code(), Name: p.Name()})
			}
		}
	}
	sep := "semicolon" // Excel with Vietnamese regional settings splits on ";"
	if ck, err := c.Cookie(csvSeparatorCookie); err == nil && ck.Value == "comma" {
		sep = "comma"
	}
	data := map[string]any{"Plans": plans, "Agencies": agencies, "Periods": periods, "Statuses": formStatuses, "Sep": sep}
	return s.page(c, http.StatusOK, "exports", "Xuất dữ liệu", view{Data: data})
}

func (s *Server) auditPage(c echo.Context) error {
	f, err := auditFilter(c)
	errs := map[string]string{}
	if pe := answerOf(err); pe != nil && pe.Status == http.StatusUnprocessableEntity {
		// A date that is no day: said beside its field, what was typed kept.
		for _, fe := range pe.Errors {
			errs[fe.Field] = vietnamesePart(fe.Problem)
		}
		data := map[string]any{"Filter": f, "From": c.QueryParam("from"), "To": c.QueryParam("to"), "Errors": errs}
		return s.page(c, http.StatusUnprocessableEntity, "audit", "Nhật ký hoạt động", view{Data: data, Alert: "Chưa lọc được: hãy sửa ngày."})
	}
	if err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	f.Limit = 50
	if n, _ := strconv.Atoi(c.QueryParam("page")); n > 1 {
		f.Offset = (n - 1) * 50
	}
	items, total, err := s.store.AuditLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	type row struct{ At, Actor, Role, Action, Code, Resource, Detail, IP string }
	rows := make([]row, len(items))
	for i, e := range items {
		rows[i] = row{e.At.In(period.Vietnam).Format("02/01/2006 15:04:05"), e.Actor, auth.RoleName(e.Role),
			store.ActionName(e.Action), e.Action, e.Resource, e.Detail, e.IP}
	}
	data := map[string]any{"Items": rows, "Total": total, "Filter": f, "From": c.QueryParam("from"), "To": c.QueryParam("to"), "Errors": errs,
		"Pages": pageLinks(c, total, f.Limit, f.Offset)}
	return s.page(c, http.StatusOK, "audit", "Nhật ký hoạt động", view{Data: data})
}
