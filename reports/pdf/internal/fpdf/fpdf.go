// Copyright ©2023 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

/*
 * Copyright (c) 2013-2014 Kurt Jung (Gmail: kurt.w.jung)
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

package fpdf

// Version: 1.7
// Date:    2011-06-18
// Author:  Olivier PLATHEY
// Port to Go: Kurt Jung, 2013-07-15
//
// baocao: cut to what baocao uses (README.md, "What was removed"): UTF-8
// TrueType fonts added parsed, text, justified cells, lines and rectangles,
// pages of any size, compression and document information. The functions
// kept are upstream's, less the branches of the features removed; the
// output is the same bytes.

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

type fmtBuffer struct {
	bytes.Buffer
}

func (b *fmtBuffer) printf(fmtStr string, args ...any) {
	b.Buffer.WriteString(fmt.Sprintf(fmtStr, args...))
}

// NewCustom returns a pointer to a new Fpdf instance. Its methods are
// subsequently called to produce a single PDF document. baocao: the page
// size is init.Size (named sizes are gone), in the unit init.UnitStr ("pt",
// "mm", "cm" or "in"; empty: "mm").
func NewCustom(init *InitType) (f *Fpdf) {
	f = new(Fpdf)
	orientationStr := strings.ToLower(init.OrientationStr)
	if orientationStr == "" {
		orientationStr = "p"
	}
	unitStr := init.UnitStr
	if unitStr == "" {
		unitStr = "mm"
	}
	f.n = 2
	f.pages = make([]*bytes.Buffer, 0, 8)
	f.pages = append(f.pages, bytes.NewBufferString("")) // pages[0] is unused (1-based)
	f.pageSizes = make(map[int]SizeType)
	f.fonts = make(map[string]fontDefType)
	f.SetFontSize(12)
	f.setDrawColor(0, 0, 0)
	// baocao: the fill color is always black (SetFillColor is gone).
	f.color.fill = f.rgbColorValue(0, 0, 0, "g", "rg")
	f.setTextColor(0, 0, 0)
	// Scale factor
	switch unitStr {
	case "pt", "point":
		f.k = 1.0
	case "mm":
		f.k = 72.0 / 25.4
	case "cm":
		f.k = 72.0 / 2.54
	case "in", "inch":
		f.k = 72.0
	default:
		f.err = fmt.Errorf("incorrect unit %s", unitStr)
		return
	}
	if init.Size.Wd <= 0 || init.Size.Ht <= 0 {
		f.err = fmt.Errorf("incorrect page size %v", init.Size)
		return
	}
	f.defPageSize = init.Size
	f.curPageSize = f.defPageSize
	// Page orientation
	switch orientationStr {
	case "p", "portrait":
		f.defOrientation = "P"
		f.w = f.defPageSize.Wd
		f.h = f.defPageSize.Ht
	case "l", "landscape":
		f.defOrientation = "L"
		f.w = f.defPageSize.Ht
		f.h = f.defPageSize.Wd
	default:
		f.err = fmt.Errorf("incorrect orientation: %s", orientationStr)
		return
	}
	f.curOrientation = f.defOrientation
	f.wPt = f.w * f.k
	f.hPt = f.h * f.k
	// Page margins (1 cm)
	margin := 28.35 / f.k
	f.lMargin, f.tMargin, f.rMargin = margin, margin, margin
	// Interior cell margin (1 mm)
	f.cMargin = margin / 10
	// Line width (0.2 mm)
	f.lineWidth = 0.567 / f.k
	f.compress = true
	f.SetProducer("FPDF "+cnFpdfVersion, true)

	// create a large enough buffer for formatting float64s.
	// math.MaxInt64  needs 19.
	// math.MaxUint64 needs 20.
	f.fmt.buf = make([]byte, 24)
	return
}

// SetError sets an error to halt PDF generation. This may facilitate error
// handling by application.
func (f *Fpdf) SetError(err error) {
	if f.err == nil && err != nil {
		f.err = err
	}
}

// SetCellMargin sets the cell margin. This is the amount of space before and
// after the text within a cell that's left blank, and is in units passed to
// NewCustom().
func (f *Fpdf) SetCellMargin(margin float64) {
	f.cMargin = margin
}

// SetCompression activates or deactivates page compression with zlib. When
// activated, the internal representation of each page is compressed, which
// leads to a compression ratio of about 2 for the resulting document.
// Compression is on by default.
func (f *Fpdf) SetCompression(compress bool) {
	f.compress = compress
}

// SetProducer defines the producer of the document. isUTF8 indicates if the string
// is encoded in ISO-8859-1 (false) or UTF-8 (true).
func (f *Fpdf) SetProducer(producerStr string, isUTF8 bool) {
	if isUTF8 {
		producerStr = utf8toutf16(producerStr)
	}
	f.producer = producerStr
}

// SetLang defines the natural language of the document (e.g. "de-CH").
func (f *Fpdf) SetLang(lang string) {
	f.lang = lang
}

// SetCreator defines the creator of the document. isUTF8 indicates if the
// string is encoded in ISO-8859-1 (false) or UTF-8 (true).
func (f *Fpdf) SetCreator(creatorStr string, isUTF8 bool) {
	if isUTF8 {
		creatorStr = utf8toutf16(creatorStr)
	}
	f.creator = creatorStr
}

// Close terminates the PDF document. It is not necessary to call this method
// explicitly because Bytes() does it automatically. If the document contains
// no page, AddPage() is called to prevent the generation of an invalid
// document.
func (f *Fpdf) Close() {
	if f.err != nil || f.state == 3 {
		return
	}
	if f.page == 0 {
		f.AddPage()
		if f.err != nil {
			return
		}
	}
	// Close page
	f.endpage()
	// Close document
	f.enddoc()
}

// AddPageFormat adds a new page with non-default orientation or size. See
// AddPage() for more details.
//
// orientationStr is "P" (portrait) or "L" (landscape).
//
// size specifies the size of the new page in the units established in
// NewCustom().
func (f *Fpdf) AddPageFormat(orientationStr string, size SizeType) {
	if f.err != nil {
		return
	}
	if f.page != len(f.pages)-1 {
		f.page = len(f.pages) - 1
	}
	if f.state == 0 {
		f.state = 1
	}
	familyStr := f.fontFamily
	style := f.fontStyle
	fontsize := f.fontSizePt
	lw := f.lineWidth
	dc := f.color.draw
	fc := f.color.fill
	tc := f.color.text
	cf := f.colorFlag

	if f.page > 0 {
		// Close page
		f.endpage()
	}
	// Start new page
	f.beginpage(orientationStr, size)
	// baocao: upstream's line cap and join styles, always 0 here.
	f.out("0 J")
	f.out("0 j")
	// Set line width
	f.lineWidth = lw
	f.outf("%.2f w", lw*f.k)
	// 	Set font
	if familyStr != "" {
		f.SetFont(familyStr, style, fontsize)
		if f.err != nil {
			return
		}
	}
	// 	Set colors
	f.color.draw = dc
	if dc.str != "0 G" {
		f.out(dc.str)
	}
	f.color.fill = fc
	if fc.str != "0 g" {
		f.out(fc.str)
	}
	f.color.text = tc
	f.colorFlag = cf
	// Restore font (baocao: upstream sets it again after the page header,
	// which is gone; kept for the same bytes).
	if familyStr != "" {
		f.SetFont(familyStr, style, fontsize)
	}
}

// AddPage adds a new page of the default orientation and size to the
// document. The font which was set before calling is automatically
// restored, and so are colors and line width.
//
// The origin of the coordinate system is at the top-left corner and increasing
// ordinates go downwards.
func (f *Fpdf) AddPage() {
	if f.err != nil {
		return
	}
	f.AddPageFormat(f.defOrientation, f.defPageSize)
}

func colorComp(v int) (int, float64) {
	if v < 0 {
		v = 0
	} else if v > 255 {
		v = 255
	}
	return v, float64(v) / 255.0
}

func (f *Fpdf) rgbColorValue(r, g, b int, grayStr, fullStr string) (clr colorType) {
	clr.ir, clr.r = colorComp(r)
	clr.ig, clr.g = colorComp(g)
	clr.ib, clr.b = colorComp(b)
	clr.gray = clr.ir == clr.ig && clr.r == clr.b
	const prec = 3
	f.fmt.col.Reset()
	f.fmt.col.WriteString(f.fmtF64(clr.r, prec))
	if !clr.gray {
		f.fmt.col.WriteString(" ")
		f.fmt.col.WriteString(f.fmtF64(clr.g, prec))
		f.fmt.col.WriteString(" ")
		f.fmt.col.WriteString(f.fmtF64(clr.b, prec))
		grayStr = fullStr
	}
	f.fmt.col.WriteString(" ")
	f.fmt.col.WriteString(grayStr)
	clr.str = f.fmt.col.String()
	return
}

// SetDrawColor defines the color used for all drawing operations (lines,
// rectangles and cell borders). It is expressed in RGB components (0 - 255).
// The method can be called before the first page is created. The value is
// retained from page to page.
func (f *Fpdf) SetDrawColor(r, g, b int) {
	f.setDrawColor(r, g, b)
}

func (f *Fpdf) setDrawColor(r, g, b int) {
	f.color.draw = f.rgbColorValue(r, g, b, "G", "RG")
	if f.page > 0 {
		f.out(f.color.draw.str)
	}
}

// SetTextColor defines the color used for text. It is expressed in RGB
// components (0 - 255). The method can be called before the first page is
// created. The value is retained from page to page.
func (f *Fpdf) SetTextColor(r, g, b int) {
	f.setTextColor(r, g, b)
}

func (f *Fpdf) setTextColor(r, g, b int) {
	f.color.text = f.rgbColorValue(r, g, b, "g", "rg")
	f.colorFlag = f.color.fill.str != f.color.text.str
}

// GetStringWidth returns the length of a string in user units. A font must be
// currently selected.
func (f *Fpdf) GetStringWidth(s string) float64 {
	if f.err != nil {
		return 0
	}
	w := f.GetStringSymbolWidth(s)
	return float64(w) * f.fontSize / 1000
}

// GetStringSymbolWidth returns the length of a string in glyf units. A font must be
// currently selected.
func (f *Fpdf) GetStringSymbolWidth(s string) int {
	if f.err != nil {
		return 0
	}
	w := 0
	for _, char := range s {
		intChar := int(char)
		if len(f.currentFont.Cw) >= intChar && f.currentFont.Cw[intChar] > 0 {
			if f.currentFont.Cw[intChar] != 65535 {
				w += int(f.currentFont.Cw[intChar])
			}
		} else if f.currentFont.Desc.MissingWidth != 0 {
			w += f.currentFont.Desc.MissingWidth
		} else {
			w += 500
		}
	}
	return w
}

// SetLineWidth defines the line width. By default, the value equals 0.2 mm.
// The method can be called before the first page is created. The value is
// retained from page to page.
func (f *Fpdf) SetLineWidth(width float64) {
	f.lineWidth = width
	if f.page > 0 {
		f.out(f.fmtF64(width*f.k, 2) + " w")
	}
}

// Line draws a line between points (x1, y1) and (x2, y2) using the current
// draw color and line width.
func (f *Fpdf) Line(x1, y1, x2, y2 float64) {
	// f.outf("%.2f %.2f m %.2f %.2f l S", x1*f.k, (f.h-y1)*f.k, x2*f.k, (f.h-y2)*f.k)
	const prec = 2
	f.putF64(x1*f.k, prec)
	f.put(" ")
	f.putF64((f.h-y1)*f.k, prec)
	f.put(" m ")
	f.putF64(x2*f.k, prec)
	f.put(" ")
	f.putF64((f.h-y2)*f.k, prec)
	f.put(" l S\n")
}

// fillDrawOp corrects path painting operators
func fillDrawOp(styleStr string) (opStr string) {
	switch strings.ToUpper(styleStr) {
	case "", "D":
		// Stroke the path.
		opStr = "S"
	case "F":
		// fill the path, using the nonzero winding number rule
		opStr = "f"
	case "F*":
		// fill the path, using the even-odd rule
		opStr = "f*"
	case "FD", "DF":
		// fill and then stroke the path, using the nonzero winding number rule
		opStr = "B"
	case "FD*", "DF*":
		// fill and then stroke the path, using the even-odd rule
		opStr = "B*"
	default:
		opStr = styleStr
	}
	return
}

// Rect outputs a rectangle of width w and height h with the upper left corner
// positioned at point (x, y).
//
// It can be drawn (border only), filled (with no border) or both. styleStr can
// be "F" for filled, "D" for outlined only, or "DF" or "FD" for outlined and
// filled. An empty string will be replaced with "D". Drawing uses the current
// draw color and line width centered on the rectangle's perimeter. Filling
// uses the current fill color.
func (f *Fpdf) Rect(x, y, w, h float64, styleStr string) {
	// f.outf("%.2f %.2f %.2f %.2f re %s", x*f.k, (f.h-y)*f.k, w*f.k, -h*f.k, fillDrawOp(styleStr))
	const prec = 2
	f.putF64(x*f.k, prec)
	f.put(" ")
	f.putF64((f.h-y)*f.k, prec)
	f.put(" ")
	f.putF64(w*f.k, prec)
	f.put(" ")
	f.putF64(-h*f.k, prec)
	f.put(" re " + fillDrawOp(styleStr) + "\n")
}

func makeSubsetRange(end int) map[int]int {
	answer := make(map[int]int)
	for i := range end {
		answer[i] = 0
	}
	return answer
}

// getFontKey is used by AddUTF8FontParsed.
func getFontKey(familyStr, styleStr string) string {
	familyStr = strings.ToLower(familyStr)
	styleStr = strings.ToUpper(styleStr)
	if styleStr == "IB" {
		styleStr = "BI"
	}
	return familyStr + styleStr
}

// SetFont sets the font used to print character strings. It is mandatory to
// call this method at least once before printing text or the resulting
// document will not be valid.
//
// baocao: the font must have been added with AddUTF8FontParsed (there are
// no core fonts), and underlining and striking out ("U", "S") are gone.
//
// The method can be called before the first page is created and the font is
// kept from page to page. If you just wish to change the current font size, it
// is simpler to call SetFontSize().
//
// styleStr can be "B" (bold), "I" (italic) or both. The default value
// (specified with an empty string) is regular.
//
// size is the font size measured in points. The default value is the current
// size. If no size has been specified since the beginning of the document, the
// value taken is 12.
func (f *Fpdf) SetFont(familyStr, styleStr string, size float64) {
	if f.err != nil {
		return
	}
	familyStr = fontFamilyEscape(familyStr)
	if familyStr == "" {
		familyStr = f.fontFamily
	} else {
		familyStr = strings.ToLower(familyStr)
	}
	styleStr = strings.ToUpper(styleStr)
	if strings.ContainsAny(styleStr, "US") {
		f.err = fmt.Errorf("font style %q: underlining and striking out are not supported", styleStr)
		return
	}
	if styleStr == "IB" {
		styleStr = "BI"
	}
	if size == 0.0 {
		size = f.fontSizePt
	}

	fontKey := familyStr + styleStr
	if _, ok := f.fonts[fontKey]; !ok {
		f.err = fmt.Errorf("undefined font: %s %s", familyStr, styleStr)
		return
	}
	// Select it
	f.fontFamily = familyStr
	f.fontStyle = styleStr
	f.fontSizePt = size
	f.fontSize = size / f.k
	f.currentFont = f.fonts[fontKey]
	if f.page > 0 {
		f.putFontOp() // baocao: was outf("BT /F%s %.2f Tf ET", …), the same bytes
	}
}

// SetFontSize defines the size of the current font. Size is specified in
// points (1/ 72 inch).
func (f *Fpdf) SetFontSize(size float64) {
	f.fontSizePt = size
	f.fontSize = size / f.k
	if f.page > 0 {
		f.putFontOp() // baocao: was outf("BT /F%s %.2f Tf ET", …), the same bytes
	}
}

// Text prints a character string. The origin (x, y) is on the left of the
// first character at the baseline. This method permits a string to be placed
// precisely on the page.
func (f *Fpdf) Text(x, y float64, txtStr string) {
	// baocao: appended directly (upstream: sprintf), the same bytes.
	f.TextWords(x, y, []string{txtStr})
}

// CellFormat prints a rectangular cell with optional borders, background color
// and character string. The upper-left corner of the cell corresponds to the
// current position. The text can be aligned or centered. After the call, the
// current position moves to the right or to the next line.
//
// An error will be returned if a call to SetFont() has not already taken
// place before this method is called.
//
// baocao: there are no automatic page breaks and no links: link must be 0
// and linkStr empty.
//
// w and h specify the width and height of the cell. If w is 0, the cell
// extends up to the right margin. Specifying 0 for h will result in no output,
// but the current position will be advanced by w.
//
// txtStr specifies the text to display.
//
// borderStr specifies how the cell border will be drawn. An empty string
// indicates no border, "1" indicates a full border, and one or more of "L",
// "T", "R" and "B" indicate the left, top, right and bottom sides of the
// border.
//
// ln indicates where the current position should go after the call. Possible
// values are 0 (to the right), 1 (to the beginning of the next line), and 2
// (below).
//
// alignStr specifies how the text is to be positioned within the cell.
// Horizontal alignment is controlled by including "L", "C" or "R" (left,
// center, right) in alignStr, or "J" alone (justified: the spaces are
// stretched to fill the width). Vertical alignment is controlled by
// including "T", "M", "B" or "A" (top, middle, bottom, baseline) in
// alignStr. The default alignment is left middle.
//
// fill is true to paint the cell background or false to leave it transparent.
func (f *Fpdf) CellFormat(w, h float64, txtStr, borderStr string, ln int,
	alignStr string, fill bool, link int, linkStr string) {
	if f.err != nil {
		return
	}
	if link != 0 || linkStr != "" {
		f.err = fmt.Errorf("links are not supported")
		return
	}
	if f.currentFont.Name == "" {
		f.err = fmt.Errorf("font has not been set; unable to render text")
		return
	}

	borderStr = strings.ToUpper(borderStr)
	k := f.k
	if w == 0 {
		w = f.w - f.rMargin - f.x
	}
	var s fmtBuffer
	if h > 0 && (fill || borderStr == "1") {
		var op string
		if fill {
			if borderStr == "1" {
				op = "B"
			} else {
				op = "f"
			}
		} else {
			op = "S"
		}
		s.printf("%.2f %.2f %.2f %.2f re %s ", f.x*k, (f.h-f.y)*k, w*k, -h*k, op)
	}
	if len(borderStr) > 0 && borderStr != "1" {
		x := f.x
		y := f.y
		left := x * k
		top := (f.h - y) * k
		right := (x + w) * k
		bottom := (f.h - (y + h)) * k
		if strings.Contains(borderStr, "L") {
			s.printf("%.2f %.2f m %.2f %.2f l S ", left, top, left, bottom)
		}
		if strings.Contains(borderStr, "T") {
			s.printf("%.2f %.2f m %.2f %.2f l S ", left, top, right, top)
		}
		if strings.Contains(borderStr, "R") {
			s.printf("%.2f %.2f m %.2f %.2f l S ", right, top, right, bottom)
		}
		if strings.Contains(borderStr, "B") {
			s.printf("%.2f %.2f m %.2f %.2f l S ", left, bottom, right, bottom)
		}
	}
	if len(txtStr) > 0 {
		var dx, dy float64
		// Horizontal alignment
		switch {
		case strings.Contains(alignStr, "R"):
			dx = w - f.cMargin - f.GetStringWidth(txtStr)
		case strings.Contains(alignStr, "C"):
			dx = (w - f.GetStringWidth(txtStr)) / 2
		default:
			dx = f.cMargin
		}

		// Vertical alignment
		switch {
		case strings.Contains(alignStr, "T"):
			dy = (f.fontSize - h) / 2.0
		case strings.Contains(alignStr, "B"):
			dy = (h - f.fontSize) / 2.0
		case strings.Contains(alignStr, "A"):
			var descent float64
			d := f.currentFont.Desc
			if d.Descent == 0 {
				// not defined (standard font?), use average of 19%
				descent = -0.19 * f.fontSize
			} else {
				descent = float64(d.Descent) * f.fontSize / float64(d.Ascent-d.Descent)
			}
			dy = (h-f.fontSize)/2.0 - descent
		default:
			dy = 0
		}
		if f.colorFlag {
			s.printf("q %s ", f.color.text.str)
		}
		f.currentFont.useRunes(txtStr) // baocao: was a map assignment per rune
		//If multibyte, Tw has no effect - do word spacing using an adjustment before each space
		if alignStr == "J" {
			wmax := int(math.Ceil((w - 2*f.cMargin) * 1000 / f.fontSize))
			strSize := f.GetStringSymbolWidth(txtStr)
			// baocao: appended directly (upstream: fmt.Sprintf per word),
			// the same bytes.
			b := s.AvailableBuffer()
			b = append(b, "BT 0 Tw "...)
			b = appendFixed(b, (f.x+dx)*k, 2)
			b = append(b, ' ')
			b = appendFixed(b, (f.h-(f.y+.5*h+.3*f.fontSize))*k, 2)
			b = append(b, " Td ["...)
			numt := strings.Count(txtStr, " ") + 1
			shift := float64((wmax - strSize)) / float64(numt-1)
			for i := range numt {
				tx, rest, _ := strings.Cut(txtStr, " ")
				txtStr = rest
				b = append(b, '(')
				b = appendUTF16Escaped(b, tx)
				b = append(b, ") "...)
				if (i + 1) < numt {
					b = appendFixed(b, -shift, 3)
					b = append(b, "(\x00 ) "...)
				}
			}
			b = append(b, "] TJ ET"...)
			s.Write(b)
		} else {
			bt := (f.x + dx) * k
			td := (f.h - (f.y + dy + .5*h + .3*f.fontSize)) * k
			s.printf("BT %.2f %.2f Td (%s)Tj ET", bt, td, appendUTF16Escaped(nil, txtStr))
		}
		if f.colorFlag {
			s.printf(" Q")
		}
	}
	str := s.String()
	if len(str) > 0 {
		f.out(str)
	}
	if ln > 0 {
		// Go to next line
		f.y += h
		if ln == 1 {
			f.x = f.lMargin
		}
	} else {
		f.x += w
	}
}

// SetX defines the abscissa of the current position. If the passed value is
// negative, it is relative to the right of the page.
func (f *Fpdf) SetX(x float64) {
	if x >= 0 {
		f.x = x
	} else {
		f.x = f.w + x
	}
}

// SetY moves the current abscissa back to the left margin and sets the
// ordinate. If the passed value is negative, it is relative to the bottom of
// the page.
func (f *Fpdf) SetY(y float64) {
	f.x = f.lMargin
	if y >= 0 {
		f.y = y
	} else {
		f.y = f.h + y
	}
}

// SetXY defines the abscissa and ordinate of the current position. If the
// passed values are negative, they are relative respectively to the right and
// bottom of the page.
func (f *Fpdf) SetXY(x, y float64) {
	f.SetY(y)
	f.SetX(x)
}

func (f *Fpdf) beginpage(orientationStr string, size SizeType) {
	if f.err != nil {
		return
	}
	f.page++
	// baocao: room for a page of text from the start (a recycled buffer).
	f.pages = append(f.pages, getPageBuffer())
	f.state = 2
	f.x = f.lMargin
	f.y = f.tMargin
	f.fontFamily = ""
	// Check page size and orientation
	if orientationStr == "" {
		orientationStr = f.defOrientation
	} else {
		orientationStr = strings.ToUpper(orientationStr[0:1])
	}
	if orientationStr != f.curOrientation || size.Wd != f.curPageSize.Wd || size.Ht != f.curPageSize.Ht {
		// New size or orientation
		if orientationStr == "P" {
			f.w = size.Wd
			f.h = size.Ht
		} else {
			f.w = size.Ht
			f.h = size.Wd
		}
		f.wPt = f.w * f.k
		f.hPt = f.h * f.k
		f.curOrientation = orientationStr
		f.curPageSize = size
	}
	if orientationStr != f.defOrientation || size.Wd != f.defPageSize.Wd || size.Ht != f.defPageSize.Ht {
		f.pageSizes[f.page] = SizeType{f.wPt, f.hPt}
	}
}

func (f *Fpdf) endpage() {
	f.endText()
	f.state = 1
	// baocao: a finished page is deflated at once, in the background, and
	// its text let go (see pageZips).
	if f.compress && f.page > 0 && f.pages[f.page] != nil {
		f.zips.add(f.pages[f.page])
		f.pages[f.page] = nil
		f.flushPages(false)
		// baocao: an output that fails ends the document.
		f.SetError(f.buffer.err)
	}
}

// Escape special characters in strings (baocao: \n too, as
// appendEscapedByte)
func (f *Fpdf) escape(s string) string {
	s = strings.Replace(s, "\\", "\\\\", -1)
	s = strings.Replace(s, "(", "\\(", -1)
	s = strings.Replace(s, ")", "\\)", -1)
	s = strings.Replace(s, "\r", "\\r", -1)
	s = strings.Replace(s, "\n", "\\n", -1)
	return s
}

// textstring formats a text string
func (f *Fpdf) textstring(s string) string {
	return "(" + f.escape(s) + ")"
}

// newobj begins a new object
func (f *Fpdf) newobj() {
	f.n++
	for j := len(f.offsets); j <= f.n; j++ {
		f.offsets = append(f.offsets, 0)
	}
	f.offsets[f.n] = f.buffer.Len()
	f.outf("%d 0 obj", f.n)
}

func (f *Fpdf) putstream(b []byte) {
	f.out("stream")
	// baocao: the bytes as they are; upstream copied them into a string.
	if f.state == 2 {
		must(f.pages[f.page].Write(b))
	} else {
		must(f.buffer.Write(b))
	}
	f.out("\nendstream")
}

// out; Add a line to the document
func (f *Fpdf) out(s string) {
	if f.state == 2 {
		f.endText()
		must(f.pages[f.page].WriteString(s))
		must(f.pages[f.page].WriteString("\n"))
	} else {
		must(f.buffer.WriteString(s))
		must(f.buffer.WriteString("\n"))
	}
}

func (f *Fpdf) put(s string) {
	if f.state == 2 {
		f.endText()
		f.pages[f.page].WriteString(s)
	} else {
		f.buffer.WriteString(s)
	}
}

// outf adds a formatted line to the document
func (f *Fpdf) outf(fmtStr string, args ...any) {
	f.out(fmt.Sprintf(fmtStr, args...))
}

func (f *Fpdf) putF64(v float64, prec int) {
	// baocao: appended to the page directly (upstream made a string of
	// each number), the same bytes.
	if f.state == 2 {
		f.endText()
		buf := f.pages[f.page]
		must(buf.Write(appendFixed(buf.AvailableBuffer(), v, prec)))
		return
	}
	f.put(f.fmtF64(v, prec))
}

// putFontOp writes the font selection "/<res> <size> Tf" inside the text
// object open on the page, opening one if none is (upstream: "BT /F<id>
// <size> Tf ET" each time, see text.go). baocao: new; the resource name
// is short (upstream's was F and the font's SHA-1, 5% of a table's page
// content).
func (f *Fpdf) putFontOp() {
	if f.state != 2 {
		f.outf("BT /%s %.2f Tf ET", f.currentFont.res, f.fontSizePt)
		return
	}
	buf := f.pages[f.page]
	b := buf.AvailableBuffer()
	if !f.text.open {
		b = append(b, "BT "...)
		f.text = textObject{open: true}
	}
	b = append(b, '/')
	b = append(b, f.currentFont.res...)
	b = append(b, ' ')
	b = appendHundredths(b, f.hundredths(f.fontSizePt))
	b = append(b, " Tf\n"...)
	must(buf.Write(b))
}

// fmtF64 converts the floating-point number f to a string with precision prec.
func (f *Fpdf) fmtF64(v float64, prec int) string {
	return string(appendFixed(f.fmt.buf[:0], v, prec))
}

// SetCatalogSort sets a flag that will be used, if true, to consistently order
// the document's internal resource catalogs. This method is typically only
// used for test purposes to facilitate PDF comparison.
func (f *Fpdf) SetCatalogSort(flag bool) {
	f.catalogSort = flag
}

// SetCreationDate fixes the document's internal CreationDate value. By
// default, the time when the document is generated is used for this value.
// This method is typically only used for testing purposes to facilitate PDF
// comparison. Specify a zero-value time to revert to the default behavior.
func (f *Fpdf) SetCreationDate(tm time.Time) {
	f.creationDate = tm
}

// SetModificationDate fixes the document's internal ModDate value.
// See `SetCreationDate` for more details.
func (f *Fpdf) SetModificationDate(tm time.Time) {
	f.modDate = tm
}

func (f *Fpdf) putpages() {
	var wPt, hPt float64
	nb := f.page
	if f.defOrientation == "P" {
		wPt = f.defPageSize.Wd * f.k
		hPt = f.defPageSize.Ht * f.k
	} else {
		wPt = f.defPageSize.Ht * f.k
		hPt = f.defPageSize.Wd * f.k
	}
	if f.compress {
		// baocao: the pages were deflated as they were finished, and most
		// are written already (see flushPages).
		f.flushPages(true)
		if f.err != nil {
			return
		}
	} else {
		for n := 1; n <= nb; n++ {
			f.putpage(n, f.pages[n].Bytes(), false)
		}
	}
	pagesObjectNumbers := f.pageObjs
	// Pages root
	f.offsets[1] = f.buffer.Len()
	f.out("1 0 obj")
	f.out("<</Type /Pages")
	var kids fmtBuffer
	kids.printf("/Kids [")
	for i := 1; i <= nb; i++ {
		kids.printf("%d 0 R ", pagesObjectNumbers[i-1])
	}
	kids.printf("]")
	f.out(kids.String())
	f.outf("/Count %d", nb)
	f.outf("/MediaBox [0 0 %.2f %.2f]", wPt, hPt)
	f.out(">>")
	f.out("endobj")
}

// putpage writes page n's objects: the page and its content. baocao:
// upstream's loop body of putpages, which flushPages also calls as pages
// are finished.
func (f *Fpdf) putpage(n int, data []byte, compressed bool) {
	if f.buffer.Len() == 0 {
		f.putheader()
	}
	// Page
	f.newobj()
	f.pageObjs = append(f.pageObjs, f.n) // save for /Kids
	f.out("<</Type /Page")
	f.out("/Parent 1 0 R")
	if pageSize, ok := f.pageSizes[n]; ok {
		f.outf("/MediaBox [0 0 %.2f %.2f]", pageSize.Wd, pageSize.Ht)
	}
	f.out("/Resources 2 0 R")
	f.outf("/Contents %d 0 R>>", f.n+1)
	f.out("endobj")
	// Page content
	f.newobj()
	if compressed {
		f.outf("<</Filter /FlateDecode /Length %d>>", len(data))
	} else {
		f.outf("<</Length %d>>", len(data))
	}
	f.putstream(data)
	f.out("endobj")
}

// fontKeys are the keys of the document's fonts, sorted if catalogSort.
func (f *Fpdf) fontKeys() []string {
	keyList := make([]string, 0, len(f.fonts))
	for key := range f.fonts {
		keyList = append(keyList, key)
	}
	if f.catalogSort {
		sort.Strings(keyList)
	}
	return keyList
}

func (f *Fpdf) putfonts(work []*fontWork) {
	for i, key := range f.fontKeys() {
		font := f.fonts[key]
		// Font objects
		font.N = f.n + 1
		f.fonts[key] = font
		fontName := "utf8" + font.Name
		if font.baseName != "" {
			fontName = font.baseName
		}
		// baocao: the cut, the program, the widths and the map made
		// beside the last pages (fontwork.go).
		fw := work[i]
		fw.Wait()

		f.newobj()
		f.out(fmt.Sprintf("<</Type /Font\n/Subtype /Type0\n/BaseFont /%s\n/Encoding /Identity-H\n/DescendantFonts [%d 0 R]\n/ToUnicode %d 0 R>>\n"+"endobj", fontName, f.n+1, f.n+2))

		f.newobj()
		f.out("<</Type /Font\n/Subtype /CIDFontType2\n/BaseFont /" + fontName + "\n" +
			"/CIDSystemInfo " + strconv.Itoa(f.n+2) + " 0 R\n/FontDescriptor " + strconv.Itoa(f.n+3) + " 0 R")
		if font.Desc.MissingWidth != 0 {
			f.out("/DW " + strconv.Itoa(font.Desc.MissingWidth))
		}
		// baocao: upstream's generateCIDFontMap (now in
		// cidmap_test.go) took quadratic time; the same widths.
		f.out("/W [" + string(fw.widths) + " ]")
		f.out("/CIDToGIDMap " + strconv.Itoa(f.n+4) + " 0 R>>")
		f.out("endobj")

		f.newobj()
		if f.compress {
			// baocao: compressed once, like the page streams.
			z := compressedToUnicode()
			f.out("<</Filter /FlateDecode /Length " + strconv.Itoa(len(z)) + ">>")
			f.putstream(z)
		} else {
			f.out("<</Length " + strconv.Itoa(len(toUnicode)) + ">>")
			f.putstream([]byte(toUnicode))
		}
		f.out("endobj")

		// CIDInfo
		f.newobj()
		f.out("<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0>>")
		f.out("endobj")

		// Font descriptor
		f.newobj()
		var s fmtBuffer
		s.printf("<</Type /FontDescriptor /FontName /%s\n /Ascent %d", fontName, font.Desc.Ascent)
		s.printf(" /Descent %d", font.Desc.Descent)
		s.printf(" /CapHeight %d", font.Desc.CapHeight)
		v := font.Desc.Flags
		v = v | 4
		v = v &^ 32
		s.printf(" /Flags %d", v)
		s.printf("/FontBBox [%d %d %d %d] ", font.Desc.FontBBox.Xmin, font.Desc.FontBBox.Ymin,
			font.Desc.FontBBox.Xmax, font.Desc.FontBBox.Ymax)
		s.printf(" /ItalicAngle %d", font.Desc.ItalicAngle)
		s.printf(" /StemV %d", font.Desc.StemV)
		s.printf(" /MissingWidth %d", font.Desc.MissingWidth)
		s.printf("/FontFile2 %d 0 R", f.n+2)
		s.printf(">>")
		f.out(s.String())
		f.out("endobj")

		// Embed CIDToGIDMap
		// baocao: deflated straight from the map (upstream compressed
		// the whole 128 KB array; it is mostly zeros).
		cidToGidMap := fw.cidToGID
		f.newobj()
		f.out("<</Length " + strconv.Itoa(len(cidToGidMap)) + "/Filter /FlateDecode>>")
		f.putstream(cidToGidMap)
		f.out("endobj")

		//Font file
		compressedFontStream := fw.program
		f.newobj()
		f.out("<</Length " + strconv.Itoa(len(compressedFontStream)))
		f.out("/Filter /FlateDecode")
		f.out("/Length1 " + strconv.Itoa(fw.size))
		f.out(">>")
		f.putstream(compressedFontStream)
		f.out("endobj")
	}
}

func (f *Fpdf) putresourcedict() {
	f.out("/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]")
	f.out("/Font <<")
	keyList := f.fontKeys()
	if f.catalogSort {
		sort.SliceStable(keyList, func(i, j int) bool { return f.fonts[keyList[i]].res < f.fonts[keyList[j]].res })
	}
	for _, key := range keyList {
		font := f.fonts[key]
		f.outf("/%s %d 0 R", font.res, font.N)
	}
	f.out(">>")
	// baocao: upstream's dictionaries of images and templates and of spot
	// colors, empty here.
	f.out("/XObject <<")
	f.out(">>")
	f.out("/ColorSpace <<")
	f.out(">>")
}

func (f *Fpdf) putresources(fonts []*fontWork) {
	f.putfonts(fonts)
	// 	Resource dictionary
	f.offsets[2] = f.buffer.Len()
	f.out("2 0 obj")
	f.out("<<")
	f.putresourcedict()
	f.out(">>")
	f.out("endobj")
}

// returns Now() if tm is zero
func timeOrNow(tm time.Time) time.Time {
	if tm.IsZero() {
		return time.Now()
	}
	return tm
}

func (f *Fpdf) putinfo() {
	if len(f.producer) > 0 {
		f.outf("/Producer %s", f.textstring(f.producer))
	}
	if len(f.creator) > 0 {
		f.outf("/Creator %s", f.textstring(f.creator))
	}
	creation := timeOrNow(f.creationDate)
	mod := timeOrNow(f.modDate)
	if f.archive != nil {
		// baocao: an archival file's dates carry their zone, as its XMP does.
		f.putarchiveinfo()
		f.outf("/CreationDate %s", f.textstring(pdfDate(creation)))
		f.outf("/ModDate %s", f.textstring(pdfDate(mod)))
		return
	}
	f.outf("/CreationDate %s", f.textstring("D:"+creation.Format("20060102150405")))
	f.outf("/ModDate %s", f.textstring("D:"+mod.Format("20060102150405")))
}

func (f *Fpdf) putcatalog() {
	f.out("/Type /Catalog")
	f.out("/Pages 1 0 R")
	if f.lang != "" {
		f.outf("/Lang (%s)", f.lang)
	}
	if f.archive != nil {
		// baocao: an archival file's metadata and output intent, and no
		// empty name tree.
		f.putarchivecatalog()
		return
	}
	// baocao: upstream's name dictionary, with an empty tree of embedded
	// files (attachments are gone).
	f.out("/Names <<")
	f.out("/EmbeddedFiles << /Names [\n  \n] >>")
	f.out(">>")
}

func (f *Fpdf) putheader() {
	// baocao: upstream's default version; it wrote a later one only for
	// features that are gone.
	f.out("%PDF-1.3")
	f.out("%µ¶")
}

func (f *Fpdf) puttrailer() {
	f.outf("/Size %d", f.n+1)
	f.outf("/Root %d 0 R", f.n)
	f.outf("/Info %d 0 R", f.n-1)
	if f.archive != nil {
		f.out(f.fileID()) // baocao: PDF/A asks for a file identifier
	}
}

func (f *Fpdf) enddoc() {
	if f.err != nil {
		return
	}
	if f.buffer.Len() == 0 { // baocao: else written with the first page
		f.putheader()
	}
	fonts := f.startFonts() // baocao: beside the last pages
	f.putpages()
	if f.err != nil {
		for _, fw := range fonts {
			fw.Wait()
		}
		return
	}
	f.putresources(fonts)
	if f.archive != nil {
		f.putarchive() // baocao: see archive.go
	}
	// 	Info
	f.newobj()
	f.out("<<")
	f.putinfo()
	f.out(">>")
	f.out("endobj")
	// 	Catalog
	f.newobj()
	f.out("<<")
	f.putcatalog()
	f.out(">>")
	f.out("endobj")
	// Cross-ref
	o := f.buffer.Len()
	f.out("xref")
	f.outf("0 %d", f.n+1)
	f.out("0000000000 65535 f ")
	for j := 1; j <= f.n; j++ {
		f.outf("%010d 00000 n ", f.offsets[j])
	}
	// Trailer
	f.out("trailer")
	f.out("<<")
	f.puttrailer()
	f.out(">>")
	f.out("startxref")
	f.outf("%d", o)
	f.out("%%EOF")
	f.state = 3
}
