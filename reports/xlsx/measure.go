package xlsx

import (
	"baocao/fonts"
)

// Excel neither fits the height of a row holding rich text or merged cells
// nor always fits wrapped rows when a file is opened, so the renderer sets
// every row's height from an estimate of its lines: the text is wrapped
// word by word at the column's width with the advances of Liberation Serif,
// which are Times New Roman's.

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
)

// measurer counts the lines text takes in a column.
type measurer struct {
	fam *fonts.Family // nil: half an em per character
}

// newMeasurer measures with fam, or the embedded default when nil: the
// rows are sized for the font the cells are written in.
func newMeasurer(fam *fonts.Family) *measurer {
	if fam == nil {
		var err error
		if fam, err = fonts.Default(); err != nil {
			fam = nil
		}
	}
	return &measurer{fam: fam}
}

// width is the advance of s in 1/1000 em.
func (m *measurer) width(s string, st style) int {
	if m.fam == nil {
		return 500 * len([]rune(s))
	}
	return m.fam.Width(s, fonts.StyleOf(st&bold != 0, st&italic != 0))
}

// lines is how many lines spans take in a column w characters wide, in
// text of the given size (points).
func (m *measurer) lines(spans []span, w, size float64) int {
	px := max(w*digitPx-cellPadPx, digitPx)
	// The room in 1/1000 em of the text size (1 pt = 4/3 px).
	avail := max(int(px/(size*4/3)*1000/slack), 1)
	n := 1
	lineW := 0 // the current line
	pend := 0  // spaces waiting for the next word
	wordW := 0 // the word being read, which may change style
	place := func() {
		if wordW == 0 {
			return
		}
		switch {
		case lineW+pend+wordW <= avail:
			lineW += pend + wordW
		default:
			if lineW+pend > 0 {
				n++ // the word goes to the next line
			}
			// A word longer than a line breaks between characters.
			k := (wordW - 1) / avail
			n += k
			lineW = wordW - k*avail
		}
		wordW, pend = 0, 0
	}
	for _, s := range spans {
		text := s.text
		for len(text) > 0 {
			i := 0
			for i < len(text) && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' {
				i++
			}
			if i > 0 {
				wordW += m.width(text[:i], s.style)
			}
			if i == len(text) {
				break
			}
			place()
			if text[i] == '\n' {
				n++
				lineW, pend = 0, 0
			} else {
				// Spaces at a line's start show after a hard break (an
				// indent) and are dropped after a wrap, where the
				// wrapped word starts the line.
				pend += m.width(" ", s.style)
			}
			text = text[i+1:]
		}
	}
	place()
	return n
}
