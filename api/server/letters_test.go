package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"baocao/api/auth"
	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
)

// demoLaiChau loads the demo data and answers an admin's client and the
// Lai Châu plan's API path.
func demoLaiChau(t *testing.T, st *store.Store) (*client, string, planJSON) {
	t.Helper()
	return demoLaiChauWith(t, st, Config{})
}

// demoLaiChauWith is demoLaiChau with the server's configuration cfg.
func demoLaiChauWith(t *testing.T, st *store.Store, cfg Config) (*client, string, planJSON) {
	t.Helper()
	if err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, st, cfg)
	var list struct{ Items []domain.PlanSummary }
	c.expect(c.do("GET", "/api/v1/plans?q=lai+chau", nil), 200).json(t, &list)
	var plan planJSON
	c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d", list.Items[0].ID), nil), 200).json(t, &plan)
	return c, fmt.Sprintf("/api/v1/plans/%d", plan.ID), plan
}

// TestLetters: the secretariat drafts the Lai Châu demo's Quý I reminder
// letter, previews it (DỰ THẢO, no number), edits it at its version,
// issues it as "Số: 01/UBND-VX" — a công văn's symbol is the agency's and
// the unit's, no kind — with its files frozen (SHA-256), and a second
// letter gets 02: its own numbering (kind CV), beside the reports'. The
// letter names every late agency and its tasks; an issued letter takes
// no edit, a stale version is refused, a reporter reads none; the trail
// records each step. On SQLite and PostgreSQL.
func TestLetters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c, base, _ := demoLaiChau(t, st)
		var l letterJSON
		c.expect(c.do("POST", base+"/letters", map[string]any{"period": "2024-Q1", "parts": map[string]any{}}), 201).json(t, &l)
		if l.Status != "draft" || l.Version != 1 || l.Number != 0 || l.Printed == nil || len(l.Late) == 0 || l.Printed.Unit != "KSTT" {
			t.Fatalf("new letter %+v", l)
		}
		self := l.Links["self"]
		draft := pdfText(t, c.expect(c.do("GET", self+".pdf", nil), 200).body)
		for _, want := range []string{"DỰ THẢO", "/UBND-KSTT", "V/v đôn đốc báo cáo", "Kính gửi"} {
			if !strings.Contains(draft, want) {
				t.Errorf("the draft lacks %q:\n%s", want, draft)
			}
		}
		// Edited at its version: the unit and the request.
		parts := map[string]any{"unit": "VX", "request": "Đề nghị các cơ quan báo cáo trước ngày 27/3/2024./."}
		c.expect(c.do("PUT", self, map[string]any{"parts": parts}), 428)
		c.expect(c.do("PUT", self, map[string]any{"parts": parts}, "If-Match", `"v1"`), 200).json(t, &l)
		c.expect(c.do("PUT", self, map[string]any{"parts": parts}, "If-Match", `"v1"`), 412)
		pr := c.expect(c.do("PUT", self, map[string]any{"parts": map[string]any{"unit": "V X"}}, "If-Match", `"v2"`), 422).problem(t)
		if !hasField(pr, "parts.unit") {
			t.Errorf("a bad unit: %+v", pr)
		}
		rep := c.as(auth.RoleReporter, l.Late[0].Tasks[0].TaskID)
		rep.expect(rep.do("GET", self, nil), 403)
		rep.expect(rep.do("GET", self+".docx", nil), 403)

		// The draft as Word, for the clerk's edits: the same letter, with
		// the secretariat's text, the V/v line and no kind name.
		if l.Links["docx"] != self+".docx" {
			t.Errorf("links %v", l.Links)
		}
		dx := c.expect(c.do("GET", self+".docx", nil), 200)
		if ct := dx.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Errorf("content type %q", ct)
		}
		word := string(docxText(t, dx.body))
		for _, want := range []string{"DỰ THẢO", "/UBND-VX", "V/v đôn đốc báo cáo", "Kính gửi:", "trước ngày 27/3/2024./.", "Nơi nhận:", "Phụ lục"} {
			if !strings.Contains(word, want) {
				t.Errorf("the draft's DOCX lacks %q:\n%s", want, word)
			}
		}
		if strings.Contains(word, "CÔNG VĂN") {
			t.Errorf("the draft's DOCX prints a kind name:\n%s", word)
		}

		// Issued: 01/UBND-VX, its files frozen.
		var issued letterJSON
		c.expect(c.do("POST", self+"/issue", map[string]any{"date": "2024-03-20"}, "If-Match", `"v2"`), 200).json(t, &issued)
		if issued.Reference != "01/UBND-VX" || issued.Status != "issued" || issued.IssuedOn != "2024-03-20" {
			t.Fatalf("issued %+v", issued)
		}
		pdfData := c.expect(c.do("GET", self+".pdf", nil), 200).body
		if sum := sha256.Sum256(pdfData); hex.EncodeToString(sum[:]) != issued.PDFSHA256 {
			t.Error("the PDF served is not the one frozen")
		}
		text := pdfText(t, pdfData)
		for _, want := range []string{"Số: 01/UBND-VX", "Lai Châu, ngày 20 tháng 3 năm 2024", "trước ngày 27/3/2024./.",
			"Kèm theo Công văn số 01/UBND-VX"} {
			if !strings.Contains(text, want) {
				t.Errorf("the issued letter lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "DỰ THẢO") || strings.Contains(text, "CV-") {
			t.Errorf("the issued letter prints a draft mark or a kind:\n%s", text)
		}
		for _, a := range issued.Late {
			if !strings.Contains(text, a.Agency) {
				t.Errorf("the letter does not name %s", a.Agency)
			}
			for _, task := range a.Tasks {
				if !strings.Contains(text, fmt.Sprintf("nhiệm vụ số %d", task.Number)) && !strings.Contains(text, fmt.Sprintf("Nhiệm vụ số %d", task.Number)) {
					t.Errorf("the letter does not list task %d of %s", task.Number, a.Agency)
				}
			}
		}
		xdata := c.expect(c.do("GET", self+".xlsx", nil), 200).body
		if sum := sha256.Sum256(xdata); hex.EncodeToString(sum[:]) != issued.XLSXSHA256 {
			t.Error("the workbook served is not the one frozen")
		}
		// An issued letter's files are its frozen PDF and XLSX: no DOCX.
		if pr := c.expect(c.do("GET", self+".docx", nil), 404).problem(t); !strings.Contains(pr.Detail, "01/UBND-VX is issued") {
			t.Errorf("an issued letter's DOCX: %+v", pr)
		}
		if _, ok := issued.Links["docx"]; ok {
			t.Errorf("an issued letter links a DOCX: %v", issued.Links)
		}
		c.expect(c.do("PUT", self, map[string]any{"parts": parts}, "If-Match", `"v3"`), 409)
		c.expect(c.do("POST", self+"/issue", nil, "If-Match", `"v3"`), 409)

		// A second reminder: the next number of the agency's công văn.
		var second letterJSON
		c.expect(c.do("POST", base+"/letters", map[string]any{"period": "2024-Q1", "parts": parts}), 201).json(t, &second)
		c.expect(c.do("POST", second.Links["self"]+"/issue", map[string]any{"date": "2024-03-25"}, "If-Match", `"v1"`), 200).json(t, &second)
		if second.Reference != "02/UBND-VX" {
			t.Errorf("the second letter is %q, want 02/UBND-VX", second.Reference)
		}
		var list struct{ Items []letterJSON }
		c.expect(c.do("GET", base+"/letters", nil), 200).json(t, &list)
		if len(list.Items) != 2 || list.Items[0].Reference != "01/UBND-VX" || list.Items[1].Reference != "02/UBND-VX" {
			t.Errorf("letters %+v", list.Items)
		}
		trail, _, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "letter.issue", Limit: 10})
		if err != nil || len(trail) != 2 || !strings.Contains(trail[0].Detail+trail[1].Detail, "công văn số 01/UBND-VX") {
			t.Errorf("trail %+v %v", trail, err)
		}
		// A date before the due date, or a period nobody is late in.
		var third letterJSON
		c.expect(c.do("POST", base+"/letters", map[string]any{"period": "2024-Q1", "parts": map[string]any{}}), 201).json(t, &third)
		pr = c.expect(c.do("POST", third.Links["self"]+"/issue", map[string]any{"date": "2024-03-01"}, "If-Match", `"v1"`), 422).problem(t)
		if !hasField(pr, "date") {
			t.Errorf("an early date: %+v", pr)
		}
		c.expect(c.do("POST", base+"/letters", map[string]any{"period": "1999-Q1", "parts": map[string]any{}}), 409)
	})
}

