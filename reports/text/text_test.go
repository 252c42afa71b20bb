package text

import (
	"testing"

	"baocao/fonts"
)

func family(t *testing.T) *fonts.Family {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return fam
}

// TestClean: line endings from browsers and Windows, tabs, and what Word
// puts on the clipboard.
func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Kết quả\r\nDòng hai", "Kết quả\nDòng hai"},
		{"một\rhai\r\n\r\nba", "một\nhai\n\nba"},
		{"a\vb\fc\u0085d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"},
		{"Cột\tmột", "Cột một"},
		// Word: typographic characters the font draws are kept.
		{"“Sở Nội vụ” – ‘a’ — b • c … 5 €", "“Sở Nội vụ” – ‘a’ — b • c … 5 €"},
		{"Điều\u00a05", "Điều\u00a05"}, // no-break space kept
		{"10\u202f000", "10\u00a0000"},
		{"Sở\u2009Nội\u2002vụ\u3000x", "Sở Nội vụ x"},
		// invisible format characters removed
		{"Tuyên\u00adtruyền", "Tuyêntruyền"},
		{"Sở\u200bNội\u200c vụ\u200d\u2060\ufeff", "SởNội vụ"},
		{"\ufeffKế hoạch", "Kế hoạch"},
		{"\u200eabc\u202b", "abc"},
		{"1\u20112\u001e3\u001f4", "1-2-34"},
		// NFC
		{"Tie\u0302\u0301ng Vie\u0323\u0302t", "Tiếng Việt"},
		// controls are left for Drawable to refuse
		{"a\x00b\x07c\u0093", "a\x00b\x07c\u0093"},
		{"plain ASCII\nline", "plain ASCII\nline"},
		{"", ""},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Clean(Clean(c.in)); got != Clean(c.in) {
			t.Errorf("Clean is not idempotent on %q", c.in)
		}
	}
}

func TestDrawable(t *testing.T) {
	fam := family(t)
	for _, c := range []struct {
		in   string
		bad  rune
		okay bool
	}{
		{"Tiếng Việt “ngoặc” – … •\ndòng hai", 0, true},
		{"Báo cáo 😀", '😀', false},
		{"Kế hoạch 中文", '中', false},
		{"a\rb", '\r', false},
		{"a\tb", '\t', false},
		{"a\x00b", 0, false},
		{"c\u0093", 0x93, false},
		{"\x7f", 0x7f, false},
	} {
		r, ok := Drawable(fam, c.in)
		if ok != c.okay || r != c.bad {
			t.Errorf("Drawable(%q) = %U, %v; want %U, %v", c.in, r, ok, c.bad, c.okay)
		}
	}
	if p := Problem(fam, '😀'); p != `contains "😀" (U+1F600), which the font Liberation Serif cannot draw` {
		t.Errorf("problem: %s", p)
	}
	if p := Problem(fam, 0); p != "contains the control character U+0000, which a document cannot print" {
		t.Errorf("problem: %s", p)
	}
}

func TestReplace(t *testing.T) {
	fam := family(t)
	if Replacement(fam) != '□' {
		t.Fatalf("the embedded font should draw □")
	}
	s := "Đánh giá\r\nchung"
	got, gone := Replace(fam, s)
	if got != "Đánh giá\nchung" || gone != nil {
		t.Errorf("CR LF: %q %v", got, gone)
	}
	got, gone = Replace(fam, "Tốt 👍 lắm\x00")
	if got != "Tốt □ lắm□" || string(gone) != "👍\x00" {
		t.Errorf("emoji: %q %q", got, string(gone))
	}
	plain := "Không có gì phải thay"
	if got, gone := Replace(fam, plain); got != plain || gone != nil {
		t.Errorf("plain text changed: %q %v", got, gone)
	}
}
