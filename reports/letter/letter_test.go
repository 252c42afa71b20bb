package letter_test

import (
	"bytes"
	"context"
	"encoding/csv"
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
	wb, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	if tasks := taskRows(rows); len(tasks) != n || tasks[0][1] != late[0].Agency {
		t.Errorf("the workbook lists %d tasks, want %d: %q", len(tasks), n, tasks)
	}
}

// taskRows are a sheet's rows that begin with a task's STT.
func taskRows(rows [][]string) [][]string {
	var out [][]string
	for _, r := range rows {
		if len(r) > 1 && regexp.MustCompile(`^\d+$`).MatchString(r[0]) {
			out = append(out, r)
		}
	}
	return out
}

// letterQ1 is the demo's Quý I letter, number 12 of 20/03/2024, as PDF
// and XLSX, with the agencies it reminds.
func letterQ1(t *testing.T) ([]byte, []byte, []letter.Late) {
	t.Helper()
	d, p, board, asOf := laiChau(t)
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
	x, err := xlsx.Appendices(ld, xlsx.Options{Family: fam, Created: ld.Date.Created()})
	if err != nil {
		t.Fatal(err)
	}
	return data, x, letter.LateAgencies(board)
}

// notForLetters are the checker's rules a công văn does not meet by
// what it is (Decree 30, App. III, Mẫu 1.1), with why.
var notForLetters = map[string]string{
	"kind line present":            "a công văn prints no kind name: its summary is the V/v line under the number",
	"rule under the title present": "a công văn has no centred title, so no rule under it",
	// The body is one page: page 2 is the appendix's first page, and each
	// appendix is numbered on its own from its second page.
	"page number centred in the top margin from page 2": "page 2 is the appendix's first page",
}

// TestLetterDecree30 measures the demo's Quý I letter with the
// Decree-30 layout checker (testdata/tools/decree30_check.py): every rule
// passes but those a công văn has no part for.
func TestLetterDecree30(t *testing.T) {
	need(t, "mutool", "python3")
	data, _, _ := letterQ1(t)
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("python3", "../../testdata/tools/decree30_check.py", path).CombinedOutput()
	line := regexp.MustCompile(`^(PASS|FAIL)  (.*?) — (.*)$`)
	rules := 0
	for _, l := range strings.Split(string(out), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		rules++
		_, known := notForLetters[m[2]]
		switch {
		case m[1] == "FAIL" && !known:
			t.Errorf("FAIL %s — %s", m[2], m[3])
		case m[1] == "PASS" && known:
			t.Errorf("%s passes now: take it out of notForLetters", m[2])
		}
	}
	if rules < 15 {
		t.Errorf("the checker reported %d rules:\n%s", rules, out)
	}
}

// TestLetterOpensInLibreOffice converts the letter's workbook with
// LibreOffice and finds every task in its row.
func TestLetterOpensInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("libreoffice is required (libreoffice-calc-nogui)")
		}
		t.Skip("libreoffice not installed")
	}
	_, x, late := letterQ1(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "cong-van.xlsx")
	if err := os.WriteFile(in, x, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "cong-van.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range late {
		n += len(l.Tasks)
	}
	tasks := taskRows(rows)
	if len(tasks) != n {
		t.Fatalf("LibreOffice shows %d task rows, want %d: %q", len(tasks), n, rows)
	}
	k := 0
	for _, l := range late {
		for _, task := range l.Tasks {
			if tasks[k][1] != l.Agency || tasks[k][3] != task.Deadline {
				t.Errorf("row %d: %q, want %s's task %d", k+1, tasks[k], l.Agency, task.Number)
			}
			k++
		}
	}
}
