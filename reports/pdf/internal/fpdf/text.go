package fpdf

import (
	"math"
	"strconv"
)

// baocao: new. Consecutive lines of text share one text object.
//
// Upstream wrote every line as a text object of its own, at an absolute
// position ("BT x y Td (…) Tj ET"), and every change of font as one more
// ("BT /F1 12.00 Tf ET"). Here a text object stays open from line to line
// until something that may not appear inside one (a path, a line width, a
// colour, "q", the end of the page) is written: the first line of an
// object is placed as before, each next one by "dx dy Td" from the start
// of the line before, the difference of the positions upstream would have
// written, rounded the same way (to 0.01 pt), so each line starts exactly
// where it did; a change of font inside is "/F1 12.00 Tf". Text state (the
// font, its size) outlives its text object, as before.

// textObject is the text object open on the page, if any.
type textObject struct {
	open bool
	// x, y are the start of the last line placed in it, in hundredths of
	// a point (0, 0 when only a font has been set in it).
	x, y int64
}

// openText appends to b what places a line of text at (x, y), in points:
// "BT x y Td " if no text object is open, else "dx dy Td ". With a text
// colour that is not the fill colour, the line is a text object of its own
// in "q <colour> … Q", as upstream wrote it (q may not be inside a text
// object).
func (f *Fpdf) openText(b []byte, x, y float64) []byte {
	if f.colorFlag {
		b = f.appendEndText(b)
		b = append(b, "q "...)
		b = append(b, f.color.text.str...)
		b = append(b, ' ')
	}
	hx, hy := f.hundredths(x), f.hundredths(y)
	if f.text.open && !(sameSum(f.text.x, hx) && sameSum(f.text.y, hy)) {
		// A move from the line before would not land exactly where
		// upstream's absolute one did: a text object of its own.
		b = f.appendEndText(b)
	}
	if !f.text.open {
		b = append(b, "BT "...)
		f.text = textObject{open: true}
	}
	b = appendHundredths(b, hx-f.text.x)
	b = append(b, ' ')
	b = appendHundredths(b, hy-f.text.y)
	b = append(b, " Td "...)
	f.text.x, f.text.y = hx, hy
	return b
}

// closeText ends the line that openText began.
func (f *Fpdf) closeText(b []byte) []byte {
	if f.colorFlag {
		f.text.open = false
		return append(b, " ET Q\n"...)
	}
	return append(b, '\n')
}

// appendEndText appends "ET" if a text object is open, and closes it.
func (f *Fpdf) appendEndText(b []byte) []byte {
	if f.text.open {
		f.text.open = false
		b = append(b, "ET\n"...)
	}
	return b
}

// endText ends the text object open on the page, if any, before something
// that may not be inside one is written there.
func (f *Fpdf) endText() {
	if f.text.open && f.state == 2 && f.page > 0 && f.pages[f.page] != nil {
		buf := f.pages[f.page]
		must(buf.Write(f.appendEndText(buf.AvailableBuffer())))
	}
}

// sameSum reports whether a reader lands exactly on b, in hundredths of a
// point, when it adds the move b-a to the start of the line before, a: as a
// reader does that parses numbers to the nearest double (pdf.js, strtod)
// and as poppler does (pdftoppm, pdftotext: digit by digit, see
// readPoppler). Where the sum is not exact, a glyph can land a fraction of
// a pixel away (rounded to another quarter pixel by a rasteriser), so the
// line starts a text object of its own, at the absolute position, as
// before.
func sameSum(a, b int64) bool {
	d := b - a
	return float64(a)/100+float64(d)/100 == float64(b)/100 &&
		readPoppler(a)+readPoppler(d) == readPoppler(b)
}

// readPoppler is the number appendHundredths writes for v, as poppler's
// lexer reads it (Lexer.cc, doReal): the integer part, then each digit
// after the point times a scale that starts at 0.1 and is multiplied by
// 0.1, the sign last. (A digit 0 adds nothing, so trailing zeros do not
// matter.)
func readPoppler(v int64) float64 {
	neg := v < 0
	if neg {
		v = -v
	}
	xf := float64(v / 100)
	scale := 0.1
	xf += float64(scale * float64(v%100/10)) // float64(…): no fused multiply-add
	scale *= 0.1
	xf += float64(scale * float64(v%10))
	if neg {
		xf = -xf
	}
	return xf
}

// hundredths is v as appendFixed(…, v, 2) writes it, in hundredths.
func (f *Fpdf) hundredths(v float64) int64 {
	if n, ok := scaledFixed(v, 2); ok {
		if math.Signbit(v) {
			return -int64(n)
		}
		return int64(n)
	}
	f.fmt.buf = appendFixed(f.fmt.buf[:0], v, 2)
	var n int64
	for _, c := range f.fmt.buf {
		if c >= '0' && c <= '9' {
			n = n*10 + int64(c-'0')
		}
	}
	if len(f.fmt.buf) > 0 && f.fmt.buf[0] == '-' {
		n = -n
	}
	return n
}

// appendHundredths appends v hundredths as a PDF number, without trailing
// zeros ("-14.4", "0", "405.27").
func appendHundredths(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	if r := v % 100; r != 0 {
		b = append(b, '.', byte('0'+r/10))
		if r%10 != 0 {
			b = append(b, byte('0'+r%10))
		}
	}
	return b
}
