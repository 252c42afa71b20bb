package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/pdf/pdfatest"
)

func TestReportsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		task := p.Document.Appendices[0].Tasks[0]
		c.expect(c.do("POST", base+"/progress", map[string]any{"task_id": task.ID, "period": "2024-Q1", "agency": task.Lead[0],
			"status": "done", "completed_on": "2024-03-10", "result": "Đăng 24 tin bài",
			"figures": []map[string]any{{"name": "tin bài", "value": 24, "unit": "tin bài"}}, "submitted_by": "Nguyễn Thị Hoa"}), 201)

		// A preview exists before any draft.
		pdf := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200)
		if !bytes.HasPrefix(pdf.body, []byte("%PDF")) {
			t.Fatal("preview is not a PDF")
		}
		c.expect(c.do("GET", base+"/reports/2024-Q1", nil), 404)
		c.expect(c.do("GET", base+"/reports/2024-Q5.pdf", nil), 422)

		var r reportJSON
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{"shortcomings": "Một số cơ quan báo cáo chậm."}}), 201).json(t, &r)
		if r.Status != "draft" || r.Version != 1 || r.Narrative.Shortcomings == "" {
			t.Fatalf("draft %+v", r)
		}
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{}}), 428) // a draft exists: version needed
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": 1, "narrative": map[string]any{"causes": "Thiếu nhân lực."}}), 200).json(t, &r)
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": 2, "narrative": map[string]any{"bogus": 1}}), 422)
		x := c.expect(c.do("GET", base+"/reports/2024-Q1.xlsx", nil), 200)
		if !bytes.HasPrefix(x.body, []byte("PK")) {
			t.Fatal("preview is not an XLSX")
		}
		// The draft's working copy for the clerk, with the draft's text.
		w := c.expect(c.do("GET", base+"/reports/2024-Q1.docx", nil), 200)
		if w.header.Get("Content-Type") != typeDOCX || !bytes.Contains(docxText(t, w.body), []byte("Thiếu nhân lực.")) {
			t.Fatalf("draft DOCX: %s, text %s", w.header.Get("Content-Type"), docxText(t, w.body))
		}
		if r.Links["docx"] != base+"/reports/2024-Q1.docx" {
			t.Errorf("draft links %v", r.Links)
		}

		// Issue: number 01 of the year, files frozen.
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"date": "2024-03-20"}), 428)
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"version": 2, "date": "2024-02-31"}), 422)
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"version": 2, "date": "2024-03-20"}), 200).json(t, &r)
		if r.Status != "issued" || r.Number != 1 || r.IssuedOn != "2024-03-20" || r.PDFSHA256 == "" {
			t.Fatalf("issued %+v", r)
		}
		// An issued report is frozen as PDF and XLSX: no DOCX.
		if p := c.expect(c.do("GET", base+"/reports/2024-Q1.docx", nil), 404).problem(t); !strings.Contains(p.Detail, ".pdf and .xlsx") {
			t.Errorf("issued DOCX: %+v", p)
		}
		var rec reportJSON
		c.expect(c.do("GET", base+"/reports/2024-Q1", nil), 200).json(t, &rec)
		if _, ok := rec.Links["docx"]; ok || rec.Links["pdf"] == "" {
			t.Errorf("issued links %v", rec.Links)
		}
		got := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200)
		sum := sha256.Sum256(got.body)
		if hex.EncodeToString(sum[:]) != r.PDFSHA256 {
			t.Error("the issued PDF is not the frozen one")
		}
		// The issued file is PDF/A-2b, its XMP naming the report; the
		// preview was not.
		if x := pdfatest.Check(t, got.body); x.Identifier != "01/BC-UBND" || x.Date != "2024-03-20" || !strings.HasPrefix(x.Title, "Báo cáo ") {
			t.Errorf("issued report's XMP: %q %q %q", x.Identifier, x.Date, x.Title)
		}
		if bytes.Contains(pdf.body, []byte("/OutputIntents")) {
			t.Error("the preview is PDF/A")
		}
		// The period is locked; once reopened, the data change and the
		// issued report does not.
		late := map[string]any{"task_id": task.ID, "period": "2024-Q1", "agency": task.Lead[0], "status": "in_progress", "submitted_by": "X"}
		c.expect(c.do("POST", base+"/progress", late), 409)
		c.expect(c.do("POST", base+"/reports/2024-Q1/reopen", nil, "If-Match", etagOf(r.Version)), 200).json(t, &r)
		c.expect(c.do("POST", base+"/progress", late), 201)
		again := c.expect(c.do("GET", base+"/reports/2024-Q1.pdf", nil), 200)
		if !bytes.Equal(again.body, got.body) {
			t.Error("an issued report changed with the data")
		}
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"version": 4, "narrative": map[string]any{}}), 409)
		c.expect(c.do("POST", base+"/reports/2024-Q1/issue", map[string]any{"version": 4}), 409)

		// The next report of the year gets 02.
		c.expect(c.do("PUT", base+"/reports/2024-H1", map[string]any{"narrative": map[string]any{}}), 201)
		c.expect(c.do("POST", base+"/reports/2024-H1/issue", map[string]any{"date": "2024-06-20"}, "If-Match", `"v1"`), 200).json(t, &r)
		if r.Number != 2 {
			t.Errorf("second number %d", r.Number)
		}
		var list struct{ Items []reportJSON }
		c.expect(c.do("GET", base+"/reports", nil), 200).json(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("%d reports", len(list.Items))
		}
		// A plan with issued reports cannot be deleted.
		c.expect(c.do("DELETE", base, nil, "If-Match", `"v1"`), 409)
	})
}
