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
	"baocao/reports/demotest"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/letter/lettertest"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

// letterQ1 is the Lai Châu demo's Quý I letter as of 20/03/2024 (after
// the due date, the 15th), numbered 12 on that day: its document, PDF
// and XLSX, and the agencies it reminds.
func letterQ1(t *testing.T) (*doc.Document, []byte, []byte, []letter.Late) {
	t.Helper()
	ld, board := lettertest.LetterQ1(t)
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
	return ld, data, x, letter.LateAgencies(board)
}

func pdftext(t *testing.T, data []byte) string {
	t.Helper()
	demotest.Need(t, "pdftotext")
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

// TestLaiChauQ1: the Quý I letter of the Lai Châu demo, issued as number
// 12, names every late agency with its tasks, prints "Số: 12/UBND-KSTT"
// (no kind abbreviation), the "V/v" line and "Kính gửi:", has no centred
// kind name, and its appendix lists every task of the board's late
// agencies — in the PDF and in the workbook.
func TestLaiChauQ1(t *testing.T) {
	_, data, x, late := letterQ1(t)
	if len(late) == 0 {
		t.Fatal("no late agency in the demo's Quý I")
	}
	text := pdftext(t, data)
	for _, want := range []string{"Số: 12/UBND-KSTT", "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch", "Kính gửi:",
		"Lai Châu, ngày 20 tháng 3 năm 2024", "Phụ lục", "(Kèm theo Công văn số 12/UBND-KSTT ngày 20 tháng 3 năm 2024",
		"trước ngày 27/03/2024./."} {
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

// TestDrafted: a letter without the secretariat's parts is addressed to
// the late agencies, asks for "Như trên", and takes its unit from the
// plan's "Lưu:" line; the secretariat's parts replace the drafted ones.
func TestDrafted(t *testing.T) {
	ld, _, _, late := letterQ1(t)
	if len(ld.Addressees) != len(late) || ld.Addressees[0] != late[0].Agency || ld.Recipients[0] != "Như trên" ||
		ld.FullSymbol() != "UBND-KSTT" || ld.Archive != "VT, KSTT" || !ld.IsLetter() || ld.Draft {
		t.Errorf("drafted letter %+v", ld)
	}
	if got := ld.SubjectLine(); !strings.HasPrefix(got, "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch") || !strings.HasSuffix(got, "Quý I năm 2024") {
		t.Errorf("V/v line %q", got)
	}
	d, subs, leads := demotest.LaiChau(t)
	p, _ := period.Parse("2024-Q1")
	asOf := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	board := progress.Compute(progress.Input{Plan: d, Period: p, Submissions: subs, AsOf: asOf, Leads: leads})
	own, err := letter.Compose(letter.Input{Plan: d, Period: p, Board: board, AsOf: asOf,
		Parts: letter.Parts{Title: "V/v nhắc báo cáo", Unit: "VX", Addressees: []string{"Sở Nội vụ"}, Request: "Đề nghị báo cáo ngay./."}})
	if err != nil {
		t.Fatal(err)
	}
	if own.Title != "nhắc báo cáo" || own.FullSymbol() != "UBND-VX" || len(own.Addressees) != 1 || !own.Draft ||
		!strings.HasSuffix(strings.TrimSpace(own.Body), "Đề nghị báo cáo ngay./.") {
		t.Errorf("the secretariat's letter %+v", own)
	}
}

// TestLetterDecree30 measures the demo's Quý I letter with the
// Decree-30 layout checker (testdata/tools/decree30_check.py): every rule
// passes but those a công văn has no part for.
func TestLetterDecree30(t *testing.T) {
	_, data, _, _ := letterQ1(t)
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	demotest.Decree30(t, demotest.NotForLetters, path)
}

// TestLetterOpensInLibreOffice converts the letter's workbook with
// LibreOffice and finds every task in its row, with its agency and
// deadline.
func TestLetterOpensInLibreOffice(t *testing.T) {
	demotest.Need(t, "libreoffice")
	_, _, x, late := letterQ1(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "cong-van.xlsx")
	if err := os.WriteFile(in, x, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("libreoffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
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
	tasks, k := taskRows(rows), 0
	for _, l := range late {
		for _, task := range l.Tasks {
			if k >= len(tasks) || tasks[k][1] != l.Agency || tasks[k][3] != task.Deadline {
				t.Fatalf("LibreOffice's rows %q, want %s's task %d in row %d", tasks, l.Agency, task.Number, k+1)
			}
			k++
		}
	}
	if k != len(tasks) {
		t.Errorf("LibreOffice shows %d task rows, want %d", len(tasks), k)
	}
}
