package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"baocao/reports/pdf/internal/fpdf"

	"baocao/fonts"
	"baocao/reports/layout"
	"baocao/reports/linebreak"
)

// Page geometry in mm (reports/layout, README: "Layout choices").
const (
	pageW, pageH = layout.PageW, layout.PageH
	pageNumberY  = layout.PageNumberY
)

// writer wraps one fpdf document with the state of the layout.
type writer struct {
	// ctx ends the render: see stop and cancelled.
	ctx   context.Context
	f     *fpdf.Fpdf
	fam   *fonts.Family
	br    *linebreak.Breaker // measures with fam, breaks lines
	faces *faceSet           // the fonts handed to fpdf
	key   string             // fpdf family key, see fontKey

	landscape                bool
	left, right, top, bottom float64 // margins of the current page
	y                        float64
	// page is the number of the current page within its section; each
	// appendix starts a section (Decree 30: numbered on its own).
	page int

	curStyle fonts.Style
	curSize  float64
	loaded   [4]bool

	// created is the file's date; archival its PDF/A metadata (nil: not
	// PDF/A); onSign is told where the first signature goes (pdfa.go,
	// sign.go).
	created  time.Time
	archival *Archival
	onSign   func(SignatureField)
	signed   bool
	runWords []string // drawLine's scratch: the words of a run

	dst *raiseVersion // the output the file goes to as it is made (nil: held)
}

func newWriter(ctx context.Context, fam *fonts.Family, faces *faceSet, created time.Time) *writer {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.SetCompression(true) // pages deflated in parallel as they end (internal/fpdf)
	f.SetProducer("baocao", true)
	f.SetCreator("baocao", true)
	f.SetLang("vi-VN")
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	f.SetTextColor(0, 0, 0)
	f.SetCellMargin(0)
	w := &writer{ctx: ctx, f: f, fam: fam, faces: faces, key: fontKey(fam.Name), curSize: -1, created: created}
	w.br = &linebreak.Breaker{Fam: fam, Cancelled: w.cancelled}
	return w
}

// checkEvery is how many lines (or table rows, or blocks) the layout sets
// between two looks at its context: a look costs a few nanoseconds, a
// line a few microseconds.
const checkEvery = 32

// stopped unwinds a render whose context ended, from wherever the layout
// is; the entry point (recoverStop) returns the context's error.
type stopped struct{ err error }

// stop ends the render if its context has ended. Only the render's own
// goroutine calls it; the typesetting workers look at cancelled and
// return early instead.
func (w *writer) stop() {
	if err := w.ctx.Err(); err != nil {
		panic(stopped{err})
	}
}

// cancelled reports whether the render's context has ended.
func (w *writer) cancelled() bool { return w.ctx.Err() != nil }

// recoverStop turns the stop of a render into its error; other panics
// go on.
func (w *writer) recoverStop(err *error) {
	if r := recover(); r != nil {
		s, ok := r.(stopped)
		if !ok {
			panic(r)
		}
		*err = s.err
	}
}

// fontKey is the family name fpdf registers. The embedded font is named in
// the usual subset form "BAOCxx+Name"+style (see subsetName); the key only
// names the font inside fpdf (its resource name is F1, F2… in the order
// the faces are added).
func fontKey(name string) string {
	return strings.ToLower(baseName(name)) + "ttf"
}

var nonAlnum = regexp.MustCompile(`[^A-Za-z0-9]`)

func baseName(name string) string {
	n := nonAlnum.ReplaceAllString(name, "")
	if n == "" {
		n = "Font"
	}
	return n
}

// setFont selects a face and size, registering the face on first use so
// that a document embeds only the faces it uses.
func (w *writer) setFont(st fonts.Style, size float64) {
	if !w.loaded[st] {
		font, err := w.faces.parsed(st)
		if err != nil {
			w.f.SetError(err)
		} else {
			w.f.AddUTF8FontParsed(w.key, st.FpdfStyle(), font, w.subsetName(st))
		}
		w.loaded[st] = true
	}
	if st != w.curStyle || size != w.curSize {
		w.f.SetFont(w.key, st.FpdfStyle(), size)
		w.curStyle, w.curSize = st, size
	}
}

