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

// baocao: the types of the features kept (see README.md).

import (
	"bytes"
	"time"
	"unicode/utf8"
)

// Version of FPDF from which this package is derived
const (
	cnFpdfVersion = "1.7"
)

type colorType struct {
	r, g, b    float64
	ir, ig, ib int
	gray       bool
	str        string
}

// SizeType fields Wd and Ht specify the horizontal and vertical extents of a
// document element such as a page.
type SizeType struct {
	Wd, Ht float64
}

// InitType is used with NewCustom() to customize an Fpdf instance.
// OrientationStr is "P" (portrait, the default) or "L" (landscape), UnitStr
// the unit of measure ("pt", "mm", "cm" or "in"; empty: "mm") and Size the
// default page size in that unit (portrait). baocao: upstream's SizeStr and
// FontDirStr are gone.
type InitType struct {
	OrientationStr string
	UnitStr        string
	Size           SizeType
}

// Fpdf is the principal structure for creating a single PDF document
type Fpdf struct {
	page           int                    // current page number
	n              int                    // current object number
	offsets        []int                  // array of object offsets
	buffer         outBuffer              // buffer holding in-memory PDF (baocao: in chunks)
	pages          []*bytes.Buffer        // slice[page] of page content; 1-based
	state          int                    // current document state
	compress       bool                   // compression flag
	zips           pageZips               // baocao: pages deflated as they are finished
	pageObjs       []int                  // baocao: object number of each page, for /Kids
	k              float64                // scale factor (number of points in user unit)
	defOrientation string                 // default orientation
	curOrientation string                 // current orientation
	defPageSize    SizeType               // default page size
	curPageSize    SizeType               // current page size
	pageSizes      map[int]SizeType       // used for pages with non default sizes or orientations
	wPt, hPt       float64                // dimensions of current page in points
	w, h           float64                // dimensions of current page in user unit
	lMargin        float64                // left margin
	tMargin        float64                // top margin
	rMargin        float64                // right margin
	cMargin        float64                // cell margin
	x, y           float64                // current position in user unit
	lineWidth      float64                // line width in user unit
	fonts          map[string]fontDefType // array of used fonts
	fontFamily     string                 // current font family
	fontStyle      string                 // current font style
	currentFont    fontDefType            // current font info
	fontSizePt     float64                // current font size in points
	fontSize       float64                // current font size in user unit
	producer       string                 // producer
	lang           string                 // lang
	creator        string                 // creator
	creationDate   time.Time              // override for document CreationDate value
	modDate        time.Time              // override for document ModDate value
	err            error                  // Set if error occurs during life cycle of instance
	catalogSort    bool                   // sort resource catalogs in document
	archive        *Archive               // baocao: an archival (PDF/A) file, see archive.go
	archiveObjs    [2]int                 // baocao: the metadata and output profile objects
	colorFlag      bool                   // indicates whether fill and text colors are different
	text           textObject             // baocao: the text object open on the page, see text.go
	color          struct {
		// Composite values of colors
		draw, fill, text colorType
	}

	fmt struct {
		buf []byte       // buffer used to format numbers.
		col bytes.Buffer // buffer used to build color strings.
	}
}

type fontBoxType struct {
	Xmin, Ymin, Xmax, Ymax int
}

// FontDescType (font descriptor) specifies metrics and other
// attributes of a font, as distinct from the metrics of individual
// glyphs (as defined in the pdf specification).
type FontDescType struct {
	// The maximum height above the baseline reached by glyphs in this
	// font (for example for "S"). The height of glyphs for accented
	// characters shall be excluded.
	Ascent int
	// The maximum depth below the baseline reached by glyphs in this
	// font. The value shall be a negative number.
	Descent int
	// The vertical coordinate of the top of flat capital letters,
	// measured from the baseline (for example "H").
	CapHeight int
	// A collection of flags defining various characteristics of the
	// font. (See the FontFlag* constants.)
	Flags int
	// A rectangle, expressed in the glyph coordinate system, that
	// shall specify the font bounding box. This should be the smallest
	// rectangle enclosing the shape that would result if all of the
	// glyphs of the font were placed with their origins coincident
	// and then filled.
	FontBBox fontBoxType
	// The angle, expressed in degrees counterclockwise from the
	// vertical, of the dominant vertical strokes of the font. (The
	// 9-o’clock position is 90 degrees, and the 3-o’clock position
	// is –90 degrees.) The value shall be negative for fonts that
	// slope to the right, as almost all italic fonts do.
	ItalicAngle int
	// The thickness, measured horizontally, of the dominant vertical
	// stems of glyphs in the font.
	StemV int
	// The width to use for character codes whose widths are not
	// specified in a font dictionary’s Widths array. This shall have
	// a predictable effect only if all such codes map to glyphs whose
	// actual widths are the same as the value of the MissingWidth
	// entry. (Default value: 0.)
	MissingWidth int
}

// fontDefType is a UTF-8 font of a document. baocao: upstream's fields for
// core, Type1 and TrueType fonts are gone.
type fontDefType struct {
	Name      string        // the font key
	Desc      FontDescType  // Font descriptor
	Cw        []uint16      // Character width by ordinal (baocao: was []int)
	N         int           // object number, set by putfonts
	res       string        // baocao: its resource name, F1, F2… in the order added (upstream: F and the SHA-1 of its definition's JSON)
	utf8File  *utf8FontFile // UTF-8 font
	usedRunes map[int]int   // Array of used runes
	baseName  string        // baocao: the PDF BaseFont name of a UTF-8 font, if given
	usedBits  *[1025]uint64 // baocao: the BMP runes in usedRunes, if not nil; word 1024 is not 0 once a rune outside the BMP was used
}

// useRune records r in usedRunes.
func (def *fontDefType) useRune(r rune) {
	if b := def.usedBits; b != nil && r >= 0 && r < 0x10000 {
		if b[r>>6]&(1<<(r&63)) != 0 {
			return
		}
		b[r>>6] |= 1 << (r & 63)
	} else if b != nil {
		b[1024] = 1
	}
	def.usedRunes[int(r)] = int(r)
}

// appendText is useRunes(s) and appendUTF16Escaped(b, s) in one pass
// over s. baocao: new.
func (def *fontDefType) appendText(b []byte, s string) []byte {
	start := len(b)
	for _, r := range s {
		if r >= 0x10000 || r == utf8.RuneError {
			// Not what a document holds (the doors and the font check
			// see to it): the two passes, which read such bytes their
			// own way.
			def.useRunes(s)
			return appendUTF16Escaped(b[:start], s)
		}
		def.useRune(r)
		b = appendEscapedByte(appendEscapedByte(b, byte(r>>8)), byte(r))
	}
	return b
}

// useWidth is useRunes(s) and the width of s in the font's units
// (Fpdf.GetStringSymbolWidth) in one pass over s. baocao: new.
func (def *fontDefType) useWidth(s string) int {
	w := 0
	for _, r := range s {
		def.useRune(r)
		switch {
		case int(r) < len(def.Cw) && def.Cw[r] > 0:
			if def.Cw[r] != 65535 {
				w += int(def.Cw[r])
			}
		case def.Desc.MissingWidth != 0:
			w += def.Desc.MissingWidth
		default:
			w += 500
		}
	}
	return w
}

// useRunes records the runes of s in usedRunes. baocao: usedBits spares a
// map assignment for runes already recorded.
func (def *fontDefType) useRunes(s string) {
	for _, r := range s {
		def.useRune(r)
	}
}
