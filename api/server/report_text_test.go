package server

import (
	"bytes"
	"net/http"

	"fmt"
	"github.com/xuri/excelize/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfText is the text of a PDF by pdftotext, or "" (and a skip, or a
// failure in CI) without it.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	file, ok := toolFile(t, "pdftotext", data)
	if !ok {
		t.Skip("pdftotext is not installed")
	}
	out, err := exec.Command("pdftotext", "-raw", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestReportDraftedParts: a draft shows the parts drafted from the data
// and the warnings; the secretariat's own parts, Kính gửi and Nơi nhận
// replace the drafted ones in the document; bad text in them is refused
// naming the item.
func TestReportDraftedParts(t *testing.T) {
	f := newDemoFixture(t)
	c := f.admin
	p := f.plan
	rep := fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1", p.ID)
	bad := c.expect(c.do("PUT", rep, map[string]any{"narrative": map[string]any{"addressees": []string{"Bộ Nội vụ", "Sở 😀"}}}), 422).problem(t)
	if !hasField(bad, "narrative.addressees[1]") {
		t.Errorf("emoji in Kính gửi: %+v", bad)
	}
	var draft reportJSON
	c.expect(c.do("PUT", rep, map[string]any{"narrative": map[string]any{
		"results":    "Kết quả do Văn phòng viết.\r\nDòng thứ hai.",
		"addressees": []string{"Bộ Nội vụ", "Thủ tướng Chính phủ", " "},
		"recipients": []string{"Như trên", "Chủ tịch, các PCT UBND tỉnh"},
	}}), 201).json(t, &draft)
	if draft.Narrative.Results != "Kết quả do Văn phòng viết.\nDòng thứ hai." || len(draft.Narrative.Addressees) != 2 {
		t.Errorf("stored narrative %+v", draft.Narrative)
	}
	var got reportJSON
	c.expect(c.do("GET", rep, nil), 200).json(t, &got)
	if got.Drafted == nil || !strings.Contains(got.Drafted.Results, "Nhiệm vụ 1") || !strings.Contains(got.Drafted.Causes, "Văn phòng UBND tỉnh (nhiệm vụ số 2") {
		t.Errorf("drafted parts %+v", got.Drafted)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "chưa có số") {
		t.Errorf("warnings %v (the demo plan has no number)", got.Warnings)
	}
	r := c.expect(c.do("GET", rep+".pdf", nil), 200)
	text := pdfText(t, r.body)
	for _, want := range []string{"Kính gửi: - Bộ Nội vụ; - Thủ tướng Chính phủ.", "Kết quả do Văn phòng viết.",
		"Chủ tịch, các PCT UBND tỉnh;", "Khó khăn, vướng mắc các cơ quan chủ trì đã báo cáo"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}

	// The page shows the drafted parts under the fields, and the warning.
	b := newWebClient(t, c.base)
	b.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-Q1", p.ID)
	body := string(b.get(page).body)
	for _, want := range []string{`id="drafted-results"`, `id="drafted-causes"`, "Kế hoạch chưa có số", "Bộ Nội vụ\nThủ tướng Chính phủ"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	// CR LF from the page's textareas; one addressee per line.
	res := b.post(page, url.Values{"csrf": {b.csrf(page)}, "version": {fmt.Sprint(got.Version)},
		"addressees": {"Bộ Nội vụ\r\n\r\nVăn phòng Chính phủ\r\n"}, "results": {"Dòng một\r\nDòng hai"}})
	if res.status != 303 {
		t.Fatalf("save from the page: %d %s", res.status, res.body)
	}
	c.expect(c.do("GET", rep, nil), 200).json(t, &got)
	if strings.Join(got.Narrative.Addressees, "|") != "Bộ Nội vụ|Văn phòng Chính phủ" || got.Narrative.Results != "Dòng một\nDòng hai" {
		t.Errorf("saved from the page: %+v", got.Narrative)
	}
}

// TestReporterSeesOwnTexts walks what a reporter of one lead agency of a
// shared task (Lai Châu task 14: Báo Lai Châu, the station and Văn phòng
// UBND tỉnh) may read: the status board, its progress list and the report
// drafts hold its own agency's texts only.
func TestReporterSeesOwnTexts(t *testing.T) {
	f := newDemoFixture(t) // the reporter is of Văn phòng UBND tỉnh
	b := newWebClient(t, f.admin.base)
	b.login("coquan", testPassword)
	base := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
	own := "của Văn phòng UBND tỉnh về Sở Nội vụ ngày 11/3/2024"
	other := "của Báo Lai Châu về Sở Nội vụ ngày 13/3/2024"
	// The secretariat sees both agencies' texts.
	r := f.admin.expect(f.admin.do("GET", base+"/status?period=2024-Q1", nil), 200)
	if !strings.Contains(string(r.body), own) || !strings.Contains(string(r.body), other) {
		t.Fatalf("the secretariat's board lacks a text")
	}
	for _, path := range []string{"/status?period=2024-Q1", "/status?period=2024-H1", "/progress?period=2024-Q1"} {
		r := b.get(base + path)
		if r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		if strings.Contains(string(r.body), other) {
			t.Errorf("%s: a reporter reads another lead's result", path)
		}
		if strings.HasPrefix(path, "/status?period=2024-Q1") && !strings.Contains(string(r.body), own) {
			t.Errorf("%s: the reporter's own result is missing", path)
		}
	}
	for _, ext := range []string{".pdf", ".xlsx"} {
		r := b.get(base + "/reports/2024-Q1" + ext)
		if r.status != 200 {
			t.Fatalf("draft %s: %d", ext, r.status)
		}
		var text string
		if ext == ".pdf" {
			text = pdfText(t, r.body)
		} else {
			text = xlsxText(t, r.body)
		}
		if strings.Contains(text, "Báo Lai Châu về Sở Nội vụ") {
			t.Errorf("draft %s: a reporter reads another lead's result", ext)
		}
		if !strings.Contains(text, "Văn phòng UBND tỉnh về Sở Nội vụ") {
			t.Errorf("draft %s: the reporter's own result is missing", ext)
		}
	}
}

// xlsxText is every cell of a workbook, one row a line.
func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var all strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for _, r := range rows {
			all.WriteString(strings.Join(strings.Fields(strings.Join(r, " ")), " ") + "\n")
		}
	}
	return all.String()
}

// TestDocumentWarnings: a download names what keeps the plan from being
// signed; the plan page says it in Vietnamese; the appendix has none.
func TestDocumentWarnings(t *testing.T) {
	f := newDemoFixture(t)
	base := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
	r := f.admin.expect(f.admin.do("GET", base+"/document.pdf", nil), 200)
	if h := r.header.Get(documentWarningHeader); h != "unmarked-draft" {
		t.Errorf("warning header %q", h)
	}
	if h := f.admin.expect(f.admin.do("GET", base+"/appendix.pdf", nil), 200).header.Get(documentWarningHeader); h != "" {
		t.Errorf("appendix warning header %q", h)
	}
	b := newWebClient(t, f.admin.base)
	b.login("vanphong", testPassword)
	if body := string(b.get(fmt.Sprintf("/plans/%d", f.plan.ID)).body); !strings.Contains(body, "không ghi “DỰ THẢO”") {
		t.Error("the plan page does not warn")
	}
}

// TestCSVSeparator: ?sep=semicolon writes ";" and is remembered for the
// export form; a bad value is refused naming sep.
func TestCSVSeparator(t *testing.T) {
	f := newDemoFixture(t)
	b := newWebClient(t, f.admin.base)
	b.login("kiemtra", testPassword)
	if body := string(b.get("/exports").body); !strings.Contains(body, `value="semicolon" selected`) {
		t.Error("the export form does not offer ; first")
	}
	r := b.get("/api/v1/exports/progress.csv?sep=semicolon")
	if r.status != 200 || !strings.HasPrefix(string(r.body), "\ufeffKế hoạch;STT;") {
		t.Fatalf("semicolon CSV: %d %q", r.status, string(r.body[:min(40, len(r.body))]))
	}
	b.get("/api/v1/exports/audit.csv?sep=comma")
	if body := string(b.get("/exports").body); !strings.Contains(body, `value="comma" selected`) {
		t.Error("the form does not remember the choice")
	}
	if r := b.get("/api/v1/exports/progress.csv"); !strings.HasPrefix(string(r.body), "\ufeffKế hoạch,STT,") {
		t.Errorf("remembered comma: %q", string(r.body[:40]))
	}
	if r := b.get("/api/v1/exports/progress.csv?sep=tab"); r.status != 422 || !strings.Contains(string(r.body), `"sep"`) {
		t.Errorf("bad separator: %d %s", r.status, r.body)
	}
}

// TestIssueFromFirstVisit: the secretariat issues a period's report from
// its first visit to the page, without saving a draft first.
func TestIssueFromFirstVisit(t *testing.T) {
	f := newDemoFixture(t)
	b := newWebClient(t, f.admin.base)
	b.login("vanphong", testPassword)
	page := fmt.Sprintf("/plans/%d/reports/2024-H1", f.plan.ID)
	if body := string(b.get(page).body); !strings.Contains(body, "Ban hành báo cáo") {
		t.Fatal("no issue form on a first visit")
	}
	r := b.post(page+"/issue", url.Values{"csrf": {b.csrf(page)}, "version": {"0"}, "date": {"2024-06-20"}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("issue from a first visit: %d %s", r.status, r.body)
	}
	var got reportJSON
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/reports/2024-H1", f.plan.ID), nil), 200).json(t, &got)
	if got.Status != "issued" || got.Number != 1 || got.IssuedOn != "2024-06-20" {
		t.Errorf("issued %+v", got.Report)
	}
}

// toolFile writes data to a temporary PDF file for a PDF tool (poppler's
// pdftotext, pdfsig); ok is false when the tool is not installed, which
// fails the test under BAOCAO_REQUIRE_TOOLS=1.
func toolFile(t *testing.T, tool string, data []byte) (path string, ok bool) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (BAOCAO_REQUIRE_TOOLS=1; poppler-utils)", tool)
		}
		return "", false
	}
	path = filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, true
}