// measure is the width of s in mm.
func (w *writer) measure(s string, st fonts.Style, size float64) float64 {
	return w.br.Measure(s, st, size)
}

// textWidth is the usable width of the current page.
func (w *writer) textWidth() float64 {
	return w.pageWidth() - w.left - w.right
}

func (w *writer) pageWidth() float64 {
	if w.landscape {
		return pageH
	}
	return pageW
}

func (w *writer) pageHeight() float64 {
	if w.landscape {
		return pageW
	}
	return pageH
}

// limit is the lowest y that text may reach.
func (w *writer) limit() float64 { return w.pageHeight() - w.bottom }

// newPage starts a page; section starts a new page numbering.
func (w *writer) newPage(landscape, section bool) {
	w.landscape = landscape
	if landscape {
		w.f.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
	} else {
		w.f.AddPageFormat("P", fpdf.SizeType{Wd: pageW, Ht: pageH})
	}
	w.top, w.bottom, w.left, w.right = layout.Margins(landscape)
	w.curSize = -1 // fpdf re-selects the font on a new page
	if section {
		w.page = 1
	} else {
		w.page++
	}
	w.y = w.top
	if w.page > 1 {
		// Arabic, 13 pt, upright, centred in the top margin, from page 2.
		w.centred(strconv.Itoa(w.page), fonts.Regular, layout.SizePageNumber, w.left, w.textWidth(), pageNumberY)
	}
}

// ensure starts a new page (same section and orientation) unless h mm fit.
func (w *writer) ensure(h float64) {
	if w.y+h > w.limit()+1e-6 {
		w.newPage(w.landscape, false)
	}
}

// text draws s with its baseline at y.
func (w *writer) text(s string, st fonts.Style, size, x, baseline float64) {
	w.setFont(st, size)
	w.f.Text(x, baseline, s)
}

// centred draws s centred in [x, x+width] with its top at y; returns its width.
func (w *writer) centred(s string, st fonts.Style, size, x, width, y float64) float64 {
	tw := w.measure(s, st, size)
	w.text(s, st, size, x+(width-tw)/2, y+baselineOffset(size))
	return tw
}

// baselineOffset is the distance from a line's top to its baseline: the
// ascent of Times-like faces is about 0.891 em; lines are set with their
// text vertically centred in the line height.
func baselineOffset(size float64) float64 { return 0.891 * size * ptToMM }

// rule draws a horizontal line.
func (w *writer) rule(x1, x2, y float64) {
	w.f.SetLineWidth(0.25)
	w.f.Line(x1, y, x2, y)
}

// drawLines draws typeset lines in a column starting at x, top y; returns
// the y below them.
func (w *writer) drawLines(lines []tline, x, y float64) float64 {
	for _, l := range lines {
		y += l.before
		w.drawLine(l, x, y)
		y += l.h
	}
	return y
}

