package server

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	textrule "baocao/reports/text"
	"baocao/reports/vn"
	"baocao/workflow"
)

type figureForm struct{ Name, Value, Unit string }

type progressForm struct {
	Status, CompletedOn, Result, Difficulties, Proposals string
	Figures                                              []figureForm
}

type historyRow struct {
	ID                                              int64
	Revision                                        int
	Period, Status, StatusName, CompletedOn, Result string
	Figures                                         []string
	Difficulties, Proposals, Agency, SubmittedBy    string
	SubmittedAt                                     string
	Late                                            bool
	// Returned is the secretariat's request for more on this submission;
	// CanSendBack offers the secretariat to make one (the latest revision
	// of its agency and period, not sent back yet, the period open).
	Returned    *returnView
	CanSendBack bool
}

type returnView struct {
	Comment, By, At string
}

func returnViewOf(r domain.Return) *returnView {
	return &returnView{Comment: r.Comment, By: r.ReturnedBy, At: r.ReturnedAt.In(period.Vietnam).Format("02/01/2006 15:04")}
}

// progressTarget reads the plan, the task (with its number) and the
// period of a progress page; a reporter may open it only for a task its
// agency leads.
func (s *Server) progressTarget(c echo.Context) (domain.Plan, taskView, period.Period, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Plan{}, taskView{}, period.Period{}, err
	}
	taskID, err := pathID(c, "task")
	if err != nil {
		return domain.Plan{}, taskView{}, period.Period{}, err
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return plan, taskView{}, period.Period{}, err
	}
	p, err := s.pagePeriod(c, plan)
	if err != nil {
		return plan, taskView{}, p, err
	}
	tasks, err := s.planTasks(c, plan, &progress.Board{})
	if err != nil {
		return plan, taskView{}, p, err
	}
	for _, t := range tasks {
		if t.ID == taskID {
			if !t.CanView {
				return plan, t, p, forbidden(fmt.Sprintf("task %d is not led by %s", taskID, principal(c).AgencyName))
			}
			return plan, t, p, nil
		}
	}
	return plan, taskView{}, p, notFound(fmt.Sprintf("task %d of plan %d", taskID, id))
}

var formStatuses = []periodOption{{Code: domain.StatusNotStarted, Name: "Chưa thực hiện"},
	{Code: domain.StatusInProgress, Name: "Đang thực hiện"}, {Code: domain.StatusDone, Name: "Hoàn thành"}}

func (s *Server) progressPage(c echo.Context) error {
	plan, task, p, err := s.progressTarget(c)
	if err != nil {
		return err
	}
	return s.showProgress(c, http.StatusOK, plan, task, p, nil, nil, "")
}

