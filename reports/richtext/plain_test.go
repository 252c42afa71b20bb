package richtext_test

import (
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/sample"
)

// TestPlainLineShortcut checks that Parse's shortcut for one line of plain
// text gives what goldmark gives, on every text of the seed plans and a
// generated plan, on pieces of them and on edge cases.
func TestPlainLineShortcut(t *testing.T) {
	var texts []string
	add := func(d *doc.Document) {
		d.Texts(func(_ func() string, s string) { texts = append(texts, s) })
	}
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	for _, f := range files {
		d, err := doc.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(d)
	}
	add(sample.Plan(300))
	texts = append(texts, "a", "1", "12", "12.", "12.5%", "1) a", "1)", "3 người", "2024. Năm", "1234567890. x",
		"a  b", "x:y", "(a) b", "\"quoted\"", "a + b", "a - b", "-a", "+a", "a -", "Ω α Ж", "a\u00a0", "\u00a0a",
		"a\u2028b", "&amp;", "a & b", "a = b", "===", "---", "a.", "Tỉnh ủy", "1/2", "100%", "a; b; c.", "…", "a'b",
		"http://example.com", "www.example.com", "a@b.vn", "x\x00y", "a\tb", "a \u3000", "\u3000a")
	r := rand.New(rand.NewSource(3))
	n := len(texts)
	for i := range n {
		for _, line := range strings.Split(texts[i], "\n") {
			texts = append(texts, line)
			if w := strings.Fields(line); len(w) > 1 {
				a := r.Intn(len(w))
				texts = append(texts, strings.Join(w[a:a+1+r.Intn(len(w)-a)], " "))
			}
		}
	}
	plain := 0
	for _, s := range texts {
		if !richtext.PlainLine(s) {
			continue
		}
		plain++
		if got, want := richtext.Parse(s), richtext.ParseMarkdown(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: shortcut %#v, goldmark %#v", s, got, want)
		}
	}
	if plain < 1000 {
		t.Errorf("only %d plain lines checked", plain)
	}
	t.Logf("%d texts, %d plain lines checked", len(texts), plain)
}

// TestFastPathShapes checks that the cell shortcut for paragraphs, "- "
// lists and *italic* spans gives what goldmark gives, on every text of
// the seed plans and a generated plan and on shapes at its edges, and
// that it takes the common cells of a generated plan.
func TestFastPathShapes(t *testing.T) {
	var texts []string
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	for _, f := range files {
		d, err := doc.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d.Texts(func(_ func() string, s string) { texts = append(texts, s) })
	}
	generated := 0
	sample.Plan(300).Texts(func(_ func() string, s string) { texts = append(texts, s); generated++ })
	edges := []string{
		"a *b* c", "*a*", "*a.*", "*a*b", "a*b*", "*a *b*", "* a*", "*a *", "(*a*)", "*a*)", "**a**", "*a", "a*",
		"*1. a*", "*# a*", "a\n\nb", "a\nb", "a\n\n\nb", "\na", "a\n", "- a\n- b", "- a\n\n- b", "- a\nb", "a\n- b",
		"a\n\n- b", "- a\n\nb", "- *a*;\n- b", "-  a", "- ", "- -", "- 1. a", "- # a", "- > a", "- a *b*\n\n*c d.*",
		"*a*, b", "*a*; *b*", "*100%*", "*a:*", "*a?*", "*Ω*", "*a\u00a0*", "*\u00a0a*", "- a\r\n- b", "* a\n* b",
		"+ a\n+ b", "- a\n+ b", "a\n\n---", "a\n\n===", "*a* *b*", "x *a*  *b* y", "*a**b*", "***a***", "*_a_*",
	}
	texts = append(texts, edges...)
	taken, slow := 0, 0
	for i, s := range texts {
		got, ok := richtext.SimpleCell(s)
		if !ok {
			// The generated plan's cells (its body, with headings, aside).
			cell := s != "" && !strings.HasPrefix(s, "#")
			if i < len(texts)-len(edges) && i >= len(texts)-len(edges)-generated && cell && !richtext.PlainLine(s) {
				slow++
				t.Logf("still to goldmark: %q", s)
			}
			continue
		}
		taken++
		if want := richtext.ParseMarkdown(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: shortcut %#v, goldmark %#v", s, got, want)
		}
	}
	if slow > 0 {
		t.Errorf("%d cells of the generated plan still go to goldmark", slow)
	}
	t.Logf("%d texts, %d taken by the shortcut", len(texts), taken)
}
