package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

var funcs = template.FuncMap{"date": fmtAny, "number": fmtAny, "percent": func(a, b int) string { return "" },
	"words": fmtAny, "agencies": fmtAny, "status": fmtAny, "plain": fmtAny, "lowerFirst": fmtAny, "upper": fmtAny, "figure": fmtAny}

func fmtAny(v any) string { return "" }

func TestEmbeddedParse(t *testing.T) {
	if _, err := Load("", funcs); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenTemplate: an override that does not parse is refused at load,
// naming its file and line.
func TestBrokenTemplate(t *testing.T) {
	dir := t.TempDir()
	src := "Dòng một\nDòng hai {{if .X}\n"
	if err := os.WriteFile(filepath.Join(dir, PeriodicReport), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir, funcs)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, PeriodicReport)) || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("want an error naming the file and line 2, got %v", err)
	}
	// An unknown helper is a load error too.
	os.WriteFile(filepath.Join(dir, PeriodicReport), []byte("{{nosuch .X}}"), 0o644)
	if _, err := Load(dir, funcs); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("unknown function: %v", err)
	}
	// A file that overrides nothing is refused rather than ignored.
	os.Remove(filepath.Join(dir, PeriodicReport))
	os.WriteFile(filepath.Join(dir, "bao-cao-khac.md.tmpl"), []byte("x"), 0o644)
	if _, err := Load(dir, funcs); err == nil || !strings.Contains(err.Error(), "unknown template") {
		t.Errorf("stray template: %v", err)
	}
	// A good override is used.
	os.Remove(filepath.Join(dir, "bao-cao-khac.md.tmpl"))
	os.WriteFile(filepath.Join(dir, PeriodicReport), []byte("Báo cáo {{.}}"), 0o644)
	s, err := Load(dir, funcs)
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := s.Execute(PeriodicReport, "Quý I"); out != "Báo cáo Quý I" {
		t.Errorf("override gave %q", out)
	}
}
