// Package linebreak breaks styled text into lines, measuring it with the
// advances of the configured font family (fonts.Family). It is the one
// line breaker of the renderers: the PDF draws the lines it makes, the
// XLSX sizes each row from the number of lines its cells take, so that a
// row is as tall as the same text set in the PDF at that width.
//
// A paragraph is made into words (a word may change style in its middle;
// a word wider than a line is cut between characters), where a line may
// not break is marked (layout.Glue: around a dash between words, inside
// "ngày … tháng … năm …"; in a balanced paragraph also layout.Phrases),
// then lines are filled greedily. A balanced paragraph (a centred title)
// takes as many lines as the greedy fill, at the narrowest width that
// still gives that many.
package linebreak

import (
	"strings"
	"sync"
	"unicode/utf8"

	"baocao/fonts"
	"baocao/reports/layout"
	"baocao/reports/richtext"
)

// PtToMM converts points to millimetres.
const PtToMM = 25.4 / 72

// CheckEvery is how many lines the breaker makes (and sixteen times as
// many words) between two calls of Breaker.Cancelled.
const CheckEvery = 32

// Piece is text in one face with its width in mm.
type Piece struct {
	Text  string
	Style fonts.Style
	W     float64
}

// Box is a word: pieces with no space between them, W their width.
type Box struct {
	Pieces []Piece
	W      float64
}

// Text is the word's text without the spaces it may start with.
func (b Box) Text() string {
	if len(b.Pieces) == 1 {
		return strings.TrimLeft(b.Pieces[0].Text, " ")
	}
	var s strings.Builder
	for _, p := range b.Pieces {
		s.WriteString(p.Text)
	}
	return strings.TrimLeft(s.String(), " ")
}

// Line is one line: its words, its width with plain spaces, and whether
// it may be stretched (it is not ended by a forced break or the
// paragraph's end).
type Line struct {
	Boxes   []Box
	Natural float64
	Stretch bool
}

// Style is how a paragraph is broken.
type Style struct {
	Size         float64 // font size, pt
	Bold, Italic bool    // the base style, added to the runs'
	Indent       float64 // of the first line, mm
	// Balanced breaks a centred paragraph into even lines, keeping
	// phrases and names whole (layout.Phrases).
	Balanced bool
	// Indents keeps the spaces that start a line after a forced break
	// or the paragraph's start (a spreadsheet shows them; a document's
	// paragraph drops them as it drops any space at a line's start).
	Indents bool
}

// Breaker breaks paragraphs with one family's metrics. It is safe for
// concurrent use.
type Breaker struct {
	Fam *fonts.Family
	// Cancelled, when set, is asked now and then; once it says true the
	// breaker stops early (the caller abandons the result).
	Cancelled func() bool
}

// Measure is the width of s in mm.
func (br *Breaker) Measure(s string, st fonts.Style, size float64) float64 {
	return float64(br.Fam.Width(s, st)) * size / 1000 * PtToMM
}

func (br *Breaker) cancelled() bool { return br.Cancelled != nil && br.Cancelled() }

// Break breaks a paragraph of runs into lines of at most width mm (the
// first at most width - st.Indent), calling line for each until it
// returns false, and returns the width of a plain space.
func (br *Breaker) Break(runs []richtext.Run, width float64, st Style, line func(Line) bool) (space float64) {
	return br.breakLines(runs, width, st, false, line)
}

// Count is the number of lines Break makes. It keeps nothing: the words
// are made in scratch reused from call to call.
func (br *Breaker) Count(runs []richtext.Run, width float64, st Style) int {
	n := 0
	br.breakLines(runs, width, st, true, func(Line) bool { n++; return true })
	return n
}

// breakLines is Break; with scratch, the lines' boxes are scratch, only
// valid during line.
func (br *Breaker) breakLines(runs []richtext.Run, width float64, st Style, scratch bool, line func(Line) bool) (space float64) {
	space = br.Measure(" ", fonts.StyleOf(st.Bold, st.Italic), st.Size)
	p := br.words(runs, width, st, scratch)
	defer p.free()
	at := width
	if !p.oneLine(width-st.Indent, space) {
		// (A paragraph that fits on one line is that line whatever the
		// glue: most table cells.)
		p.markGlue()
		if st.Balanced {
			p.markPhrases()
			at = p.balance(width, st.Indent, space)
		}
	}
	n := 0
	p.lay(at, st.Indent, space, func(from, to int, natural float64, stretch bool) bool {
		if !line(Line{Boxes: p.bx[from:to:to], Natural: natural, Stretch: stretch}) {
			return false
		}
		n++
		return n%CheckEvery != 0 || !br.cancelled()
	})
	return space
}

