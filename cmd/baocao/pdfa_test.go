package main

import (
	"os"
	"path/filepath"
	"testing"

	"baocao/reports/pdf/pdfatest"
)

// TestRenderPDFA: baocao render --pdfa writes a PDF/A-2b file, checked
// rule by rule.
func TestRenderPDFA(t *testing.T) {
	pdfatest.Need(t)
	out := filepath.Join(t.TempDir(), "a.pdf")
	if code, _, stderr := runCLI(t, "", "render", "--in", "../../testdata/plans/lai-chau-2024.json", "--doc", "appendix", "--pdfa", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if x := pdfatest.Check(t, data); x.Part != "2" {
		t.Errorf("XMP %+v", x)
	}
}
