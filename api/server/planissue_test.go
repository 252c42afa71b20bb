package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/pdf/pdfatest"
	"baocao/signing"
	"baocao/signing/signingtest"
)

// numberedPlan is the Lai Châu plan as entered with its number and date
// (số 15/KH-UBND ngày 05/01/2024), ready to be issued.
func numberedPlan(t *testing.T) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(fixtureJSON(t, "lai-chau-2024"), &d); err != nil {
		t.Fatal(err)
	}
	d["number"], d["date"] = 15, "2024-01-05"
	return d
}

// TestPlanIssueSignFlow: a plan with a separate appendix the whole way,
// on SQLite and PostgreSQL: refused without its number and date; issued
// (document and appendix frozen as PDF/A with their SHA-256); edits
// refused (plan-issued) while progress goes on; signed as reports are
// (signFlow: the refusals, pdfsig, verify); the organisation's signature
// stamps the separate appendix at its top right (number, symbol, ISO 8601
// time with +07:00), which verify names; reopened with a reason, edited
// and issued again; the issues' files are frozen.
func TestPlanIssueSignFlow(t *testing.T) {
	ca, cfg := signingSetup(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{Signing: cfg})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)

		// Not issued: nothing to sign; no number and a month for a date.
		for _, r := range []response{c.do("GET", base+"/to-sign.pdf", nil), c.do("POST", base+"/reopen", map[string]any{"reason": "sửa"})} {
			if r.status != 409 || !strings.Contains(string(r.body), "/not-issued") {
				t.Errorf("a step on a plan not issued: %d %s", r.status, r.body)
			}
		}
		pr := c.expect(c.do("POST", base+"/issue", nil, "If-Match", `"v1"`), 422).problem(t)
		if !hasField(pr, "number") || !hasField(pr, "date") {
			t.Errorf("issue without number and date: %+v", pr)
		}
		c.expect(c.do("PUT", base, numberedPlan(t), "If-Match", `"v1"`), 200)
		c.expect(c.do("POST", base+"/issue", nil, "If-Match", `"v1"`), 412)
		rp := c.as("auditor", 0)
		rp.expect(rp.do("POST", base+"/issue", nil, "If-Match", `"v2"`), 403)

		var is planIssueJSON
		c.expect(c.do("POST", base+"/issue", map[string]any{"version": 2}), 200).json(t, &is)
		if is.Reference != "15/KH-UBND" || is.IssuedOn != "2024-01-05" || is.AppendixSHA256 == "" || is.PlanVersion != 2 {
			t.Fatalf("issued %+v", is)
		}
		c.expect(c.do("POST", base+"/issue", nil, "If-Match", `"v3"`), 409)
		var got planJSON
		c.expect(c.do("GET", base, nil), 200).json(t, &got)
		if got.Version != 3 || got.Issue == nil || got.Issue.ID != is.ID || got.Issue.Links["to_sign"] == "" {
			t.Errorf("an issued plan read: version %d, issue %+v", got.Version, got.Issue)
		}

		// The frozen files, served byte for byte, PDF/A.
		doc0 := c.expect(c.do("GET", base+"/document.pdf", nil), 200).body
		app0 := c.expect(c.do("GET", base+"/appendix.pdf", nil), 200).body
		if hex.EncodeToString(sum(doc0)) != is.PDFSHA256 || hex.EncodeToString(sum(app0)) != is.AppendixSHA256 {
			t.Fatal("the downloads are not the frozen files")
		}
		pdfatest.Check(t, app0)
		if again := c.expect(c.do("GET", base+"/document.pdf", nil), 200).body; !bytes.Equal(again, doc0) {
			t.Error("the issued download changes")
		}

		// Edits of what the files show are refused; progress goes on.
		for _, try := range []struct {
			method, path string
			body         any
		}{
			{"PUT", base, numberedPlan(t)},
			{"POST", base + "/tasks", map[string]any{"content": "Nhiệm vụ mới", "lead": []any{"Văn phòng UBND tỉnh"}}},
			{"DELETE", base, nil},
		} {
			res := c.expect(c.do(try.method, try.path, try.body, "If-Match", `"v3"`), 409)
			if !strings.Contains(string(res.body), "plan-issued") || !strings.Contains(string(res.body), "15/KH-UBND") {
				t.Errorf("%s %s on an issued plan: %s", try.method, try.path, res.body)
			}
		}
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{}}), 201)

		signFlow(t, c, st, ca, signCase{api: base, download: base + "/document.pdf", sha: is.PDFSHA256, kind: "plan", word: "kế hoạch", reference: "15/KH-UBND"})

		// The separate appendix, stamped in the same action.
		app := c.expect(c.do("GET", base+"/appendix.pdf", nil), 200).body
		if !bytes.HasPrefix(app, app0) || bytes.Equal(app, app0) {
			t.Fatal("the appendix download is not the stamped file over the issued one")
		}
		checkStampedAppendix(t, ca, app, "15/KH-UBND")
		if before, after := topRightInk(t, app0), topRightInk(t, app); after < before+100 {
			t.Errorf("page 1 as an image: %d dark pixels at the top right before the stamp, %d after", before, after)
		} else {
			t.Logf("page 1 as an image: %d dark pixels at the top right before the stamp, %d after", before, after)
		}
		var list struct{ Items []domain.SignedFile }
		c.expect(c.do("GET", base+"/signatures", nil), 200).json(t, &list)
		if len(list.Items) != 3 || list.Items[2].DocKind != "plan-appendix" || list.Items[2].Stage != "organisation" ||
			list.Items[2].SHA256 != hex.EncodeToString(sum(app)) || list.Items[2].OverSHA256 != is.AppendixSHA256 {
			t.Errorf("signatures: %+v", list.Items)
		}
		var v verifiedJSON
		c.expect(c.do("POST", "/api/v1/verify", app, "Content-Type", "application/pdf"), 200).json(t, &v)
		stages := map[string]bool{}
		for _, m := range v.Issued {
			if m.DocKind != "plan-appendix" || m.Reference != "15/KH-UBND" || m.Reopened {
				t.Errorf("verify of the appendix found %+v", m)
			}
			stages[m.Stage] = true
		}
		if !stages["issued"] || !stages["organisation"] || len(v.Signatures) != 1 || !v.Signatures[0].Valid || !v.Signatures[0].Trusted {
			t.Errorf("verify of the appendix: %+v", v)
		}
		signedDoc := c.expect(c.do("GET", base+"/document.pdf", nil), 200).body

		// Reopened with a reason: kept, verified as reopened; edits and a
		// new issue go through.
		pr = c.expect(c.do("POST", base+"/reopen", map[string]any{"reason": "  "}), 422).problem(t)
		if !hasField(pr, "reason") {
			t.Errorf("reopen without a reason: %+v", pr)
		}
		var reopened planIssueJSON
		c.expect(c.do("POST", base+"/reopen", map[string]any{"reason": "Sửa thời hạn nhiệm vụ 3"}), 200).json(t, &reopened)
		if reopened.ID != is.ID || reopened.ReopenedAt == nil || reopened.ReopenReason != "Sửa thời hạn nhiệm vụ 3" || reopened.ReopenedBy == "" {
			t.Errorf("reopened %+v", reopened)
		}
		c.expect(c.do("GET", base+"/to-sign.pdf", nil), 409)
		if now := c.expect(c.do("GET", base+"/document.pdf", nil), 200).body; bytes.Equal(now, signedDoc) || bytes.Equal(now, doc0) {
			t.Error("a reopened plan's download is still the issued file")
		}
		c.expect(c.do("POST", "/api/v1/verify", signedDoc, "Content-Type", "application/pdf"), 200).json(t, &v)
		if len(v.Issued) == 0 || !v.Issued[0].Reopened {
			t.Errorf("verify of a reopened plan's file: %+v", v.Issued)
		}
		d := numberedPlan(t)
		d["title"] = "triển khai Đề án 06 năm 2024 (sửa đổi)"
		c.expect(c.do("PUT", base, d, "If-Match", `"v3"`), 412) // reopening moved the version
		c.expect(c.do("PUT", base, d, "If-Match", `"v4"`), 200)
		var is2 planIssueJSON
		c.expect(c.do("POST", base+"/issue", nil, "If-Match", `"v5"`), 200).json(t, &is2)
		if is2.ID == is.ID || is2.PDFSHA256 == is.PDFSHA256 {
			t.Errorf("issued again: %+v", is2)
		}
		c.expect(c.do("GET", base+"/signatures", nil), 200).json(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("a new issue starts unsigned: %+v", list.Items)
		}
		var hist struct{ Items []planIssueJSON }
		c.expect(c.do("GET", base+"/issues", nil), 200).json(t, &hist)
		if len(hist.Items) != 2 || hist.Items[0].ReopenedAt == nil || hist.Items[1].ReopenedAt != nil {
			t.Errorf("issues: %+v", hist.Items)
		}
		var trail struct {
			Items []struct{ Action, Detail string }
		}
		c.expect(c.do("GET", "/api/v1/audit?action=plan.", nil), 200).json(t, &trail)
		seen := map[string]string{}
		for _, e := range trail.Items {
			seen[e.Action] = e.Detail
		}
		if !strings.Contains(seen["plan.issue"], "15/KH-UBND") || !strings.Contains(seen["plan.reopen"], "Sửa thời hạn") {
			t.Errorf("trail: %+v", trail.Items)
		}

		// Issues are frozen: never changed, never deleted, reopened once.
		for _, q := range []string{"UPDATE plan_issues SET pdf_sha256 = 'x'", "DELETE FROM plan_issues",
			fmt.Sprintf("UPDATE plan_issues SET reopen_reason = 'x', reopened_at = CURRENT_TIMESTAMP WHERE id = %d", is.ID),
			fmt.Sprintf("UPDATE plan_issues SET reopen_reason = 'x' WHERE id = %d", is.ID)} {
			if err := st.Exec(context.Background(), q); err == nil || !strings.Contains(err.Error(), "frozen") {
				t.Errorf("%s: %v", q, err)
			}
		}
		c.expect(c.do("DELETE", base, nil, "If-Match", `"v6"`), 409)
	})
}

