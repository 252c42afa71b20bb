package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/xlsx"
)

// fixtureDoc is a seed plan as a map, to change one field as a client
// would.
func fixtureDoc(t *testing.T, name string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(fixtureJSON(t, name), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// refused checks a 422 naming field, the character and its code point.
func refused(t *testing.T, r response, field, char, cp string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("want 422 for %s, got %d %s", field, r.status, r.body)
	}
	p := r.problem(t)
	for _, fe := range p.Errors {
		if fe.Field == field {
			if fe.Character != char || fe.CodePoint != cp || !strings.Contains(fe.Problem, cp) {
				t.Errorf("%s: %+v, want %q %s", field, fe, char, cp)
			}
			return
		}
	}
	t.Errorf("the problem does not name %s: %+v", field, p.Errors)
}

// TestTextAtTheDoorAPI: what clients send through the API is cleaned (CR
// LF, Word's invisible characters) and refused with 422 naming the field
// when the font cannot draw it (emoji, CJK), and then nothing is stored.
func TestTextAtTheDoorAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		count := func() int {
			var list struct{ Items []domain.PlanSummary }
			c.expect(c.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
			return len(list.Items)
		}
		// Plan create: an emoji in a task, CJK in the title.
		m := fixtureDoc(t, "lai-chau-2024")
		tasks := m["appendices"].([]any)[0].(map[string]any)["tasks"].([]any)
		tasks[3].(map[string]any)["content"] = "Tuyên truyền 😀"
		refused(t, c.do("POST", "/api/v1/plans", m), "appendices[0].tasks[3].content", "😀", "U+1F600")
		tasks[3].(map[string]any)["content"] = "Tuyên truyền"
		m["title"] = "Kế hoạch 中文"
		refused(t, c.do("POST", "/api/v1/plans", m), "title", "中", "U+4E2D")
		if n := count(); n != 0 {
			t.Fatalf("%d plans stored by refused requests", n)
		}
		// Text pasted from Word and typed in a textarea: cleaned, kept where
		// the font draws it.
		m["title"] = "triển khai \u201cNăm cải cách\u201d \u2013 2024\u200b\u00ad …"
		m["body"] = "## I. MỤC ĐÍCH\r\n\r\nĐoạn một\tcó tab.\rĐoạn hai • Điều\u00a05."
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", m), 201).json(t, &p)
		if p.Document.Title != "triển khai “Năm cải cách” – 2024 …" {
			t.Errorf("title stored as %q", p.Document.Title)
		}
		if p.Document.Body != "## I. MỤC ĐÍCH\n\nĐoạn một có tab.\nĐoạn hai • Điều\u00a05." {
			t.Errorf("body stored as %q", p.Document.Body)
		}
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		c.expect(c.do("GET", base+"/document.pdf", nil), 200)

		// Plan update: refused, the version unchanged.
		m["version"] = p.Version
		m["title"] = "Kế hoạch 🚀"
		refused(t, c.do("PUT", base, m), "title", "🚀", "U+1F680")
		// Tasks: the body's own field names.
		task := map[string]any{"version": p.Version, "content": "Việc mới 👍", "lead": []string{"Sở Nội vụ"}}
		refused(t, c.do("POST", base+"/tasks", task), "content", "👍", "U+1F44D")
		tid := p.Document.Appendices[0].Tasks[0].ID
		task = map[string]any{"version": p.Version, "content": "Sửa", "lead": []string{"Sở 内务"}}
		refused(t, c.do("PUT", fmt.Sprintf("%s/tasks/%d", base, tid), task), "lead[0]", "内", "U+5185")
		var got planJSON
		c.expect(c.do("GET", base, nil), 200).json(t, &got)
		if got.Version != p.Version {
			t.Errorf("refused edits changed the plan: version %d", got.Version)
		}

		// Progress: an emoji refused, CR LF made LF.
		sub := map[string]any{"task_id": tid, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "in_progress",
			"result": "Đã đăng 10 tin 😀", "submitted_by": "Nguyễn Văn A"}
		refused(t, c.do("POST", base+"/progress", sub), "result", "😀", "U+1F600")
		sub["result"] = "Dòng một\r\nDòng hai"
		sub["figures"] = []map[string]any{{"name": "tin bài", "value": 3, "unit": "bài\u2002ⓧ"}}
		refused(t, c.do("POST", base+"/progress", sub), "figures[0].unit", "ⓧ", "U+24E7")
		sub["figures"] = nil
		var s1 domain.Submission
		c.expect(c.do("POST", base+"/progress", sub), 201).json(t, &s1)
		if s1.Result != "Dòng một\nDòng hai" || s1.Revision != 1 {
			t.Errorf("stored %+v", s1)
		}

		// The report's narrative.
		rep := base + "/reports/2024-Q1"
		refused(t, c.do("PUT", rep, map[string]any{"narrative": map[string]string{"assessment": "Tốt 😀"}}), "narrative.assessment", "😀", "U+1F600")
		refused(t, c.do("PUT", rep, map[string]any{"title": "Báo cáo\x00"}), "title", "", "U+0000")
		c.expect(c.do("GET", rep, nil), 404)
		var draft reportJSON
		c.expect(c.do("PUT", rep, map[string]any{"narrative": map[string]string{"assessment": "Dòng một\r\nDòng hai\r\n\r\n- ý một"}}), 201).json(t, &draft)
		if draft.Narrative.Assessment != "Dòng một\nDòng hai\n\n- ý một" {
			t.Errorf("narrative stored as %q", draft.Narrative.Assessment)
		}
		for _, f := range []string{".pdf", ".xlsx"} {
			if r := c.do("GET", rep+f, nil); r.status != 200 || r.header.Get(warningHeader) != "" {
				t.Errorf("report %s after CR LF: %d %s %s", f, r.status, r.header.Get(warningHeader), r.body)
			}
		}

		// Agencies and people.
		refused(t, c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở 🏛"}), "name", "🏛", "U+1F3DB")
		refused(t, c.do("POST", "/api/v1/users", map[string]any{"username": "hoa", "display_name": "Hoa 🌸", "role": "secretariat",
			"password": "mật-khẩu-dài-đủ"}), "display_name", "🌸", "U+1F338")
		var ag struct{ Name string }
		c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "\ufeffSở Tư\u00a0pháp\u200b"}), 201).json(t, &ag)
		if ag.Name != "Sở Tư\u00a0pháp" {
			t.Errorf("agency stored as %q", ag.Name)
		}

		// Stateless render: refused the same way, nothing rendered.
		refused(t, c.do("POST", "/api/v1/render?doc=plan", map[string]any{"kind": "KH", "date": "2024", "title": "Thử ✈",
			"agency": map[string]any{"name": "UBND", "symbol": "UBND", "place": "Hà Nội"}}), "title", "✈", "U+2708")
	})
}

