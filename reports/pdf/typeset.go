package pdf

import (
	"strings"
	"unicode/utf8"

	"baocao/fonts"
	"baocao/reports/layout"
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
			runs = append([]richtext.Run{{Text: b.Marker, Bold: false, Italic: false}}, runs...)
		}
		lines := w.paragraph(runs, width, bs)
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
		out = append(out, lines...)
	}
	return out
}

// paragraph breaks one paragraph of runs into lines.
//
// It first makes the paragraph's words (a word may change style in its
// middle; a word wider than the column is cut between characters), marks
// where a line may not break (glue: around a dash between words, inside
// "ngày … tháng … năm …"), then fills lines greedily. A centred
// paragraph is broken into balanced lines: as many lines as the greedy
// fill, at the narrowest width that still gives that many.
func (w *writer) paragraph(runs []richtext.Run, width float64, st pstyle) []tline {
	space := w.measure(" ", fonts.StyleOf(st.bold, st.italic), st.size)
	p := w.words(runs, width, st)
	p.markGlue()
	at := width
	if st.align == alignCenter {
		p.markPhrases()
		at = p.balance(width, st.indent, space)
	}
	return w.fill(p, width, at, space, st)
}

// para is a paragraph as words: bx[i] is a word, or a forced line break
// when brk[i]; glue[i]: no line break before word i.
type para struct {
	bx   []box
	brk  []bool
	glue []bool
	quit bool
}

func (p *para) add(b box, brk bool) {
	p.bx = append(p.bx, b)
	p.brk = append(p.brk, brk)
	p.glue = append(p.glue, false)
}

