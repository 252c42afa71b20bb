package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The browser tests drive headless Chromium (Debian's chromium package,
// installed by .ci/install-deps) against a running server. Without
// Chromium they are skipped, unless BAOCAO_REQUIRE_TOOLS=1 makes that a
// failure. BAOCAO_SCREENSHOTS=DIR saves screenshots of the main pages.

func chromium(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
		t.Fatal("Chromium is required (BAOCAO_REQUIRE_TOOLS=1): run .ci/install-deps")
	}
	t.Skip("no Chromium; run .ci/install-deps")
	return ""
}

// newTab starts a headless browser with downloads going to dir.
func newTab(t *testing.T, dir string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("lang", "vi-VN"), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// A bound for a hung browser, not a speed check: a whole flow (a dozen
	// pages) on a 2-core CI machine running other packages' tests at the
	// same time took over a minute once.
	ctx, cancel3 := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancel3)
	on := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func loginAs(base, user string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("header.top .who")),
	)
}

// download clicks a link and waits for the file to arrive.
func download(t *testing.T, ctx context.Context, dir, css string) []byte {
	t.Helper()
	ectx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	events := chromedp.BrowserEvents(ectx, browser.DownloadProgress)
	do(t, ctx, "click "+css, chromedp.Click(chromedp.CSS(css)))
	for ev, err := range events {
		if err != nil {
			t.Fatalf("download from %s: %v", css, err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("no download from %s", css)
	return nil
}

// screenshot saves the whole page, or for a name ending in "-phone.png"
// what the phone's screen shows.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("BAOCAO_SCREENSHOTS")
	if dir == "" {
		return
	}
	shot := chromedp.FullScreenshot(100)
	if strings.HasSuffix(name, "-phone.png") {
		shot = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSecretariat(t *testing.T) {
	f := newDemoFixture(t)
	dir := t.TempDir()
	ctx := newTab(t, dir)
	plan := fmt.Sprintf("%s/plans/%d?period=2024-Q1", f.admin.base, f.plan.ID)
	do(t, ctx, "log in", loginAs(f.admin.base, "vanphong"))
	screenshot(t, ctx, "plans.png")
	do(t, ctx, "plan page", chromedp.Navigate(plan), chromedp.WaitVisible(chromedp.ID("tasks")))
	screenshot(t, ctx, "plan.png")

	pdf := download(t, ctx, dir, `a[href$="/appendix.pdf"]`)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("appendix download is not a PDF: %.20q", pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		p := filepath.Join(dir, "appendix.pdf")
		if err := os.WriteFile(p, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
		if err != nil || !strings.Contains(string(out), "Phụ lục") {
			t.Errorf("appendix PDF text: %v %.300s", err, out)
		}
	}
	x := download(t, ctx, dir, `a[href$="/reports/2024-Q1.xlsx"]`)
	wb, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatalf("report download is not a workbook: %v", err)
	}
	if sheets := wb.GetSheetList(); len(sheets) < 2 {
		t.Errorf("report workbook sheets %v", sheets)
	}
	// The draft page: fill in, save, see it kept.
	do(t, ctx, "draft page",
		chromedp.Navigate(fmt.Sprintf("%s/plans/%d/reports/2024-Q1", f.admin.base, f.plan.ID)),
		chromedp.WaitVisible(chromedp.ID("assessment")),
		chromedp.SendKeys(chromedp.ID("assessment"), "Các cơ quan, đơn vị triển khai nghiêm túc."),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã lưu dự thảo") {
		t.Errorf("after saving: %s", body)
	}
	screenshot(t, ctx, "report.png")
	// Issue it: the confirmation box is required.
	do(t, ctx, "issue",
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".flash").remove()`), // wait for the next page's
		chromedp.Click(chromedp.ID("confirm")),
		chromedp.Submit(chromedp.ID("date")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã ban hành báo cáo số 01/BC-UBND") {
		t.Errorf("after issuing: %s", body)
	}
	issued := download(t, ctx, dir, `a[href$="/reports/2024-Q1.pdf"]`)
	if !bytes.HasPrefix(issued, []byte("%PDF-")) || bytes.Equal(issued, pdf) {
		t.Errorf("issued report download: %.20q", issued)
	}

	// The auditor exports the quarter's submissions from the export page,
	// and finds the issue in the audit trail.
	do(t, ctx, "log in as the auditor", loginAs(f.admin.base, "kiemtra"),
		chromedp.Navigate(f.admin.base+"/exports"), chromedp.WaitVisible(chromedp.ID("period")),
		chromedp.SetValue(chromedp.ID("period"), "2024-Q1"))
	screenshot(t, ctx, "exports.png")
	rows := readCSV(t, download(t, ctx, dir, `button[formaction$="progress.csv"]`))
	if len(rows) < 2 || rows[0][4] != "Kỳ báo cáo" {
		t.Fatalf("CSV from the export page: %d rows", len(rows))
	}
	for _, r := range rows[1:] {
		if r[4] != "Quý I năm 2024" {
			t.Fatalf("the period filter let through %q", r[4])
		}
	}
	do(t, ctx, "audit page", chromedp.Navigate(f.admin.base+"/audit?action=report.issue"), chromedp.WaitVisible(chromedp.ID("audit")))
	if trail := text(t, ctx, "#audit tbody"); !strings.Contains(trail, "report.issue") || !strings.Contains(trail, "vanphong") {
		t.Errorf("audit page: %q", trail)
	}
	screenshot(t, ctx, "audit.png")
}

func TestBrowserReporter(t *testing.T) {
	f := newDemoFixture(t)
	before := f.submissions(t)
	tasks := f.plan.Document.Appendices[0].Tasks
	ctx := newTab(t, t.TempDir())
	base := f.admin.base
	do(t, ctx, "log in", loginAs(base, "coquan"))
	// Submit progress through the form.
	form := fmt.Sprintf("%s/plans/%d/tasks/%d/progress?period=2024-Q1", base, f.plan.ID, tasks[0].ID)
	do(t, ctx, "progress form",
		chromedp.Navigate(form),
		chromedp.WaitVisible(chromedp.ID("result")),
		// The form starts from the agency's last report: replace it.
		chromedp.SetValue(chromedp.ID("status"), "in_progress"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("completed_on").value = ""; document.getElementById("result").value = ""`),
		chromedp.SendKeys(chromedp.ID("result"), "Đã đăng 24 tin, bài trên Cổng thông tin điện tử tỉnh."),
		chromedp.SetValue(chromedp.CSS(`input[name="figure_name"]`), "Tin, bài"),
		chromedp.SetValue(chromedp.CSS(`input[name="figure_value"]`), "24"),
		chromedp.SetValue(chromedp.CSS(`input[name="figure_unit"]`), "bài"))
	screenshot(t, ctx, "progress.png")
	do(t, ctx, "submit", chromedp.Submit(chromedp.ID("result")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	// The board shows the period as of its report's date (the cut-off,
	// 15/3/2024), so a report made today does not change it: the demo's
	// own report of this ongoing task counts.
	row := text(t, ctx, fmt.Sprintf("#task-%d td:nth-child(5)", tasks[0].ID))
	reported := text(t, ctx, fmt.Sprintf("#task-%d td:nth-child(6)", tasks[0].ID))
	if row != "Đã thực hiện (thường xuyên)" || reported != tasks[0].Lead[0] {
		t.Errorf("status board row after submitting: %q, reported by %q", row, reported)
	}
	if n := f.submissions(t); n != before+1 {
		t.Errorf("%d submissions stored, want %d", n, before+1)
	}
	// The same form on a phone.
	do(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(form),
		chromedp.WaitVisible(chromedp.ID("history")))
	screenshot(t, ctx, "progress-phone.png")
	do(t, ctx, "laptop", chromedp.EmulateViewport(1280, 900))

	// A page of another agency: refused.
	do(t, ctx, "another agency's task",
		chromedp.Navigate(fmt.Sprintf("%s/plans/%d/tasks/%d/progress?period=2024-Q1", base, f.plan.ID, tasks[3].ID)),
		chromedp.WaitVisible(chromedp.CSS("main .card h1")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Không được phép") {
		t.Errorf("another agency's task page: %q", body)
	}
	// A form posted without its CSRF token: refused, nothing stored.
	do(t, ctx, "post without CSRF",
		chromedp.Navigate(form),
		chromedp.WaitVisible(chromedp.ID("result")),
		chromedp.SendKeys(chromedp.ID("result"), "Không có mã bảo mật"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form.card input[name="csrf"]').remove()`),
		chromedp.Submit(chromedp.ID("result")),
		chromedp.WaitVisible(chromedp.CSS("main .card h1")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Không được phép") || !strings.Contains(body, "Mã bảo mật") {
		t.Errorf("post without CSRF: %q", body)
	}
	if n := f.submissions(t); n != before+1 {
		t.Errorf("%d submissions after the refused post, want %d", n, before+1)
	}
}

// TestBrowserLetter: the secretariat drafts the Quý I reminder letter from
// the plan page, sets the unit, issues it, downloads the issued PDF (a
// công văn numbered 01/UBND-VX), reads the letter page on a phone, and
// finds the letter sent listed on the plan page.
func TestBrowserLetter(t *testing.T) {
	f := newDemoFixture(t)
	dir := t.TempDir()
	ctx := newTab(t, dir)
	base := f.admin.base
	plan := fmt.Sprintf("%s/plans/%d?period=2024-Q1", base, f.plan.ID)
	do(t, ctx, "draft a letter", loginAs(base, "vanphong"),
		chromedp.Navigate(plan), chromedp.WaitVisible(chromedp.ID("tasks")),
		chromedp.Click(chromedp.CSS(`form[action$="/letters"] button`)),
		chromedp.WaitVisible(chromedp.ID("late")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã lập dự thảo công văn đôn đốc Quý I năm 2024") || !strings.Contains(body, "UBND-KSTT") {
		t.Fatalf("letter page: %s", body)
	}
	do(t, ctx, "save",
		chromedp.SendKeys(chromedp.ID("unit"), "VX"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".flash").remove()`),
		chromedp.Submit(chromedp.ID("unit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã lưu dự thảo công văn") || !strings.Contains(body, "UBND-VX") {
		t.Errorf("after saving: %s", body)
	}
	screenshot(t, ctx, "letter.png")
	do(t, ctx, "issue",
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".flash").remove()`),
		chromedp.Click(chromedp.ID("confirm")),
		chromedp.Submit(chromedp.ID("date")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã ban hành công văn số 01/UBND-VX") {
		t.Fatalf("after issuing: %s", body)
	}
	pdf := download(t, ctx, dir, `#issued a[href$=".pdf"]`)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("issued letter download: %.20q", pdf)
	}
	if got := pdfText(t, pdf); !strings.Contains(got, "Số: 01/UBND-VX") || !strings.Contains(got, "Kính gửi") {
		t.Errorf("issued letter text: %.400s", got)
	}
	do(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("late")))
	screenshot(t, ctx, "letter-phone.png")
	do(t, ctx, "plan page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(plan), chromedp.WaitVisible(chromedp.ID("letters")))
	if list := text(t, ctx, "#letters"); !strings.Contains(list, "Số 01/UBND-VX, ngày") {
		t.Errorf("the plan page's letters: %q", list)
	}
}
