package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"baocao/api/store/storetest"
	"baocao/domain"
)

func TestReporterPages(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	tasks := f.plan.Document.Appendices[0].Tasks
	b := newWebClient(t, f.admin.base)
	b.login("coquan", testPassword)
	planPage := fmt.Sprintf("/plans/%d?period=2024-Q1", f.plan.ID)
	r := b.get(planPage)
	if r.status != 200 {
		t.Fatalf("plan page: %d", r.status)
	}
	form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
	if !strings.Contains(string(r.body), form) {
		t.Errorf("plan page has no report link for the agency's task")
	}
	// The downloads, Word beside PDF: the plan, its appendix, the draft report.
	for _, link := range []string{"/document.docx", "/appendix.docx", "/reports/2024-Q1.docx"} {
		path := fmt.Sprintf("/api/v1/plans/%d%s", f.plan.ID, link)
		if !strings.Contains(string(r.body), `href="`+path+`"`) {
			t.Errorf("plan page has no link to %s", path)
		}
		if d := b.get(path); d.status != 200 {
			t.Errorf("%s: %d", path, d.status)
		}
	}
	// A task of another agency: no form.
	if r := b.get(fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[3].ID)); r.status != http.StatusForbidden {
		t.Errorf("another agency's task page: %d", r.status)
	}
	csrf := b.csrf(form)
	// Validation: the messages stand next to their fields, in Vietnamese; nothing is stored.
	bad := url.Values{"csrf": {csrf}, "status": {"done"}, "result": {"Xong"},
		"figure_name": {"Tin, bài", ""}, "figure_value": {"mười", ""}, "figure_unit": {"bài", ""}}
	r = b.post(form, bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "không phải là số") {
		t.Errorf("bad figure: %d %s", r.status, r.body)
	}
	bad["figure_value"] = []string{"NaN", ""}
	if r := b.post(form, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "không phải là số") {
		t.Errorf("NaN figure: %d", r.status)
	}
	bad["figure_value"] = []string{"12", ""}
	r = b.post(form, bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `id="completed_on-error">Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành.`) {
		t.Errorf("done without a date: %d %s", r.status, r.body)
	}
	if !strings.Contains(string(r.body), `value="Tin, bài"`) {
		t.Error("the form lost what was typed")
	}
	if n := f.submissions(t); n != 0 {
		t.Fatalf("%d submissions stored by invalid forms", n)
	}
	// Without its CSRF token: refused.
	good := url.Values{"status": {"in_progress"}, "result": {"Đã đăng 12 tin, bài"}, "figure_name": {"Tin, bài"},
		"figure_value": {"1.234,5"}, "figure_unit": {"bài"}, "difficulties": {"=HYPERLINK(\"x\")"}}
	if r := b.post(form, good); r.status != http.StatusForbidden {
		t.Errorf("form without CSRF: %d", r.status)
	}
	good.Set("csrf", "sai")
	if r := b.post(form, good); r.status != http.StatusForbidden {
		t.Errorf("form with a wrong CSRF token: %d", r.status)
	}
	if n := f.submissions(t); n != 0 {
		t.Fatalf("%d submissions stored without CSRF", n)
	}
	good.Set("csrf", csrf)
	r = b.post(form, good)
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	var list struct{ Items []domain.Submission }
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", f.plan.ID), nil), 200).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Figures[0].Value != 1234.5 || list.Items[0].SubmittedBy != "coquan" {
		t.Fatalf("stored %+v", list.Items)
	}
	// The status board shows it, with the flash message.
	r = b.get(planPage)
	if !strings.Contains(string(r.body), "Đã gửi báo cáo lần 1") || !strings.Contains(string(r.body), "Đang thực hiện") {
		t.Errorf("plan page after submitting: %s", r.body)
	}
	// A cookie session calling the API for a change needs the token too.
	req, _ := http.NewRequest("POST", b.base+fmt.Sprintf("/api/v1/plans/%d/progress", f.plan.ID),
		strings.NewReader(fmt.Sprintf(`{"task_id": %d, "period": "2024-Q1", "status": "in_progress"}`, tasks[0].ID)))
	req.Header.Set("Content-Type", "application/json")
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cookie API post without X-CSRF-Token: %d", res.StatusCode)
	}
	// Plans of other provinces are not listed, nor open.
	if r := b.get("/plans"); strings.Contains(string(r.body), "Ninh Thuận") {
		t.Error("a reporter sees a plan that does not involve its agency")
	}
}

func TestSecretariatReportPages(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	b := newWebClient(t, f.admin.base)
	b.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-Q1", f.plan.ID)
	csrf := b.csrf(page)
	r := b.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "assessment": {"Các cơ quan triển khai *kịp thời*."},
		"proposals": {"- Bổ sung kinh phí"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save draft: %d %s", r.status, r.body)
	}
	r = b.get(page)
	if !strings.Contains(string(r.body), "Đã lưu dự thảo") || !strings.Contains(string(r.body), "Các cơ quan triển khai *kịp thời*.") {
		t.Fatalf("draft page: %s", r.body)
	}
	// A stale form is refused with a message, nothing lost.
	r = b.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "assessment": {"Bản khác"}})
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "vừa được người khác sửa") {
		t.Errorf("stale save: %d", r.status)
	}
	r = b.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-03-31"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "Hãy đánh dấu ô xác nhận") {
		t.Fatalf("issue without confirming: %d", r.status)
	}
	r = b.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-03-31"}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
	r = b.get(page)
	if !strings.Contains(string(r.body), "Đã ban hành báo cáo số 01/BC-UBND") {
		t.Errorf("issued page: %s", r.body)
	}
	pdf := b.get(fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1.pdf", f.plan.ID))
	if pdf.status != 200 || !strings.HasPrefix(string(pdf.body), "%PDF") {
		t.Errorf("issued PDF through the session: %d", pdf.status)
	}
	// The auditor reads the page but has no buttons, and cannot post.
	a := newWebClient(t, f.admin.base)
	a.login("kiemtra", testPassword)
	r = a.get(page)
	if r.status != 200 || strings.Contains(string(r.body), "Lưu dự thảo") || !strings.Contains(string(r.body), `name="assessment" readonly`) {
		t.Errorf("auditor's report page: %d", r.status)
	}
	if r := a.post(page, url.Values{"csrf": {a.csrf("/plans")}, "version": {"2"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor posts a draft: %d", r.status)
	}
	// Export and audit pages.
	for _, p := range []string{"/exports", "/audit"} {
		if r := a.get(p); r.status != 200 {
			t.Errorf("%s for the auditor: %d", p, r.status)
		}
	}
	if r := b.get("/audit"); r.status != http.StatusForbidden {
		t.Errorf("/audit for the secretariat: %d", r.status)
	}
}
