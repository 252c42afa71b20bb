package xlsx

import (
	"fmt"
	"strings"

	"baocao/fonts"
	"baocao/reports/linebreak"
	"baocao/reports/richtext"
)

// Excel neither fits the height of a row holding rich text or merged cells
// nor always fits wrapped rows when a file is opened, so the renderer sets
// every row's height from the lines its cells take, broken by the PDF's
// line breaker (linebreak) with the advances of the configured family
// (Options.Family; the embedded Liberation Serif, Times New Roman's
// metrics, when none is given) at the column's width.

const (
	// digitPx is the width of a digit of the workbook's default font (11 pt
	// serif at 96 dpi): a column w characters wide is about w*digitPx pixels.
	digitPx = 7.0
	// cellPadPx is the room Excel leaves between a cell's text and its
	// borders, both sides together.
	cellPadPx = 6.0
	// slack widens the measured text a little: screen fonts are hinted, and
	// an extra line is better than a cut one.
	slack = 1.06
	// pxToMM converts pixels at 96 dpi to millimetres.
	pxToMM = 25.4 / 96
)

// measurer counts the lines text takes in a column.
type measurer struct {
	br   *linebreak.Breaker
	runs []richtext.Run // scratch
}

// newMeasurer measures with fam, or the embedded default when nil: the
// rows are sized for the font the cells are written in.
func newMeasurer(fam *fonts.Family) (*measurer, error) {
	if fam == nil {
		var err error
		if fam, err = fonts.Default(); err != nil {
			return nil, fmt.Errorf("measuring the cells: %w", err)
		}
	}
	return &measurer{br: &linebreak.Breaker{Fam: fam}}, nil
}

// lines is how many lines spans take in a column w characters wide, in
// text of the given size (points): the lines linebreak makes of them at
// the column's inner width, narrowed by the slack. Spaces at a line's
// start (a nested list item's indent) count, as Excel shows them.
func (m *measurer) lines(spans []span, w, size float64) int {
	px := max(w*digitPx-cellPadPx, digitPx)
	width := px * pxToMM / slack
	runs := m.runs[:0]
	for _, s := range spans {
		r := richtext.Run{Bold: s.style&bold != 0, Italic: s.style&italic != 0}
		text := s.text
		for {
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				break
			}
			if i > 0 {
				r.Text = text[:i]
				runs = append(runs, r)
			}
			runs = append(runs, richtext.Run{Break: true})
			text = text[i+1:]
		}
		if text != "" {
			r.Text = text
			runs = append(runs, r)
		}
	}
	n := m.br.Count(runs, width, linebreak.Style{Size: size, Indents: true})
	clear(runs)
	m.runs = runs[:0]
	return n
}
