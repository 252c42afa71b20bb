package xlsx_test

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/xlsx"
)

// TestOpensInLibreOffice converts a seed's appendix with LibreOffice, the
// spreadsheet an auditor on Linux opens it with, and checks every task
// arrived in its row. Skipped without LibreOffice unless
// BAOCAO_REQUIRE_TOOLS=1.
func TestOpensInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("libreoffice is required (libreoffice-calc-nogui)")
		}
		t.Skip("libreoffice not installed")
	}
	d, err := doc.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := xlsx.Appendices(d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "phu-luc.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rows := csvFromLibreOffice(t, lo, filepath.Join(dir, "profile"), in)
	var tasks [][]string
	for _, row := range rows {
		if len(row) > 1 && row[0] != "" && strings.Trim(row[0], "0123456789") == "" {
			tasks = append(tasks, row)
		}
	}
	if len(tasks) != len(d.Appendices[0].Tasks) {
		t.Fatalf("LibreOffice shows %d task rows, want %d", len(tasks), len(d.Appendices[0].Tasks))
	}
	if !strings.Contains(tasks[0][1], "Cổng thông tin điện tử tỉnh") || tasks[0][2] != "Văn phòng UBND tỉnh" || tasks[13][5] == "" {
		t.Errorf("cells: %q", tasks[0])
	}
}

// csvFromLibreOffice converts the first sheet of an XLSX file to CSV with
// LibreOffice, its user profile in profile, and returns the rows.
func csvFromLibreOffice(t *testing.T, lo, profile, in string) [][]string {
	t.Helper()
	dir := filepath.Dir(in)
	// CSV filter options: comma, double quote, UTF-8.
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+profile,
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	r, err := os.Open(strings.TrimSuffix(in, filepath.Ext(in)) + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
