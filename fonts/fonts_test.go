package fonts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	f, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "ẠạẶặỆệỰựĐđƠơƯư–“”…" {
		if !f.Covers(r) {
			t.Errorf("Liberation Serif should cover %q", r)
		}
	}
	if err := f.Check("Tuyên truyền 中", "title"); err == nil {
		t.Fatal("CJK accepted")
	} else {
		var me *MissingError
		if !errors.As(err, &me) || me.Rune != '中' || !strings.Contains(err.Error(), "title") || !strings.Contains(err.Error(), "U+4E2D") {
			t.Errorf("error %v", err)
		}
	}
	// Times-compatible metrics: "Việt Nam" in regular is narrower than bold.
	if f.Width("Việt Nam", Regular) >= f.Width("Việt Nam", Bold) || f.Width("a", Regular) == 0 {
		t.Error("widths")
	}
	if f.SpreadsheetName() != "Times New Roman" {
		t.Errorf("spreadsheet name %q", f.SpreadsheetName())
	}
}

// TestLoadDir: another family from a directory (an office's Times New
// Roman), recognised by file names; an incomplete one is refused.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"Regular": "times.ttf", "Bold": "timesbd.ttf", "Italic": "timesi.ttf", "BoldItalic": "timesbi.ttf"} {
		b, err := embedded.ReadFile("LiberationSerif-" + src + ".ttf")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "times" || !f.Covers('ệ') {
		t.Errorf("family %q", f.Name)
	}
	os.Remove(filepath.Join(dir, "timesbi.ttf"))
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "bold italic") {
		t.Errorf("incomplete family: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "timesbi.ttf"), []byte("not a font"), 0o644)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "not a TrueType font") {
		t.Errorf("broken font: %v", err)
	}
	if _, err := LoadDir(filepath.Join(dir, "nope")); err == nil {
		t.Error("missing directory accepted")
	}
}
