package server

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/progress"
)

// cellOf reads the number of a dashboard count: the link (or the 0) in
// the cell of kind in the table row that starts with name.
func cellOf(t *testing.T, body []byte, table, name, kind string) (n int, link string) {
	t.Helper()
	tb := regexp.MustCompile(`(?s)<table id="` + table + `".*?</table>`).Find(body)
	for _, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAll(tb, -1) {
		if !strings.Contains(string(row), name) {
			continue
		}
		m := regexp.MustCompile(`(?s)<td class="num c-` + kind + `"[^>]*>(?:<a href="([^"]*)"[^>]*>)?(\d+)`).FindSubmatch(row)
		if m == nil {
			t.Fatalf("no %s cell in the row of %s: %s", kind, name, row)
		}
		n, _ = strconv.Atoi(string(m[2]))
		return n, html.UnescapeString(string(m[1]))
	}
	t.Fatalf("no row of %q in #%s: %s", name, table, tb)
	return 0, ""
}

// TestDashboardAndSendBack: a reporter reports through the form (several
// lines, a date typed dd/mm/yyyy); the dashboard's figures are the status
// board's, each count links to as many tasks; the secretariat sends the
// submission back, the reporter sees it on its tasks and resubmits, the
// history shows the exchange and the trail records it.
func TestDashboardAndSendBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		tasks := f.plan.Document.Appendices[0].Tasks
		rep := newWebClient(t, f.admin.base)
		rep.login("coquan", testPassword)
		form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
		page := rep.get(form)
		if !strings.Contains(string(page.body), "Hạn gửi báo cáo Quý I năm 2024: <strong>15/03/2024</strong>") {
			t.Errorf("the progress form shows no report due date: %s", page.body)
		}
		csrf := rep.csrf(form)
		// A date that is no day: refused beside the field, in Vietnamese, what was typed kept.
		bad := url.Values{"csrf": {csrf}, "status": {"done"}, "completed_on": {"31/02/2024"}, "result": {"Dòng một\nDòng hai"}}
		r := rep.post(form, bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `id="completed_on-error">Ngày hoàn thành phải có dạng ngày/tháng/năm`) ||
			!strings.Contains(string(r.body), `value="31/02/2024"`) {
			t.Fatalf("a date that is no day: %d %s", r.status, r.body)
		}
		good := url.Values{"csrf": {csrf}, "status": {"done"}, "completed_on": {"10/03/2024"}, "result": {"Dòng một\nDòng hai"}}
		if r := rep.post(form, good); r.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		var list struct {
			Items   []domain.Submission
			Returns []domain.Return
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", f.plan.ID), nil), 200).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].CompletedOn != "2024-03-10" || list.Items[0].Result != "Dòng một\nDòng hai" {
			t.Fatalf("stored %+v", list.Items)
		}
		sub := list.Items[0]

		// The dashboard: the plan's figures are the board's.
		var board progress.Board
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/status?period=2024-Q1", f.plan.ID), nil), 200).json(t, &board)
		sec := newWebClient(t, f.admin.base)
		sec.login("vanphong", testPassword)
		dash := sec.get("/dashboard?period=2024-Q1")
		if dash.status != 200 || !strings.Contains(string(dash.body), "Tổng hợp Quý I năm 2024") {
			t.Fatalf("dashboard: %d %s", dash.status, dash.body)
		}
		if !strings.Contains(string(dash.body), `action="/dashboard"`) || !strings.Contains(string(dash.body), `<option value="2024-Q1" selected>`) {
			t.Errorf("dashboard: the period picker does not stay on the page with the period chosen")
		}
		ref := fmt.Sprintf(`href="/plans/%d?period=2024-Q1"`, f.plan.ID)
		for kind, want := range map[string]int{"due": board.Due, "not_reported": board.Counts[progress.NotReported],
			"overdue": board.Counts[progress.Overdue], "reported": board.Due - board.Counts[progress.NotReported]} {
			n, link := cellOf(t, dash.body, "plans", ref, kind)
			if n != want {
				t.Errorf("dashboard %s: %d, the board says %d", kind, n, want)
			}
			if n > 0 {
				items := sec.get(link)
				if got := strings.Count(string(items.body), `<td class="num" data-label="STT">`); got != n {
					t.Errorf("%s: %d tasks behind the count %d", link, got, n)
				}
			}
		}
		// The agency that reported: one reported, on time; its name links to its tasks.
		lead := tasks[0].Lead[0]
		var summary progress.AgencySummary
		for _, a := range board.Agencies {
			if a.Agency == lead {
				summary = a
			}
		}
		if n, _ := cellOf(t, dash.body, "agencies", "<strong>"+lead+"</strong>", "due"); n != summary.Due {
			t.Errorf("the agency's due: %d, the board says %d", n, summary.Due)
		}
		// The same figures as JSON, for applications.
		var api dashboardJSON
		f.admin.expect(f.admin.do("GET", "/api/v1/dashboard?period=2024-Q1", nil), 200).json(t, &api)
		found := false
		for _, l := range api.Plans {
			if l.ID == f.plan.ID {
				found = true
				if l.Counts["due"] != board.Due || l.Counts["not_reported"] != board.Counts[progress.NotReported] ||
					l.Counts["reported"] != board.Due-board.Counts[progress.NotReported] || l.ReportDue != "2024-03-15" {
					t.Errorf("GET /api/v1/dashboard: %+v, the board says due %d, not reported %d", l, board.Due, board.Counts[progress.NotReported])
				}
			}
		}
		for _, a := range api.Agencies {
			if a.Name == lead && (a.Counts["due"] != summary.Due || len(a.Reported)+len(a.Missing) != summary.Due) {
				t.Errorf("GET /api/v1/dashboard: %s %+v, the board says due %d", lead, a.Counts, summary.Due)
			}
		}
		if !found || api.Period != "2024-Q1" || api.PeriodName != "Quý I năm 2024" {
			t.Errorf("GET /api/v1/dashboard: %+v", api)
		}
		f.admin.expect(f.admin.do("GET", "/api/v1/dashboard?period=2024-Q5", nil), 422)
		if r := rep.get("/api/v1/dashboard?period=2024-Q1"); r.status != 200 || strings.Contains(string(r.body), `"name":"Sở Nội vụ"`) ||
			!strings.Contains(string(r.body), `"name":"`+lead+`"`) {
			t.Errorf("a reporter's dashboard JSON shows other agencies: %d %s", r.status, r.body)
		}
		// Sorting by the count of not reported, most first.
		sorted := sec.get("/dashboard?period=2024-Q1&sort=not_reported&dir=desc")
		if !strings.Contains(string(sorted.body), "Chưa báo cáo</a> ▼") {
			t.Errorf("sorted dashboard has no marked column")
		}
		// A reporter sees its own agency only.
		rd := rep.get("/dashboard?period=2024-Q1")
		if strings.Contains(string(rd.body), "<strong>Sở Nội vụ</strong>") || !strings.Contains(string(rd.body), "<strong>"+lead+"</strong>") {
			t.Errorf("a reporter's dashboard shows other agencies: %s", rd.body)
		}
		mine := rep.get("/my-tasks?period=2024-Q1")
		if !strings.Contains(string(mine.body), `action="/my-tasks"`) || !strings.Contains(string(mine.body), `<option value="2024-Q1" selected>`) {
			t.Errorf("my tasks: the period picker does not stay on the page with the period chosen")
		}
		if got := strings.Count(string(mine.body), `<article class="card task`); got != summary.Due {
			t.Errorf("my tasks: %d, the agency's tasks due: %d", got, summary.Due)
		}

		// Send back: a comment is required.
		back := fmt.Sprintf("/plans/%d/tasks/%d/progress/%d/return?period=2024-Q1", f.plan.ID, tasks[0].ID, sub.ID)
		scsrf := sec.csrf(form)
		r = sec.post(back, url.Values{"csrf": {scsrf}, "comment": {"  "}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "Hãy ghi cần bổ sung gì.") {
			t.Errorf("send back without a comment: %d %s", r.status, r.body)
		}
		if r := rep.post(back, url.Values{"csrf": {csrf}, "comment": {"x"}}); r.status != http.StatusForbidden {
			t.Errorf("a reporter sends back: %d", r.status)
		}
		r = sec.post(back, url.Values{"csrf": {scsrf}, "comment": {"Bổ sung số liệu tin, bài\nvà ngày đăng."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("send back: %d %s", r.status, r.body)
		}
		if r := sec.get(form); !strings.Contains(string(r.body), "Đã gửi trả báo cáo lần 1") || !strings.Contains(string(r.body), "Yêu cầu bổ sung</strong>") {
			t.Errorf("after sending back: %s", r.body)
		}
		// Once only.
		if r := sec.post(back, url.Values{"csrf": {scsrf}, "comment": {"Lần nữa"}}); r.status != http.StatusConflict || !strings.Contains(string(r.body), "đã được gửi trả") {
			t.Errorf("sent back twice: %d %s", r.status, r.body)
		}
		mine = rep.get("/my-tasks?period=2024-Q1")
		if !strings.Contains(string(mine.body), "Cần bổ sung:") || !strings.Contains(string(mine.body), "Bổ sung số liệu tin, bài\nvà ngày đăng.") {
			t.Errorf("my tasks shows no request: %s", mine.body)
		}
		if r := rep.get(form); !strings.Contains(string(r.body), `id="returned"`) {
			t.Errorf("the form shows no request")
		}
		// The reporter answers: a new revision; the request is answered.
		good.Set("result", "Dòng một\nDòng hai\nĐã đăng 24 tin, bài ngày 10/3.")
		if r := rep.post(form, good); r.status != http.StatusSeeOther {
			t.Fatalf("resubmit: %d %s", r.status, r.body)
		}
		if mine := rep.get("/my-tasks?period=2024-Q1"); strings.Contains(string(mine.body), "Cần bổ sung:") {
			t.Errorf("my tasks still shows the answered request")
		}
		hist := sec.get(form)
		if !strings.Contains(string(hist.body), "Đã đăng 24 tin, bài ngày 10/3.") || !strings.Contains(string(hist.body), "Bổ sung số liệu tin, bài") {
			t.Errorf("the history does not show the exchange: %s", hist.body)
		}
		// The first revision is superseded: nothing more to send back.
		if r := sec.post(back, url.Values{"csrf": {scsrf}, "comment": {"Muộn"}}); r.status != http.StatusConflict {
			t.Errorf("sending back a superseded revision: %d", r.status)
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", f.plan.ID), nil), 200).json(t, &list)
		if len(list.Returns) != 1 || list.Returns[0].SubmissionID != sub.ID || list.Returns[0].ReturnedBy != "vanphong" {
			t.Errorf("returns: %+v", list.Returns)
		}
		// The API: the second revision sent back by a key.
		body := `{"comment": "Thiếu số liệu."}`
		var ret domain.Return
		f.admin.expect(f.admin.do("POST", fmt.Sprintf("/api/v1/plans/%d/progress/%d/return", f.plan.ID, list.Items[1].ID), body), 201).json(t, &ret)
		if ret.Revision != 2 || ret.Comment != "Thiếu số liệu." {
			t.Errorf("API return: %+v", ret)
		}
		f.admin.expect(f.admin.do("POST", fmt.Sprintf("/api/v1/plans/%d/progress/%d/return", f.plan.ID, list.Items[1].ID), body), 409)
		f.admin.expect(f.admin.do("POST", fmt.Sprintf("/api/v1/plans/%d/progress/%d/return", f.plan.ID, list.Items[1].ID), `{"comment": ""}`), 422)
		// The trail, in Vietnamese.
		audit := newWebClient(t, f.admin.base)
		audit.login("kiemtra", testPassword)
		if r := audit.get("/audit?action=bo+sung"); !strings.Contains(string(r.body), "Yêu cầu bổ sung báo cáo tiến độ") || !strings.Contains(string(r.body), "vanphong") {
			t.Errorf("audit trail: %s", r.body)
		}
	})
}