// TestImportRefusesUndrawable: a spreadsheet row the font cannot print is
// refused with its row number; nothing is stored.
func TestImportRefusesUndrawable(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "thanh-tri-2022")), 201).json(t, &p)
	d := *p.Document
	d.Appendices = append([]doc.Appendix(nil), d.Appendices...)
	d.Appendices[0].Tasks = append([]doc.Task(nil), d.Appendices[0].Tasks...)
	d.Appendices[0].Tasks[1].Content = "Tuyên truyền\r\ntrên 📻"
	file, err := xlsx.Appendices(&d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.expect(c.do("POST", fmt.Sprintf("/api/v1/plans/%d/import?mode=replace", p.ID), file, "Content-Type", typeXLSX, "If-Match", `"v1"`), 422)
	pr := r.problem(t)
	if len(pr.Errors) != 1 || !strings.HasPrefix(pr.Errors[0].Field, "row ") || !strings.Contains(pr.Errors[0].Problem, "U+1F4FB") ||
		!strings.Contains(pr.Errors[0].Problem, "Nội dung") {
		t.Errorf("import problem %+v", pr.Errors)
	}
	var got planJSON
	c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d", p.ID), nil), 200).json(t, &got)
	if got.Version != 1 {
		t.Errorf("a refused import changed the plan")
	}
}

