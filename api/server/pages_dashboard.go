package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/workflow"
)

// The period dashboard (/dashboard), the tasks behind each of its counts
// (/dashboard/tasks) and a reporter's "Nhiệm vụ của tôi" (/my-tasks): pages
// over workflow.Service.Dashboard, which reads every figure off the plans'
// status boards.

// dashboardPeriod reads ?period=, by default the period being reported
// on today (workflow.CurrentPeriod).
func (s *Server) dashboardPeriod(c echo.Context) (period.Period, error) {
	v := c.QueryParam("period")
	if v == "" {
		return s.wf.CurrentPeriod(), nil
	}
	p, err := period.Parse(v)
	if err != nil {
		return p, validation(doc.FieldError{Field: "period", Problem: "kỳ báo cáo không hợp lệ / " + err.Error()})
	}
	return p, nil
}

// dashboard reads ?period= and builds the dashboard of that period for
// the caller (the dashboard, its tasks, my tasks, GET /api/v1/dashboard).
func (s *Server) dashboard(c echo.Context) (period.Period, *workflow.Dashboard, error) {
	p, err := s.dashboardPeriod(c)
	if err != nil {
		return p, nil, err
	}
	d, err := s.wf.Dashboard(c.Request().Context(), actorOf(c), p)
	return p, d, err
}

// dashboardPeriods lists the periods of the plans' years, and of the
// chosen period's and this year.
func (s *Server) dashboardPeriods(years []int, selected period.Period) []periodOption {
	ys := append([]int{selected.Year, s.wf.CurrentPeriod().Year}, years...)
	slices.Sort(ys)
	ys = slices.Compact(ys)
	var out []periodOption
	for _, y := range ys {
		for _, p := range period.All(y) {
			out = append(out, periodOption{Code: p.Code(), Name: p.Name(), Selected: p == selected})
		}
	}
	return out
}

type countCell struct {
	Kind, Name string
	N          int
	URL        string
}

type dashboardLine struct {
	Name, Title, Link string
	Note              string
	Cells             []countCell
	counts            workflow.Counts
	Missing, Reported []workflow.DashboardItem
}

type sortLink struct {
	Name, URL string
	Arrow     string
}

// dashboardSort reads ?sort= (name or a count kind) and ?dir=.
func dashboardSort(c echo.Context) (key string, desc bool) {
	key = c.QueryParam("sort")
	if key != "name" && !slices.Contains(workflow.CountKinds, key) {
		key = "name"
	}
	return key, c.QueryParam("dir") == "desc"
}

func sortLines(lines []dashboardLine, key string, desc bool) {
	if key == "name" {
		if desc {
			slices.Reverse(lines)
		}
		return
	}
	slices.SortStableFunc(lines, func(a, b dashboardLine) int {
		d := a.counts[key] - b.counts[key]
		if desc {
			d = -d
		}
		return d
	})
}

// sortLinks are the column headers: each sorts by its column, a second
// click the other way.
func sortLinks(c echo.Context, key string, desc bool) []sortLink {
	var out []sortLink
	for _, k := range append([]string{"name"}, workflow.CountKinds...) {
		q := c.QueryParams()
		q.Set("sort", k)
		q.Del("dir")
		l := sortLink{Name: workflow.CountNames[k]}
		if k == key {
			l.Arrow = "▲"
			if desc {
				l.Arrow = "▼"
			} else {
				q.Set("dir", "desc")
			}
		} else if k != "name" {
			q.Set("dir", "desc")
		}
		l.URL = "/dashboard?" + q.Encode()
		out = append(out, l)
	}
	return out
}

func cells(counts workflow.Counts, link func(kind string) string) []countCell {
	out := make([]countCell, len(workflow.CountKinds))
	for i, k := range workflow.CountKinds {
		out[i] = countCell{Kind: k, Name: workflow.CountNames[k], N: counts[k], URL: link(k)}
	}
	return out
}

func (s *Server) dashboardPage(c echo.Context) error {
	p, d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	key, desc := dashboardSort(c)
	tasksURL := func(by, id, kind string) string {
		return "/dashboard/tasks?" + url.Values{"period": {p.Code()}, by: {id}, "count": {kind}}.Encode()
	}
	var plans, agencies []dashboardLine
	for _, pl := range d.Plans {
		id := strconv.FormatInt(pl.ID, 10)
		plans = append(plans, dashboardLine{Name: pl.Reference, Title: pl.Title, counts: pl.Counts,
			Link:  fmt.Sprintf("/plans/%d?period=%s", pl.ID, p.Code()),
			Note:  "Số liệu đến ngày " + pl.AsOf.Format("02/01/2006") + "; hạn báo cáo " + pl.ReportDue.Format("02/01/2006"),
			Cells: cells(pl.Counts, func(k string) string { return tasksURL("plan", id, k) })})
	}
	for _, a := range d.Agencies {
		agencies = append(agencies, dashboardLine{Name: a.Label, counts: a.Counts, Missing: a.Missing, Reported: a.Reported,
			Cells: cells(a.Counts, func(k string) string { return tasksURL("lead", a.Key, k) })})
	}
	sortLines(plans, key, desc)
	sortLines(agencies, key, desc)
	title := "Tổng hợp kỳ báo cáo"
	data := map[string]any{"Period": p.Code(), "PeriodName": p.Name(), "Periods": s.dashboardPeriods(d.Years, p), "PeriodAction": "/dashboard",
		"Plans": plans, "Agencies": agencies, "Sort": sortLinks(c, key, desc),
		"Reporter": principal(c).Role == string(workflow.RoleReporter), "Today": time.Now().In(period.Vietnam).Format("02/01/2006")}
	return s.page(c, http.StatusOK, "dashboard", title+" — "+p.Name(), view{Data: data})
}

