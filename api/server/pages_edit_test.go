package server

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
)

// The editing pages as a browser uses them (forms, redirects, CSRF), on
// SQLite and PostgreSQL; the browser tests (browser_edit_test.go) drive
// the same flows in Chromium.

// postFile sends a multipart form with a file, as the import form does.
func (b *webClient) postFile(path string, fields url.Values, field, name string, data []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: out.Bytes()}
}

// page is a page's text with its HTML entities decoded.
func page(r response) string { return html.UnescapeString(string(r.body)) }

// fieldError is the message beside a form's field, "" when none.
func fieldError(r response, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error">([^<]*)<`).FindSubmatch(r.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// planForm is the plan form filled in as a clerk would.
func planFormValues(csrf string, version int64) url.Values {
	return url.Values{"csrf": {csrf}, "version": {fmt.Sprint(version)}, "kind": {"KH"}, "date": {"05/3/2024"},
		"agency.name": {"Ủy ban nhân dân huyện Tam Đường"}, "agency.symbol": {"UBND"}, "agency.place": {"Tam Đường"},
		"agency.parent.name": {"Ủy ban nhân dân tỉnh Lai Châu"},
		"title":              {"Kế hoạch chuyển đổi số năm 2024"}, "legal_bases": {"Căn cứ Luật Tổ chức chính quyền địa phương;\r\nCăn cứ Kế hoạch số 20/KH-UBND;\r\n"},
		"body":       {"## I. MỤC ĐÍCH, YÊU CẦU\r\n\r\nĐoạn “trích” từ Word – có gạch nối\u00ad mềm.\r\n\r\n- Ý một;\r\n+ ý nhỏ."},
		"recipients": {"UBND tỉnh;\r\nCác cơ quan, đơn vị;"}, "archive": {"VT"},
		"signature.authority": {"TM. ỦY BAN NHÂN DÂN\r\nCHỦ TỊCH"}, "signature.signer": {"Nguyễn Văn An"}}
}

func TestEditPlanPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		b := newWebClient(t, f.admin.base)
		b.login("vanphong", testPassword)
		if r := b.get("/plans"); !strings.Contains(page(r), `href="/plans/new"`) {
			t.Error("the plan list offers no new plan to the secretariat")
		}
		csrf := b.csrf("/plans/new")

		// An emoji in the title and a date that does not exist: refused beside
		// the fields, what was typed kept, nothing stored.
		form := planFormValues(csrf, 0)
		form.Set("title", "Kế hoạch chuyển đổi số 🚀")
		form.Set("date", "31/02/2024")
		r := b.post("/plans/new", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(r, "title"), "🚀") ||
			!strings.Contains(fieldError(r, "date"), "31/02/2024") {
			t.Fatalf("invalid plan form: %d title %q date %q", r.status, fieldError(r, "title"), fieldError(r, "date"))
		}
		if !strings.Contains(page(r), "Đoạn “trích” từ Word") || !strings.Contains(page(r), `value="Kế hoạch chuyển đổi số 🚀"`) {
			t.Error("the refused form lost what was typed")
		}
		var list struct{ Total int }
		f.admin.expect(f.admin.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
		if list.Total != 1 {
			t.Fatalf("a refused form stored a plan: %d plans", list.Total)
		}

		// The preview renders what is in the boxes, storing nothing.
		form = planFormValues(csrf, 0)
		r = b.post("/plans/new/preview", form)
		if r.status != 200 || !bytes.HasPrefix(r.body, []byte("%PDF-")) {
			t.Fatalf("preview: %d %.100s", r.status, r.body)
		}
		f.admin.expect(f.admin.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
		if list.Total != 1 {
			t.Fatal("the preview stored a plan")
		}

		// Created: CR LF and Word's soft hyphen cleaned at the door.
		r = b.post("/plans/new", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, page(r))
		}
		var id int64
		fmt.Sscanf(r.header.Get("Location"), "/plans/%d/tasks", &id)
		var p planJSON
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", id), nil), 200).json(t, &p)
		d := p.Document
		if d.Body != "## I. MỤC ĐÍCH, YÊU CẦU\n\nĐoạn “trích” từ Word – có gạch nối mềm.\n\n- Ý một;\n+ ý nhỏ." ||
			len(d.LegalBases) != 2 || d.Date.String() != "2024-03-05" || d.Signature == nil || d.Signature.Signer != "Nguyễn Văn An" ||
			len(d.Recipients) != 2 || d.Agency.Parent == nil {
			t.Fatalf("stored plan: %+v", d)
		}

		// Edit: a stale form is refused with a clear message, what was typed kept.
		edit := fmt.Sprintf("/plans/%d/edit", id)
		if r := b.get(edit); !strings.Contains(page(r), `value="05/03/2024"`) {
			t.Errorf("the edit form does not show the date dd/mm/yyyy")
		}
		form = planFormValues(csrf, p.Version)
		form.Set("title", "Kế hoạch chuyển đổi số năm 2024 (sửa lần 1)")
		if r := b.post(edit, form); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.status, page(r))
		}
		form.Set("title", "Sửa từ một trang cũ")
		r = b.post(edit, form) // the same version again: stale
		if r.status == http.StatusSeeOther || !strings.Contains(page(r), "người khác sửa") || !strings.Contains(page(r), `value="Sửa từ một trang cũ"`) {
			t.Fatalf("stale edit: %d", r.status)
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", id), nil), 200).json(t, &p)
		if p.Document.Title != "Kế hoạch chuyển đổi số năm 2024 (sửa lần 1)" {
			t.Fatalf("the stale edit changed the plan: %q", p.Document.Title)
		}
		// An edit keeps the plan's tasks (the seed plan's).
		seed := fmt.Sprintf("/plans/%d/edit", f.plan.ID)
		r = b.get(seed)
		if r.status != 200 {
			t.Fatalf("seed edit page: %d", r.status)
		}
		form = planFormValues(csrf, f.plan.Version)
		for _, k := range []string{"title", "body", "date", "agency.name", "agency.symbol", "agency.place", "agency.parent.name"} {
			form.Del(k)
		}
		m := regexp.MustCompile(`name="(title|date|agency\.name|agency\.symbol|agency\.place|agency\.parent\.name)" value="([^"]*)"`).FindAllStringSubmatch(page(r), -1)
		for _, kv := range m {
			form.Set(kv[1], kv[2])
		}
		form.Set("body", f.plan.Document.Body)
		if r := b.post(seed, form); r.status != http.StatusSeeOther {
			t.Fatalf("seed edit: %d %s", r.status, page(r))
		}
		var after planJSON
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", f.plan.ID), nil), 200).json(t, &after)
		if len(after.Document.Appendices[0].Tasks) != len(f.plan.Document.Appendices[0].Tasks) || after.Document.Title != f.plan.Document.Title {
			t.Errorf("editing the header lost tasks or the title: %d tasks, %q", len(after.Document.Appendices[0].Tasks), after.Document.Title)
		}

		// A reporter and an auditor have no plan form.
		rep := newWebClient(t, f.admin.base)
		rep.login("coquan", testPassword)
		if r := rep.get(seed); r.status != http.StatusForbidden {
			t.Errorf("a reporter opens the plan form: %d", r.status)
		}
		if r := rep.get(fmt.Sprintf("/plans/%d", f.plan.ID)); strings.Contains(page(r), "/edit") {
			t.Error("the plan page offers editing to a reporter")
		}
	})
}

func TestEditTaskPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		tasks := f.plan.Document.Appendices[0].Tasks
		// A report on the first task: it can be archived, never deleted.
		rep := f.admin.as(auth.RoleReporter, f.agency)
		rep.expect(rep.do("POST", fmt.Sprintf("/api/v1/plans/%d/progress", f.plan.ID), map[string]any{"task_id": tasks[0].ID,
			"period": "2024-Q1", "status": "in_progress", "result": "Đã triển khai"}), 201)
		b := newWebClient(t, f.admin.base)
		b.login("vanphong", testPassword)
		list := fmt.Sprintf("/plans/%d/tasks", f.plan.ID)
		csrf := b.csrf(list)
		version := func() int64 {
			var p planJSON
			f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", f.plan.ID), nil), 200).json(t, &p)
			return p.Version
		}
		v := version()

		// Add: no lead agency, refused beside the field; then added at place 2.
		add := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}, "content": {"Rà soát thủ tục hành chính\r\n\r\n- cấp tỉnh;\r\n- cấp huyện."},
			"lead": {""}, "deadline": {"Quý II năm 2024"}, "position": {"2"}}
		r := b.post(list+"/new", add)
		if r.status != http.StatusUnprocessableEntity || fieldError(r, "lead") == "" || !strings.Contains(page(r), "Rà soát thủ tục hành chính") {
			t.Fatalf("task without a lead: %d %q", r.status, fieldError(r, "lead"))
		}
		add.Set("deadline", "31/02/2024")
		add.Set("lead", "Sở Nội vụ\r\nVăn phòng UBND tỉnh")
		r = b.post(list+"/new", add)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(r, "deadline"), "31") {
			t.Fatalf("an impossible deadline: %d %q %s", r.status, fieldError(r, "deadline"), page(r))
		}
		add.Set("deadline", "Quý II năm 2024")
		if r := b.post(list+"/new", add); r.status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.status, page(r))
		}
		var got struct {
			Items []taskJSON
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/tasks", f.plan.ID), nil), 200).json(t, &got)
		added := got.Items[1]
		if added.Content != "Rà soát thủ tục hành chính\n\n- cấp tỉnh;\n- cấp huyện." || len(added.Lead) != 2 || len(got.Items) != len(tasks)+1 {
			t.Fatalf("added task: %+v (%d tasks)", added.Task, len(got.Items))
		}
		// Edit it, from a page made before the add: stale, nothing lost.
		edit := fmt.Sprintf("%s/%d/edit", list, added.ID)
		stale := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}, "content": {"Nội dung sửa"}, "lead": {"Sở Nội vụ"}}
		if r := b.post(edit, stale); r.status == http.StatusSeeOther || !strings.Contains(page(r), "người khác sửa") || !strings.Contains(page(r), "Nội dung sửa") {
			t.Fatalf("stale task edit: %d", r.status)
		}
		v = version()
		stale.Set("version", fmt.Sprint(v))
		if r := b.post(edit, stale); r.status != http.StatusSeeOther {
			t.Fatalf("task edit: %d %s", r.status, page(r))
		}
		// Move it up: it becomes the first.
		v = version()
		if r := b.post(fmt.Sprintf("%s/%d/move", list, added.ID), url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}, "dir": {"up"}}); r.status != http.StatusSeeOther {
			t.Fatalf("move: %d", r.status)
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/tasks", f.plan.ID), nil), 200).json(t, &got)
		if got.Items[0].ID != added.ID || got.Items[0].Content != "Nội dung sửa" {
			t.Fatalf("after the move: %+v", got.Items[0])
		}
		// Delete it: no progress, gone.
		v = version()
		if r := b.post(fmt.Sprintf("%s/%d/delete", list, added.ID), url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.status)
		}
		// The task with progress: the page asks to archive it; then archived.
		v = version()
		del := fmt.Sprintf("%s/%d/delete", list, tasks[0].ID)
		r = b.post(del, url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}})
		if r.status != http.StatusConflict || !strings.Contains(page(r), `id="archive-confirm"`) || !strings.Contains(page(r), "1 báo cáo tiến độ") {
			t.Fatalf("delete of a task with progress: %d %s", r.status, page(r))
		}
		if r := b.post(del, url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}, "archive": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("archive: %d", r.status)
		}
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/tasks", f.plan.ID), nil), 200).json(t, &got)
		if len(got.Items) != len(tasks)-1 || got.Items[0].ID == tasks[0].ID {
			t.Fatalf("after archiving: %d tasks", len(got.Items))
		}
		if n := f.submissions(t); n != 1 {
			t.Errorf("archiving lost the report: %d submissions", n)
		}
	})
}