// showProgress renders the form (prefilled from the agency's last report
// when form is nil) with field errors, and the history of the task.
func (s *Server) showProgress(c echo.Context, status int, plan domain.Plan, task taskView, p period.Period,
	form *progressForm, errs map[string]string, alert string) error {
	subs, err := s.store.Submissions(c.Request().Context(), plan.ID, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	pr := principal(c)
	returns, err := s.store.Returns(c.Request().Context(), plan.ID, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	returned := map[int64]domain.Return{}
	for _, r := range returns {
		returned[r.SubmissionID] = r
	}
	locked, err := s.lockedText(c, plan, p)
	if err != nil {
		return err
	}
	editor := slices.Contains(editors, pr.Role)
	var history []historyRow
	var last *domain.Submission
	newest := map[string]bool{} // agency and period whose latest revision is listed
	for i := len(subs) - 1; i >= 0; i-- {
		sb := subs[i]
		if sb.TaskID != task.ID || (pr.Role == auth.RoleReporter && sb.AgencyID != pr.AgencyID) {
			continue
		}
		if last == nil && sb.AgencyID == pr.AgencyID && sb.Period == p.Code() {
			last = &subs[i]
		}
		k := fmt.Sprint(sb.AgencyID, sb.Period)
		_, wasReturned := returned[sb.ID]
		h := historyRow{ID: sb.ID, CanSendBack: editor && !newest[k] && !wasReturned && locked == "", Revision: sb.Revision, Period: periodName(sb.Period), Status: sb.Status, StatusName: progress.ReportedNames[sb.Status],
			CompletedOn: dmyOf(sb.CompletedOn), Result: sb.Result, Difficulties: sb.Difficulties, Proposals: sb.Proposals,
			Agency: sb.Agency, SubmittedBy: sb.SubmittedBy, Late: sb.Late,
			SubmittedAt: sb.SubmittedAt.In(period.Vietnam).Format("02/01/2006 15:04")}
		newest[k] = true
		if r, ok := returned[sb.ID]; ok {
			h.Returned = returnViewOf(r)
		}
		for _, f := range sb.Figures {
			h.Figures = append(h.Figures, strings.TrimSpace(fmt.Sprintf("%s: %s %s", f.Name, vn.Number(f.Value, 2), f.Unit)))
		}
		history = append(history, h)
	}
	if form == nil {
		form = &progressForm{Status: domain.StatusInProgress}
		if last != nil {
			form = &progressForm{Status: last.Status, CompletedOn: dmyOf(last.CompletedOn), Result: last.Result,
				Difficulties: last.Difficulties, Proposals: last.Proposals}
			for _, f := range last.Figures {
				form.Figures = append(form.Figures, figureForm{Name: f.Name, Value: vn.Number(f.Value, 2), Unit: f.Unit})
			}
		}
	}
	for len(form.Figures) < 4 {
		form.Figures = append(form.Figures, figureForm{})
	}
	var open *returnView
	if last != nil {
		if r, ok := returned[last.ID]; ok {
			open = returnViewOf(r)
		}
	}
	due, err := s.taskDue(c, plan, p, task.ID)
	if err != nil {
		return err
	}
	data := map[string]any{"Locked": locked, "Returned": open, "Due": due, "ReportDue": p.Due(plan.Doc.ReportDueDay).Format("02/01/2006"), "PlanID": plan.ID, "PlanRef": reference(plan), "Period": p.Code(), "PeriodName": p.Name(),
		"Task": task, "CanReport": task.CanReport, "Agency": pr.AgencyName, "Statuses": formStatuses,
		"Form": form, "Errors": errs, "History": history}
	return s.page(c, status, "progress", "Báo cáo tiến độ", view{Alert: alert, Data: data})
}

// taskDue words the last day a task may be done in the period, read off
// the period's status board: "dd/mm/yyyy", "Thường xuyên", or "" when
// the task is not due in the period.
func (s *Server) taskDue(c echo.Context, plan domain.Plan, p period.Period, taskID int64) (string, error) {
	asOf, err := s.wf.PeriodAsOf(c.Request().Context(), plan, p)
	if err != nil {
		return "", err
	}
	b, err := s.wf.Board(c.Request().Context(), plan, p, asOf)
	if err != nil {
		return "", err
	}
	for _, r := range b.Rows {
		if r.TaskID == taskID {
			if r.Ongoing {
				return "Thường xuyên (trong " + p.Name() + ")", nil
			}
			return dmyOf(r.Due), nil
		}
	}
	return "", nil
}

// lockedText says why a period takes no progress, or "" when it does.
func (s *Server) lockedText(c echo.Context, plan domain.Plan, p period.Period) (string, error) {
	lock, err := s.store.PeriodLock(c.Request().Context(), plan.ID, p)
	if err != nil || lock == nil {
		return "", err
	}
	return lockedMessage(plan, p, mustPeriod(lock.Period), *lock), nil
}

// parseNumber reads a figure written the Vietnamese way ("1.234,5") or
// plainly ("1234.5").
func parseNumber(v string) (float64, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	switch {
	case strings.Contains(v, ","):
		v = strings.ReplaceAll(strings.ReplaceAll(v, ".", ""), ",", ".")
	case strings.Count(v, ".") > 1 || (strings.Contains(v, ".") && len(v)-strings.LastIndex(v, ".") == 4):
		v = strings.ReplaceAll(v, ".", "") // thousands separators
	}
	x, err := strconv.ParseFloat(v, 64)
	if err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return 0, strconv.ErrSyntax // "NaN", "Inf": not a quantity
	}
	return x, err
}

func (s *Server) progressPost(c echo.Context) error {
	plan, task, p, err := s.progressTarget(c)
	if err != nil {
		return err
	}
	if !task.CanReport {
		return forbidden(fmt.Sprintf("task %d is not led by %s", task.ID, principal(c).AgencyName))
	}
	if locked, err := s.lockedText(c, plan, p); err != nil || locked != "" {
		if err != nil {
			return err
		}
		return s.showProgress(c, http.StatusConflict, plan, task, p, nil, nil, "Báo cáo chưa được gửi: kỳ báo cáo đã khóa.")
	}
	form := &progressForm{Status: c.FormValue("status"), CompletedOn: c.FormValue("completed_on"), Result: c.FormValue("result"),
		Difficulties: c.FormValue("difficulties"), Proposals: c.FormValue("proposals")}
	names, values, units := formList(c, "figure_name"), formList(c, "figure_value"), formList(c, "figure_unit")
	in := domain.SubmitInput{TaskID: task.ID}
	in.Period, in.Status, in.Result = p.Code(), form.Status, form.Result
	in.Difficulties, in.Proposals = form.Difficulties, form.Proposals
	errs := map[string]string{}
	if v := strings.TrimSpace(form.CompletedOn); v != "" {
		day, err := vn.ParseDate(v)
		if err != nil {
			errs["completed_on"] = "Ngày hoàn thành phải có dạng ngày/tháng/năm, ví dụ 15/03/2024."
		}
		in.CompletedOn = day.Format(time.DateOnly)
	}
	for i := range names {
		f := figureForm{Name: names[i], Value: at(values, i), Unit: at(units, i)}
		form.Figures = append(form.Figures, f)
		if strings.TrimSpace(f.Name+f.Value+f.Unit) == "" {
			continue
		}
		val, err := parseNumber(f.Value)
		switch {
		case strings.TrimSpace(f.Name) == "":
			errs["figures"] = fmt.Sprintf("Số liệu dòng %d: hãy nhập tên số liệu.", i+1)
		case err != nil:
			errs["figures"] = fmt.Sprintf("Số liệu dòng %d: “%s” không phải là số.", i+1, f.Value)
		}
		in.Figures = append(in.Figures, domain.Figure{Name: f.Name, Value: val, Unit: f.Unit})
	}
	if len(errs) > 0 {
		return s.showProgress(c, http.StatusUnprocessableEntity, plan, task, p, form, errs, "Báo cáo chưa được gửi: hãy sửa các ô được đánh dấu.")
	}
	sub, err := s.submit(c, plan.ID, in)
	pe := answerOf(err)
	if pe != nil && pe.Status == http.StatusUnprocessableEntity {
		for _, fe := range pe.Errors {
			field, msg := vietnameseError(fe)
			if _, seen := errs[field]; !seen {
				errs[field] = msg
			}
		}
		return s.showProgress(c, http.StatusUnprocessableEntity, plan, task, p, form, errs, "Báo cáo chưa được gửi: hãy sửa các ô được đánh dấu.")
	}
	if pe != nil && pe.Type == problemBase+"period-locked" {
		// Locked between the form's check and the submission.
		return s.showProgress(c, http.StatusConflict, plan, task, p, nil, nil, "Báo cáo chưa được gửi: kỳ báo cáo đã khóa.")
	}
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, progressDetail(sub))
	msg := fmt.Sprintf("Đã gửi báo cáo lần %d cho nhiệm vụ %d (%s).", sub.Revision, task.Number, p.Name())
	if sub.Late {
		msg += " Báo cáo được ghi nhận là gửi muộn."
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d?period=%s#task-%d", plan.ID, p.Code(), task.ID), msg)
}

func formList(c echo.Context, name string) []string {
	f, err := c.FormParams()
	if err != nil {
		return nil
	}
	return f[name]
}

func at(v []string, i int) string {
	if i < len(v) {
		return v[i]
	}
	return ""
}

// vietnameseError words a field error of a submission for the form.
func vietnameseError(fe doc.FieldError) (field, msg string) {
	field = fe.Field
	if strings.HasPrefix(field, "figures") {
		field = "figures"
	}
	if r, ok := runeOf(fe); ok {
		return field, textrule.ProblemVI(r)
	}
	switch {
	case (field == "completed_on" || field == "period") && strings.Contains(fe.Problem, " / "):
		msg = vietnamesePart(fe.Problem) // the rule's own Vietnamese words
	case field == "period":
		msg = "Kỳ báo cáo không hợp lệ."
	case field == "status":
		msg = "Hãy chọn tình trạng: chưa thực hiện, đang thực hiện hoặc hoàn thành."
	case field == "completed_on" && strings.Contains(fe.Problem, "required"):
		msg = "Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành."
	case field == "completed_on" && strings.Contains(fe.Problem, "only"):
		msg = "Chỉ nhập ngày hoàn thành khi nhiệm vụ đã hoàn thành."
	case field == "completed_on":
		msg = "Ngày hoàn thành không hợp lệ."
	case strings.Contains(fe.Problem, "longer"):
		msg = "Nội dung dài quá 20.000 ký tự."
	case field == "figures" && strings.Contains(fe.Problem, "between"):
		msg = "Số liệu phải từ 0 đến 1.000.000.000.000."
	case field == "figures":
		msg = "Số liệu không hợp lệ: " + fe.Problem
	default:
		msg = "Không hợp lệ: " + fe.Problem
	}
	return field, msg
}

// periodName is a period code as a person reads it: "Quý I năm 2024".
func periodName(code string) string {
	if p, err := period.Parse(code); err == nil {
		return p.Name()
	}
	return code
}
