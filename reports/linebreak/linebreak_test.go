package linebreak

import (
	"strconv"
	"strings"
	"testing"

	"baocao/fonts"
	"baocao/reports/richtext"
)

func testBreaker(t *testing.T) *Breaker {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &Breaker{Fam: fam}
}

func texts(br *Breaker, runs []richtext.Run, width float64, st Style) (lines []string, longest float64) {
	br.Break(runs, width, st, func(l Line) bool {
		var ws []string
		for _, b := range l.Boxes {
			ws = append(ws, b.Text())
		}
		lines = append(lines, strings.Join(ws, " "))
		longest = max(longest, l.Natural)
		return true
	})
	return lines, longest
}

// TestBalanced: a balanced title takes as many lines as filling them
// would, its longest line no longer.
func TestBalanced(t *testing.T) {
	br := testBreaker(t)
	for _, title := range []string{
		"Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024",
		"Kết quả thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu 6 tháng đầu năm 2024",
		"Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Bình Định năm 2017",
	} {
		runs := []richtext.Run{{Text: title, Bold: true}}
		for width := 80.0; width <= 160; width += 5 {
			got, gl := texts(br, runs, width, Style{Size: 14, Balanced: true})
			// The same words and glue filled at the full width.
			p := br.words(runs, width, Style{Size: 14}, false)
			p.markGlue()
			p.markPhrases()
			space := br.Measure(" ", fonts.Bold, 14)
			var fl float64
			n := p.lay(width, 0, space, func(_, _ int, natural float64, _ bool) bool { fl = max(fl, natural); return true })
			p.free()
			if len(got) != n {
				t.Errorf("%.0f mm: %d lines, filled %d", width, len(got), n)
			}
			if len(got) == n && gl > fl+1e-6 {
				t.Errorf("%.0f mm: longest line %.1f, filled %.1f", width, gl, fl)
			}
		}
	}
}

// TestBreak: lines fill the width, no wider; a word too long for a line
// is cut; a forced break ends a line; every character is kept, once.
func TestBreak(t *testing.T) {
	br := testBreaker(t)
	text := "Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh, Trang Cải cách hành chính tỉnh và sóng Đài Phát thanh - Truyền hình tỉnh; Siêudàikhôngcódấucáchnàocảđểthửcắtgiữachữ."
	runs := []richtext.Run{{Text: text}, {Break: true}, {Text: "Dòng hai", Italic: true}}
	for width := 10.0; width <= 120; width += 3.5 {
		var all []string
		lines := 0
		br.Break(runs, width, Style{Size: 12, Indent: 5}, func(l Line) bool {
			avail := width
			if lines == 0 {
				avail -= 5
			}
			if l.Natural > avail+1e-6 {
				t.Errorf("%.1f mm: line %d is %.1f mm", width, lines, l.Natural)
			}
			for _, b := range l.Boxes {
				all = append(all, b.Text())
			}
			lines++
			return true
		})
		joined := strings.Join(all, "")
		want := strings.ReplaceAll(text+"Dòng hai", " ", "")
		if joined != want {
			t.Errorf("%.1f mm: text %q, want %q", width, joined, want)
		}
		if c := br.Count(runs, width, Style{Size: 12, Indent: 5}); c != lines || c < 2 {
			t.Errorf("%.1f mm: Count %d, Break %d lines", width, c, lines)
		}
	}
	if n := br.Count(runs, 1000, Style{Size: 12}); n != 2 {
		t.Errorf("wide: %d lines, want 2 (the forced break)", n)
	}
}

// TestCancelled: a breaker told to stop stops.
func TestCancelled(t *testing.T) {
	br := testBreaker(t)
	br.Cancelled = func() bool { return true }
	n := br.Count([]richtext.Run{{Text: strings.Repeat("chữ ", 20000)}}, 50, Style{Size: 12})
	if n > CheckEvery {
		t.Errorf("%d lines after the breaker was cancelled", n)
	}
}

// TestKeptLinesStay: the lines Break gives are the caller's to keep
// (the PDF typesets rows ahead of drawing them): paragraphs broken later
// (cut from the same slab of boxes and pieces) leave them unchanged, and
// a paragraph that outgrows its estimate does too.
func TestKeptLinesStay(t *testing.T) {
	br := testBreaker(t)
	words := strings.Fields("Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024 với nhiều hình thức phong phú")
	type kept struct {
		lines []Line
		want  []string
	}
	var all []kept
	for i := range 3 * slabLen {
		// Short and long paragraphs, and runs of spaces (more words than
		// the estimate from the text's length).
		n := 1 + i%len(words)
		text := strings.Join(words[:n], " ")
		if i%7 == 0 {
			text = strings.Repeat("a ", 40) + text
		}
		if i%11 == 0 {
			text = strings.Repeat("x", 300) + " " + text
		}
		runs := []richtext.Run{{Text: text}, {Text: " " + words[i%len(words)], Italic: true}}
		var k kept
		br.Break(runs, 40+float64(i%50), Style{Size: 12}, func(l Line) bool {
			k.lines = append(k.lines, l)
			return true
		})
		k.want = lineTexts(k.lines)
		all = append(all, k)
	}
	for i, k := range all {
		if got := lineTexts(k.lines); strings.Join(got, "|") != strings.Join(k.want, "|") {
			t.Fatalf("paragraph %d changed after later ones: %q, was %q", i, got, k.want)
		}
	}
}

func lineTexts(lines []Line) []string {
	var out []string
	for _, l := range lines {
		var ws []string
		for _, b := range l.Boxes {
			var s strings.Builder
			for _, p := range b.Pieces {
				s.WriteString(p.Text)
				s.WriteString(strconv.FormatFloat(p.W, 'f', 3, 64))
			}
			ws = append(ws, s.String())
		}
		out = append(out, strings.Join(ws, " "))
	}
	return out
}