// taskWorkbook is a task table as a clerk makes one in Excel: a header
// row, then tasks; row 4 has no lead agency.
func taskWorkbook(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	rows := [][]any{{"STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"},
		{1, "Tuyên truyền chuyển đổi số", "Sở Thông tin và Truyền thông", "", "Thường xuyên"},
		{2, "Xây dựng kho dữ liệu dùng chung", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Quý III năm 2024"},
		{3, "Đào tạo kỹ năng số", "", "", "Năm 2024"}}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEditImportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		n := len(f.plan.Document.Appendices[0].Tasks)
		b := newWebClient(t, f.admin.base)
		b.login("vanphong", testPassword)
		imp := fmt.Sprintf("/plans/%d/import", f.plan.ID)
		csrf := b.csrf(imp)
		fields := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(f.plan.Version)}, "mode": {"append"}}
		// A refused row: listed with its reason, no confirmation, nothing stored.
		r := b.postFile(imp, fields, "file", "nhiem-vu.xlsx", taskWorkbook(t))
		body := page(r)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="refused"`) || !strings.Contains(body, "Cột “Cơ quan chủ trì” để trống") ||
			!strings.Contains(body, "Xây dựng kho dữ liệu dùng chung") || strings.Contains(body, `id="import-confirm"`) {
			t.Fatalf("dry run with a refused row: %d %s", r.status, body)
		}
		// The plan's own appendix: every row read, then confirmed.
		x := f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/appendix.xlsx", f.plan.ID), nil), 200).body
		r = b.postFile(imp, fields, "file", "phu-luc.xlsx", x)
		body = page(r)
		if r.status != 200 || !strings.Contains(body, fmt.Sprintf("đọc được %d dòng", n)) || !strings.Contains(body, `id="import-confirm"`) {
			t.Fatalf("dry run: %d %s", r.status, body)
		}
		if got := f.taskCount(t); got != n {
			t.Fatalf("the dry run stored tasks: %d", got)
		}
		data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(body)
		if data == nil {
			t.Fatal("no file in the confirmation")
		}
		confirm := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(f.plan.Version)}, "mode": {"append"}, "appendix": {"0"},
			"file_name": {"phu-luc.xlsx"}, "data": {data[1]}}
		if r := b.post(imp+"/confirm", confirm); r.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", r.status, page(r))
		}
		if got := f.taskCount(t); got != 2*n {
			t.Fatalf("after the import: %d tasks, want %d", got, 2*n)
		}
		// The same confirmation again: the plan has changed since, refused.
		if r := b.post(imp+"/confirm", confirm); r.status != http.StatusConflict || !strings.Contains(page(r), "người khác sửa") {
			t.Fatalf("a stale confirmation: %d", r.status)
		}
		if got := f.taskCount(t); got != 2*n {
			t.Fatalf("the stale confirmation stored tasks: %d", got)
		}

		// Replacing tasks that have progress: the page asks to archive them,
		// then they are archived with their reports.
		tasks := f.plan.Document.Appendices[0].Tasks
		rep := f.admin.as(auth.RoleReporter, f.agency)
		rep.expect(rep.do("POST", fmt.Sprintf("/api/v1/plans/%d/progress", f.plan.ID), map[string]any{"task_id": tasks[0].ID,
			"period": "2024-Q1", "status": "in_progress", "result": "Đã triển khai"}), 201)
		var p planJSON
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", f.plan.ID), nil), 200).json(t, &p)
		confirm.Set("version", fmt.Sprint(p.Version))
		confirm.Set("mode", "replace")
		r = b.post(imp+"/confirm", confirm)
		if r.status != http.StatusConflict || !strings.Contains(page(r), `name="archive"`) {
			t.Fatalf("replacing tasks with progress: %d %s", r.status, page(r))
		}
		if got := f.taskCount(t); got != 2*n {
			t.Fatalf("the refused replacement changed the tasks: %d", got)
		}
		confirm.Set("archive", "1")
		if r := b.post(imp+"/confirm", confirm); r.status != http.StatusSeeOther {
			t.Fatalf("replace, archiving: %d %s", r.status, page(r))
		}
		if got := f.taskCount(t); got != n {
			t.Fatalf("after replacing: %d tasks, want %d", got, n)
		}
		if got := f.submissions(t); got != 1 {
			t.Fatalf("the report of the archived task: %d submissions", got)
		}
	})
}

func (f *peopleFixture) taskCount(t *testing.T) int { return f.taskCountOf(t, f.plan.ID) }

func TestEditAgencyPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		b := newWebClient(t, f.admin.base)
		b.login("vanphong", testPassword)
		csrf := b.csrf("/agencies/new")
		r := b.post("/agencies/new", url.Values{"csrf": {csrf}, "name": {"Đài Phát thanh – Truyền hình tỉnh"},
			"aliases": {"Đài PT-TH tỉnh\r\nĐài Phát thanh và Truyền hình tỉnh 📻"}, "symbol": {"ĐPTTH"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(r, "aliases"), "📻") {
			t.Fatalf("alias with an emoji: %d %q", r.status, fieldError(r, "aliases"))
		}
		r = b.post("/agencies/new", url.Values{"csrf": {csrf}, "name": {"Đài Phát thanh – Truyền hình tỉnh"},
			"aliases": {"Đài PT-TH tỉnh\r\nĐài Phát thanh và Truyền hình tỉnh"}, "symbol": {"ĐPTTH"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create agency: %d %s", r.status, page(r))
		}
		var dup domain.Agency
		f.admin.expect(f.admin.do("POST", "/api/v1/agencies", map[string]any{"name": "Đài tỉnh (nhập trùng)"}), 201).json(t, &dup)
		if r := b.get("/agencies"); !strings.Contains(page(r), "Đài PT-TH tỉnh; Đài Phát thanh và Truyền hình tỉnh") {
			t.Error("the agency list does not show the aliases")
		}
		// An alias that is another agency's name: beside the field.
		r = b.post(fmt.Sprintf("/agencies/%d/edit", dup.ID), url.Values{"csrf": {csrf}, "version": {fmt.Sprint(dup.Version)},
			"name": {"Đài tỉnh (nhập trùng)"}, "aliases": {"Đài PT-TH tỉnh"}})
		if r.status != http.StatusConflict || fieldError(r, "aliases") == "" {
			t.Fatalf("a taken alias: %d %q %s", r.status, fieldError(r, "aliases"), page(r))
		}
		// Merge the duplicate into the agency.
		var list struct{ Items []domain.Agency }
		f.admin.expect(f.admin.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
		var into int64
		for _, a := range list.Items {
			if a.Name == "Đài Phát thanh – Truyền hình tỉnh" {
				into = a.ID
			}
		}
		// Two clerks edit the agency from the same page: the second is refused, what it typed kept.
		var cur domain.Agency
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/agencies/%d", into), nil), 200).json(t, &cur)
		edit := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(cur.Version)}, "name": {cur.Name}, "symbol": {"ĐPTTH"},
			"aliases": {"Đài PT-TH tỉnh\r\nĐài Phát thanh và Truyền hình tỉnh\r\nĐài tỉnh"}}
		if r := b.post(fmt.Sprintf("/agencies/%d/edit", into), edit); r.status != http.StatusSeeOther {
			t.Fatalf("agency edit: %d %s", r.status, page(r))
		}
		edit.Set("place", "Lai Châu")
		r = b.post(fmt.Sprintf("/agencies/%d/edit", into), edit)
		if r.status != http.StatusPreconditionFailed || !strings.Contains(page(r), "người khác sửa") || !strings.Contains(page(r), `value="Lai Châu"`) {
			t.Fatalf("a stale agency edit: %d", r.status)
		}
		merge := fmt.Sprintf("/agencies/%d/merge", dup.ID)
		if r := b.post(merge, url.Values{"csrf": {csrf}, "version": {fmt.Sprint(dup.Version)}, "into": {"0"}}); r.status != http.StatusUnprocessableEntity || fieldError(r, "into") == "" {
			t.Fatalf("merge into nothing: %d", r.status)
		}
		if r := b.post(merge, url.Values{"csrf": {csrf}, "version": {fmt.Sprint(dup.Version)}, "into": {fmt.Sprint(into)}}); r.status != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", r.status, page(r))
		}
		var a domain.Agency
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/agencies/%d", into), nil), 200).json(t, &a)
		if !strings.Contains(strings.Join(a.Aliases, "|"), "Đài tỉnh (nhập trùng)") {
			t.Errorf("after the merge: aliases %v", a.Aliases)
		}
	})
}

func TestEditPeoplePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		mustUser(t, st, "quantri", auth.RoleAdmin, 0)
		b := newWebClient(t, f.admin.base)
		b.login("quantri", testPassword)
		csrf := b.csrf("/users")
		// A reporter without an agency: beside the field, in Vietnamese.
		r := b.post("/users", url.Values{"csrf": {csrf}, "username": {"lan.pt"}, "display_name": {"Phạm Thị Lan"}, "role": {"reporter"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(r, "agency"), "cơ quan") || !strings.Contains(page(r), `value="Phạm Thị Lan"`) {
			t.Fatalf("reporter without agency: %d %q", r.status, fieldError(r, "agency"))
		}
		r = b.post("/users", url.Values{"csrf": {csrf}, "username": {"lan.pt"}, "display_name": {"Phạm Thị Lan"}, "role": {"reporter"},
			"agency_id": {fmt.Sprint(f.agency)}})
		pw := regexp.MustCompile(`id="new-password">([^<]+)<`).FindSubmatch(r.body)
		if r.status != 200 || pw == nil {
			t.Fatalf("create user: %d %s", r.status, page(r))
		}
		lan := newWebClient(t, f.admin.base)
		if r := lan.login("lan.pt", string(pw[1])); r.status != http.StatusSeeOther {
			t.Fatalf("the new user's shown password: %d", r.status)
		}
		// Disable: the session ends; enable; reset the password.
		us, _ := st.ListUsers(t.Context())
		var id int64
		for _, u := range us {
			if u.Username == "lan.pt" {
				id = u.ID
			}
		}
		if r := b.post(fmt.Sprintf("/users/%d/disable", id), url.Values{"csrf": {csrf}, "username": {"lan.pt"}}); r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.status)
		}
		if r := lan.get("/plans"); r.status != http.StatusSeeOther {
			t.Errorf("a disabled user's session still opens pages: %d", r.status)
		}
		if r := b.post(fmt.Sprintf("/users/%d/disable", id), url.Values{"csrf": {csrf}, "username": {"vanphong"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a form naming another user: %d", r.status)
		}
		if r := b.post(fmt.Sprintf("/users/%d/enable", id), url.Values{"csrf": {csrf}, "username": {"lan.pt"}}); r.status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.status)
		}
		if r := b.post(fmt.Sprintf("/users/%d/password", id), url.Values{"csrf": {csrf}, "username": {"lan.pt"}, "password": {"ngan"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(page(r), "10 ký tự") {
			t.Errorf("a short password: %d", r.status)
		}
		if r := b.post(fmt.Sprintf("/users/%d/password", id), url.Values{"csrf": {csrf}, "username": {"lan.pt"}, "password": {"mật khẩu mới của Lan"}}); r.status != http.StatusSeeOther {
			t.Fatalf("reset: %d", r.status)
		}
		if r := lan.login("lan.pt", "mật khẩu mới của Lan"); r.status != http.StatusSeeOther {
			t.Fatalf("login with the reset password: %d", r.status)
		}
		// Keys: created, the secret shown once, revoked.
		r = b.post("/keys", url.Values{"csrf": {csrf}, "name": {"Cổng thông tin tỉnh"}, "scope": {"render"}, "days": {"90"}})
		secret := regexp.MustCompile(`id="new-secret">([^<]+)<`).FindSubmatch(r.body)
		if r.status != 200 || secret == nil {
			t.Fatalf("create key: %d %s", r.status, page(r))
		}
		if r := b.get("/keys"); strings.Contains(string(r.body), string(secret[1])) {
			t.Error("the key's secret is shown again")
		}
		key := f.admin.withKey(string(secret[1]))
		key.expect(key.do("GET", "/api/v1/me", nil), 200)
		ks, _ := st.ListKeys(t.Context())
		k := ks[len(ks)-1]
		if r := b.post(fmt.Sprintf("/keys/%d/revoke", k.ID), url.Values{"csrf": {csrf}, "prefix": {k.Prefix}}); r.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.status)
		}
		key.expect(key.do("GET", "/api/v1/me", nil), 401)

		// One's own password.
		c := newWebClient(t, f.admin.base)
		c.login("vanphong", testPassword)
		other := newWebClient(t, f.admin.base)
		other.login("vanphong", testPassword)
		ccsrf := c.csrf("/account/password")
		r = c.post("/account/password", url.Values{"csrf": {ccsrf}, "current": {"sai mật khẩu"}, "password": {"mật khẩu mới 2024"}, "again": {"mật khẩu mới 2024"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(r, "current") != "Mật khẩu hiện tại không đúng." {
			t.Fatalf("wrong current password: %d %q", r.status, fieldError(r, "current"))
		}
		r = c.post("/account/password", url.Values{"csrf": {ccsrf}, "current": {testPassword}, "password": {"mật khẩu mới 2024"}, "again": {"mật khẩu khác"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(r, "again") == "" {
			t.Fatalf("new passwords differ: %d", r.status)
		}
		if r := c.post("/account/password", url.Values{"csrf": {ccsrf}, "current": {testPassword}, "password": {"mật khẩu mới 2024"}, "again": {"mật khẩu mới 2024"}}); r.status != http.StatusSeeOther {
			t.Fatalf("change own password: %d %s", r.status, page(r))
		}
		if r := c.get("/plans"); r.status != 200 {
			t.Errorf("after changing the password this browser is logged out: %d", r.status)
		}
		if r := other.get("/plans"); r.status != http.StatusSeeOther {
			t.Errorf("another session of the user survived the change: %d", r.status)
		}
		if r := newWebClient(t, f.admin.base).login("vanphong", "mật khẩu mới 2024"); r.status != http.StatusSeeOther {
			t.Errorf("login with the new password: %d", r.status)
		}
		// Not for a secretariat: the administrators' pages.
		if r := c.get("/users"); r.status != http.StatusForbidden {
			t.Errorf("the secretariat opens /users: %d", r.status)
		}
	})
}

// withKey is a client calling with the key secret.
func (c *client) withKey(secret string) *client {
	n := *c
	n.auth = "Bearer " + secret
	return &n
}

// TestEditFormsRefuseNUL puts a NUL and a C1 control into every text
// field of the editing forms: each is refused beside its field, nothing
// stored.
func TestEditFormsRefuseNUL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		mustUser(t, st, "quantri", auth.RoleAdmin, 0)
		sec := newWebClient(t, f.admin.base)
		sec.login("vanphong", testPassword)
		adm := newWebClient(t, f.admin.base)
		adm.login("quantri", testPassword)
		csrf, acsrf := sec.csrf("/plans/new"), adm.csrf("/users")
		task := f.plan.Document.Appendices[0].Tasks[0]
		var ag domain.Agency
		f.admin.expect(f.admin.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Xây dựng"}), 201).json(t, &ag)
		planForm := planFormValues(csrf, f.plan.Version)
		taskForm := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(f.plan.Version)}, "content": {"Việc"}, "lead": {"Sở Nội vụ"},
			"cooperating": {"Sở Tài chính"}, "output": {"Báo cáo"}, "deadline": {"Quý II năm 2024"}, "note": {"Ghi chú"}}
		agencyForm := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(ag.Version)}, "name": {"Sở Xây dựng"}, "short_name": {"SXD"},
			"symbol": {"SXD"}, "place": {"Lai Châu"}, "header": {"SỞ XÂY DỰNG"}, "aliases": {"Sở XD"}}
		cases := []struct {
			web    *webClient
			path   string
			form   url.Values
			fields []string
		}{
			{sec, fmt.Sprintf("/plans/%d/edit", f.plan.ID), planForm, []string{"agency.name", "agency.short_name", "agency.header",
				"agency.symbol", "agency.place", "agency.parent.name", "title", "legal_bases", "body", "recipients", "archive",
				"signature.authority", "signature.signer"}},
			{sec, fmt.Sprintf("/plans/%d/tasks/%d/edit", f.plan.ID, task.ID), taskForm, []string{"content", "lead", "cooperating", "output", "deadline", "note"}},
			{sec, fmt.Sprintf("/plans/%d/tasks/new", f.plan.ID), taskForm, []string{"content", "lead", "deadline"}},
			{sec, fmt.Sprintf("/agencies/%d/edit", ag.ID), agencyForm, []string{"name", "short_name", "symbol", "place", "header", "aliases"}},
			{adm, "/users", url.Values{"csrf": {acsrf}, "username": {"moi"}, "display_name": {"Người mới"}, "role": {"auditor"}, "password": {"mật khẩu đủ dài"}}, []string{"display_name"}},
			{adm, "/keys", url.Values{"csrf": {acsrf}, "name": {"ứng dụng"}, "scope": {"render"}}, []string{"name"}},
		}
		before := f.plan.Version
		for _, k := range cases {
			for _, field := range k.fields {
				for _, bad := range []string{"a\x00b", "a\u0085\u0080b"} {
					form := url.Values{}
					for key, v := range k.form {
						form[key] = v
					}
					if k.web == sec {
						form.Set("csrf", csrf)
					}
					form.Set(field, bad)
					r := k.web.post(k.path, form)
					if r.status != http.StatusUnprocessableEntity || fieldError(r, field) == "" && !strings.Contains(page(r), field+":") {
						t.Errorf("%s with %q in %s: %d %q", k.path, bad, field, r.status, fieldError(r, field))
					}
				}
			}
		}
		var p planJSON
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", f.plan.ID), nil), 200).json(t, &p)
		var a domain.Agency
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/agencies/%d", ag.ID), nil), 200).json(t, &a)
		us, _ := st.ListUsers(t.Context())
		ks, _ := st.ListKeys(t.Context())
		if p.Version != before || a.Version != ag.Version || len(us) != 4 || len(ks) != 1 {
			t.Errorf("refused forms stored something: plan v%d, agency v%d, %d users, %d keys", p.Version, a.Version, len(us), len(ks))
		}
	})
}