// TestTextAtTheDoorWebForms: browsers send CR LF from textareas; the
// progress form and the report draft form store LF, and the reports
// render. An emoji gets a Vietnamese message beside its field, what was
// typed stays in the form, and nothing is stored.
func TestTextAtTheDoorWebForms(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	tasks := f.plan.Document.Appendices[0].Tasks
	b := newWebClient(t, f.admin.base)
	b.login("coquan", testPassword)
	form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
	csrf := b.csrf(form)
	r := b.post(form, url.Values{"csrf": {csrf}, "status": {"in_progress"}, "result": {"Đăng 12 tin 😀\r\nDòng hai"}})
	body := html.UnescapeString(string(r.body))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(body, "Có ký tự “😀” (U+1F600) mà phông chữ của văn bản không có") ||
		!strings.Contains(body, "Đăng 12 tin 😀") || !strings.Contains(body, `id="result" name="result" class="invalid"`) {
		t.Fatalf("emoji in the form: %d %s", r.status, body)
	}
	if n := f.submissions(t); n != 0 {
		t.Fatalf("%d submissions stored by a refused form", n)
	}
	r = b.post(form, url.Values{"csrf": {csrf}, "status": {"in_progress"}, "result": {"Dòng một\r\nDòng hai"},
		"difficulties": {"Thiếu\u00a0kinh phí\r\n"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("CR LF in the form: %d %s", r.status, r.body)
	}
	var list struct{ Items []domain.Submission }
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", f.plan.ID), nil), 200).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Result != "Dòng một\nDòng hai" || list.Items[0].Difficulties != "Thiếu\u00a0kinh phí" {
		t.Fatalf("stored %+v", list.Items)
	}

	s := newWebClient(t, f.admin.base)
	s.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-Q1", f.plan.ID)
	csrf = s.csrf(page)
	r = s.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "assessment": {"Đánh giá 🙂"}, "causes": {"Nguyên nhân"}})
	body = html.UnescapeString(string(r.body))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(body, "Có ký tự “🙂” (U+1F642)") || !strings.Contains(body, "Đánh giá 🙂") ||
		!strings.Contains(body, ">Nguyên nhân</textarea>") {
		t.Fatalf("emoji in the draft: %d %s", r.status, body)
	}
	r = s.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, "assessment": {"Đoạn một.\r\nĐoạn hai.\r\n\r\nĐoạn ba."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("CR LF in the draft: %d %s", r.status, r.body)
	}
	for _, ext := range []string{".pdf", ".xlsx"} {
		if r := s.get(fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1%s", f.plan.ID, ext)); r.status != 200 {
			t.Errorf("report %s after CR LF through the forms: %d %s", ext, r.status, r.body)
		}
	}
	r = s.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"1"}, "date": {"2024-03-31"}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
}