// checkStampedAppendix checks a separate appendix stamped with the
// organisation's signature: one valid, trusted signature covering the
// whole file, PDF/A, poppler's pdfsig agrees, and the text at the top
// right of page 1, as pdftotext -layout reads it, is the number and
// symbol and the signing time in ISO 8601 with +07:00.
func checkStampedAppendix(t *testing.T, ca *signingtest.CA, app []byte, reference string) {
	t.Helper()
	rep, err := signing.Verify(app, ca.Trust(t), time.Now())
	if err != nil || len(rep.Signatures) != 1 || !rep.Signatures[0].OK() || rep.Signatures[0].Page != 1 {
		t.Fatalf("the stamped appendix: %+v %v", rep, err)
	}
	pdfatest.Check(t, app)
	pdfsigValid(t, app, 1)
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "plan-appendix-stamped.pdf"), app, 0o644)
	}
	p, ok := toolFile(t, "pdftotext", app)
	if !ok {
		return
	}
	out, err := exec.Command("pdftotext", "-layout", "-f", "1", "-l", "1", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	want := regexp.MustCompile(`Số: ` + regexp.QuoteMeta(reference) + `; thời gian ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00\s*$`)
	found := -1
	for i, l := range lines {
		if want.MatchString(l) {
			found = i
			break
		}
	}
	// At the top right: among the first lines, right-aligned (the
	// line starts with blanks: nothing to its left).
	if found < 0 || found > 2 || !strings.HasPrefix(lines[found], "          ") {
		t.Errorf("the stamp is not the top right text of page 1:\n%s", strings.Join(lines[:min(len(lines), 8)], "\n"))
	}
}