// words makes the words of a paragraph. The words' pieces are kept in one
// slice that they share (a word's pieces are a window on it, never changed
// after): one allocation that grows, not one a word.
func (w *writer) words(runs []richtext.Run, width float64, st pstyle) *para {
	size := 0
	for _, r := range runs {
		size += len(r.Text)
	}
	p := &para{bx: make([]box, 0, size/6+4), brk: make([]bool, 0, size/6+4), glue: make([]bool, 0, size/6+4)}
	pieces := make([]piece, 0, size/6+4)
	var word box // its pieces are a scratch buffer until the word is placed
	// wordText: the word has a piece that is not spaces.
	wordText := false
	// line: a word or break since the last forced break (a run of spaces
	// at the start of a line is dropped, as a space is).
	line := false
	endWord := func() {
		if len(word.pieces) == 0 {
			return
		}
		// A word longer than a whole line is cut between characters,
		// each head on a line of its own.
		avail := width
		if len(p.bx) == 0 {
			avail = width - st.indent
		}
		for word.w > avail+1e-6 {
			head, tail := w.cut(word, avail, st.size)
			if len(head.pieces) == 0 {
				break
			}
			p.add(head, false)
			p.add(box{}, true)
			word = tail
			avail = width
		}
		n := len(pieces)
		pieces = append(pieces, word.pieces...)
		p.add(box{pieces: pieces[n:len(pieces):len(pieces)], w: word.w}, false)
		word = box{pieces: word.pieces[:0]}
		wordText = false
		line = true
		if len(p.bx)%(checkEvery*16) == 0 && w.cancelled() {
			p.quit = true
		}
	}
	for _, r := range runs {
		if p.quit {
			break
		}
		if r.Break {
			endWord()
			p.add(box{}, true)
			line = false
			continue
		}
		style := fonts.StyleOf(r.Bold || st.bold, r.Italic || st.italic)
		text := r.Text
		for text != "" && !p.quit {
			i := strings.IndexAny(text, " \t\n")
			part := text
			if i >= 0 {
				part = text[:i]
			}
			if part == "" && i >= 0 && text[i] == ' ' && (len(word.pieces) > 0 || line) && !wordText {
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
			endWord()
			text = text[i+1:]
		}
	}
	endWord()
	return p
}

// wordText is the text of a word without the spaces it may start with.
func wordText(b box) string {
	if len(b.pieces) == 1 {
		return strings.TrimLeft(b.pieces[0].text, " ")
	}
	var s strings.Builder
	for _, p := range b.pieces {
		s.WriteString(p.text)
	}
	return strings.TrimLeft(s.String(), " ")
}

// markGlue marks where a line may not break (layout.Glue).
func (p *para) markGlue() {
	layout.Glue(len(p.bx),
		func(i int) bool { return !p.brk[i] && len(p.bx[i].pieces) > 0 },
		func(i int) string { return wordText(p.bx[i]) },
		func(i int) { p.glue[i] = true })
}

// markPhrases marks, in a centred paragraph, the spaces a line should
// not break at (layout.Phrases).
func (p *para) markPhrases() {
	layout.Phrases(len(p.bx),
		func(i int) bool { return !p.brk[i] && len(p.bx[i].pieces) > 0 },
		func(i int) string { return wordText(p.bx[i]) },
		func(i int) { p.glue[i] = true })
}

// lay fills lines greedily at width at (the first line at - indent),
// calling line(from, to, natural, stretch) for each (words bx[from:to];
// stretch: not ended by a forced break or the paragraph's end), and
// returns the number of lines. A run of glued words goes to a line whole,
// unless it is wider than a line.
func (p *para) lay(at, indent, space float64, line func(from, to int, natural float64, stretch bool) bool) int {
	n, lines := len(p.bx), 0
	from, count, natural := 0, 0, 0.0
	loose := 0 // words before it are set one by one (a glued run too wide for a line)
	stop := false
	flush := func(to int, stretch bool) {
		lines++
		if line != nil && !line(from, to, natural, stretch) {
			stop = true
		}
		from, count, natural = to, 0, 0
	}
	avail := func() float64 {
		if lines == 0 {
			return at - indent
		}
		return at
	}
	for i := 0; i < n && !stop; {
		if p.brk[i] {
			flush(i, false)
			from = i + 1
			i++
			continue
		}
		j, uw := i+1, p.bx[i].w
		if i >= loose {
			for j < n && !p.brk[j] && p.glue[j] {
				uw += space + p.bx[j].w
				j++
			}
			fresh := at
			if lines == 0 && count == 0 {
				fresh = at - indent
			}
			if j-i > 1 && uw > fresh+1e-6 {
				loose, j, uw = j, i+1, p.bx[i].w
			}
		}
		add := uw
		if count > 0 {
			add += space
		}
		if count > 0 && natural+add > avail()+1e-6 {
			flush(i, true)
			add = uw
		}
		natural += add
		count += j - i
		i = j
	}
	if !stop && (count > 0 || lines == 0) {
		flush(n, false)
	}
	return lines
}

// balance is the narrowest width, no wider than width, at which the
// paragraph takes as many lines as at width: the longest line is as short
// as it can be for that number of lines.
func (p *para) balance(width, indent, space float64) float64 {
	want := p.lay(width, indent, space, nil)
	if want < 2 {
		return width
	}
	lo := 0.0
	for i := range p.bx {
		lo = max(lo, p.bx[i].w)
	}
	lo += indent
	if lo >= width {
		return width
	}
	hi := width
	for range 24 {
		mid := (lo + hi) / 2
		if p.lay(mid, indent, space, nil) <= want {
			hi = mid
		} else {
			lo = mid
		}
		if hi-lo < 0.05 {
			break
		}
	}
	return hi
}

// fill sets the lines of a paragraph broken at width at, each line as
// wide as width (centred or justified in it).
func (w *writer) fill(p *para, width, at, space float64, st pstyle) []tline {
	var lines []tline
	p.lay(at, st.indent, space, func(from, to int, natural float64, stretch bool) bool {
		l := tline{boxes: p.bx[from:to:to], natural: natural, space: space, width: width, align: st.align, size: st.size, h: st.lineHeight()}
		if len(lines) == 0 {
			l.indent = st.indent
		}
		l.stretch = stretch && st.align == alignJustify
		if l.stretch && len(l.boxes) > 1 {
			extra := (l.width - l.indent - l.natural) / float64(len(l.boxes)-1)
			if st.maxGap > 0 && space+extra > st.maxGap*space {
				l.stretch = false
			}
		}
		lines = append(lines, l)
		if len(lines)%checkEvery == 0 && w.cancelled() {
			return false
		}
		return true
	})
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
