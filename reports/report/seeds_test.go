package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/sample"
	"baocao/reports/vn"
	"baocao/reports/xlsx"
	"baocao/templates"
)

// generated makes progress for every task of d in the quarters of p: a
// fixed pseudo-random mix of statuses, figures, late reports and agencies
// that never report.
func generated(d *doc.Document, p period.Period) []progress.Submission {
	rng := rand.New(rand.NewPCG(7, uint64(len(d.Title))))
	var out []progress.Submission
	for _, q := range p.Quarters() {
		_, end := q.Window()
		for _, a := range d.Appendices {
			for _, t := range a.Tasks {
				for _, lead := range t.Lead {
					if rng.IntN(6) == 0 {
						continue // this agency does not report
					}
					s := progress.Submission{TaskID: t.ID, Agency: lead, Period: q.Code(), Revision: 1,
						SubmittedAt: end.Add(time.Duration(rng.IntN(72)-24) * time.Hour),
						Result:      "Đã triển khai *theo kế hoạch*.",
						Figures:     []progress.Figure{{Name: "tin bài", Value: float64(rng.IntN(40)), Unit: "tin bài"}}}
					switch rng.IntN(3) {
					case 0:
						s.Status = progress.InProgress
					default:
						s.Status = progress.Done
						s.CompletedOn = end.AddDate(0, 0, rng.IntN(20)-15).Format(time.DateOnly)
					}
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func build(t testing.TB, d *doc.Document, p period.Period) (*doc.Document, *progress.Board, []byte, []byte) {
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	_, end := p.Window()
	board := progress.Build(d, p, generated(d, p), end)
	rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: board, AsOf: end})
	if err != nil {
		t.Fatal(err)
	}
	fam, _ := fonts.Default()
	pdfData, err := pdf.New(fam).Report(context.Background(), rd, tables)
	if err != nil {
		t.Fatal(err)
	}
	x, err := xlsx.Report(board, xlsx.ReportInfo{Title: "Báo cáo " + rd.Title, Attached: rd.AttachedLine()})
	if err != nil {
		t.Fatal(err)
	}
	return rd, board, pdfData, x
}

// TestEverySeed renders the 6-month report of every seed plan with
// generated progress and checks both files with real readers.
func TestEverySeed(t *testing.T) {
	sample.EachFixture(t, func(t *testing.T, d *doc.Document) {
		progress.TaskIDs(d)
		p := period.Period{Year: d.Date.Year, Kind: period.Half}
		_, board, pdfData, x := build(t, d, p)
		if len(board.Rows) == 0 {
			t.Fatal("no task due")
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			path := filepath.Join(t.TempDir(), "r.pdf")
			os.WriteFile(path, pdfData, 0o644)
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range []string{"BÁO CÁO", "DỰ THẢO", "I. KẾT QUẢ THỰC HIỆN", "IV. ĐỀ XUẤT, KIẾN NGHỊ",
				fmt.Sprintf("có %s (%s) nhiệm vụ", vn.Count(len(board.Rows)), words(len(board.Rows))),
				"Phụ lục I " + vn.Upper("Kết quả thực hiện các nhiệm vụ "+board.PeriodName),
				"Phụ lục II " + vn.Upper("Tổng hợp kết quả theo cơ quan chủ trì "+board.PeriodName),
				"Tổng số lượt"} {
				if !strings.Contains(text, want) {
					t.Errorf("report PDF lacks %q", want)
				}
			}
		} else if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("pdftotext is required")
		}
		wb, err := excelize.OpenReader(strings.NewReader(string(x)))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		if wb.GetSheetList()[0] != xlsx.SheetSummary {
			t.Errorf("first sheet %q", wb.GetSheetList()[0])
		}
		// The summary's counts are formulas that compute the board's, a
		// row for every status.
		rows, _ := wb.GetRows(xlsx.SheetSummary)
		found := 0
		for _, key := range xlsx.SummaryStatuses {
			name := progress.StatusNames[key]
			for i, row := range rows {
				if len(row) > 2 && row[1] == name {
					cell := fmt.Sprintf("C%d", i+1)
					if f, _ := wb.GetCellFormula(xlsx.SheetSummary, cell); !strings.Contains(f, "COUNTIF") {
						t.Errorf("%s is %q, not a COUNTIF formula", cell, f)
					}
					v, err := wb.CalcCellValue(xlsx.SheetSummary, cell)
					if err != nil || v != fmt.Sprint(board.Counts[key]) {
						t.Errorf("%s: computed %q (%v), board %d", name, v, err, board.Counts[key])
					}
					found++
				}
			}
		}
		if found != len(progress.Statuses) {
			t.Errorf("summary rows found: %d of %d", found, len(progress.Statuses))
		}
	})
}

func words(n int) string { return Funcs()["words"].(func(int) string)(n) }

// BenchmarkReport renders the report of a plan of 100 to 10,000 tasks
// with progress: the board and the document (build), the PDF and the
// XLSX, each on its own, so that each can be seen to grow linearly.
func BenchmarkReport(b *testing.B) {
	set, _ := templates.Load("", Funcs())
	fam, _ := fonts.Default()
	for _, n := range []int{100, 1000, 3000, 10000} {
		d := sample.Plan(n)
		progress.TaskIDs(d)
		p := period.Period{Year: 2024, Kind: period.Q2}
		_, end := p.Window()
		subs := generated(d, p)
		board := progress.Build(d, p, subs, end)
		rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: board, AsOf: end})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("tasks=%d/build", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				board := progress.Build(d, p, subs, end)
				if _, _, err := Build(set, Input{Plan: d, Period: p, Board: board, AsOf: end}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("tasks=%d/pdf", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pdf.New(fam).Report(context.Background(), rd, tables); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("tasks=%d/xlsx", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := xlsx.Report(board, xlsx.ReportInfo{Title: rd.Title}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
