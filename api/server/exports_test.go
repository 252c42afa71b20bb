package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/doc"
)

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatal("CSV without a UTF-8 byte-order mark")
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	// The export page asks for ";" (Excel with Vietnamese settings).
	if line, _, _ := bytes.Cut(body[3:], []byte("\n")); bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		tasks := f.plan.Document.Appendices[0].Tasks
		base := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
		for _, s := range []map[string]any{
			{"task_id": tasks[0].ID, "period": "2024-Q1", "agency": tasks[0].Lead[0], "status": "in_progress", "result": "=1+1",
				"figures": []map[string]any{{"name": "tin bài", "value": 24, "unit": "bài"}}},
			{"task_id": tasks[0].ID, "period": "2024-Q1", "agency": tasks[0].Lead[0], "status": "done", "completed_on": "2024-03-01", "result": "-5 hội nghị"},
			{"task_id": tasks[3].ID, "period": "2024-Q2", "agency": tasks[3].Lead[0], "status": "in_progress", "result": "@cả nhà"},
		} {
			f.admin.expect(f.admin.do("POST", base+"/progress", s), 201)
		}
		aud := f.admin.as(auth.RoleAuditor, 0)
		r := aud.expect(aud.do("GET", "/api/v1/exports/progress.csv", nil), 200)
		if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), "filename*=UTF-8''Ti%E1%BA%BFn") {
			t.Errorf("headers %v", r.header)
		}
		rows := readCSV(t, r.body)
		if len(rows) != 4 || rows[0][0] != "Kế hoạch" {
			t.Fatalf("CSV rows %q", rows)
		}
		if rows[1][6] != "'=1+1" || rows[2][6] != "'-5 hội nghị" || rows[3][6] != "'@cả nhà" || rows[1][7] != "tin bài: 24 bài" ||
			rows[1][1] != "1" || rows[2][10] != "2" || rows[1][3] != tasks[0].Lead[0] {
			t.Errorf("CSV content %q", rows[1:])
		}
		for q, want := range map[string]int{"period=2024-Q2": 1, "status=done": 1, "year=2024": 3, "year=2023": 0,
			fmt.Sprintf("agency=%d", f.agency): 2, "plan=999": 0, fmt.Sprintf("plan=%d&period=2024-Q1&status=in_progress", f.plan.ID): 1} {
			if got := len(readCSV(t, aud.expect(aud.do("GET", "/api/v1/exports/progress.csv?"+q, nil), 200).body)) - 1; got != want {
				t.Errorf("?%s: %d rows, want %d", q, got, want)
			}
		}
		for q, field := range map[string]string{"status=overdue": "status", "period=2024-Q9": "period", "year=abc": "year", "plan=-1": "plan"} {
			if p := aud.expect(aud.do("GET", "/api/v1/exports/progress.xlsx?"+q, nil), 422).problem(t); !hasField(p, field) {
				t.Errorf("?%s: %+v", q, p)
			}
		}
		x := aud.expect(aud.do("GET", "/api/v1/exports/progress.xlsx", nil), 200)
		wb, err := excelize.OpenReader(bytes.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := wb.GetRows("Tiến độ")
		if err != nil || len(xrows) != 4 {
			t.Fatalf("XLSX rows %d %v", len(xrows), err)
		}
		if typ, _ := wb.GetCellType("Tiến độ", "G2"); typ == excelize.CellTypeFormula {
			t.Error("a formula in the export")
		}
		if f, _ := wb.GetCellFormula("Tiến độ", "G2"); f != "" || xrows[1][6] != "'=1+1" {
			t.Errorf("G2 %q formula %q", xrows[1][6], f)
		}
		// Exports are in the trail with their filters.
		var trail struct{ Items []store.AuditEntry }
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?action=export.progress&per_page=100", nil), 200).json(t, &trail)
		if len(trail.Items) != 9 || trail.Items[len(trail.Items)-1].Detail != "csv all" || trail.Items[0].Actor != "key:test auditor" {
			t.Errorf("export trail %+v", trail.Items)
		}
		// An export that fails is answered with a problem, never as a
		// complete file (it is written out before its first byte is sent),
		// and it is in the trail with its status.
		if err := st.Exec(context.Background(), "UPDATE progress SET figures = 'not json' WHERE revision = 2"); err != nil {
			t.Fatal(err)
		}
		aud.expect(aud.do("GET", "/api/v1/exports/progress.csv?status=done", nil), 500).problem(t)
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?action=export.progress&per_page=100", nil), 200).json(t, &trail)
		if trail.Items[0].Detail != "csv status=done" || trail.Items[0].Status != 500 {
			t.Errorf("failed export not in the trail: %+v", trail.Items[0])
		}
		// Reporters do not export.
		rep := f.admin.as(auth.RoleReporter, f.agency)
		rep.expect(rep.do("GET", "/api/v1/exports/progress.csv", nil), 403)
	})
}

