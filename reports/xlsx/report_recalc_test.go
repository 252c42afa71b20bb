package xlsx_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

// recalcProfile is a LibreOffice user profile that recalculates XLSX
// files on load (OOXMLRecalcMode 0: always).
const recalcProfile = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

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
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(recalcProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "bao-cao.xlsx")
	if err := os.WriteFile(in, spoilCache(t, data), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+profile,
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(outDir, "bao-cao.xlsx"))
	if err != nil {
		t.Fatalf("libreoffice wrote no workbook: %v", err)
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