// TestLetterPages: the secretariat drafts the Quý I letter from the plan
// page, edits it (a bad unit is refused beside the field, what was typed
// kept), issues it with a date, and the plan page links to the letter
// sent; the auditor reads it without forms; a reporter sees no letters.
func TestLetterPages(t *testing.T) {
	f := newDemoFixture(t)
	b := newWebClient(t, f.admin.base)
	b.login("vanphong", testPassword)
	planPage := fmt.Sprintf("/plans/%d?period=2024-Q1", f.plan.ID)
	r := b.get(planPage)
	if !strings.Contains(string(r.body), "Lập công văn đôn đốc Quý I năm 2024") || !strings.Contains(string(r.body), "Chưa có công văn đôn đốc nào") {
		t.Fatalf("plan page: %s", r.body)
	}
	csrf := b.csrf(planPage)
	r = b.post(fmt.Sprintf("/plans/%d/letters", f.plan.ID), url.Values{"csrf": {csrf}, "period": {"2024-Q1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("draft a letter: %d %s", r.status, r.body)
	}
	page := r.header.Get("Location")
	r = b.get(page)
	body := string(r.body)
	for _, want := range []string{"Công văn đôn đốc Quý I năm 2024", "Đã lập dự thảo công văn", `<div id="late">`, "Chưa báo cáo", "UBND-KSTT", "Ban hành công văn"} {
		if !strings.Contains(body, want) {
			t.Errorf("letter page lacks %q", want)
		}
	}
	// The draft's Word file, linked from the page, downloads as the
	// secretariat.
	wordLink := "/api/v1" + page + ".docx"
	if !strings.Contains(body, `id="letter-docx" href="`+wordLink+`"`) {
		t.Errorf("the draft's page does not link its DOCX %s", wordLink)
	}
	if r := b.get(wordLink); r.status != 200 || !strings.Contains(string(docxText(t, r.body)), "V/v đôn đốc báo cáo") {
		t.Errorf("the draft's DOCX from the page: %d", r.status)
	}
	r = b.post(page, url.Values{"csrf": {csrf}, "version": {"1"}, "unit": {"V X"}, "request": {"Đề nghị báo cáo ngay."}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "Ký hiệu chỉ gồm chữ cái") || !strings.Contains(string(r.body), "Đề nghị báo cáo ngay.") {
		t.Fatalf("a bad unit: %d %s", r.status, r.body)
	}
	r = b.post(page, url.Values{"csrf": {csrf}, "version": {"1"}, "unit": {"VX"}, "request": {"Đề nghị báo cáo ngay./."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	r = b.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"2"}, "date": {"2024-03-01"}, "confirm": {"yes"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "trước hạn báo cáo") {
		t.Fatalf("an early date: %d %s", r.status, r.body)
	}
	r = b.post(page+"/issue", url.Values{"csrf": {csrf}, "version": {"2"}, "date": {"2024-03-20"}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
	if r = b.get(page); !strings.Contains(string(r.body), "Đã ban hành công văn số 01/UBND-VX") || strings.Contains(string(r.body), wordLink) {
		t.Errorf("issued page (no DOCX link once issued): %s", r.body)
	}
	r = b.get(planPage)
	if !strings.Contains(string(r.body), "Số 01/UBND-VX, ngày 20/03/2024") || !strings.Contains(string(r.body), page) {
		t.Errorf("the plan page does not link to the letter sent: %s", r.body)
	}
	a := newWebClient(t, f.admin.base)
	a.login("kiemtra", testPassword)
	if r := a.get(page); r.status != 200 || strings.Contains(string(r.body), "Ban hành công văn") || strings.Contains(string(r.body), "Lưu dự thảo") {
		t.Errorf("auditor's letter page: %d", r.status)
	}
	rep := newWebClient(t, f.admin.base)
	rep.login("coquan", testPassword)
	if r := rep.get(planPage); strings.Contains(string(r.body), "Công văn đôn đốc") {
		t.Error("a reporter sees the letters")
	}
	if r := rep.get(page); r.status != http.StatusForbidden {
		t.Errorf("a reporter opens a letter: %d", r.status)
	}
}
