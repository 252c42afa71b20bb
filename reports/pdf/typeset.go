package pdf

import (
	"strings"
	"unicode/utf8"

	"baocao/fonts"
	"baocao/reports/richtext"
)

// piece is text in one face with its width; a box is a word made of pieces
// with no space between them (a word may change style in its middle).
type piece struct {
	text  string
	style fonts.Style
	w     float64
}

type box struct {
	pieces []piece
	w      float64
}

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
	boxes   []box
	natural float64 // width with plain spaces
	space   float64 // width of one plain space
	indent  float64 // offset of the line start from the column's left edge
	width   float64 // column width available to the line
	align   align
	stretch bool    // justify this line (not the last of a paragraph)
	size    float64 // font size in points
	h       float64 // line height in mm
	before  float64 // space above the line in mm (paragraph spacing)
}

// pstyle is how a run of blocks is set.
type pstyle struct {
	size        float64 // pt
	leading     float64 // line height as a multiple of the font size
	indent      float64 // first-line indent, mm
	align       align
	after       float64 // space after each paragraph, mm
	bold        bool    // base style
	italic      bool
	listsLeft   bool // list items are set flush left (table cells)
	headingsMid bool // unused
}

const ptToMM = 25.4 / 72

func (s pstyle) lineHeight() float64 { return s.size * s.leading * ptToMM }

// typeset breaks blocks into lines of at most width mm.
func (w *writer) typeset(blocks []richtext.Block, width float64, st pstyle) []tline {
	var out []tline
	for i, b := range blocks {
		bs := st
		switch b.Kind {
		case richtext.Heading:
			bs.bold = true
			if b.Level >= 4 {
				bs.italic = true
			}
			if b.Level == 2 && !romanHeading(b.Text()) && !st.listsLeft {
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
				bs.indent += 5 * float64(b.Level-1)
			}
		}
		runs := b.Runs
		if b.Marker != "" {
			runs = append([]richtext.Run{{Text: b.Marker, Bold: false, Italic: false}}, runs...)
		}
		lines := w.paragraph(runs, width, bs)
		if len(lines) > 0 && i > 0 {
			lines[0].before = st.after
		}
		out = append(out, lines...)
	}
	return out
}

// romanHeading reports whether a heading starts with a Roman numeral and a
// dot ("I. MỤC ĐÍCH"), which is set flush with the paragraphs.
func romanHeading(s string) bool {
	i := strings.IndexByte(s, '.')
	if i <= 0 || i > 6 {
		return false
	}
	return strings.Trim(s[:i], "IVXLC") == ""
}

