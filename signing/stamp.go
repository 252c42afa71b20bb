package signing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Stamp is the organisation's signature on an appendix or attachment in
// a separate file (Decree 30, Appendix I): no image, but text at the top
// right of its first page — the document's number and symbol and the
// signing time (ISO 8601, Vietnam's zone) — upright, black, in the
// embedded font given (Times New Roman, or its metric twin Liberation
// Serif), 10 pt.
type Stamp struct {
	// Lines are the text's lines (StampLines).
	Lines []string
	// Font is a TrueType program holding the glyphs of Lines (a subset:
	// pdf.FontSubset); Name its PostScript name.
	Font []byte
	Name string
	// Size is the font size in points (0: 10).
	Size float64
}

// vietnam is the time zone of the stamp's time (UTC+7, no summer time).
var vietnam = time.FixedZone("ICT", 7*3600)

// StampLines are the stamp's text: the number and symbol and the signing
// time, one line ("Số: 01/KH-UBND; thời gian ký: 2024-01-05T09:30:00+07:00"),
// which fits above the number and date a separate appendix already prints
// at its top right (table.FileStamp).
func StampLines(reference string, at time.Time) []string {
	return []string{"Số: " + reference + "; thời gian ký: " + at.In(vietnam).Format("2006-01-02T15:04:05-07:00")}
}

