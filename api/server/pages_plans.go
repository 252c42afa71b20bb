package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/vn"
	"baocao/workflow"
)

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// pageLinks numbers the pages of a list, keeping the other query values.
func pageLinks(c echo.Context, total int64, limit, offset int) []pageLink {
	if total <= int64(limit) {
		return nil
	}
	q := c.QueryParams()
	var out []pageLink
	for n := 1; int64((n-1)*limit) < total && n <= 50; n++ {
		q.Set("page", fmt.Sprint(n))
		out = append(out, pageLink{N: n, URL: c.Path() + "?" + q.Encode(), Current: (n-1)*limit == offset})
	}
	return out
}

func (s *Server) plansPage(c echo.Context) error {
	f := domain.PlanFilter{Query: strings.TrimSpace(c.QueryParam("q"))}
	if utf8.RuneCountInString(f.Query) > 200 {
		f.Query = string([]rune(f.Query)[:200])
	}
	var err error
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	if p := principal(c); p.Role == auth.RoleReporter {
		f.Involves = p.AgencyID
	}
	items, total, err := s.store.ListPlans(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.page(c, http.StatusOK, "plans", "Kế hoạch", view{Data: map[string]any{
		"Query": f.Query, "Items": items, "Total": total, "Pages": pageLinks(c, total, f.Limit, f.Offset)}})
}

// summary shortens a task's Markdown to a line of plain text.
func summary(md string, limit int) string {
	r := strings.NewReplacer("**", "", "*", "", "__", "", "\\", "", "\n- ", " – ", "\n", " ")
	s := strings.Join(strings.Fields(r.Replace(strings.TrimPrefix(md, "- "))), " ")
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}

// plainText is a task's Markdown as a person reads it, line by line:
// the emphasis marks and escapes dropped, list items kept on their lines.
func plainText(md string) string {
	r := strings.NewReplacer("**", "", "__", "", "\\", "")
	var out []string
	for _, l := range strings.Split(r.Replace(md), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "* ") {
			l = "- " + l[2:]
		}
		l = strings.ReplaceAll(l, "*", "")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

type periodOption struct {
	Code, Name string
	Selected   bool
}

// planPeriods lists the periods a plan reports in: those of its year up
// to this year (at most five years).
func planPeriods(year int, selected string) []periodOption {
	last := max(year, min(time.Now().In(period.Vietnam).Year(), year+4))
	var out []periodOption
	for y := year; y <= last; y++ {
		for _, p := range period.All(y) {
			out = append(out, periodOption{Code: p.Code(), Name: p.Name(), Selected: p.Code() == selected})
		}
	}
	return out
}

// pagePeriod reads ?period=, defaulting to the latest period reported on,
// else the quarter of today when the plan runs this year, else its first
// quarter.
func (s *Server) pagePeriod(c echo.Context, plan domain.Plan) (period.Period, error) {
	if v := c.QueryParam("period"); v != "" {
		p, err := period.Parse(v)
		if err != nil {
			return p, validation(doc.FieldError{Field: "period", Problem: "kỳ báo cáo không hợp lệ, ví dụ 2024-Q1 / " + err.Error()})
		}
		return p, nil
	}
	codes, err := s.store.ReportedPeriods(c.Request().Context(), plan.ID)
	if err != nil {
		return period.Period{}, err
	}
	if len(codes) > 0 {
		return period.Parse(codes[len(codes)-1])
	}
	now := time.Now().In(period.Vietnam)
	if now.Year() == plan.Doc.Date.Year {
		return period.Parse(fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())+2)/3))
	}
	return period.Parse(fmt.Sprintf("%d-Q1", max(plan.Doc.Date.Year, 1945)))
}

type taskView struct {
	ID                 int64
	Number             int
	Summary            string
	Text               string // the whole task, line by line
	Leads              []string
	Deadline           string
	Due                bool
	Status, StatusName string
	Reported           []string
	CanReport, CanView bool
}

type statusCount struct {
	Status, Name string
	N            int
}

// boardStatuses orders the status counts shown on a plan page.
var boardStatuses = progress.Statuses

// reference names a plan briefly: "Số 15/KH-UBND", or its year when it
// has no number.
func reference(plan domain.Plan) string { return workflow.PlanReference(plan) }

// planTasks lists a plan's tasks with their state in the period.
func (s *Server) planTasks(c echo.Context, plan domain.Plan, b *progress.Board) ([]taskView, error) {
	p := principal(c)
	var led map[int64]bool
	if p.Role == auth.RoleReporter {
		var err error
		if led, err = s.store.LedTasks(c.Request().Context(), plan.ID, p.AgencyID); err != nil {
			return nil, err
		}
	}
	rows := map[int64]progress.Row{}
	for _, r := range b.Rows {
		rows[r.TaskID] = r
	}
	var out []taskView
	n := 0
	for _, a := range plan.Doc.Appendices {
		for _, t := range a.Tasks {
			n++
			r, due := rows[t.ID]
			out = append(out, taskView{ID: t.ID, Number: n, Summary: summary(t.Content, 240), Text: plainText(t.Content), Leads: t.Lead,
				Deadline: t.Deadline.Text, Due: due, Status: r.Status, StatusName: progress.StatusNames[r.Status],
				Reported: r.Reported, CanReport: led[t.ID], CanView: p.Role != auth.RoleReporter || led[t.ID]})
		}
	}
	return out, nil
}

