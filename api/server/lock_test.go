package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/period"
)

// TestReportLockAPI: the as-of date of drafts, issue-date rules, the lock
// an issued report puts on its period and the quarters it covers,
// reopening, and replacing an issued report.
func TestReportLockAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p) // reports due before the 16th
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		task := p.Document.Appendices[0].Tasks[0]
		submit := func(code string, want int) response {
			t.Helper()
			return c.expect(c.do("POST", base+"/progress", map[string]any{"task_id": task.ID, "period": code, "agency": task.Lead[0],
				"status": "in_progress", "result": "Đang làm " + code, "submitted_by": "Nguyễn Thị Hoa"}), want)
		}
		field := func(r response, name string) {
			t.Helper()
			pr := r.problem(t)
			if len(pr.Errors) != 1 || pr.Errors[0].Field != name || !strings.Contains(pr.Errors[0].Problem, " / ") {
				t.Errorf("problem %+v, want one naming %s in Vietnamese and English", pr, name)
			}
		}
		submit("2024-Q1", 201)
		submit("2024-Q2", 201)

		// As-of: a past period's draft defaults to the cut-off (15/3).
		var r reportJSON
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{}}), 201).json(t, &r)
		if r.AsOf != "2024-03-15" || !r.AsOfDefault {
			t.Errorf("default as-of %q %v", r.AsOf, r.AsOfDefault)
		}
		var board struct {
			AsOf string `json:"as_of"`
		}
		c.expect(c.do("GET", base+"/status?period=2024-Q1", nil), 200).json(t, &board)
		if board.AsOf != "2024-03-15" {
			t.Errorf("status board as of %s, want the draft's 2024-03-15", board.AsOf)
		}
		// Set by the secretariat: the board follows.
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": r.Version, "as_of": "2024-02-10", "narrative": map[string]any{}}), 200).json(t, &r)
		if r.AsOf != "2024-02-10" || r.AsOfDefault {
			t.Errorf("as-of set: %q %v", r.AsOf, r.AsOfDefault)
		}
		c.expect(c.do("GET", base+"/status?period=2024-Q1", nil), 200).json(t, &board)
		if board.AsOf != "2024-02-10" {
			t.Errorf("status board as of %s, want 2024-02-10", board.AsOf)
		}
		c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of=2024-03-01", nil), 200).json(t, &board)
		if board.AsOf != "2024-03-01" {
			t.Errorf("status board asked as of 2024-03-01: %s", board.AsOf)
		}
		// The preview renders with it.
		if pdf := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200); !bytes.HasPrefix(pdf.body, []byte("%PDF")) {
			t.Error("preview is not a PDF")
		}
		for _, bad := range []string{"2999-01-01", "2023-12-31", "2024-02-31", "mai"} {
			field(c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": r.Version, "as_of": bad, "narrative": map[string]any{}}), 422), "as_of")
		}
		// "" sets the default back.
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": r.Version, "as_of": "", "narrative": map[string]any{}}), 200).json(t, &r)
		if r.AsOf != "2024-03-15" || !r.AsOfDefault {
			t.Errorf("as-of back to the default: %q %v", r.AsOf, r.AsOfDefault)
		}

		// Issue dates: not before the cut-off, not in the future.
		tomorrow := time.Now().In(period.Vietnam).AddDate(0, 0, 1).Format(time.DateOnly)
		for _, bad := range []string{"2024-03-14", "2024-01-02", tomorrow} {
			field(c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"date": bad}, "If-Match", etagOf(r.Version)), 422), "date")
		}
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"date": "2024-03-20"}, "If-Match", etagOf(r.Version)), 200).json(t, &r)
		if r.Number != 1 || r.AsOf != "2024-03-20" || !r.LocksProgress || r.Links["reopen"] == "" || r.Links["replace"] == "" {
			t.Fatalf("issued %+v", r)
		}
		q1 := r
		oldPDF := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200).body
		oldXLSX := c.expect(c.do("GET", base+"/reports/2024-Q1.xlsx", nil), 200).body
		c.expect(c.do("GET", base+"/status?period=2024-Q1", nil), 200).json(t, &board)
		if board.AsOf != "2024-03-20" {
			t.Errorf("status board of an issued period as of %s, want the issue date", board.AsOf)
		}

		// Q1 issued: Q1 locked, Q2 not.
		pr := submit("2024-Q1", 409).problem(t)
		if pr.Type != "/api/v1/problems/period-locked" || !strings.Contains(pr.Detail, "Báo cáo số 01/BC-UBND") || !strings.Contains(pr.Detail, "mở lại") {
			t.Errorf("locked problem %+v", pr)
		}
		submit("2024-Q2", 201)
		// H1 issued: Q2 and H1 locked too, Q3 not.
		c.expect(c.do("PUT", base+"/reports/2024-H1", map[string]any{"narrative": map[string]any{}}), 201)
		c.expect(c.do("POST", base+"/reports/2024-H1/issue", map[string]any{"date": "2024-06-20"}, "If-Match", `"v1"`), 200).json(t, &r)
		h1 := r
		submit("2024-Q2", 409)
		submit("2024-H1", 409)
		submit("2024-Q3", 201)

		// Reopen H1: version required, audited; Q2 open again, Q1 not.
		c.expect(c.do("POST", base+"/reports/2024-H1/reopen", nil), 428)
		c.expect(c.do("POST", base+"/reports/2024-H1/reopen", nil, "If-Match", etagOf(h1.Version+5)), 412)
		c.expect(c.do("POST", base+"/reports/2024-H1/reopen", map[string]any{"bogus": 1}), 422)
		c.expect(c.do("POST", base+"/reports/2024-H1/reopen", nil, "If-Match", etagOf(h1.Version)), 200).json(t, &r)
		if r.Status != "issued" || r.LocksProgress || r.ReopenedAt == nil || r.Number != 2 {
			t.Errorf("reopened %+v", r)
		}
		c.expect(c.do("POST", base+"/reports/2024-H1/reopen", nil, "If-Match", etagOf(r.Version)), 409)
		c.expect(c.do("POST", base+"/reports/2024-Q3/reopen", nil, "If-Match", `"v1"`), 409)
		submit("2024-Q2", 201)
		submit("2024-H1", 201)
		submit("2024-Q1", 409)
		var trail struct{ Items []store.AuditEntry }
		c.expect(c.do("GET", "/api/v1/audit?action=report.reopen", nil), 200).json(t, &trail)
		if len(trail.Items) != 1 || !strings.Contains(trail.Items[0].Detail, "02/BC-UBND") {
			t.Errorf("reopen in the trail: %+v", trail.Items)
		}
		// The reporter may not reopen.
		rep := c.as("reporter", agencyOf(t, c, task.Lead[0]))
		rep.expect(rep.do("POST", base+"/reports/2024-Q1/reopen", nil, "If-Match", etagOf(q1.Version)), 403)

		// Replace Q1.
		c.expect(c.do("POST", base+"/reports/2024-Q1/replace", nil), 428)
		c.expect(c.do("POST", base+"/reports/2024-Q2/replace", nil, "If-Match", `"v1"`), 404)
		c.expect(c.do("POST", base+"/reports/2024-Q1/replace", nil, "If-Match", etagOf(q1.Version)), 201).json(t, &r)
		if r.Status != "draft" || r.Replaces != q1.ID || r.ReplacesRef == nil || r.ReplacesRef.Reference != "01/BC-UBND" || r.ReplacesRef.IssuedOn != "2024-03-20" {
			t.Fatalf("replacement draft %+v", r)
		}
		c.expect(c.do("POST", base+"/reports/2024-Q1/replace", nil, "If-Match", etagOf(q1.Version)), 409)
		// The period's URLs address the replacement draft; Q1 stays locked
		// by the report in force.
		draft := r
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": draft.Version, "as_of": "2024-11-01",
			"narrative": map[string]any{"causes": "Đính chính số liệu."}}), 200).json(t, &draft)
		if pdf := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200).body; bytes.Equal(pdf, oldPDF) || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Error("the period's PDF is not the replacement draft's preview")
		}
		submit("2024-Q1", 409)
		var list struct{ Items []reportJSON }
		c.expect(c.do("GET", base+"/reports/2024-Q1/history", nil), 200).json(t, &list)
		if len(list.Items) != 2 || list.Items[0].ID != q1.ID || list.Items[0].Current || !list.Items[1].Current {
			t.Errorf("history during the replacement %+v", list.Items)
		}
		// Issue it: the next number (03), the old one replaced.
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"date": "2024-11-05"}, "If-Match", etagOf(draft.Version)), 200).json(t, &r)
		if r.Number != 3 || r.Status != "issued" || r.Replaces != q1.ID || r.AsOf != "2024-11-05" {
			t.Errorf("replacement issued %+v", r)
		}
		newPDF := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200).body
		if sum := sha256.Sum256(newPDF); hex.EncodeToString(sum[:]) != r.PDFSHA256 {
			t.Error("the period's PDF is not the replacement's")
		}
		oldPath := fmt.Sprintf("%s/reports/2024-Q1/history/%d", base, q1.ID)
		if got := c.expect(c.do("GET", oldPath+".pdf", nil), 200); !bytes.Equal(got.body, oldPDF) ||
			!strings.Contains(got.header.Get("Content-Disposition"), "01-BC-UBND") && !strings.Contains(got.header.Get("Content-Disposition"), "01%2FBC-UBND") {
			t.Errorf("replaced PDF: %d bytes, %q", len(got.body), got.header.Get("Content-Disposition"))
		}
		if got := c.expect(c.do("GET", oldPath+".xlsx", nil), 200).body; !bytes.Equal(got, oldXLSX) {
			t.Error("the replaced report's workbook changed")
		}
		var old reportJSON
		c.expect(c.do("GET", base+"/reports", nil), 200).json(t, &list)
		for _, it := range list.Items {
			if it.ID == q1.ID {
				old = it
			}
		}
		if len(list.Items) != 3 || old.Status != "replaced" || old.ReplacedBy != r.ID || old.Note != "Đã được thay thế bởi Báo cáo số 03/BC-UBND" ||
			old.Links["pdf"] != oldPath+".pdf" || old.Current {
			t.Errorf("list: %d items, the replaced one %+v", len(list.Items), old)
		}
		c.expect(c.do("GET", "/api/v1/audit?action=report.replace", nil), 200).json(t, &trail)
		if len(trail.Items) != 1 || !strings.Contains(trail.Items[0].Detail, "01/BC-UBND") {
			t.Errorf("replace in the trail: %+v", trail.Items)
		}
		submit("2024-Q1", 409) // locked again by the replacement
		// Bad names of old files.
		field(c.expect(c.do("GET", base+"/reports/2024-Q1/history/abc.pdf", nil), 422), "file")
		c.expect(c.do("GET", fmt.Sprintf("%s/reports/2024-Q2/history/%d.pdf", base, q1.ID), nil), 404)
		c.expect(c.do("GET", base+"/reports/2024-Q1/history/999999.pdf", nil), 404)

		// A current period's board defaults to today.
		today := time.Now().In(period.Vietnam)
		cur := period.Period{Year: today.Year(), Kind: period.Whole}
		if !period.Day(today).Before(cur.CutOff(16)) {
			cur.Year++
		}
		c.expect(c.do("GET", base+"/status?period="+cur.Code(), nil), 200).json(t, &board)
		if board.AsOf != today.Format(time.DateOnly) {
			t.Errorf("status board of %s as of %s, want today %s", cur, board.AsOf, today.Format(time.DateOnly))
		}
	})
}

