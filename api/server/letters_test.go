package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"baocao/api/auth"
	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
)

// demoLaiChau loads the demo data and answers an admin's client and the
// Lai Châu plan's API path.
func demoLaiChau(t *testing.T, st *store.Store) (*client, string, planJSON) {
	t.Helper()
	if err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, st, Config{})
	var list struct{ Items []store.PlanSummary }
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
