package letter_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

// need skips a test without its external tools, unless
// BAOCAO_REQUIRE_TOOLS=1 makes that a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required: %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// laiChau is the Lai Châu demo plan with its progress, and its Quý I
// board as of 20/03/2024 (after the due date, the 15th).
func laiChau(t *testing.T) (*doc.Document, period.Period, *progress.Board, time.Time) {
	t.Helper()
	d, err := doc.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	progress.TaskIDs(d)
	f, err := os.Open("../../testdata/progress/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := progress.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := pf.Resolve(d)
	if err != nil {
		t.Fatal(err)
	}
	leads, err := pf.LeadAgencies(d)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := period.Parse("2024-Q1")
	asOf := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	return d, p, progress.Compute(progress.Input{Plan: d, Period: p, Submissions: subs, AsOf: asOf, Leads: leads}), asOf
}

func pdftext(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "l.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestLaiChauQ1: the Quý I letter of the Lai Châu demo, issued as number
// 12, names every late agency with its tasks, prints "Số: 12/UBND-KSTT"
// (no kind abbreviation), the "V/v" line and "Kính gửi:", has no centred
// kind name, and its appendix lists every task of the board's late
// agencies — in the PDF and in the workbook.
func TestLaiChauQ1(t *testing.T) {
	need(t, "pdftotext")
	d, p, board, asOf := laiChau(t)
	late := letter.LateAgencies(board)
	if len(late) == 0 {
		t.Fatal("no late agency in the demo's Quý I")
	}
	ld, err := letter.Compose(letter.Input{Plan: d, Period: p, Board: board, Number: 12, Date: doc.Date{Year: 2024, Month: 3, Day: 20}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	data, err := pdf.New(fam).Document(context.Background(), ld)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/letter-q1.pdf", data, 0o644)
	text := pdftext(t, data)
	for _, want := range []string{"Số: 12/UBND-KSTT", "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch", "Kính gửi:",
		"Lai Châu, ngày 20 tháng 3 năm 2024", "Phụ lục", "(Kèm theo Công văn số 12/UBND-KSTT ngày 20 tháng 3 năm 2024"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"CÔNG VĂN", "CV-UBND", "DỰ THẢO"} {
		if strings.Contains(text, bad) {
			t.Errorf("the letter prints %q", bad)
		}
	}
	n := 0
	for _, l := range late {
		if !strings.Contains(text, l.Agency) {
			t.Errorf("the letter does not name %s", l.Agency)
		}
		for _, task := range l.Tasks {
			n++
			words := strings.Fields(progress.Plain(task.Content))
			if len(words) > 6 {
				words = words[:6]
			}
			if !strings.Contains(text, strings.Join(words, " ")) {
				t.Errorf("the letter does not list task %d of %s (%q)", task.Number, l.Agency, strings.Join(words, " "))
			}
		}
	}
	x, err := xlsx.Appendices(ld, xlsx.Options{Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/letter-q1.xlsx", x, 0o644)
	wb, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	tasks := 0
	for _, r := range rows {
		if len(r) > 0 && regexp.MustCompile(`^\d+$`).MatchString(r[0]) {
			tasks++
		}
	}
	if tasks != n {
		t.Errorf("the workbook lists %d tasks, want %d", tasks, n)
	}
}