// StampRunes are the characters a stamp of lines draws.
func StampRunes(lines []string) []rune {
	seen := map[rune]bool{}
	var out []rune
	for _, l := range lines {
		for _, r := range l {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// The stamp's place: its right edge on the text's (the appendix pages'
// right margin, 15 mm), its bottom 9.5 mm under the page's top edge, above
// the number and date line (baseline at 14 mm).
const stampRight, stampBottom = 15.0, 9.5

// layout measures the stamp: its glyphs by line, its size in points, and
// the font objects' data.
type stampFont struct {
	f          *sfnt.Font
	buf        sfnt.Buffer
	upem       float64
	gids       map[rune]sfnt.GlyphIndex
	widths     map[sfnt.GlyphIndex]int // 1/1000 em
	asc, desc  float64
	bbox       [4]int
	capHeight  float64
	lineHeight float64
}

func parseStampFont(s *Stamp) (*stampFont, error) {
	f, err := sfnt.Parse(s.Font)
	if err != nil {
		return nil, fmt.Errorf("the stamp's font: %w", err)
	}
	sf := &stampFont{f: f, upem: float64(f.UnitsPerEm()), gids: map[rune]sfnt.GlyphIndex{}, widths: map[sfnt.GlyphIndex]int{}}
	ppem := fixed.I(int(f.UnitsPerEm()))
	for _, r := range StampRunes(s.Lines) {
		g, err := f.GlyphIndex(&sf.buf, r)
		if err != nil || g == 0 {
			return nil, fmt.Errorf("the stamp's font has no glyph for %q", r)
		}
		adv, err := f.GlyphAdvance(&sf.buf, g, ppem, font.HintingNone)
		if err != nil {
			return nil, fmt.Errorf("the stamp's font: %w", err)
		}
		sf.gids[r] = g
		sf.widths[g] = int(float64(adv)/64*1000/sf.upem + 0.5)
	}
	m, err := f.Metrics(&sf.buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	sf.asc, sf.desc = float64(m.Ascent)/64*1000/sf.upem, -float64(m.Descent)/64*1000/sf.upem
	sf.capHeight = float64(m.CapHeight) / 64 * 1000 / sf.upem
	b, err := f.Bounds(&sf.buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	sc := func(v fixed.Int26_6) int { return int(float64(v) / 64 * 1000 / sf.upem) }
	sf.bbox = [4]int{sc(b.Min.X), -sc(b.Max.Y), sc(b.Max.X), -sc(b.Min.Y)}
	return sf, nil
}

// width is a line's width in points at size.
func (sf *stampFont) width(line string, size float64) float64 {
	w := 0
	for _, r := range line {
		w += sf.widths[sf.gids[r]]
	}
	return float64(w) * size / 1000
}

// stampRect is where the stamp goes on a page of width pw, height ph
// (points): its lines right-aligned at the top right.
func (s *Stamp) rect(sf *stampFont, pw, ph float64) Rect {
	size := s.size()
	w := 0.0
	for _, l := range s.Lines {
		w = max(w, sf.width(l, size))
	}
	h := float64(len(s.Lines)) * size * 1.2
	const k = 72 / 25.4
	right, bottom := pw-stampRight*k, ph-stampBottom*k
	return Rect{right - w - 2, bottom, right, bottom + h + 2}
}

func (s *Stamp) size() float64 {
	if s.Size > 0 {
		return s.Size
	}
	return 10
}

// appearance draws the stamp: the font objects added through add, the
// resources and the content stream for a box of rect's size.
func (s *Stamp) appearance(sf *stampFont, rect Rect) func(add func([]byte) (uint32, error)) (string, []byte, error) {
	return func(add func([]byte) (uint32, error)) (string, []byte, error) {
		name := s.Name
		if name == "" {
			name = "BAOCSG+Font"
		}
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, _ = zw.Write(s.Font)
		_ = zw.Close()
		var file bytes.Buffer
		fmt.Fprintf(&file, "<<\n  /Length %d\n  /Length1 %d\n  /Filter /FlateDecode\n>>\nstream\n", z.Len(), len(s.Font))
		file.Write(z.Bytes())
		file.WriteString("\nendstream\n")
		fileID, err := add(file.Bytes())
		if err != nil {
			return "", nil, err
		}
		desc := fmt.Sprintf("<<\n  /Type /FontDescriptor\n  /FontName /%s\n  /Flags 6\n  /FontBBox [%d %d %d %d]\n  /ItalicAngle 0\n  /Ascent %d\n  /Descent %d\n  /CapHeight %d\n  /StemV 80\n  /FontFile2 %d 0 R\n>>\n",
			name, sf.bbox[0], sf.bbox[1], sf.bbox[2], sf.bbox[3], int(sf.asc), -int(sf.desc), int(sf.capHeight), fileID)
		descID, err := add([]byte(desc))
		if err != nil {
			return "", nil, err
		}
		gids := make([]int, 0, len(sf.widths))
		for g := range sf.widths {
			gids = append(gids, int(g))
		}
		sort.Ints(gids)
		var w strings.Builder
		for _, g := range gids {
			fmt.Fprintf(&w, "%d [%d] ", g, sf.widths[sfnt.GlyphIndex(g)])
		}
		cid := fmt.Sprintf("<<\n  /Type /Font\n  /Subtype /CIDFontType2\n  /BaseFont /%s\n  /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>\n  /FontDescriptor %d 0 R\n  /CIDToGIDMap /Identity\n  /DW 1000\n  /W [%s]\n>>\n",
			name, descID, strings.TrimSpace(w.String()))
		cidID, err := add([]byte(cid))
		if err != nil {
			return "", nil, err
		}
		var cmap strings.Builder
		cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
		runes := StampRunes(s.Lines)
		for i := 0; i < len(runes); i += 100 {
			chunk := runes[i:min(i+100, len(runes))]
			fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
			for _, r := range chunk {
				fmt.Fprintf(&cmap, "<%04X> <%s>\n", int(sf.gids[r]), utf16Hex(r))
			}
			cmap.WriteString("endbfchar\n")
		}
		cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
		tu := fmt.Sprintf("<<\n  /Length %d\n>>\nstream\n%s\nendstream\n", cmap.Len(), cmap.String())
		tuID, err := add([]byte(tu))
		if err != nil {
			return "", nil, err
		}
		t0 := fmt.Sprintf("<<\n  /Type /Font\n  /Subtype /Type0\n  /BaseFont /%s\n  /Encoding /Identity-H\n  /DescendantFonts [%d 0 R]\n  /ToUnicode %d 0 R\n>>\n", name, cidID, tuID)
		t0ID, err := add([]byte(t0))
		if err != nil {
			return "", nil, err
		}
		size := s.size()
		var st strings.Builder
		st.WriteString("q 0 g BT\n")
		for i, l := range s.Lines {
			x := rect.Width() - 1 - sf.width(l, size)
			y := rect.Height() - 1 - float64(i+1)*size*1.2 + size*0.25
			fmt.Fprintf(&st, "/F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm <", size, x, y)
			for _, r := range l {
				fmt.Fprintf(&st, "%04X", int(sf.gids[r]))
			}
			st.WriteString("> Tj\n")
		}
		st.WriteString("ET Q\n")
		return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", t0ID), []byte(st.String()), nil
	}
}

func utf16Hex(r rune) string {
	if r < 0x10000 {
		return fmt.Sprintf("%04X", r)
	}
	r -= 0x10000
	return fmt.Sprintf("%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
}
