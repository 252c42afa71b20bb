package report

import (
	"baocao/reports/demotest"
	"baocao/reports/xlsx/xlsxtest"
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/table"
	"baocao/reports/vn"
	"baocao/reports/xlsx"
	"baocao/templates"
)

// needTool is the path of a tool a test checks its output with; without
// it the test is skipped, unless BAOCAO_REQUIRE_TOOLS=1 (set by .ci/run)
// makes that a failure.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (%s): %v", name, pkg, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// laiChauDemo reads the Lai Châu demo plan and its progress file as
// `baocao report` does.
func laiChauDemo(t *testing.T) (*doc.Document, []progress.Submission, map[int64][]string) {
	t.Helper()
	return demotest.LaiChau(t)
}

// TestDemoReportAgrees renders the Lai Châu demo report for each period as
// PDF and XLSX, as `baocao report` does, and checks that the PDF's counts
// sentence, the workbook as LibreOffice computes it and the board say the
// same: counts and shares of every status, Phụ lục I's rows, Phụ lục II's
// rows and total row.
func TestDemoReportAgrees(t *testing.T) {
	pdftotext := needTool(t, "pdftotext", "poppler-utils")
	lo := needTool(t, "libreoffice", "libreoffice-calc-nogui")
	d, subs, leads := laiChauDemo(t)
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{} // the statuses some period shows
	for _, code := range []string{"2024-Q1", "2024-H1", "2024-9M", "2024-Y"} {
		t.Run(code, func(t *testing.T) {
			p, err := period.Parse(code)
			if err != nil {
				t.Fatal(err)
			}
			asOf := p.Due(d.ReportDueDay)
			board := progress.Compute(progress.Input{Plan: d, Period: p, Submissions: subs, AsOf: asOf, Leads: leads})
			if board.Due == 0 {
				t.Fatal("no task due")
			}
			rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: board, AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			pdfData, err := pdf.New(fam).Report(context.Background(), rd, tables)
			if err != nil {
				t.Fatal(err)
			}
			x, err := xlsx.Report(board, xlsx.ReportInfo{Title: "Báo cáo " + rd.Title, Attached: rd.AttachedLine(), FontName: fam.SpreadsheetName()})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if keep := os.Getenv("BAOCAO_KEEP"); keep != "" {
				dir = keep
			}

			// The PDF's counts sentence.
			pdfPath := filepath.Join(dir, "bao-cao-"+code+".pdf")
			if err := os.WriteFile(pdfPath, pdfData, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pdftotext, pdfPath, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			pdfCounts, pdfShares := pdfSummary(t, text, board, p.Name())

			// The workbook as LibreOffice computes it.
			wb := recalcInLibreOffice(t, lo, dir, "bao-cao-"+code, x)
			sum := summarySheet(t, wb)

			for _, st := range progress.Statuses {
				if board.Counts[st] > 0 {
					seen[st] = true
				}
				if pdfCounts[st] != board.Counts[st] || sum.counts[st] != board.Counts[st] {
					t.Errorf("%s: PDF %d, workbook %d, board %d", st, pdfCounts[st], sum.counts[st], board.Counts[st])
				}
				if !near(sum.shares[st], board.Shares[st]) || !near(board.Shares[st], float64(board.Counts[st])/float64(board.Due)) {
					t.Errorf("%s: workbook share %v, board %v", st, sum.shares[st], board.Shares[st])
				}
				// The PDF shows the share to one decimal.
				if s, ok := pdfShares[st]; ok && math.Abs(s-100*sum.shares[st]) > 0.05+1e-9 {
					t.Errorf("%s: PDF share %v%%, workbook %v", st, s, sum.shares[st])
				}
			}
			if sum.total != board.Due || !near(sum.totalShare, 1) {
				t.Errorf("workbook total %d (%v), due %d", sum.total, sum.totalShare, board.Due)
			}
			if sum.notReported != len(board.NotReported) {
				t.Errorf("workbook: %d agencies not reported, board %d", sum.notReported, len(board.NotReported))
			}

			// Phụ lục I: a row per task due, each with its status.
			rows := taskRows(t, wb)
			if len(rows) != board.Due {
				t.Fatalf("Phụ lục I has %d rows, %d tasks due", len(rows), board.Due)
			}
			tally := map[string]int{}
			for i, r := range rows {
				if r.number != board.Rows[i].Number {
					t.Errorf("Phụ lục I row %d: STT %d, board %d", i+1, r.number, board.Rows[i].Number)
				}
				tally[r.status]++
			}
			for _, st := range progress.Statuses {
				if tally[progress.StatusNames[st]] != board.Counts[st] {
					t.Errorf("Phụ lục I: %d %q, board %d", tally[progress.StatusNames[st]], progress.StatusNames[st], board.Counts[st])
				}
			}

			// Phụ lục II: each agency's statuses add up to its pairs due,
			// the total row to the agencies'; the PDF's total row is the
			// workbook's.
			checkAgencySheet(t, wb, tables[1], board, text)
		})
	}
	// The demo shows more than one status over the year.
	if len(seen) < 2 {
		t.Errorf("the demo shows the statuses %v only", seen)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// countPart is one "NN nhiệm vụ <phrase> (x,y%)" of the counts sentence.
var countPart = regexp.MustCompile(`^(\d+) nhiệm vụ (.+) \((\d+(?:,\d+)?)%\)$`)

// pdfSummary reads the counts sentence off the PDF's text: every status
// named, its count and its share in percent. Every part of the sentence
// must be a count of a known status (or "không có nhiệm vụ quá hạn").
func pdfSummary(t *testing.T, text string, b *progress.Board, periodName string) (map[string]int, map[string]float64) {
	t.Helper()
	head := "Trong " + periodName + ", có " + vn.Count(b.Due) + " (" + vn.Words(int64(b.Due)) + ") nhiệm vụ đến hạn thực hiện"
	i := strings.Index(text, head)
	if i < 0 {
		t.Fatalf("the PDF lacks %q", head)
	}
	rest := text[i:]
	k := strings.Index(rest, " Kết quả: ")
	if k < 0 {
		t.Fatalf("no result in the PDF's counts sentence: %.300s", rest)
	}
	rest = rest[k+len(" Kết quả: "):]
	end := strings.Index(rest, ".")
	if end < 0 {
		t.Fatalf("the counts sentence does not end: %.300s", rest)
	}
	phrase := map[string]string{}
	for st, p := range StatusPhrases {
		phrase[p] = st
	}
	counts, shares := map[string]int{}, map[string]float64{}
	for _, part := range strings.Split(rest[:end], "; ") {
		if part == "không có nhiệm vụ quá hạn" {
			if b.Counts[progress.Overdue] != 0 {
				t.Errorf("the PDF says no task is overdue, the board %d", b.Counts[progress.Overdue])
			}
			continue
		}
		m := countPart.FindStringSubmatch(part)
		if m == nil {
			t.Errorf("the counts sentence has %q", part)
			continue
		}
		st, ok := phrase[m[2]]
		if !ok {
			t.Errorf("the counts sentence has a status %q", m[2])
			continue
		}
		if _, dup := counts[st]; dup {
			t.Errorf("the counts sentence names %q twice", m[2])
		}
		n, _ := strconv.Atoi(m[1])
		if m[1] != vn.Count(n) || n == 0 {
			t.Errorf("the count %q of %s", m[1], st)
		}
		if m[3]+"%" != vn.Percent(float64(n), float64(b.Due)) {
			t.Errorf("%s: share %s%%, want %s", st, m[3], vn.Percent(float64(n), float64(b.Due)))
		}
		counts[st] = n
		shares[st], _ = strconv.ParseFloat(strings.Replace(m[3], ",", ".", 1), 64)
	}
	if len(counts) == 0 {
		t.Fatalf("no count in the PDF's counts sentence: %s", rest[:end])
	}
	return counts, shares
}

// recalcInLibreOffice has LibreOffice open the workbook, its cached values
// spoiled, recalculate every formula (a profile with OOXMLRecalcMode 0:
// always) and save it as XLSX again; the result is opened.
func recalcInLibreOffice(t *testing.T, lo, dir, name string, data []byte) *excelize.File {
	t.Helper()
	out, err := xlsxtest.Recalculate(lo, filepath.Join(dir, name), data)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// value is a cell's number; a formula's is the value LibreOffice computed.
func value(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	s, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not a number", sheet, ref, s)
	}
	return v
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// rowOf is the row of a sheet whose column B is text, 0 for none; a
// second one fails.
func rowOf(t *testing.T, f *excelize.File, sheet, text string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, r := range rows {
		if len(r) > 1 && r[1] == text {
			if found != 0 {
				t.Fatalf("%s: %q on rows %d and %d", sheet, text, found, i+1)
			}
			found = i + 1
		}
	}
	return found
}

// summary is what the summary sheet shows.
type summary struct {
	counts             map[string]int
	shares             map[string]float64
	total, notReported int
	totalShare         float64
}

// summarySheet reads the summary sheet: a row per status named in column
// B, its count in C and its share in D.
func summarySheet(t *testing.T, f *excelize.File) summary {
	t.Helper()
	const sheet = xlsx.SheetSummary
	count := func(row int) int {
		v := value(t, f, sheet, cellName(3, row))
		if v != math.Trunc(v) || v < 0 {
			t.Fatalf("%s!C%d = %v, not a count", sheet, row, v)
		}
		return int(v)
	}
	s := summary{counts: map[string]int{}, shares: map[string]float64{}}
	for _, st := range progress.Statuses {
		row := rowOf(t, f, sheet, progress.StatusNames[st])
		if row == 0 {
			t.Fatalf("the summary has no row %q", progress.StatusNames[st])
		}
		if fm, _ := f.GetCellFormula(sheet, cellName(3, row)); !strings.Contains(fm, "COUNTIF") {
			t.Errorf("%s!C%d: formula %q", sheet, row, fm)
		}
		s.counts[st] = count(row)
		s.shares[st] = value(t, f, sheet, cellName(4, row))
	}
	row := rowOf(t, f, sheet, "Tổng cộng")
	if row == 0 {
		t.Fatal("the summary has no total row")
	}
	s.total, s.totalShare = count(row), value(t, f, sheet, cellName(4, row))
	if row = rowOf(t, f, sheet, "Số cơ quan chưa báo cáo"); row == 0 {
		t.Fatal("the summary has no row of the agencies not reported")
	}
	s.notReported = count(row)
	return s
}

// taskRow is a row of Phụ lục I.
type taskRow struct {
	number int
	status string
}

// taskRows are the rows of the task sheet under its header: a number in
// column A (STT); the status is read from the "Tình trạng" column.
func taskRows(t *testing.T, f *excelize.File) []taskRow {
	t.Helper()
	rows, err := f.GetRows(xlsx.SheetTasks)
	if err != nil {
		t.Fatal(err)
	}
	header, status := -1, -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "STT" {
			header = i
			for j, c := range r {
				if c == "Tình trạng" {
					status = j
				}
			}
			break
		}
	}
	if header < 0 || status < 0 {
		t.Fatal("the task sheet has no header with Tình trạng")
	}
	var out []taskRow
	for i, r := range rows[header+1:] {
		if len(r) == 0 || strings.Join(r, "") == "" {
			continue
		}
		n, err := strconv.Atoi(r[0])
		if err != nil || len(r) <= status {
			t.Fatalf("task sheet row %d: %q", header+2+i, r)
		}
		out = append(out, taskRow{n, r[status]})
	}
	return out
}

// checkAgencySheet checks the agency sheet after recalculation: its header
// is the Phụ lục II table's (so its columns are the table's fields), each
// agency row's statuses add up to its due, the total row is the sum of the
// agency rows and the board's pairs, each rate is the row's done over its
// due; and the PDF's total row shows the same numbers.
func checkAgencySheet(t *testing.T, f *excelize.File, tab *table.Table, b *progress.Board, pdfText string) {
	t.Helper()
	const sheet = xlsx.SheetAgencies
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "STT" {
			header = i + 1
			break
		}
	}
	if header == 0 {
		t.Fatal("the agency sheet has no header")
	}
	col := map[string]int{} // 1-based column by field
	for i, c := range tab.Columns {
		if v, _ := f.GetCellValue(sheet, cellName(i+1, header)); v != c.Label {
			t.Fatalf("agency sheet column %d: %q, Phụ lục II %q", i+1, v, c.Label)
		}
		col[c.Field] = i + 1
	}
	rateCol := len(tab.Columns) + 1
	if v, _ := f.GetCellValue(sheet, cellName(rateCol, header)); v != "Tỷ lệ hoàn thành" {
		t.Errorf("agency sheet column %d: %q", rateCol, v)
	}
	fields := append([]string{progress.FieldDue}, progress.AgencyColumns...)
	for _, fl := range fields {
		if col[fl] == 0 {
			t.Fatalf("Phụ lục II has no column %s", fl)
		}
	}
	total := rowOf(t, f, sheet, "Tổng số lượt")
	if total != header+len(b.Agencies)+1 {
		t.Fatalf("agency total row %d, want %d", total, header+len(b.Agencies)+1)
	}
	sums := map[string]int{}
	for i, a := range b.Agencies {
		row := header + 1 + i
		if v, _ := f.GetCellValue(sheet, cellName(col["agency"], row)); v != a.Agency {
			t.Errorf("agency row %d: %q, board %q", row, v, a.Agency)
		}
		due := int(value(t, f, sheet, cellName(col[progress.FieldDue], row)))
		statuses, done := 0, 0
		for _, st := range progress.AgencyColumns {
			n := int(value(t, f, sheet, cellName(col[st], row)))
			if n != a.Counts[st] {
				t.Errorf("%s %s: %d, board %d", a.Agency, st, n, a.Counts[st])
			}
			statuses += n
			sums[st] += n
			if progress.IsDone(st) {
				done += n
			}
		}
		if statuses != due || due != a.Due {
			t.Errorf("%s: the statuses add up to %d, due %d (board %d)", a.Agency, statuses, due, a.Due)
		}
		sums[progress.FieldDue] += due
		if got := value(t, f, sheet, cellName(rateCol, row)); !near(got, float64(done)/float64(due)) || done != a.Done() {
			t.Errorf("%s: rate %v, done %d of %d", a.Agency, got, done, due)
		}
	}
	if sums[progress.FieldDue] != b.Pairs {
		t.Errorf("the agencies' pairs add up to %d, the board's %d", sums[progress.FieldDue], b.Pairs)
	}
	var pdfTotal []string
	if i := strings.LastIndex(pdfText, "Tổng số lượt "); i < 0 {
		t.Error("the PDF has no total row")
	} else if pdfTotal = strings.Fields(pdfText[i+len("Tổng số lượt "):]); len(pdfTotal) < len(fields) {
		t.Errorf("the PDF's total row: %q", pdfTotal)
		pdfTotal = nil
	}
	for k, fl := range fields {
		got := int(value(t, f, sheet, cellName(col[fl], total)))
		if fm, _ := f.GetCellFormula(sheet, cellName(col[fl], total)); len(b.Agencies) > 0 && !strings.HasPrefix(fm, "SUM(") {
			t.Errorf("total %s: formula %q", fl, fm)
		}
		if got != sums[fl] {
			t.Errorf("total %s: %d, the agencies add up to %d", fl, got, sums[fl])
		}
		if fl != progress.FieldDue && got != b.PairCounts[fl] {
			t.Errorf("total %s: %d, the board's pairs %d", fl, got, b.PairCounts[fl])
		}
		if pdfTotal != nil && pdfTotal[k] != strconv.Itoa(got) {
			t.Errorf("total %s: the PDF shows %s, the workbook %d", fl, pdfTotal[k], got)
		}
	}
	done := b.PairCounts[progress.DoneOnTime] + b.PairCounts[progress.DoneLate] + b.PairCounts[progress.CarriedOut]
	if got := value(t, f, sheet, cellName(rateCol, total)); !near(got, float64(done)/float64(b.Pairs)) {
		t.Errorf("total rate %v, want %d/%d", got, done, b.Pairs)
	}
}
