package pdf

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"baocao/reports/layout"
	"baocao/reports/richtext"
	"baocao/reports/table"
)

// maxTableBlank is the most blank a table leaves at the foot of a page
// that is not its last: a row that cannot start there (each of its cells
// needs two lines there, or all of a cell of three lines or fewer) moves
// to the next page, so that is about three lines of table text, their
// padding and paragraph gaps, and a line a split cell may leave.
const maxTableBlank = 4*sizeTable*1.2*ptToMM + 2*cellPadV + 3*cellParaGap

// TestTableRowsEverywhere renders rows of every height (1 to 80 lines in
// their tallest cell) after a row of every height (0 to 36 lines: every
// position on a page), each case a table of its own, and reads the file
// back with pdftotext: no page but a table's last leaves more than
// maxTableBlank under the table, and every line of every cell is printed
// exactly once.
func TestTableRowsEverywhere(t *testing.T) {
	need(t, "pdftotext")
	cols := []table.Column{
		{Label: "STT", Width: 10, Align: table.Center}, // wide enough for a token
		{Label: "Nội dung", Width: 34, Align: table.Justify},
		{Label: "Cơ quan chủ trì", Width: 15, Align: table.Center},
		{Label: "Kết quả", Width: 17, Align: table.Left},
		{Label: "Ghi chú", Width: 12, Align: table.Left},
	}
	var tables []*table.Table
	var want []string // every token, each printed once
	lastTokens := map[string]bool{}
	// cell makes a cell of n lines, each one token; every other cell has
	// its lines as paragraphs (with the gap between them), the others as
	// hard line breaks.
	cell := func(id string, n int) table.Cell {
		var lines []string
		for i := range n {
			tok := fmt.Sprintf("%sx%02d", id, i)
			lines = append(lines, tok)
			want = append(want, tok)
		}
		sep := "\\\n"
		if n%2 == 1 {
			sep = "\n\n"
		}
		src := strings.Join(lines, sep)
		return table.Cell{Source: src, Blocks: richtext.Parse(src)}
	}
	n := 0
	for _, h := range []int{1, 2, 3, 4, 5, 6, 7, 9, 12, 17, 25, 40, 80} {
		for k := 0; k <= 36; k++ {
			n++
			id := func(r, c int) string { return fmt.Sprintf("t%03dr%dc%d", n, r, c) }
			var rows [][]table.Cell
			if k > 0 {
				rows = append(rows, []table.Cell{cell(id(0, 0), 1), cell(id(0, 1), k), cell(id(0, 2), 1), cell(id(0, 3), (k+1)/2), cell(id(0, 4), 0)})
			}
			rows = append(rows, []table.Cell{cell(id(1, 0), 1), cell(id(1, 1), h), cell(id(1, 2), min(h, 2)), cell(id(1, 3), h/2+1), cell(id(1, 4), min(h, 3))})
			rows = append(rows, []table.Cell{cell(id(2, 0), 1), cell(id(2, 1), 3), cell(id(2, 2), 1), cell(id(2, 3), 2), cell(id(2, 4), 1)})
			lastTokens[id(2, 0)+"x00"] = true
			tables = append(tables, &table.Table{Heading: "Phụ lục", Title: fmt.Sprintf("Bảng %d", n), Columns: cols, Rows: rows, Landscape: true})
		}
	}
	pdf, err := renderer(t).Tables(context.Background(), tables, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "rows.pdf", pdf)
	out := run(t, "pdftotext", "-bbox", path, "-")
	pageRe := regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRe := regexp.MustCompile(`<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)
	seen := map[string]int{}
	pages := strings.Split(out, "</page>")
	worst, worstPage := 0.0, 0
	for i, p := range pages {
		m := pageRe.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		ph, _ := strconv.ParseFloat(m[2], 64)
		low, last := 0.0, false
		for _, w := range wordRe.FindAllStringSubmatch(p, -1) {
			text := html.UnescapeString(w[2])
			if strings.HasPrefix(text, "t") && strings.Contains(text, "x") {
				seen[text]++
			}
			if lastTokens[text] {
				last = true
			}
			y, _ := strconv.ParseFloat(w[1], 64)
			low = max(low, y)
		}
		if last {
			continue // a table's last page
		}
		blank := ph/72*25.4 - layout.LandscapeBottom - low/72*25.4
		if blank > worst {
			worst, worstPage = blank, i+1
		}
		if blank > maxTableBlank {
			t.Errorf("page %d: %.1f mm blank under the table (at most %.1f)", i+1, blank, maxTableBlank)
		}
	}
	t.Logf("%d tables, %d pages; the most blank under a table on a page not its last: %.1f mm (page %d)", len(tables), len(pages)-1, worst, worstPage)
	for _, tok := range want {
		if seen[tok] != 1 {
			t.Errorf("%s printed %d times", tok, seen[tok])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%d tokens printed, %d in the cells", len(seen), len(want))
	}
}
