package xlsx

import (
	"testing"

	"baocao/fonts"
	"baocao/reports/linebreak"
	"baocao/reports/richtext"
	"baocao/reports/sample"
	"baocao/reports/table"
)

// TestRowLinesAsPDF: a row is sized from the breaks the PDF makes: every
// cell of a generated plan takes, at every column width, as many lines as
// the line breaker gives its blocks one by one (the PDF sets a cell's
// blocks as paragraphs, its list items flush left with their markers).
func TestRowLinesAsPDF(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMeasurer(fam)
	if err != nil {
		t.Fatal(err)
	}
	br := &linebreak.Breaker{Fam: fam}
	d := sample.Plan(150)
	tab := table.Outline(d, 0)
	checked := 0
	var spans []span
	for _, cells := range tab.Rows {
		for _, c := range cells {
			blocks := c.Parsed()
			nested := false
			for _, b := range blocks {
				nested = nested || b.Kind == richtext.ListItem && (b.Level > 1 || b.Marker == "")
			}
			if len(blocks) == 0 || nested {
				continue // a nested item is indented in a spreadsheet only
			}
			spans = cellSpans(spans[:0], blocks)
			for _, w := range []float64{8, 14, 25, 40} {
				width := max(w*digitPx-cellPadPx, digitPx) * pxToMM / slack
				want := 0
				for _, b := range blocks {
					runs := b.Runs
					if b.Marker != "" {
						runs = append([]richtext.Run{{Text: b.Marker}}, runs...)
					}
					bold := b.Kind == richtext.Heading
					want += br.Count(runs, width, linebreak.Style{Size: sizeCell, Bold: bold, Indents: true})
				}
				if got := m.lines(spans, w, sizeCell); got != want {
					t.Errorf("%q at %.0f characters: %d lines, the breaker %d", c.Text(), w, got, want)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d cells checked", checked)
	}
}
