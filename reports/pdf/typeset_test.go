package pdf

import (
	"baocao/reports/layout"
	"context"
	"strings"
	"testing"

	"baocao/fonts"
	"baocao/reports/linebreak"
	"baocao/reports/richtext"
	"baocao/reports/table"
)

func testWriter(t *testing.T) *writer {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{ctx: context.Background(), fam: fam}
	w.br = &linebreak.Breaker{Fam: fam, Cancelled: w.cancelled}
	return w
}

func lineTexts(lines []tline) []string {
	var out []string
	for _, l := range lines {
		var ws []string
		for _, b := range l.boxes {
			ws = append(ws, b.Text())
		}
		out = append(out, strings.Join(ws, " "))
	}
	return out
}

// TestNoBreakAtDashOrDate: at every width, no line ends at a dash between
// words ("2016 - 2020", "chính trị - xã hội") nor inside "ngày … tháng …
// năm …".
func TestNoBreakAtDashOrDate(t *testing.T) {
	w := testWriter(t)
	text := "Kế hoạch cải cách hành chính nhà nước giai đoạn 2016 - 2020 của các tổ chức chính trị - xã hội, ban hành ngày 05 tháng 3 năm 2024 và ngày      tháng      năm 2024 tại Lai Châu."
	for width := 60.0; width <= 170; width += 0.5 {
		lines := lineTexts(w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: text}}}}, width, bodyStyle))
		for i, l := range lines {
			f := strings.Fields(l)
			if len(f) > 0 && (layout.IsDash(f[len(f)-1]) || i > 0 && layout.IsDash(f[0])) {
				t.Errorf("width %.1f: line %d %q breaks at a dash", width, i, l)
			}
			if strings.Contains(l, "ngày") && !strings.Contains(l, "năm 2024") {
				t.Errorf("width %.1f: line %d %q breaks a date", width, i, l)
			}
		}
	}
}

// TestBalancedTitle: a centred title keeps "cải cách hành chính" and
// names whole.
func TestBalancedTitle(t *testing.T) {
	w := testWriter(t)
	st := pstyle{size: sizeKind, leading: 1.2, align: alignCenter}
	for _, title := range []string{
		"Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024",
		"Kết quả thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu 6 tháng đầu năm 2024",
		"Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Bình Định năm 2017",
	} {
		for width := 80.0; width <= 160; width += 5 {
			blocks := []richtext.Block{{Runs: []richtext.Run{{Text: title, Bold: true}}}}
			got := w.typeset(blocks, width, st)
			// (That it is balanced: linebreak's TestBalanced.)
			for _, l := range lineTexts(got) {
				if strings.HasSuffix(l, " hành") || strings.HasSuffix(l, " cải") || strings.HasSuffix(l, " Lai") || strings.HasSuffix(l, " Bình") {
					t.Errorf("%.0f mm: %q", width, lineTexts(got))
				}
			}
		}
	}
	if got := w.wrapPlain("ỦY BAN NHÂN DÂN HUYỆN TÂY SƠN", fonts.Bold, sizeAgency, 55); strings.Join(got, "|") != "ỦY BAN NHÂN DÂN|HUYỆN TÂY SƠN" {
		t.Errorf("header lines %q", got)
	}
}

// TestNarrowCellGaps: a justified line of a narrow cell never opens word
// spaces wider than cellMaxGap plain spaces; such a line is set flush left.
func TestNarrowCellGaps(t *testing.T) {
	w := testWriter(t)
	text := "Bổ sung số liệu của các cơ quan chủ trì về kết quả thực hiện nhiệm vụ tuyên truyền cải cách hành chính trong kỳ báo cáo."
	for width := 18.0; width <= 60; width += 0.5 {
		for _, l := range w.typeset(richtext.Parse(text), width, cellStyle(table.Justify, false)) {
			if !l.stretch || len(l.boxes) < 2 {
				continue
			}
			gap := l.space + (l.width-l.indent-l.natural)/float64(len(l.boxes)-1)
			if gap > cellMaxGap*l.space+1e-9 {
				t.Errorf("%.1f mm: %q has spaces of %.1f plain ones", width, lineTexts([]tline{l}), gap/l.space)
			}
		}
	}
}

// TestLineSlab: cells typeset one after another from one slab (a table's
// worker) come out as they do each alone, and none is changed by those
// after it: cells shorter and longer than their estimate (a word cut
// line by line, many one-word paragraphs), and a cell too long for a slab.
func TestLineSlab(t *testing.T) {
	w := testWriter(t)
	texts := []string{
		"Tuyên truyền, phổ biến",
		strings.Repeat("x", 400),
		strings.Repeat("a\n\n", 40) + "b",
		"- một\n- hai\n- ba",
		strings.Repeat("Kế hoạch thực hiện nhiệm vụ năm 2025. ", 80),
		"",
		"Sở Tư pháp",
	}
	st := cellStyle(table.Left, false)
	var slab lineSlab
	var got [][]tline
	for range 20 { // enough cells to fill several slabs
		for _, s := range texts {
			got = append(got, slab.typeset(w, richtext.Parse(s), 30, st))
		}
	}
	for k, lines := range got {
		want := w.typeset(richtext.Parse(texts[k%len(texts)]), 30, st)
		g, wt := lineTexts(lines), lineTexts(want)
		if strings.Join(g, "\n") != strings.Join(wt, "\n") || len(lines) != len(want) {
			t.Fatalf("cell %d: %q, alone %q", k, g, wt)
		}
		for i := range lines {
			if lines[i].natural != want[i].natural || lines[i].h != want[i].h || lines[i].first != want[i].first || lines[i].before != want[i].before {
				t.Fatalf("cell %d, line %d: %+v, alone %+v", k, i, lines[i], want[i])
			}
		}
	}
}