// agencyOf finds an agency's id by name.
func agencyOf(t *testing.T, c *client, name string) int64 {
	t.Helper()
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}
	}
	c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
	for _, a := range list.Items {
		if a.Name == name {
			return a.ID
		}
	}
	t.Fatalf("no agency %q", name)
	return 0
}

// TestLockPages: the pages say what the API does — a locked period shows
// the reporter a message and no form; the secretariat sets the as-of
// date, is told why an issue date is refused, reopens and replaces.
func TestLockPages(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	tasks := f.plan.Document.Appendices[0].Tasks
	sec := newWebClient(t, f.admin.base)
	sec.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-Q1", f.plan.ID)
	csrf := sec.csrf(page)
	body := func(r response) string { return string(r.body) }

	// The as-of date: refused in the future, in Vietnamese; then set.
	r := sec.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "as_of": {"2999-01-01"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(body(r), "Ngày lấy số liệu 01/01/2999 chưa đến") {
		t.Errorf("as-of in the future: %d %s", r.status, r.body)
	}
	if r := sec.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "as_of": {"2024-03-01"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save with an as-of date: %d %s", r.status, r.body)
	}
	r = sec.get(page)
	if !strings.Contains(body(r), `name="as_of" value="01/03/2024"`) || !strings.Contains(body(r), "lấy số liệu đến ngày 01/03/2024") {
		t.Errorf("draft page without its as-of date: %s", r.body)
	}
	if r := sec.get(fmt.Sprintf("/plans/%d?period=2024-Q1", f.plan.ID)); !strings.Contains(body(r), "Số liệu tính đến ngày 01/03/2024") {
		t.Errorf("plan page not as of the draft's date")
	}
	// An issue date before the cut-off.
	r = sec.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-03-10"}, "confirm": {"yes"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(body(r), "Ngày ban hành 10/03/2024 trước hạn báo cáo") {
		t.Errorf("issue before the cut-off: %d %s", r.status, r.body)
	}
	if r := sec.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-03-31"}, "confirm": {"yes"}}); r.status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}

	// The reporter: a message, no form; a post is refused.
	rep := newWebClient(t, f.admin.base)
	rep.login("coquan", testPassword)
	form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
	r = rep.get(form)
	if r.status != 200 || !strings.Contains(body(r), "Kỳ báo cáo đã khóa") || !strings.Contains(body(r), "Báo cáo số 01/BC-UBND") || strings.Contains(body(r), `name="status"`) {
		t.Errorf("locked progress page: %d %s", r.status, r.body)
	}
	before := f.submissions(t)
	r = rep.post(form, url.Values{"csrf": {rep.csrf("/plans")}, "status": {"in_progress"}, "result": {"Muộn"}})
	if r.status != http.StatusConflict || !strings.Contains(body(r), "kỳ báo cáo đã khóa") {
		t.Errorf("post to a locked period: %d", r.status)
	}
	if f.submissions(t) != before {
		t.Error("a submission was stored in a locked period")
	}

	// Reopen from the page: the form is back.
	r = sec.get(page)
	if !strings.Contains(body(r), "Mở lại kỳ báo cáo") || !strings.Contains(body(r), "Lập báo cáo thay thế") {
		t.Fatalf("issued page without reopen and replace: %s", r.body)
	}
	if r := sec.post(page+"/reopen", url.Values{"csrf": {csrf}, "version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reopen: %d %s", r.status, r.body)
	}
	if r := rep.get(form); strings.Contains(body(r), "Kỳ báo cáo đã khóa") || !strings.Contains(body(r), `name="status"`) {
		t.Errorf("reopened progress page: %s", r.body)
	}
	// Replace, then issue the replacement: the list says which replaced which.
	if r := sec.post(page+"/replace", url.Values{"csrf": {csrf}, "version": {"3"}}); r.status != http.StatusSeeOther {
		t.Fatalf("replace: %d %s", r.status, r.body)
	}
	r = sec.get(page)
	if !strings.Contains(body(r), "Dự thảo thay thế Báo cáo số <strong>01/BC-UBND</strong>") || !strings.Contains(body(r), "Đang có hiệu lực") {
		t.Errorf("replacement draft page: %s", r.body)
	}
	// Issued in 2024: the next number of that year.
	if r := sec.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-11-05"}, "confirm": {"yes"}}); r.status != http.StatusSeeOther {
		t.Fatalf("issue the replacement: %d %s", r.status, r.body)
	}
	r = sec.get(fmt.Sprintf("/plans/%d?period=2024-Q1", f.plan.ID))
	if !strings.Contains(body(r), "Đã được thay thế bởi Báo cáo số 02/BC-UBND") || !strings.Contains(body(r), "(thay thế Báo cáo số 01/BC-UBND)") ||
		!strings.Contains(body(r), "/reports/2024-Q1/history/") {
		t.Errorf("plan page's list: %s", r.body)
	}
	if r := rep.get(form); !strings.Contains(body(r), "Kỳ báo cáo đã khóa") || !strings.Contains(body(r), "02/BC-UBND") {
		t.Errorf("the replacement locks the period again: %s", r.body)
	}
}