// paragraph breaks one paragraph of runs into lines.
func (w *writer) paragraph(runs []richtext.Run, width float64, st pstyle) []tline {
	var lines []tline
	space := w.measure(" ", fonts.StyleOf(st.bold, st.italic), st.size)
	cur := tline{space: space, width: width, align: st.align, size: st.size, h: st.lineHeight(), indent: st.indent}
	// The placed words and their pieces are kept in two slices that the
	// lines share (a line's boxes and a box's pieces are windows on them,
	// never changed after): two allocations that grow, not two a word.
	size := 0
	for _, r := range runs {
		size += len(r.Text)
	}
	pieces := make([]piece, 0, size/6+4)
	boxes := make([]box, 0, size/6+4)
	lineStart := 0
	// quit: the render was cancelled; the lines so far are returned (the
	// render's goroutine stops it, see writer.stop).
	quit := w.cancelled()
	var word box // its pieces are a scratch buffer until the word is placed
	// wordText: the word has a piece that is not spaces.
	wordText := false
	addBox := func(b box) {
		n := len(pieces)
		pieces = append(pieces, b.pieces...)
		b.pieces = pieces[n:len(pieces):len(pieces)]
		boxes = append(boxes, b)
		cur.boxes = boxes[lineStart:len(boxes):len(boxes)]
	}
	flushLine := func(stretch bool) {
		cur.stretch = stretch && st.align == alignJustify
		lines = append(lines, cur)
		if len(lines)%checkEvery == 0 && w.cancelled() {
			quit = true
		}
		cur = tline{space: space, width: width, align: st.align, size: st.size, h: st.lineHeight()}
		lineStart = len(boxes)
	}
	avail := func() float64 { return width - cur.indent }
	placeWord := func() {
		if len(word.pieces) == 0 {
			return
		}
		add := word.w
		if len(cur.boxes) > 0 {
			add += space
		}
		if len(cur.boxes) > 0 && cur.natural+add > avail()+1e-6 {
			flushLine(true)
			add = word.w
		}
		// A word longer than a whole line is cut between characters.
		for word.w > avail()+1e-6 && len(cur.boxes) == 0 {
			head, tail := w.cut(word, avail(), st.size)
			if len(head.pieces) == 0 {
				break
			}
			addBox(head)
			cur.natural = head.w
			flushLine(false)
			word = tail
			add = word.w
		}
		addBox(word)
		cur.natural += add
		word = box{pieces: word.pieces[:0]}
		wordText = false
	}
	for _, r := range runs {
		if quit {
			break
		}
		if r.Break {
			placeWord()
			flushLine(false)
			continue
		}
		style := fonts.StyleOf(r.Bold || st.bold, r.Italic || st.italic)
		text := r.Text
		for text != "" && !quit {
			i := strings.IndexAny(text, " \t\n")
			part := text
			if i >= 0 {
				part = text[:i]
			}
			if part == "" && i >= 0 && text[i] == ' ' && (len(word.pieces) > 0 || len(cur.boxes) > 0) && !wordText {
				// A run of spaces (a draft's blank "số      /KH"): kept,
				// glued to the next word.
				pw := w.measure(" ", style, st.size)
				word.pieces = append(word.pieces, piece{text: " ", style: style, w: pw})
				word.w += pw
				text = text[i+1:]
				continue
			}
			if part != "" {
				pw := w.measure(part, style, st.size)
				word.pieces = append(word.pieces, piece{text: part, style: style, w: pw})
				word.w += pw
				wordText = true
			}
			if i < 0 {
				break
			}
			placeWord()
			text = text[i+1:]
		}
	}
	placeWord()
	if len(cur.boxes) > 0 || len(lines) == 0 {
		flushLine(false)
	}
	return lines
}

// cut splits a box so that its head fits in width. The tail keeps b's
// pieces (b is the paragraph's scratch word): cutting a long word line by
// line costs its length once, not once a line.
func (w *writer) cut(b box, width, size float64) (head, tail box) {
	for i, p := range b.pieces {
		if head.w+p.w <= width {
			head.pieces = append(head.pieces, p)
			head.w += p.w
			continue
		}
		// Cut inside this piece: the longest head that fits, its width
		// summed character by character (widths add up, fonts.Width).
		n, units := 0, 0
		for j := 0; j < len(p.text); {
			if j > 0 {
				if head.w+float64(units)*size/1000*ptToMM > width {
					break
				}
				n = j
			}
			_, k := utf8.DecodeRuneInString(p.text[j:])
			units += w.fam.Width(p.text[j:j+k], p.style)
			j += k
		}
		if n == 0 && len(head.pieces) == 0 {
			_, n = utf8.DecodeRuneInString(p.text) // at least one character
		}
		hp := piece{text: p.text[:n], style: p.style}
		if n > 0 {
			hp.w = w.measure(hp.text, p.style, size)
			head.pieces = append(head.pieces, hp)
			head.w += hp.w
		}
		b.pieces[i] = piece{text: p.text[n:], style: p.style, w: p.w - hp.w}
		tail.pieces = b.pieces[i:]
		tail.w = b.w - head.w
		return head, tail
	}
	return head, tail
}

// height is the total height of lines.
func height(lines []tline) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.before + l.h
	}
	return h
}