type itemView struct {
	workflow.DashboardItem
	Text, DueDMY, Left, ReportedDMY string
	Overdue                         bool
	FormURL                         string
	Returned                        *domain.Return
}

// itemViews turns a dashboard's items into lines of a page: the whole
// task text, the due date and the days left as of today.
func itemViews(items []workflow.DashboardItem, p period.Period, today time.Time) []itemView {
	out := make([]itemView, len(items))
	for i, it := range items {
		v := itemView{DashboardItem: it, Text: plainText(it.Content), DueDMY: dmyOf(it.Due), ReportedDMY: dmyOf(it.ReportedOn),
			FormURL: fmt.Sprintf("/plans/%d/tasks/%d/progress?period=%s", it.PlanID, it.TaskID, p.Code())}
		v.Left, v.Overdue = daysLeft(it, today)
		out[i] = v
	}
	return out
}

// daysLeft words the days from today to a task's last day.
func daysLeft(it workflow.DashboardItem, today time.Time) (string, bool) {
	if it.Ongoing {
		return "Thường xuyên", false
	}
	if progress.IsDone(it.Status) {
		return "Đã hoàn thành", false
	}
	due, err := time.Parse(time.DateOnly, it.Due)
	if err != nil {
		return "", false
	}
	day := period.Day(today)
	n := int(due.Sub(day).Hours() / 24)
	switch {
	case n > 0:
		return fmt.Sprintf("Còn %d ngày", n), false
	case n == 0:
		return "Hết hạn hôm nay", false
	}
	return fmt.Sprintf("Quá hạn %d ngày", -n), true
}

func (s *Server) dashboardTasksPage(c echo.Context) error {
	kind := c.QueryParam("count")
	if kind == "" {
		kind = workflow.CountDue
	}
	if !slices.Contains(workflow.CountKinds, kind) {
		return validation(doc.FieldError{Field: "count", Problem: "loại số liệu không hợp lệ / unknown count " + strconv.Quote(kind)})
	}
	p, d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	var items []workflow.DashboardItem
	what := "Tất cả kế hoạch"
	switch {
	case c.QueryParam("lead") != "":
		key := c.QueryParam("lead")
		what = "Cơ quan chưa có nhiệm vụ trong kỳ"
		for _, a := range d.Agencies {
			if a.Key == key {
				what = a.Label
			}
		}
		for _, it := range d.Pairs {
			if it.AgencyKey == key && workflow.Counted(kind, it.Status, it.Late) {
				items = append(items, it)
			}
		}
	default:
		planID, _ := strconv.ParseInt(c.QueryParam("plan"), 10, 64)
		for _, pl := range d.Plans {
			if pl.ID == planID {
				what = pl.Reference + " — " + pl.Title
			}
		}
		for _, it := range d.Tasks {
			if (planID == 0 || it.PlanID == planID) && workflow.Counted(kind, it.Status, it.Late) {
				items = append(items, it)
			}
		}
	}
	back := "/dashboard?" + url.Values{"period": {p.Code()}}.Encode()
	data := map[string]any{"PeriodName": p.Name(), "What": what, "Count": workflow.CountNames[kind],
		"Items": itemViews(items, p, time.Now()), "Back": back}
	return s.page(c, http.StatusOK, "dashboard_tasks", workflow.CountNames[kind]+" — "+p.Name(), view{Data: data})
}

// myTasksPage lists the tasks the reporter's agency leads that fall due
// in the period, with the status of its last report and what the
// secretariat asked for.
func (s *Server) myTasksPage(c echo.Context) error {
	p, d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	items := itemViews(d.Tasks, p, time.Now())
	returns, err := s.wf.OpenReturns(ctx, actorOf(c), p)
	if err != nil {
		return err
	}
	for i := range items {
		if r, ok := returns[[2]int64{items[i].PlanID, items[i].TaskID}]; ok {
			items[i].Returned = &r
		}
	}
	due := map[string]bool{}
	var dues []string
	for _, pl := range d.Plans {
		if v := pl.ReportDue.Format("02/01/2006"); !due[v] {
			due[v] = true
			dues = append(dues, v)
		}
	}
	data := map[string]any{"Period": p.Code(), "PeriodName": p.Name(), "Periods": s.dashboardPeriods(d.Years, p), "PeriodAction": "/my-tasks",
		"Items": items, "ReportDue": strings.Join(dues, ", "), "Agency": principal(c).AgencyName}
	return s.page(c, http.StatusOK, "mytasks", "Nhiệm vụ của tôi — "+p.Name(), view{Data: data})
}
