package xlsx_test

import (
	"baocao/reports/xlsx/xlsxtest"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

// recalculated has LibreOffice open a workbook whose cached values were
// spoiled, recalculate it and save it again as XLSX, and opens the result:
// every value of a formula in it is LibreOffice's. Skipped without
// LibreOffice unless BAOCAO_REQUIRE_TOOLS=1.
func recalculated(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("libreoffice is required (libreoffice-calc-nogui)")
		}
		t.Skip("libreoffice not installed")
	}
	out, err := xlsxtest.Recalculate(lo, t.TempDir(), data)
	if err != nil {
		t.Fatal(err)
	}
	return open(t, out)
}

// number is the value a cell holds, as a number.
func number(t testing.TB, f *excelize.File, sheet, ref string) float64 {
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

// TestReportRecalculatedInLibreOffice checks every computed cell of the
// workbook as LibreOffice computes it: the summary's counts and shares,
// the agency sheet's total row and completion rates.
func TestReportRecalculatedInLibreOffice(t *testing.T) {
	b := board()
	f := recalculated(t, renderReport(t, b, reportInfo))

	const sum = xlsx.SheetSummary
	first := findRow(t, f, sum, 2, progress.StatusNames[xlsx.SummaryStatuses[0]])
	if first == 0 {
		t.Fatal("no status row on the summary")
	}
	for i, s := range xlsx.SummaryStatuses {
		row := first + i
		if fm, _ := f.GetCellFormula(sum, cell(3, row)); fm == "" {
			t.Errorf("%s: LibreOffice kept no formula", s)
		}
		if got := number(t, f, sum, cell(3, row)); got != float64(b.Counts[s]) {
			t.Errorf("%s: LibreOffice counts %v, want %d", s, got, b.Counts[s])
		}
		if got := number(t, f, sum, cell(4, row)); !near(got, b.Shares[s]) {
			t.Errorf("%s: LibreOffice's share %v, want %v", s, got, b.Shares[s])
		}
	}
	totalRow := first + len(xlsx.SummaryStatuses)
	if got := number(t, f, sum, cell(3, totalRow)); got != float64(b.Due) {
		t.Errorf("total %v, want %d", got, b.Due)
	}
	if got := number(t, f, sum, cell(4, totalRow)); !near(got, 1) {
		t.Errorf("total share %v", got)
	}
	if got := number(t, f, sum, cell(3, totalRow+1)); got != float64(len(b.NotReported)) {
		t.Errorf("agencies not reported %v, want %d", got, len(b.NotReported))
	}

	const ag = xlsx.SheetAgencies
	agTotal := findRow(t, f, ag, 2, "Tổng số lượt")
	if agTotal != 6+len(b.Agencies) {
		t.Fatalf("agency total row %d, want %d", agTotal, 6+len(b.Agencies))
	}
	for i, a := range b.Agencies {
		if got := number(t, f, ag, cell(agencyRate, 6+i)); !near(got, float64(a.Done())/float64(a.Due)) {
			t.Errorf("%s: LibreOffice's rate %v, want %d/%d", a.Agency, got, a.Done(), a.Due)
		}
	}
	if got := number(t, f, ag, cell(3, agTotal)); got != float64(b.Pairs) {
		t.Errorf("total pairs %v, want %d", got, b.Pairs)
	}
	for _, s := range progress.AgencyColumns {
		if got := number(t, f, ag, cell(agencyColumn(t, s), agTotal)); got != float64(b.PairCounts[s]) {
			t.Errorf("total %s %v, want %d", s, got, b.PairCounts[s])
		}
	}
	done := b.PairCounts[progress.DoneOnTime] + b.PairCounts[progress.DoneLate] + b.PairCounts[progress.CarriedOut]
	if got := number(t, f, ag, cell(agencyRate, agTotal)); !near(got, float64(done)/float64(b.Pairs)) {
		t.Errorf("total rate %v, want %d/%d", got, done, b.Pairs)
	}
}