func (s *Server) planPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.showPlan(c, http.StatusOK, id, planPageForm{})
}

// showPlan shows the plan page with status, and the refusal of a form
// sent from it (form).
func (s *Server) showPlan(c echo.Context, status int, id int64, form planPageForm) error {
	ctx := c.Request().Context()
	plan, err := s.store.GetPlan(ctx, id)
	if err != nil {
		return err
	}
	p, err := s.pagePeriod(c, plan)
	if err != nil {
		return err
	}
	subs, err := s.store.Submissions(ctx, id, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	// The board as of the period's report's date, so that it shows the
	// report's figures (see workflow.Service.PeriodAsOf).
	asOf, err := s.wf.PeriodAsOf(ctx, plan, p)
	if err != nil {
		return err
	}
	b, err := s.wf.Board(ctx, plan, p, asOf)
	if err != nil {
		return err
	}
	tasks, err := s.planTasks(c, plan, b)
	if err != nil {
		return err
	}
	var counts []statusCount
	for _, st := range boardStatuses {
		counts = append(counts, statusCount{Status: st, Name: progress.StatusNames[st], N: b.Counts[st]})
	}
	rec, err := s.store.GetReport(ctx, id, p.Code())
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	lock, err := s.store.PeriodLock(ctx, id, p)
	if err != nil {
		return err
	}
	list, err := s.store.ListReports(ctx, id)
	if err != nil {
		return err
	}
	byID := map[int64]domain.Report{}
	for _, r := range list {
		byID[r.ID] = r
	}
	var reports []map[string]any
	for _, r := range list {
		rp, _ := period.Parse(r.Period)
		item := map[string]any{"Period": r.Period, "PeriodName": rp.Name(), "Status": r.Status, "Due": rp.Due(plan.Doc.ReportDueDay).Format(vn.DateLayout),
			"Reference": reportRef(r, plan), "IssuedOn": dmyOf(r.IssuedOn), "Current": isCurrent(r, list)}
		if r.Status == domain.ReportReplaced {
			item["Note"] = replacedNote(byID[r.ReplacedBy], plan)
		}
		if old, ok := byID[r.Replaces]; ok && r.Replaces != 0 {
			item["Replaces"] = reportRef(old, plan)
		}
		if !isCurrent(r, list) {
			item["PDF"] = fmt.Sprintf("/api/v1/plans/%d/reports/%s/history/%d.pdf", id, r.Period, r.ID)
			item["XLSX"] = fmt.Sprintf("/api/v1/plans/%d/reports/%s/history/%d.xlsx", id, r.Period, r.ID)
		} else {
			item["PDF"] = fmt.Sprintf("/api/v1/plans/%d/reports/%s.pdf", id, r.Period)
			item["XLSX"] = fmt.Sprintf("/api/v1/plans/%d/reports/%s.xlsx", id, r.Period)
		}
		reports = append(reports, item)
	}
	report := map[string]any{"Exists": rec.ID != 0, "Status": rec.Status, "Reference": reportRef(rec, plan), "IssuedOn": dmyOf(rec.IssuedOn)}
	if old, ok := byID[rec.Replaces]; ok && rec.Replaces != 0 {
		report["Replaces"] = reportRef(old, plan)
	}
	if lock != nil {
		report["Locked"] = lockedMessage(plan, p, mustPeriod(lock.Period), *lock)
	}
	letters, err := s.planLetters(c, id)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Letters": letters, "CanReadLetters": slices.Contains(auditors, string(actorOf(c).Role)),
		"Plan": map[string]any{"ID": plan.ID, "Reference": reference(plan), "Title": plan.Doc.Title,
			"Agency": plan.Doc.Agency.Name, "Date": dateVN(plan.Doc.Date), "HasAppendix": len(plan.Doc.Printed().Appendices) > 0, "Warnings": plan.Doc.Warnings(),
			"HasTasks": len(plan.Doc.Appendices) > 0},
		"Period": p.Code(), "PeriodName": p.Name(), "Periods": planPeriods(plan.Doc.Date.Year, p.Code()),
		"Tasks": tasks, "Counts": counts, "NotReported": b.NotReported, "Reports": reports,
		"Report": report, "AsOf": asOf.Format("02/01/2006"),
	}
	if data["Issue"], data["Signing"], err = s.planIssueData(c, plan, form); err != nil {
		return err
	}
	data["Form"] = form
	warn := s.warningVI(s.wouldReplace(plan.Doc, nil, subs))
	return s.page(c, status, "plan", plan.Doc.Title, view{Data: data, Warning: warn, Alert: form.Alert})
}

// mustPeriod parses a stored period code.
func mustPeriod(code string) period.Period {
	p, _ := period.Parse(code)
	return p
}

func reportRef(r domain.Report, plan domain.Plan) string {
	return workflow.Reference(r, plan)
}

// dateVN writes a plan's date the Vietnamese way ("ngày 05 tháng 3 năm 2024").
func dateVN(d doc.Date) string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("năm %d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("tháng %d năm %d", d.Month, d.Year)
	}
	return vn.DateWords(d.Year, d.Month, d.Day)
}