// TestStoredUndrawableRenders: text that got into the database without
// passing the door (an older database, another font) never fails a
// render: the plan, its appendix and the report render in PDF and Excel,
// with "□" for each character, a warning header, a log line and a warning
// on the pages.
func TestStoredUndrawableRenders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		c := f.admin
		id := f.plan.ID
		base := fmt.Sprintf("/api/v1/plans/%d", id)
		tid := f.plan.Document.Appendices[0].Tasks[0].ID
		sub := map[string]any{"task_id": tid, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "in_progress",
			"result": "Đã đăng tin", "submitted_by": "Nguyễn Văn A"}
		c.expect(c.do("POST", base+"/progress", sub), 201)
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]string{"assessment": "Tốt"}}), 201)
		ctx := context.Background()
		for _, q := range []string{
			fmt.Sprintf("UPDATE tasks SET content = 'Tuyên truyền 😀 và 中文' WHERE id = %d", tid),
			fmt.Sprintf("UPDATE plans SET title = 'triển khai\r\ncó 🚀' WHERE id = %d", id),
			// Made before the report's as-of day, so that the report reads it.
			fmt.Sprintf("UPDATE progress SET result = 'Kết quả 👍\r\ndòng \u0093hai', difficulties = 'Khó khăn 🙁', submitted_at = '2024-03-10 09:00:00' WHERE plan_id = %d", id),
			fmt.Sprintf(`UPDATE reports SET narrative = '{"assessment":"Đánh giá 😀\r\nchung"}' WHERE plan_id = %d`, id),
		} {
			if err := st.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		files := map[string]response{}
		for _, path := range []string{"/document.pdf", "/appendix.pdf", "/appendix.xlsx", "/reports/2024-Q1.pdf", "/reports/2024-Q1.xlsx",
			"/document.docx", "/appendix.docx", "/reports/2024-Q1.docx"} {
			r := c.do("GET", base+path, nil)
			files[path] = r
			if r.status != 200 {
				t.Errorf("%s: %d %s", path, r.status, r.body)
				continue
			}
			w := r.header.Get(warningHeader)
			if strings.HasSuffix(path, ".pdf") && (!strings.Contains(w, "U+1F600") || !strings.Contains(w, "U+25A1")) {
				t.Errorf("%s: warning header %q", path, w)
			}
		}
		if w := files["/document.pdf"].header.Get(warningHeader); !strings.Contains(w, "U+1F680 U+1F600 U+4E2D U+6587 in title; appendices[0].tasks[0].content") {
			t.Errorf("plan warning %q", w)
		}
		if w := files["/reports/2024-Q1.pdf"].header.Get(warningHeader); !strings.Contains(w, "U+1F44D") || !strings.Contains(w, "U+0093") {
			t.Errorf("report warning %q", w)
		}
		for _, path := range []string{"/appendix.xlsx", "/reports/2024-Q1.xlsx"} {
			x, err := excelize.OpenReader(bytes.NewReader(files[path].body))
			if err != nil {
				t.Errorf("%s does not open: %v", path, err)
				continue
			}
			// Every cell shows □ where the PDF does: no control character,
			// no character the font lacks, no U+FFFD.
			var all strings.Builder
			for _, sheet := range x.GetSheetList() {
				rows, _ := x.GetRows(sheet)
				for _, r := range rows {
					all.WriteString(strings.Join(r, "\t") + "\n")
				}
			}
			x.Close()
			text := all.String()
			if !strings.Contains(text, "□") || strings.ContainsAny(text, "\u0093\uFFFD😀👍中") {
				t.Errorf("%s: cells not repaired:\n%s", path, text)
			}
		}
		// The DOCX files show □ where the PDF does, and say so.
		for _, path := range []string{"/document.docx", "/appendix.docx", "/reports/2024-Q1.docx"} {
			text := string(docxText(t, files[path].body))
			if !strings.Contains(text, "□") || strings.ContainsAny(text, "\u0093\uFFFD😀👍🚀中") {
				t.Errorf("%s: text not repaired:\n%s", path, text)
			}
		}
		if w := files["/reports/2024-Q1.docx"].header.Get(warningHeader); !strings.Contains(w, "U+1F44D") || !strings.Contains(w, "U+0093") {
			t.Errorf("report DOCX warning %q", w)
		}
		if w := files["/reports/2024-Q1.xlsx"].header.Get(warningHeader); !strings.Contains(w, "U+1F44D") {
			t.Errorf("report workbook warning %q", w)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			for _, path := range []string{"/document.pdf", "/reports/2024-Q1.pdf"} {
				dir := t.TempDir()
				file := filepath.Join(dir, "f.pdf")
				os.WriteFile(file, files[path].body, 0o644)
				out, err := exec.Command("pdftotext", "-raw", file, "-").Output()
				if err != nil || !strings.Contains(string(out), "□") {
					t.Errorf("%s: no □ in the text (%v)", path, err)
				}
				if path == "/document.pdf" && !strings.Contains(string(out), "Tuyên truyền □ và □□") {
					t.Errorf("%s: the task reads %q", path, out)
				}
			}
		}
		// The pages say so.
		b := newWebClient(t, c.base)
		b.login("vanphong", testPassword)
		for _, page := range []string{fmt.Sprintf("/plans/%d?period=2024-Q1", id), fmt.Sprintf("/plans/%d/reports/2024-Q1", id)} {
			r := b.get(page)
			if body := html.UnescapeString(string(r.body)); r.status != 200 || !strings.Contains(body, `class="warning"`) || !strings.Contains(body, "(U+1F600)") ||
				!strings.Contains(body, "được in thành “□”") {
				t.Errorf("%s: %d, no warning:\n%s", page, r.status, body)
			}
		}
		// Issuing is not prevented either.
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"date": "2024-03-31"}, "If-Match", `"v1"`), 200)
	})
}

// TestFailedDownloadInBrowser: a render that fails shows a page in
// Vietnamese to a browser following a download button; an API client
// still gets an RFC 9457 problem.
func TestFailedDownloadInBrowser(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{RenderTimeout: time.Nanosecond})
	b := newWebClient(t, f.admin.base)
	b.login("vanphong", testPassword)
	path := fmt.Sprintf("/api/v1/plans/%d/document.pdf", f.plan.ID)
	req, _ := http.NewRequest("GET", b.base+path, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(buf.String(), "Máy chủ đang bận") || !strings.Contains(buf.String(), "Văn bản chưa tạo được") {
		t.Errorf("browser: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), buf.String())
	}
	r := f.admin.do("GET", path, nil)
	if r.status != http.StatusServiceUnavailable || r.problem(t).Type != problemBase+"render-timeout" {
		t.Errorf("API: %d %s", r.status, r.body)
	}
}
