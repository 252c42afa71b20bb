package pdf

import (
	"baocao/fonts"
	"baocao/reports/layout"
	"baocao/reports/linebreak"
	"baocao/reports/richtext"
)

// align of a paragraph.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignJustify
	alignRight
)

// tline is one typeset line, ready to draw.
type tline struct {
	boxes   []linebreak.Box
	natural float64 // width with plain spaces
	space   float64 // width of one plain space
	indent  float64 // offset of the line start from the column's left edge
	width   float64 // column width available to the line
	align   align
	stretch bool    // justify this line (not the last of a paragraph)
	size    float64 // font size in points
	h       float64 // line height in mm
	before  float64 // space above the line in mm (paragraph spacing)
	first   bool    // the first line of a block (paragraph, heading, list item)
	keep    bool    // a heading's line: kept on a page with the next block
}

// pstyle is how a run of blocks is set.
type pstyle struct {
	size      float64 // pt
	leading   float64 // line height as a multiple of the font size
	indent    float64 // first-line indent, mm
	align     align
	after     float64 // space after each paragraph, mm
	bold      bool    // base style
	italic    bool
	listsLeft bool // list items are set flush left (table cells)
	// maxGap, when set, is the widest word space a justified line may
	// have, as a multiple of a plain space: a line that would need wider
	// spaces (a narrow table cell) is set flush left instead.
	maxGap float64
}

const ptToMM = linebreak.PtToMM

func (s pstyle) lineHeight() float64 { return s.size * s.leading * ptToMM }

// typeset breaks blocks into lines of at most width mm.
func (w *writer) typeset(blocks []richtext.Block, width float64, st pstyle) []tline {
	return w.typesetTo(make([]tline, 0, linesFor(blocks, width, st)), blocks, width, st)
}

// linesFor is about as many lines as blocks take (a character is about
// 0.45 em and 1.25 bytes of Vietnamese): room for their lines, so that
// they are not copied again as they grow.
func linesFor(blocks []richtext.Block, width float64, st pstyle) int {
	size := 0
	for _, b := range blocks {
		for _, r := range b.Runs {
			size += len(r.Text)
		}
	}
	return len(blocks) + int(float64(size)/1.25*0.45*st.size*ptToMM/max(width, 1))
}

// lineSlab is room for the lines of many table cells, handed out cell by
// cell (one allocation for a few dozen rows instead of one a cell).
type lineSlab []tline

// lineSlabLen is how many lines a slab holds (about 26 KB).
const lineSlabLen = 256

// typeset is writer.typeset into room from the slab.
func (s *lineSlab) typeset(w *writer, blocks []richtext.Block, width float64, st pstyle) []tline {
	n := linesFor(blocks, width, st)
	if n > lineSlabLen/4 {
		return w.typesetTo(make([]tline, 0, n), blocks, width, st)
	}
	if cap(*s)-len(*s) < n {
		*s = make([]tline, 0, lineSlabLen)
	}
	at := len(*s)
	lines := w.typesetTo((*s)[at:at:at+n], blocks, width, st)
	if cap(lines) == n { // in the room: the slab goes on after them
		*s = (*s)[:at+len(lines)]
	}
	return lines[:len(lines):len(lines)]
}

// typesetTo is typeset, appending the lines to out.
func (w *writer) typesetTo(out []tline, blocks []richtext.Block, width float64, st pstyle) []tline {
	var lead [8]richtext.Run
	for i, b := range blocks {
		bs := st
		switch b.Kind {
		case richtext.Heading:
			bs.bold = true
			if b.Level >= 4 {
				bs.italic = true
			}
			if layout.CentredHeading(b.Level, b.Text()) && !st.listsLeft {
				// "QUYẾT ĐỊNH:", "Phần I", "Chương I" are centred.
				bs.align, bs.indent = alignCenter, 0
			}
		case richtext.ListItem:
			if st.listsLeft {
				bs.align = alignLeft
				if st.align == alignJustify {
					bs.align = alignJustify
				}
			}
			if b.Level > 1 && !st.listsLeft {
				bs.indent += layout.ListLevelIndent * float64(b.Level-1)
			}
		}
		runs := b.Runs
		if b.Marker != "" {
			runs = append(append(lead[:0], richtext.Run{Text: b.Marker}), runs...)
		}
		from := len(out)
		out = w.paragraph(out, runs, width, bs)
		lines := out[from:]
		if len(lines) > 0 {
			lines[0].first = true
			if i > 0 {
				lines[0].before = st.after
			}
		}
		if b.Kind == richtext.Heading {
			for k := range lines {
				lines[k].keep = true
			}
		}
	}
	return out
}

// paragraph breaks one paragraph of runs into lines (linebreak: the
// breaker the XLSX sizes its rows with) and appends them to lines. A
// centred paragraph is broken into balanced lines.
func (w *writer) paragraph(lines []tline, runs []richtext.Run, width float64, st pstyle) []tline {
	space := w.measure(" ", fonts.StyleOf(st.bold, st.italic), st.size)
	h := st.lineHeight()
	from := len(lines)
	lst := linebreak.Style{Size: st.size, Bold: st.bold, Italic: st.italic, Indent: st.indent, Balanced: st.align == alignCenter}
	w.br.Break(runs, width, lst, func(bl linebreak.Line) bool {
		l := tline{boxes: bl.Boxes, natural: bl.Natural, space: space, width: width, align: st.align, size: st.size, h: h}
		if len(lines) == from {
			l.indent = st.indent
		}
		l.stretch = bl.Stretch && st.align == alignJustify
		if l.stretch && len(l.boxes) > 1 {
			extra := (l.width - l.indent - l.natural) / float64(len(l.boxes)-1)
			if st.maxGap > 0 && space+extra > st.maxGap*space {
				l.stretch = false
			}
		}
		lines = append(lines, l)
		return true
	})
	return lines
}

// height is the total height of lines.
func height(lines []tline) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.before + l.h
	}
	return h
}