// TestPlanIssuePage: from the plan page, as the secretariat: issuing a
// plan without its number is refused with the reason in Vietnamese; once
// numbered it is issued, its edit links go, and the signing steps run
// (signPageSteps) with the appendix stamped; reopening needs a reason,
// kept with its refusal beside the field.
func TestPlanIssuePage(t *testing.T) {
	ca, cfg := signingSetup(t)
	st := storetest.SQLite(t)
	c := newClient(t, st, Config{Signing: cfg})
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
	page := fmt.Sprintf("/plans/%d", p.ID)
	mustUser(t, st, "vanphong3", "secretariat", 0)
	b := newWebClient(t, c.base)
	b.login("vanphong3", testPassword)
	body := string(b.get(page).body)
	if !strings.Contains(body, "Chưa ban hành") || !strings.Contains(body, `action="`+page+`/issue"`) || strings.Contains(body, `id="signatures"`) {
		t.Fatalf("a plan not issued:\n%s", body)
	}
	r := b.post(page+"/issue", url.Values{"csrf": {b.csrf(page)}, "version": {"1"}})
	if r.status != 422 || !strings.Contains(string(r.body), "kế hoạch chưa có số văn bản") || !strings.Contains(string(r.body), "ngày ban hành đầy đủ") {
		t.Errorf("issuing a plan without number: %d\n%s", r.status, r.body)
	}
	c.expect(c.do("PUT", "/api/v1"+page, numberedPlan(t), "If-Match", `"v1"`), 200)
	if r := b.post(page+"/issue", url.Values{"csrf": {b.csrf(page)}, "version": {"1"}}); r.status != 409 || !strings.Contains(string(r.body), "vừa được người khác sửa") {
		t.Errorf("issuing a stale version: %d", r.status)
	}
	if r := b.post(page+"/issue", url.Values{"csrf": {b.csrf(page)}, "version": {"2"}}); r.status != 303 {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
	body = string(b.get(page).body)
	if !strings.Contains(body, "Đã ban hành: <strong>Kế hoạch số 15/KH-UBND</strong> ngày 05/01/2024") || strings.Contains(body, `id="edit-links"`) {
		t.Errorf("an issued plan's page:\n%s", body)
	}
	// The edit page's form is refused with the reason, nothing stored.
	r = b.post(page+"/edit", planFormValues(b.csrf(page+"/edit"), 3))
	if r.status == 303 || !strings.Contains(string(r.body), "kế hoạch đã ban hành") {
		t.Errorf("editing an issued plan from its page: %d\n%s", r.status, r.body)
	}
	signPageSteps(t, c, st, ca, page, "/api/v1"+page+"/document.pdf")
	app := b.get("/api/v1" + page + "/appendix.pdf").body
	checkStampedAppendix(t, ca, app, "15/KH-UBND")
	v := b.postFile("/verify", url.Values{"csrf": {b.csrf("/verify")}}, "file", "phu-luc.pdf", app)
	if v.status != 200 || !strings.Contains(string(v.body), "Là phụ lục của kế hoạch số 15/KH-UBND do hệ thống này ban hành, đã có chữ ký số của cơ quan, tổ chức") {
		t.Errorf("the verify page on the stamped appendix: %d\n%s", v.status, v.body)
	}

	r = b.post(page+"/reopen", url.Values{"csrf": {b.csrf(page)}, "reason": {"\u200b "}})
	if r.status != 422 || !strings.Contains(string(r.body), `id="reason-error"`) {
		t.Errorf("reopen without a reason: %d\n%s", r.status, r.body)
	}
	if r := b.post(page+"/reopen", url.Values{"csrf": {b.csrf(page)}, "reason": {"Sửa thời hạn"}}); r.status != 303 {
		t.Fatalf("reopen: %d %s", r.status, r.body)
	}
	body = string(b.get(page).body)
	if !strings.Contains(body, "Chưa ban hành (đã mở lại 1 lần)") || !strings.Contains(body, `id="edit-links"`) {
		t.Errorf("a reopened plan's page:\n%s", body)
	}
}

// topRightInk is how many dark pixels page 1 of a PDF has, drawn at 100
// dpi in grey, in its top right corner above the number and date line a
// separate appendix prints (the right half, 9.5 mm from the top: where
// the organisation's stamp goes); -1 without pdftoppm.
func topRightInk(t *testing.T, data []byte) int {
	t.Helper()
	p, ok := toolFile(t, "pdftoppm", data)
	if !ok {
		return -1
	}
	root := strings.TrimSuffix(p, ".pdf")
	if out, err := exec.Command("pdftoppm", "-png", "-gray", "-r", "100", "-f", "1", "-l", "1", "-singlefile", p, root).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(root + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Min.Y+37; y++ { // 9.5 mm at 100 dpi
		for x := b.Min.X + b.Dx()/2; x < b.Max.X; x++ {
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 128 {
				n++
			}
		}
	}
	return n
}

// TestPlanIssueNoPrintedAppendix: a plan whose appendix is kept for
// tracking only is issued as its document alone: no separate appendix
// file (appendix.pdf stays 404), and the organisation's signature needs
// none.
func TestPlanIssueNoPrintedAppendix(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var d map[string]any
	if err := json.Unmarshal(fixtureJSON(t, "ninh-thuan-2022"), &d); err != nil {
		t.Fatal(err)
	}
	d["number"], d["date"] = 34, "2022-02-21"
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", d), 201).json(t, &p)
	base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	var is planIssueJSON
	c.expect(c.do("POST", base+"/issue", nil, "If-Match", `"v1"`), 200).json(t, &is)
	if is.AppendixSHA256 != "" || is.Links["appendix_pdf"] != "" || is.Reference == "" {
		t.Errorf("issued %+v", is)
	}
	c.expect(c.do("GET", base+"/appendix.pdf", nil), 404)
	doc0 := c.expect(c.do("GET", base+"/document.pdf", nil), 200).body
	if hex.EncodeToString(sum(doc0)) != is.PDFSHA256 {
		t.Error("the download is not the frozen file")
	}
	pdfatest.Check(t, doc0)
	// Without signing configured, the steps say so after the order.
	c.expect(c.do("POST", base+"/organisation-signature", nil), 503)
}

// TestBrowserPlanIssue: in Chromium, the secretariat issues the numbered
// Lai Châu plan from its page, downloads the frozen document with its
// button, and reopens it with a reason typed in the form
// (BAOCAO_SCREENSHOTS=DIR keeps plan-issued.png).
func TestBrowserPlanIssue(t *testing.T) {
	f := newDemoFixture(t)
	dir := t.TempDir()
	ctx := newTab(t, dir)
	base := f.admin.base
	api := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
	d := f.plan.Document
	d.Number, d.Date = 15, doc.Date{Year: 2024, Month: 1, Day: 5}
	f.admin.expect(f.admin.do("PUT", api, d, "If-Match", etagOf(f.plan.Version)), 200)
	page := fmt.Sprintf("%s/plans/%d", base, f.plan.ID)
	do(t, ctx, "issue", loginAs(base, "vanphong"),
		chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("plan-issue")),
		chromedp.Click(chromedp.CSS(`form[action$="/issue"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã ban hành Kế hoạch số 15/KH-UBND") || !strings.Contains(body, "Chữ ký số") {
		t.Fatalf("after issuing: %s", body)
	}
	screenshot(t, ctx, "plan-issued.png")
	var got planJSON
	f.admin.expect(f.admin.do("GET", api, nil), 200).json(t, &got)
	if got.Issue == nil {
		t.Fatal("not issued")
	}
	is := *got.Issue
	if pdf := download(t, ctx, dir, `a[href$="/document.pdf"]`); hex.EncodeToString(sum(pdf)) != is.PDFSHA256 {
		t.Error("the page's download is not the frozen document")
	}
	do(t, ctx, "reopen",
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".flash").remove()`),
		chromedp.SendKeys(chromedp.ID("reason"), "Sửa thời hạn"),
		chromedp.Submit(chromedp.ID("reason")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Đã mở lại Kế hoạch số 15/KH-UBND") || !strings.Contains(body, "Chưa ban hành (đã mở lại 1 lần)") {
		t.Errorf("after reopening: %s", body)
	}
}
