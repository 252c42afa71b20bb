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

// TestEmbeddedInPlace: the default family's faces are the embedded bytes
// themselves, not copies, each the file of its face, cut to their length
// so that an append cannot write past them.
func TestEmbeddedInPlace(t *testing.T) {
	f, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for st, want := range []string{"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"} {
		file, err := os.ReadFile(want)
		if err != nil {
			t.Fatal(err)
		}
		face := f.Faces[st]
		if string(face) != string(file) {
			t.Errorf("face %d is not %s", st, want)
		}
		emb := embeddedFaces()[st]
		if &face[0] != &emb[0] || cap(face) != len(face) {
			t.Errorf("face %d is a copy of the embedded bytes (or may be appended to in place)", st)
		}
	}
}

// TestLoadDir: another family from a directory (an office's Times New
// Roman), recognised by file names; an incomplete one is refused.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for st, dst := range []string{"times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"} {
		if err := os.WriteFile(filepath.Join(dir, dst), embeddedFaces()[st], 0o644); err != nil {
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