// BenchmarkExportAPI200k exports 200,000 stored submissions through the
// API (SQLite cursor → HTTP stream) and reports the time and the peak heap
// of the whole process, sampled.
func BenchmarkExportAPI200k(b *testing.B) {
	st := storetest.SQLite(b)
	s, err := New(Config{}, st)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	_, key, err := st.CreateKey(ctx, domain.KeyInput{Name: "bench", Scope: auth.RoleAuditor})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	d, err := doc.Decode(bytes.NewReader(fixtureJSON(b, "lai-chau-2024")))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := st.CreatePlan(ctx, d)
	if err != nil {
		b.Fatal(err)
	}
	task := plan.Doc.Appendices[0].Tasks[0]
	agencies, err := st.ListAgencies(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var agency int64
	for _, a := range agencies {
		if a.Name == task.Lead[0] {
			agency = a.ID
		}
	}
	err = st.Exec(ctx, fmt.Sprintf(`INSERT INTO progress (plan_id, task_id, agency_id, period, revision, status, result, figures, submitted_by, submitted_at, late)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
		SELECT %d, %d, %d, '2024-Q1', i, 'in_progress', 'Đã đăng ' || i || ' tin, bài về cải cách hành chính trên Cổng thông tin điện tử tỉnh',
		'[{"name":"tin bài","value":24,"unit":"bài"},{"name":"hội nghị","value":2,"unit":"hội nghị"}]', 'Nguyễn Thị Hoa', '2024-03-10 08:00:00+00:00', 0 FROM n`,
		plan.ID, task.ID, agency))
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var peak uint64
				stop, done := make(chan struct{}), make(chan struct{})
				go func() {
					defer close(done)
					var m runtime.MemStats
					for {
						runtime.ReadMemStats(&m)
						peak = max(peak, m.HeapInuse+m.StackInuse)
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
				req, _ := http.NewRequest("GET", ts.URL+"/api/v1/exports/progress."+format, nil)
				req.Header.Set("Authorization", "Bearer "+key)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				close(stop)
				<-done
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("export: %d %v", res.StatusCode, err)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(n)/(1<<20), "file-MB")
			}
			checkInLibreOffice(b, ts.URL+"/api/v1/exports/progress."+format, key, format, 200001)
		})
	}
}

// checkInLibreOffice downloads an export, has LibreOffice convert it to CSV
// and counts the rows it shows (after the timing: LibreOffice is slow on
// 200,000 rows). Formula-like texts must come out as text.
func checkInLibreOffice(b *testing.B, url, key, format string, want int) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		b.Log("libreoffice not installed: row count not checked")
		return
	}
	dir := b.TempDir()
	in := filepath.Join(dir, "export."+format)
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := os.Create(in)
	_, err = io.Copy(f, res.Body)
	res.Body.Close()
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	// CSV goes in as UTF-8 (filter options 44,34,76) and comes out the same.
	args := []string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "p"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", outDir}
	if format == "csv" {
		args = append(args, "--infilter=CSV:44,34,76")
	}
	if out, err := exec.Command(lo, append(args, in)...).CombinedOutput(); err != nil {
		b.Fatalf("libreoffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(outDir, "export.csv"))
	if err != nil {
		b.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	if len(rows) != want {
		b.Fatalf("LibreOffice shows %d rows of the %s export, want %d", len(rows), format, want)
	}
	b.Logf("LibreOffice opened the %s export: %d rows", format, len(rows))
}
