package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/sample"
)

// need skips a test when a reader it checks with is missing, unless
// BAOCAO_REQUIRE_TOOLS=1 (set by .ci/run), where that is a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required (install poppler-utils, qpdf, mupdf-tools): %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

func renderer(t testing.TB) *Renderer {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return New(fam)
}

func fixtures(t *testing.T) []string {
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(files) < 5 {
		t.Fatalf("want the five seed fixtures, found %d", len(files))
	}
	return files
}

// writeTemp writes a rendered file to a temporary directory, or to
// $BAOCAO_KEEP when set, to look at it.
func writeTemp(t *testing.T, name string, data []byte) string {
	dir := os.Getenv("BAOCAO_KEEP")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "-")+"-"+name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func words(s string) string {
	return " " + strings.Join(strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ") + " "
}

// TestFixtures renders every seed plan and checks the files with real
// readers: structure (qpdf), fonts embedded, subset, with ToUnicode
// (pdffonts), the header lines and every task's text (pdftotext), and that
// two renders are byte-identical.
func TestFixtures(t *testing.T) {
	need(t, "pdftotext", "pdffonts", "qpdf")
	r := renderer(t)
	for _, file := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			d := loadSample(t, file)
			// The tasks a plan keeps for tracking only are never printed.
			tracked := d.Printed() != d
			d = d.Printed()
			for _, kind := range []string{"plan", "appendix"} {
				if kind == "appendix" && tracked && len(d.Appendices) == 0 {
					if _, err := r.Appendix(context.Background(), d); err == nil {
						t.Error("an appendix file of tasks kept for tracking only")
					}
					continue
				}
				render := r.Document
				if kind == "appendix" {
					render = r.Appendix
				}
				a, err := render(context.Background(), d)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := render(context.Background(), d)
				if !bytes.Equal(a, b) {
					t.Errorf("%s: two renders differ", kind)
				}
				path := writeTemp(t, kind+".pdf", a)
				run(t, "qpdf", "--check", path)
				checkFonts(t, run(t, "pdffonts", path))
				text := words(withoutPageNumbers(run(t, "pdftotext", "-raw", path, "-")))
				var want []string
				if kind == "plan" {
					want = append(want, d.NumberLine(), d.DateLine(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
						"Độc lập - Tự do - Hạnh phúc", strings.ToUpper(d.KindName()), d.Title)
					if d.PromulgatedBy != nil {
						want = []string{d.PromulgatedBy.NumberLine(), d.PromulgatedBy.DateLine(), d.PromulgationLine()}
					}
					for _, b := range richtext.Parse(d.Body) {
						want = append(want, b.Text())
					}
				}
				for i := range d.Appendices {
					a := &d.Appendices[i]
					want = append(want, d.AttachedLine())
					for ti := range a.Tasks {
						for _, b := range richtext.Parse(a.Tasks[ti].Content) {
							want = append(want, b.Text())
						}
					}
				}
				// A row split across pages is interrupted by the repeated
				// header row: take the header out.
				for i := range d.Appendices {
					var labels []string
					for _, c := range d.Appendices[i].AppendixColumns() {
						labels = append(labels, c.Label)
					}
					text = strings.ReplaceAll(text, words(strings.Join(labels, " ")), " ")
				}
				for _, w := range want {
					if !containsSplit(text, words(w)) {
						t.Errorf("%s: extracted text lacks %q", kind, w)
					}
				}
			}
		})
	}
}

// containsSplit reports whether the words of w appear in text in one run,
// or in two runs in order: a table row split across pages is drawn cell by
// cell, so the other cells of its first piece come between its halves.
func containsSplit(text, w string) bool {
	if strings.Contains(text, w) {
		return true
	}
	ws := strings.Fields(w)
	for k := 1; k < len(ws); k++ {
		head := " " + strings.Join(ws[:k], " ") + " "
		tail := " " + strings.Join(ws[k:], " ") + " "
		if i := strings.Index(text, head); i >= 0 && strings.Contains(text[i+len(head)-1:], tail) {
			return true
		}
	}
	return false
}