// para is a paragraph as words: bx[i] is a word, or a forced line break
// when brk[i]; glue[i]: no line break before word i. brk and glue
// are scratch, reused from paragraph to paragraph (scratchPool); bx and
// the words' pieces are the caller's (its lines keep them), or, when
// only counting, scratch too (bxs, pcs).
type para struct {
	bx      []Box
	brk     []bool
	glue    []bool
	quit    bool
	scratch bool
	bxs     []Box
	pcs     []Piece
	// slabB and slabP are the room not yet handed out of the last slab
	// of boxes and pieces that paragraphs kept by the caller are cut
	// from: one allocation for many paragraphs, and none wasted on a
	// paragraph's estimate (the next one starts where it ended).
	slabB          []Box
	slabP          []Piece
	takenB, takenP int // what this paragraph took from the slabs
}

// slabLen is how many boxes (and pieces) a slab holds: 64 KB of each.
const slabLen = 2048

// take returns room for n elements from slab, a new slab if it has not
// that much left; a request of more than a quarter of a slab has its own
// allocation. taken is how much of slab the room is (0 if not from it).
func take[T any](slab *[]T, n int) (room []T, taken int) {
	if n > slabLen/4 {
		return make([]T, 0, n), 0
	}
	if cap(*slab) < n {
		*slab = make([]T, 0, slabLen)
	}
	return (*slab)[:0:n], n
}

// keep advances slab past what the paragraph used of room: the used
// elements, or all of room if the paragraph outgrew it (the words made
// before it grew still point into it).
func keep[T any](slab *[]T, room []T, taken int) {
	if taken == 0 {
		return
	}
	used := taken
	if cap(room) == taken {
		used = len(room)
	}
	*slab = (*slab)[used:cap(*slab)]
}

var scratchPool = sync.Pool{New: func() any { return new(para) }}

func newPara(words int, scratch bool) (p *para, pieces []Piece) {
	p = scratchPool.Get().(*para)
	p.scratch = scratch
	if scratch {
		p.bx, pieces = p.bxs[:0], p.pcs[:0]
	} else {
		p.bx, p.takenB = take(&p.slabB, words)
		pieces, p.takenP = take(&p.slabP, words)
	}
	p.brk, p.glue = p.brk[:0], p.glue[:0]
	p.quit = false
	return p, pieces
}

func (p *para) free() {
	if p.scratch { // let the texts go, keep the room
		clear(p.bx)
		p.bxs = p.bx[:0]
		clear(p.pcs)
		p.pcs = p.pcs[:0]
	}
	p.bx = nil
	if cap(p.brk) > 1<<16 { // one huge paragraph's scratch is not kept
		p.brk, p.glue, p.bxs, p.pcs = nil, nil, nil, nil
		p.slabB, p.slabP = nil, nil
	}
	scratchPool.Put(p)
}

func (p *para) add(b Box, brk bool) {
	p.bx = append(p.bx, b)
	p.brk = append(p.brk, brk)
	p.glue = append(p.glue, false)
}

