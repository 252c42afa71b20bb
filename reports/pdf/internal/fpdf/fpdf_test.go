package fpdf

// Tests carried from upstream's fpdf_test.go and fpdf_example_test.go
// (v0.12.0) for the code this copy keeps, adapted to its API: documents are
// made with NewCustom, fonts are UTF-8 fonts added parsed (there are no
// core fonts), and instead of comparing with upstream's reference PDFs the
// output is read back (qpdf, pdftotext when installed).

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"baocao/fonts"
)

func newDoc(t testing.TB) *Fpdf {
	t.Helper()
	f := NewCustom(&InitType{OrientationStr: "P", UnitStr: "mm", Size: SizeType{Wd: 210, Ht: 297}})
	f.SetCatalogSort(true)
	f.SetCreationDate(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
	f.SetModificationDate(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
	return f
}

// addFamily adds the four faces of Liberation Serif as family "serif".
func addFamily(t *testing.T, f *Fpdf) {
	t.Helper()
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i, style := range []string{"", "B", "I", "BI"} {
		font, err := ParseUTF8Font(fam.Faces[i])
		if err != nil {
			t.Fatal(err)
		}
		f.AddUTF8FontParsed("serif", style, font, "")
	}
}

// tool runs a reader on pdf and returns its output; the test is skipped
// when the reader is missing, unless BAOCAO_REQUIRE_TOOLS=1.
func tool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is not installed", name)
		}
		t.Skipf("%s is not installed", name)
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, path)
	if name == "pdftotext" {
		args = append(args, "-") // to standard output
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// TestIssue0116 addresses issue 116 in which library silently fails after
// calling CellFormat when no font has been set.
func TestIssue0116(t *testing.T) {
	pdf := newDoc(t)
	addFamily(t, pdf)
	pdf.AddPage()
	pdf.SetFont("serif", "B", 16)
	pdf.CellFormat(40, 10, "OK", "", 0, "", false, 0, "")
	if _, err := pdf.Bytes(); err != nil {
		t.Fatalf("not expecting error when rendering text: %v", err)
	}

	for name, draw := range map[string]func(*Fpdf){
		"CellFormat": func(f *Fpdf) { f.CellFormat(40, 10, "Not OK", "", 0, "", false, 0, "") },
		"Text":       func(f *Fpdf) { f.Text(10, 10, "Not OK") },
	} {
		pdf = newDoc(t)
		pdf.AddPage()
		draw(pdf) // Font not set
		if _, err := pdf.Bytes(); err == nil {
			t.Fatalf("%s: expecting error when rendering text without having set font", name)
		}
	}
}

// TestRemovedFeatures: what this copy no longer does is an error, not
// silently ignored.
func TestRemovedFeatures(t *testing.T) {
	for name, use := range map[string]func(*Fpdf){
		"core font":  func(f *Fpdf) { f.SetFont("Helvetica", "", 12) },
		"underline":  func(f *Fpdf) { f.SetFont("serif", "U", 12) },
		"strike out": func(f *Fpdf) { f.SetFont("serif", "BS", 12) },
		"link": func(f *Fpdf) {
			f.SetFont("serif", "", 12)
			f.CellFormat(40, 10, "link", "", 0, "", false, 0, "https://example.org")
		},
		"page size": func(f *Fpdf) {
			*f = *NewCustom(&InitType{OrientationStr: "P", UnitStr: "mm"})
		},
	} {
		pdf := newDoc(t)
		addFamily(t, pdf)
		pdf.AddPage()
		use(pdf)
		if _, err := pdf.Bytes(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestCellFormatAlign is upstream's ExampleFpdf_CellFormat_align: every
// alignment, with and without border, in a UTF-8 font.
func TestCellFormatAlign(t *testing.T) {
	type recType struct {
		align, txt string
	}
	recList := []recType{
		{"TL", "top left"},
		{"TC", "top center"},
		{"TR", "top right"},
		{"LM", "middle left"},
		{"CM", "middle center"},
		{"RM", "middle right"},
		{"BL", "bottom left"},
		{"BC", "bottom center"},
		{"BR", "bottom right"},
		{"AL", "baseline left"},
		{"AC", "baseline center"},
		{"AR", "baseline right"},
	}
	pdf := newDoc(t)
	pdf.SetCompression(false)
	addFamily(t, pdf)
	pdf.SetFont("serif", "", 16)
	pdf.AddPage()
	borderStr := "1"
	for _, rec := range recList {
		pdf.SetXY(20, 20)
		pdf.CellFormat(170, 257, rec.txt, borderStr, 0, rec.align, false, 0, "")
		borderStr = ""
	}
	pdf.AddPage()
	pdf.SetXY(20, 20)
	pdf.CellFormat(170, 20, "sides", "LTRB", 1, "C", true, 0, "")
	out, err := pdf.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"56.69 785.20 481.89 -728.50 re S", // the full border of the first cell
		"56.69 785.20 m 56.69 728.50 l S",  // a side of the last one
		"re f",                             // its fill
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
	text := tool(t, out, "pdftotext", "-raw")
	for _, rec := range recList {
		if !strings.Contains(text, rec.txt) {
			t.Errorf("text lacks %q:\n%s", rec.txt, text)
		}
	}
}

// TestAddUTF8Font is upstream's ExampleFpdf_AddUTF8Font: text in several
// languages in the four faces, justified and not, read back.
func TestAddUTF8Font(t *testing.T) {
	lines := []string{
		"Cộng hòa xã hội chủ nghĩa Việt Nam",
		"Độc lập - Tự do - Hạnh phúc",
		"Ἰοὺ ἰού· τὰ πάντʼ ἂν ἐξήκοι σαφῆ.",
		"Съешь же ещё этих мягких французских булок",
		"Größe (Maß) \\ «ÆØÅ» – “quoted” …",
	}
	pdf := newDoc(t)
	addFamily(t, pdf)
	pdf.SetCellMargin(0)
	pdf.AddPage()
	y := 20.0
	for i, line := range lines {
		pdf.SetFont("serif", []string{"", "B", "I", "BI", ""}[i], 14)
		pdf.Text(20, y, line)
		y += 8
		pdf.SetXY(20, y)
		pdf.CellFormat(170, 0, line, "", 0, "J", false, 0, "")
		y += 8
	}
	pdf.SetTextColor(200, 0, 0) // text in another colour than the fill
	pdf.Text(20, y, "đỏ")
	pdf.AddPageFormat("L", SizeType{Wd: 210, Ht: 297})
	pdf.Text(20, 20, "landscape")
	out, err := pdf.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-1.3\n")) || !bytes.HasSuffix(out, []byte("%%EOF\n")) {
		t.Errorf("not a PDF: %q … %q", out[:16], out[len(out)-16:])
	}
	if !bytes.Contains(out, []byte("/MediaBox [0 0 841.89 595.28]")) {
		t.Error("the landscape page has no MediaBox of its own")
	}
	tool(t, out, "qpdf", "--check")
	text := tool(t, out, "pdftotext", "-raw")
	for _, line := range append(lines, "đỏ", "landscape") {
		if strings.Count(strings.Join(strings.Fields(text), " "), line) < 1 {
			t.Errorf("text lacks %q:\n%s", line, text)
		}
	}
	fontsOut := tool(t, out, "pdffonts")
	if n := strings.Count(fontsOut, "CID TrueType"); n != 4 {
		t.Errorf("%d fonts embedded, want 4:\n%s", n, fontsOut)
	}
}

// TestUTF8CutFont is upstream's ExampleUTF8CutFont, with SubsetFont: a
// font cut to "abcde" draws "cabbed" and is much smaller.
func TestUTF8CutFont(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	full := fam.Faces[0]
	sub, err := SubsetFont(full, []rune("abcde"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sub)*20 > len(full) {
		t.Errorf("subset of %d bytes from %d", len(sub), len(full))
	}
	font, err := ParseUTF8Font(sub)
	if err != nil {
		t.Fatal(err)
	}
	pdf := newDoc(t)
	pdf.AddUTF8FontParsed("cut", "", font, "")
	pdf.AddPage()
	pdf.SetFont("cut", "", 17)
	pdf.Text(24, 24, "cabbed")
	out, err := pdf.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if text := tool(t, out, "pdftotext", "-raw"); strings.TrimSpace(text) != "cabbed" {
		t.Errorf("text %q", text)
	}
}
