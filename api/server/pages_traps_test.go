package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/workflow"
)

// TestPreviewWhatIsInTheBoxes: the report page's preview renders the
// text typed, not the saved draft, and saves nothing; a date typed
// dd/mm/yyyy is read, one that is no day is refused in Vietnamese.
func TestPreviewWhatIsInTheBoxes(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	sec := newWebClient(t, f.admin.base)
	sec.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-Q1", f.plan.ID)
	csrf := sec.csrf(page)
	typed := url.Values{"csrf": {csrf}, "version": {"0"}, "as_of": {"01/03/2024"},
		"assessment": {"Đoạn đánh giá chỉ có trong ô, chưa lưu."}}
	r := sec.post(page+"/preview", typed)
	if r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "%PDF-") {
		t.Fatalf("preview: %d %.200s", r.status, r.body)
	}
	if txt := strings.Join(strings.Fields(pdfText(t, r.body)), " "); !strings.Contains(txt, "Đoạn đánh giá chỉ có trong ô, chưa lưu.") ||
		!strings.Contains(txt, "đến ngày 01 tháng 3 năm 2024") {
		t.Errorf("the preview does not show what was typed: %.600s", txt)
	}
	// Nothing saved.
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1", f.plan.ID), nil), 404)
	typed.Set("do", "xlsx")
	if r := sec.post(page+"/preview", typed); r.status != 200 || !strings.HasPrefix(string(r.body), "PK") {
		t.Errorf("workbook preview: %d", r.status)
	}
	typed.Set("as_of", "31/02/2024")
	if r := sec.post(page+"/preview", typed); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(r.body), "Ngày lấy số liệu phải có dạng ngày/tháng/năm") || !strings.Contains(string(r.body), "Đoạn đánh giá chỉ có trong ô") {
		t.Errorf("a date that is no day: %d %s", r.status, r.body)
	}
	// An auditor may not preview (nor save).
	aud := newWebClient(t, f.admin.base)
	aud.login("kiemtra", testPassword)
	if r := aud.post(page+"/preview", url.Values{"csrf": {aud.csrf(page)}}); r.status != http.StatusForbidden {
		t.Errorf("auditor preview: %d", r.status)
	}
}

// TestReportListInReportingOrder: the plan page lists its reports by
// period in reporting order (Quý I before 6 tháng), with their due dates.
func TestReportListInReportingOrder(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	sec := newWebClient(t, f.admin.base)
	sec.login("vanphong", testPassword)
	for _, code := range []string{"2024-H1", "2024-Q2", "2024-Q1"} {
		page := fmt.Sprintf("/plans/%d/reports/%s", f.plan.ID, code)
		if r := sec.post(page, url.Values{"csrf": {sec.csrf(page)}, "version": {"0"}}); r.status != http.StatusSeeOther {
			t.Fatalf("draft %s: %d", code, r.status)
		}
	}
	body := string(sec.get(fmt.Sprintf("/plans/%d?period=2024-Q1", f.plan.ID)).body)
	i := strings.Index(body, "<h2>Các báo cáo định kỳ</h2>")
	if i < 0 {
		t.Fatal("no list of reports")
	}
	list := body[i:]
	q1, q2, h1 := strings.Index(list, "<td>Quý I năm 2024</td><td>15/03/2024</td>"), strings.Index(list, "<td>Quý II năm 2024</td><td>15/06/2024</td>"),
		strings.Index(list, "<td>6 tháng đầu năm 2024</td><td>15/06/2024</td>")
	if q1 < 0 || q2 < 0 || h1 < 0 || !(q1 < q2 && q2 < h1) {
		t.Errorf("reports not in reporting order with their due dates (%d %d %d): %s", q1, q2, h1, list)
	}
}

func TestDaysLeft(t *testing.T) {
	today := time.Date(2024, 3, 10, 9, 0, 0, 0, period.Vietnam)
	for _, c := range []struct {
		it   workflow.DashboardItem
		want string
		late bool
	}{
		{workflow.DashboardItem{Due: "2024-03-15", Status: progress.InTime}, "Còn 5 ngày", false},
		{workflow.DashboardItem{Due: "2024-03-10", Status: progress.NotReported}, "Hết hạn hôm nay", false},
		{workflow.DashboardItem{Due: "2024-03-07", Status: progress.Overdue}, "Quá hạn 3 ngày", true},
		{workflow.DashboardItem{Due: "2024-03-07", Status: progress.DoneOnTime}, "Đã hoàn thành", false},
		{workflow.DashboardItem{Ongoing: true, Status: progress.Ongoing}, "Thường xuyên", false},
	} {
		if got, late := daysLeft(c.it, today); got != c.want || late != c.late {
			t.Errorf("daysLeft(%+v) = %q %v, want %q %v", c.it, got, late, c.want, c.late)
		}
	}
}

// TestAgencyLabelsAndSearchByNumber: two provinces' plans of one year name
// agencies alike; the dashboard tells them apart by province, in
// Vietnamese order. The plans page finds a plan by number and symbol.
func TestAgencyLabelsAndSearchByNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		other := strings.NewReplacer("Ủy ban nhân dân tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Điện Biên", "TỈNH LAI CHÂU", "TỈNH ĐIỆN BIÊN",
			"UBND tỉnh Lai Châu", "UBND tỉnh Điện Biên", `"place": "Lai Châu"`, `"place": "Điện Biên"`).Replace(string(fixtureJSON(t, "lai-chau-2024")))
		f.admin.expect(f.admin.do("POST", "/api/v1/plans", other), 201)
		f.admin.expect(f.admin.do("POST", "/api/v1/plans", fixtureJSON(t, "tay-son-2023")), 201)
		sec := newWebClient(t, f.admin.base)
		sec.login("vanphong", testPassword)
		body := string(sec.get("/dashboard?period=2024-Q1").body)
		db, lc := strings.Index(body, "<strong>Sở Nội vụ (Ủy ban nhân dân tỉnh Điện Biên)</strong>"), strings.Index(body, "<strong>Sở Nội vụ (Ủy ban nhân dân tỉnh Lai Châu)</strong>")
		if db < 0 || lc < 0 || db > lc {
			t.Errorf("the two Sở Nội vụ not told apart in Vietnamese order (%d, %d): %s", db, lc, body)
		}
		if strings.Contains(body, "<strong>Sở Nội vụ</strong>") {
			t.Error("a Sở Nội vụ without its province")
		}
		for _, q := range []string{"20/KH-UBND", "số 20/kh-ubnd", "Số: 20"} {
			r := sec.get("/plans?q=" + url.QueryEscape(q))
			if !strings.Contains(string(r.body), "Tây Sơn") || strings.Contains(string(r.body), "Lai Châu năm 2024") {
				t.Errorf("search %q: %s", q, r.body)
			}
		}
	})
}