// words makes the words of a paragraph. The words' pieces are kept in one
// slice that they share (a word's pieces are a window on it, never changed
// after): one allocation that grows, not one a word.
func (br *Breaker) words(runs []richtext.Run, width float64, st Style, scratch bool) *para {
	size := 0
	for _, r := range runs {
		size += len(r.Text)
	}
	p, pieces := newPara(size/6+4, scratch)
	// The word being read is pieces[ws:], its width ww: its pieces are
	// appended where the paragraph keeps them, not copied there when the
	// word ends.
	ws, ww := 0, 0.0
	// wordText: the word has a piece that is not spaces.
	wordText := false
	// line: a word or break since the last forced break (a run of spaces
	// at the start of a line is dropped, as a space is).
	line := false
	endWord := func() {
		if len(pieces) == ws {
			return
		}
		word := Box{Pieces: pieces[ws:len(pieces):len(pieces)], W: ww}
		// A word longer than a whole line is cut between characters,
		// each head on a line of its own.
		avail := width
		if len(p.bx) == 0 {
			avail = width - st.Indent
		}
		for word.W > avail+1e-6 {
			head, tail := br.cut(word, avail, st.Size)
			if len(head.Pieces) == 0 {
				break
			}
			p.add(head, false)
			p.add(Box{}, true)
			word = tail
			avail = width
		}
		p.add(word, false)
		ws, ww = len(pieces), 0
		wordText = false
		line = true
		if len(p.bx)%(CheckEvery*16) == 0 && br.cancelled() {
			p.quit = true
		}
	}
	for _, r := range runs {
		if p.quit {
			break
		}
		if r.Break {
			endWord()
			p.add(Box{}, true)
			line = false
			continue
		}
		style := fonts.StyleOf(r.Bold || st.Bold, r.Italic || st.Italic)
		text := r.Text
		for text != "" && !p.quit {
			i := indexSpace(text)
			part := text
			if i >= 0 {
				part = text[:i]
			}
			if part == "" && i >= 0 && text[i] == ' ' && (len(pieces) > ws || line || st.Indents) && !wordText {
				// A run of spaces (a draft's blank "số      /KH"): kept,
				// glued to the next word.
				pw := br.Measure(" ", style, st.Size)
				pieces = append(pieces, Piece{Text: " ", Style: style, W: pw})
				ww += pw
				text = text[i+1:]
				continue
			}
			if part != "" {
				pw := br.Measure(part, style, st.Size)
				pieces = append(pieces, Piece{Text: part, Style: style, W: pw})
				ww += pw
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
	if scratch {
		p.pcs = pieces // cleared when the paragraph is done (free)
	} else {
		keep(&p.slabB, p.bx, p.takenB)
		keep(&p.slabP, pieces, p.takenP)
	}
	return p
}

// indexSpace is strings.IndexAny(s, " \t\n") without building its set
// of bytes at every call (the words of every paragraph are found so).
func indexSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '\t' || c == '\n' {
			return i
		}
	}
	return -1
}

// oneLine reports whether the paragraph fits on one line avail wide,
// with no forced break.
func (p *para) oneLine(avail, space float64) bool {
	w := 0.0
	for i := range p.bx {
		if p.brk[i] {
			return false
		}
		if i > 0 {
			w += space
		}
		w += p.bx[i].W
	}
	return w <= avail+1e-6
}

// markGlue marks where a line may not break (layout.Glue).
func (p *para) markGlue() {
	layout.Glue(len(p.bx),
		func(i int) bool { return !p.brk[i] && len(p.bx[i].Pieces) > 0 },
		func(i int) string { return p.bx[i].Text() },
		func(i int) { p.glue[i] = true })
}

// markPhrases marks, in a centred paragraph, the spaces a line should
// not break at (layout.Phrases).
func (p *para) markPhrases() {
	layout.Phrases(len(p.bx),
		func(i int) bool { return !p.brk[i] && len(p.bx[i].Pieces) > 0 },
		func(i int) string { return p.bx[i].Text() },
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
		j, uw := i+1, p.bx[i].W
		if i >= loose {
			for j < n && !p.brk[j] && p.glue[j] {
				uw += space + p.bx[j].W
				j++
			}
			fresh := at
			if lines == 0 && count == 0 {
				fresh = at - indent
			}
			if j-i > 1 && uw > fresh+1e-6 {
				loose, j, uw = j, i+1, p.bx[i].W
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
		lo = max(lo, p.bx[i].W)
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

// cut splits a box so that its head fits in width. The tail keeps b's
// pieces (b is the paragraph's scratch word): cutting a long word line by
// line costs its length once, not once a line.
func (br *Breaker) cut(b Box, width, size float64) (head, tail Box) {
	for i, p := range b.Pieces {
		if head.W+p.W <= width {
			head.Pieces = append(head.Pieces, p)
			head.W += p.W
			continue
		}
		// Cut inside this piece: the longest head that fits, its width
		// summed character by character (widths add up, fonts.Width).
		n, units := 0, 0
		for j := 0; j < len(p.Text); {
			if j > 0 {
				if head.W+float64(units)*size/1000*PtToMM > width {
					break
				}
				n = j
			}
			_, k := utf8.DecodeRuneInString(p.Text[j:])
			units += br.Fam.Width(p.Text[j:j+k], p.Style)
			j += k
		}
		if n == 0 && len(head.Pieces) == 0 {
			_, n = utf8.DecodeRuneInString(p.Text) // at least one character
		}
		hp := Piece{Text: p.Text[:n], Style: p.Style}
		if n > 0 {
			hp.W = br.Measure(hp.Text, p.Style, size)
			head.Pieces = append(head.Pieces, hp)
			head.W += hp.W
		}
		b.Pieces[i] = Piece{Text: p.Text[n:], Style: p.Style, W: p.W - hp.W}
		tail.Pieces = b.Pieces[i:]
		tail.W = b.W - head.W
		return head, tail
	}
	return head, tail
}