// drawLine draws one line with its top at y. Words of one style are drawn
// as one text object with real spaces: a left or centred run with Tj, a
// justified run as a TJ array whose space adjustments fill the width (the
// way fpdf justifies Unicode text), which keeps files small and text
// extraction exact.
func (w *writer) drawLine(l tline, x, y float64) {
	base := y + (l.h-l.size*ptToMM)/2 + baselineOffset(l.size)
	extra := 0.0
	start := x + l.indent
	switch {
	case l.stretch && len(l.boxes) > 1:
		extra = (l.width - l.indent - l.natural) / float64(len(l.boxes)-1)
	case l.align == alignCenter:
		start = x + l.indent + (l.width-l.indent-l.natural)/2
	case l.align == alignRight:
		start = x + l.width - l.natural
	}
	cx := start
	for i := 0; i < len(l.boxes); {
		if i > 0 {
			cx += l.space + extra
		}
		b := l.boxes[i]
		if len(b.Pieces) != 1 {
			// A word that changes style inside: its pieces one by one.
			for _, p := range b.Pieces {
				w.text(p.Text, p.Style, l.size, cx, base)
				cx += p.W
			}
			i++
			continue
		}
		// The longest run of one-piece words in the same style.
		st := b.Pieces[0].Style
		j := i + 1
		for j < len(l.boxes) && len(l.boxes[j].Pieces) == 1 && l.boxes[j].Pieces[0].Style == st {
			j++
		}
		words := w.runWords[:0]
		width := 0.0
		for _, bb := range l.boxes[i:j] {
			words = append(words, bb.Pieces[0].Text)
			width += bb.Pieces[0].W
		}
		w.runWords = words
		width += float64(j-i-1) * l.space
		if extra > 0 && j-i > 1 {
			// Straight from the typeset words (fpdf's CellFormat joined
			// them, split them again and wrote through buffers).
			target := width + float64(j-i-1)*extra
			w.setFont(st, l.size)
			w.f.TextJustified(cx, base-0.3*l.size*ptToMM, target, words)
			width = target
		} else {
			w.setFont(st, l.size)
			w.f.TextWords(cx, base, words)
		}
		cx += width
		i = j
	}
}

// subsetName is the PDF name of the embedded subset of a face: a tag of
// six capitals, "+", the family name without spaces and the style.
func (w *writer) subsetName(st fonts.Style) string {
	return fmt.Sprintf("BAOC%c%c+%s%s", 'A'+rune(st), 'A', baseName(w.fam.Name), st.FpdfStyle())
}

// setOutput hands fpdf the archival parts (before anything is written:
// with an output, the file's /ID is hashed as it goes) and the output:
// dst, through raiseVersion, or nil to hold the file for finish.
func (w *writer) setOutput(dst io.Writer) {
	w.setArchive()
	if dst != nil {
		w.dst = &raiseVersion{w: dst}
		w.f.SetOutput(w.dst)
	}
}

// finish ends the PDF: the file, or its size when it went to an output.
func (w *writer) finish() ([]byte, int64, error) {
	w.stop()
	if w.dst != nil {
		n, err := w.f.Finish()
		if err == nil {
			err = w.dst.err
		}
		if err != nil {
			return nil, 0, fmt.Errorf("write pdf: %w", err)
		}
		return nil, n, nil
	}
	out, err := w.f.Bytes()
	if err != nil {
		return nil, 0, fmt.Errorf("write pdf: %w", err)
	}
	// Decree 30 asks for PDF 1.4 or later; fpdf writes 1.3 for files that
	// use nothing newer, and 1.4 is a superset.
	if bytes.HasPrefix(out, pdf13) {
		out[7] = '4'
	}
	return out, int64(len(out)), nil
}

var pdf13 = []byte("%PDF-1.3")

// raiseVersion writes a file to w with its header "%PDF-1.3" raised to
// "%PDF-1.4" as finish does to a file held in memory (fpdf writes 1.3;
// the /ID of an archival file is the hash of what fpdf wrote, so the
// version is raised on the way out, after it).
type raiseVersion struct {
	w   io.Writer
	pos int64 // bytes written so far
	err error // the first error of w
}

func (r *raiseVersion) Write(p []byte) (int, error) {
	n := len(p)
	if r.err != nil {
		return 0, r.err
	}
	if r.pos == 0 && bytes.HasPrefix(p, pdf13) {
		// The header comes whole in the first write (fpdf writes chunks
		// of 64 KB, the file's first line among them).
		if _, r.err = r.w.Write(p[:7]); r.err == nil {
			if _, r.err = io.WriteString(r.w, "4"); r.err == nil {
				_, r.err = r.w.Write(p[8:])
			}
		}
	} else {
		_, r.err = r.w.Write(p)
	}
	r.pos += int64(n)
	if r.err != nil {
		return 0, r.err
	}
	return n, nil
}