// withoutPageNumbers drops the page number that heads each page of
// extracted text, so that a paragraph running across pages reads on.
func withoutPageNumbers(text string) string {
	pages := strings.Split(text, "\f")
	for i, p := range pages {
		first, rest, _ := strings.Cut(p, "\n")
		if _, err := strconv.Atoi(strings.TrimSpace(first)); err == nil {
			pages[i] = rest
		}
	}
	return strings.Join(pages, "\n")
}

func checkFonts(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("no fonts listed:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID
		n := len(f)
		if n < 6 || f[n-5] != "yes" || f[n-4] != "yes" || f[n-3] != "yes" {
			t.Errorf("font not embedded, subset and mapped to Unicode: %s", l)
		}
		if !strings.Contains(f[0], "+LiberationSerif") {
			t.Errorf("unexpected font %s", f[0])
		}
	}
}

// TestDecree30 measures the Lai Châu plan against the decree's layout rules
// with the checker the project was given (testdata/tools).
func TestDecree30(t *testing.T) {
	need(t, "mutool", "python3")
	r := renderer(t)
	d := loadSample(t, "../../testdata/plans/lai-chau-2024.json")
	plan, err := r.Document(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	app, err := r.Appendix(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("python3", "../../testdata/tools/decree30_check.py",
		writeTemp(t, "plan.pdf", plan), writeTemp(t, "appendix.pdf", app)).CombinedOutput()
	if err != nil {
		t.Errorf("decree30_check: %v\n%s", err, out)
	}
}

// TestNormalisedInput: text typed with combining marks renders exactly as
// precomposed text.
func TestNormalisedInput(t *testing.T) {
	raw, err := os.ReadFile("testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	decomposed := norm.NFD.Bytes(raw)
	if bytes.Equal(decomposed, raw) {
		t.Fatal("sample has no precomposed letters")
	}
	d1, err := doc.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	d2, err := doc.Decode(bytes.NewReader(decomposed))
	if err != nil {
		t.Fatal(err)
	}
	r := renderer(t)
	a, err := r.Document(context.Background(), d1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Document(context.Background(), d2)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("decomposed input renders differently from precomposed input")
	}
}

// TestMissingGlyph: a character the font lacks never fails a render: it
// is replaced with a visible "□", and the replacement is reported with its
// field. A CR stored before the door's rule is a line break.
func TestMissingGlyph(t *testing.T) {
	d := sample.Plan(3)
	d.Appendices[0].Tasks[1].Content = "Tuyên truyền 中文 😀\r\nDòng hai"
	var got []doc.Replaced
	pdf, err := renderer(t).OnReplace(func(r []doc.Replaced) { got = append(got, r...) }).Document(context.Background(), d)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	want := []doc.Replaced{{Field: "appendices[0].tasks[1].content", Rune: '中'}, {Field: "appendices[0].tasks[1].content", Rune: '文'},
		{Field: "appendices[0].tasks[1].content", Rune: '😀'}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("replaced %v, want %v", got, want)
	}
	if c := d.Appendices[0].Tasks[1].Content; c != "Tuyên truyền □□ □\nDòng hai" {
		t.Errorf("content rendered as %q", c)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		if txt := run(t, "pdftotext", "-raw", writeTemp(t, "replaced.pdf", pdf), "-"); !strings.Contains(txt, "□□ □") {
			t.Errorf("the replacement is not in the PDF:\n%s", txt)
		}
	}
	// Characters outside the Vietnamese repertoire that the font has still
	// render (through the full faces), unreplaced.
	d.Appendices[0].Tasks[1].Content = "Ω α Ж"
	got = nil
	if _, err := renderer(t).OnReplace(func(r []doc.Replaced) { got = append(got, r...) }).Document(context.Background(), d); err != nil || got != nil {
		t.Errorf("Greek and Cyrillic: %v, replaced %v", err, got)
	}
}

// TestTallRowSplits: a row taller than a page is split between lines of
// text, the header row repeated on every page, and no text lost.
func TestTallRowSplits(t *testing.T) {
	need(t, "pdftotext", "pdfinfo")
	d := sample.Plan(2)
	var paras []string
	for i := 0; i < 60; i++ {
		paras = append(paras, "Đoạn "+strings.Repeat("x", i%7+1)+" số "+string(rune('A'+i%26))+" tuyên truyền cải cách hành chính trên địa bàn tỉnh, tổ chức hội nghị quán triệt.")
	}
	d.Appendices[0].Tasks[0].Content = strings.Join(paras, "\n\n")
	pdf, err := renderer(t).Appendix(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "tall.pdf", pdf)
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	pages, _ := strconv.Atoi(m[1])
	if pages < 3 {
		t.Fatalf("want the row across at least 3 pages, got %d", pages)
	}
	text := words(run(t, "pdftotext", "-raw", path, "-"))
	for _, p := range paras {
		if !strings.Contains(text, words(p)) {
			t.Errorf("paragraph cut or lost: %q", p)
		}
	}
	for page := 2; page <= pages; page++ {
		n := strconv.Itoa(page)
		pt := run(t, "pdftotext", "-f", n, "-l", n, "-raw", path, "-")
		if !strings.Contains(pt, "STT") || !strings.Contains(pt, "Cơ quan chủ trì") {
			t.Errorf("page %d lacks the header row", page)
		}
		if !strings.HasPrefix(strings.TrimSpace(pt), n) {
			t.Errorf("page %d does not start with its number: %.40q", page, pt)
		}
	}
}

// TestDrafts: a draft prints blanks for its number and day.
func TestDrafts(t *testing.T) {
	d := sample.Plan(1)
	d.Number = 0
	d.Date = doc.Date{Year: 2024}
	if got := d.NumberLine(); got != "Số:       /KH-UBND" {
		t.Errorf("number line %q", got)
	}
	if got := d.DateLine(); got != "Lai Châu, ngày        tháng        năm 2024" {
		t.Errorf("date line %q", got)
	}
	d.Number, d.Date = 5, doc.Date{Year: 2024, Month: 3, Day: 5}
	if got, want := d.AttachedLine(), "(Kèm theo Kế hoạch số 05/KH-UBND ngày 05 tháng 3 năm 2024 của UBND tỉnh Lai Châu)"; got != want {
		t.Errorf("attached line %q, want %q", got, want)
	}
}

// TestTabRepaired: a tab stored before the door's rule is a space in the
// rendered text, as every other format has it: a document with one is
// repaired, though every character is in the repertoire.
func TestTabRepaired(t *testing.T) {
	d := sample.Plan(3)
	d.Appendices[0].Tasks[1].Content = "Tuyên\ttruyền"
	if _, err := renderer(t).Appendix(context.Background(), d); err != nil {
		t.Fatalf("render: %v", err)
	}
	if c := d.Appendices[0].Tasks[1].Content; c != "Tuyên truyền" {
		t.Errorf("content rendered as %q", c)
	}
}

// TestConcurrentRenders: documents rendered at once (the faces' glyphs
// coded on first use, fpdf's glyfzip.go: in a process of its own, with
// -run, this test is their first use; the deflated subsets dropped
// meanwhile) come out as they do one at a time. Run with -race too.
func TestConcurrentRenders(t *testing.T) {
	docs := []*doc.Document{sample.Plan(40), loadSample(t, seedAppendix), loadSample(t, largestSeed), sample.Plan(7)}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := New(fam)
	want := make([][]byte, len(docs))
	var wg sync.WaitGroup
	got := make([][][]byte, 4)
	for k := range got {
		got[k] = make([][]byte, len(docs))
		wg.Go(func() {
			for i, d := range docs {
				if k == 0 {
					DropCaches()
				}
				out, err := r.Document(context.Background(), d)
				if err != nil {
					t.Error(err)
				}
				got[k][i] = out
			}
		})
	}
	wg.Wait()
	for i, d := range docs {
		if want[i], err = r.Document(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	for k := range got {
		for i := range docs {
			if !bytes.Equal(got[k][i], want[i]) {
				t.Errorf("goroutine %d, document %d: not the bytes of a render alone", k, i)
			}
		}
	}
}

// TestPlainASCII: the check that lets a document skip repair (check.plain,
// which looks bytes below 0x80 up without decoding them) says what a
// walk of every character with repertoire.has says, on texts with tabs,
// line feeds, control characters, characters outside the repertoire and
// invalid UTF-8, at the start, the middle and the end.
func TestPlainASCII(t *testing.T) {
	c := renderer(t).newCheck()
	if c.rep.err != nil {
		t.Fatal(c.rep.err)
	}
	reference := func(s string) bool {
		for _, r := range s {
			if r == '\t' || !c.rep.has(r) {
				return false
			}
		}
		return true
	}
	odd := []string{"", "a", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "~", "@", "?", "ệ", "Đ", "€", "✓", "😀", "\u0300", "\xff", "\xe1\xbb", "\uFFFD", " ",
		// sequences the walk decodes itself, and their near misses
		"\xc2\xa0", "\xdf\xbf", "\xc0\x80", "\xc1\xbf", "\xc3", "\xc3(", "\xe1\xba\xa0", "\xe1\xbb\xb9", "\xef\xbf\xbd", "\xef\xbf\xbf",
		"\xe0\x80\x80", "\xe0\xa0\x80", "\xed\xa0\x80", "\xed\x9f\xbf", "\xe1\xbb(", "\xe1(\xbb", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80"}
	texts := []string{"Tuyên truyền, phổ biến", "Kế hoạch số 12/KH-UBND\nngày 5 tháng 3"}
	for _, o := range odd {
		texts = append(texts, o, o+"Tuyên truyền", "Tuyên"+o+"truyền", "Tuyên truyền"+o)
	}
	for b := range 128 {
		texts = append(texts, "Kế hoạch "+string(rune(b)))
	}
	for _, s := range texts {
		d := &doc.Document{Title: s}
		want := reference(s) && reference(d.Title)
		if got := c.plain(d, false); got != want {
			t.Errorf("plain(%q) = %v, the walk of its characters says %v", s, got, want)
		}
	}
}

// BenchmarkCheckPlain is the walk of a document's texts that lets it
// skip the repair (check.plain): the Lai Châu plan, and a 1,000-task one.
func BenchmarkCheckPlain(b *testing.B) {
	c := renderer(b).newCheck()
	for _, d := range []struct {
		name string
		d    *doc.Document
	}{{"seed", loadSample(b, seedAppendix)}, {"tasks=1000", sample.Plan(1000)}} {
		b.Run(d.name, func(b *testing.B) {
			for b.Loop() {
				if !c.plain(d.d, false) {
					b.Fatal("not plain")
				}
			}
		})
	}
}

// TestAppendixButBody: a separate appendix does not print the plan's body,
// so the body's characters do not change it: Greek (outside the
// Vietnamese repertoire, which would choose the full faces) or a
// character the font lacks (which would be replaced and reported) in the
// body leave the appendix the same bytes, nothing reported; the plan
// itself still reports the replacement.
func TestAppendixButBody(t *testing.T) {
	clean := sample.Plan(5)
	want, err := renderer(t).Appendix(context.Background(), clean)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"Mục tiêu: Ω α Ж", "Mục tiêu: 中文 😀", "Mục\ttiêu"} {
		d := sample.Plan(5)
		d.Body = body
		var replaced []doc.Replaced
		r := renderer(t).OnReplace(func(rs []doc.Replaced) { replaced = append(replaced, rs...) })
		got, err := r.Appendix(context.Background(), d)
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("body %q: the appendix differs from the clean plan's", body)
		}
		if replaced != nil {
			t.Errorf("body %q: the appendix reported %v", body, replaced)
		}
	}
	d := sample.Plan(5)
	d.Body = "Mục tiêu: 中"
	var replaced []doc.Replaced
	if _, err := renderer(t).OnReplace(func(rs []doc.Replaced) { replaced = append(replaced, rs...) }).Document(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if len(replaced) != 1 || replaced[0].Field != "body" {
		t.Errorf("the plan reported %v, want the body's 中", replaced)
	}
}

// FuzzPlain compares the walk that lets a document skip the repair
// (check.plain, which decodes Vietnamese letters itself) with a walk of
// the characters as Go reads them, on any bytes.
func FuzzPlain(f *testing.F) {
	for _, s := range []string{"Tuyên truyền", "Kế hoạch số 12/KH-UBND\nngày", "\xe1\xbb", "\xed\xa0\x80", "\xc3(", "😀", "\t"} {
		f.Add(s)
	}
	c := renderer(f).newCheck()
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for _, r := range s {
			if r == '\t' || !c.rep.has(r) {
				want = false
			}
		}
		if got := c.plain(&doc.Document{Title: s}, false); got != want {
			t.Errorf("plain(%q) = %v, the walk of its characters says %v", s, got, want)
		}
	})
}
