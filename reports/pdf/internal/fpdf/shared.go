// baocao: parsed fonts shared between documents. Not part of upstream fpdf;
// see README.md.

package fpdf

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
)

// UTF8Font is a TrueType font parsed once, to be embedded by any number of
// documents, each with its own subset of the glyphs it uses. It is only
// read after ParseUTF8Font, so documents may use it concurrently.
type UTF8Font struct {
	file *utf8FontFile
	desc FontDescType
	ids  sync.Map // font key → font ID (the JSON hash upstream computes per document)
}

// ParseUTF8Font parses TrueType bytes for AddUTF8FontParsed. The bytes
// must not change afterwards. A malformed font is an error.
func ParseUTF8Font(utf8Bytes []byte) (font *UTF8Font, err error) {
	defer func() {
		if r := recover(); r != nil {
			font, err = nil, fmt.Errorf("malformed TrueType font: %v", r)
		}
	}()
	// The capacity cut to the length: the reader slices without checking,
	// and must not read past the end of a truncated font.
	file := newUTF8Font(&fileReader{array: utf8Bytes[:len(utf8Bytes):len(utf8Bytes)]})
	if err := file.parseFile(); err != nil {
		return nil, err
	}
	return &UTF8Font{file: file, desc: FontDescType{
		Ascent:       int(file.Ascent),
		Descent:      int(file.Descent),
		CapHeight:    file.CapHeight,
		Flags:        file.Flags,
		FontBBox:     file.Bbox,
		ItalicAngle:  file.ItalicAngle,
		StemV:        file.StemV,
		MissingWidth: round(file.DefaultWidth),
	}}, nil
}

// SubsetFont returns the TrueType program that a document drawing exactly
// runes with the font utf8FontFile embeds: the font cut to the glyphs of
// those runes (with .notdef and the parts of composite glyphs), as the PDF's
// FontFile2 holds it before deflating. Runes the font has no glyph for are
// left out. A font that cannot be parsed or cut is an error.
func SubsetFont(utf8FontFile []byte, runes []rune) (program []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			program, err = nil, fmt.Errorf("fpdf: cutting font: %v", r)
		}
	}()
	font, err := ParseUTF8Font(utf8FontFile)
	if err != nil {
		return nil, fmt.Errorf("fpdf: parsing font: %w", err)
	}
	// A document's used runes (the map's values): 0, which makeSubsetRange
	// leaves as the value of the keys 1 to 56, then the runes drawn.
	used := make(map[int]int, len(runes)+1)
	used[-1] = 0
	for _, r := range runes {
		used[int(r)] = int(r)
	}
	_, program = font.file.cut(used)
	return program, nil
}

// AddUTF8FontParsed is AddUTF8FontFromBytes for a font parsed beforehand:
// the document embeds the same font, without parsing it again. baseName,
// if not empty, is the font's name in the PDF (BaseFont, FontName) instead
// of "utf8" and the font key, e.g. a subset name "ABCDEF+Name".
func (f *Fpdf) AddUTF8FontParsed(familyStr, styleStr string, font *UTF8Font, baseName string) {
	if f.err != nil {
		return
	}
	fontkey := getFontKey(fontFamilyEscape(familyStr), styleStr)
	if _, ok := f.fonts[fontkey]; ok {
		return
	}
	def := fontDefType{
		Name:      fontkey,
		Desc:      font.desc,
		Cw:        font.file.CharWidths,
		utf8File:  font.file,
		usedRunes: makeSubsetRange(57), // upstream's, without an alias for the number of pages
		baseName:  baseName,
		usedBits:  new([1024]uint64),
	}
	if id, ok := font.ids.Load(fontkey); ok {
		def.i = id.(string)
	} else {
		var err error
		def.i, err = fontID(fontkey, font.desc, round(font.file.UnderlinePosition), round(font.file.UnderlineThickness), font.file.CharWidths)
		if err != nil {
			f.SetError(err)
			return
		}
		font.ids.Store(fontkey, def.i)
	}
	f.fonts[fontkey] = def
}

// Bytes closes the document if need be and returns it. baocao: upstream's
// Output, without the copy into a writer.
func (f *Fpdf) Bytes() ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	if f.state < 3 {
		f.Close()
	}
	return f.buffer.Bytes(), f.err
}

// compressPages deflates the page contents, in parallel for a long
// document: for a long table they are most of the file. Each stream is compressed as upstream does
// (zlib, best speed), with pooled writers.
func compressPages(pages []*bytes.Buffer) [][]byte {
	out := make([][]byte, len(pages))
	var next sync.Mutex
	i := 0
	work := func() {
		zw := zwPool.Get()
		defer zwPool.Put(zw)
		for {
			next.Lock()
			n := i
			i++
			next.Unlock()
			if n >= len(pages) {
				return
			}
			var z bytes.Buffer
			z.Grow(pages[n].Len()/3 + 64)
			zw.Reset(&z)
			must(zw.Write(pages[n].Bytes()))
			if err := zw.Close(); err != nil {
				panic(err)
			}
			out[n] = z.Bytes()
		}
	}
	// In parallel only when there is enough to share: a short document is
	// done before a goroutine would start (and a server renders several
	// documents at once anyway).
	total := 0
	for _, p := range pages {
		total += p.Len()
	}
	workers := min(runtime.GOMAXPROCS(0), len(pages), total/(128<<10)+1)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return out
}

var toUnicodeZ = sync.OnceValue(func() []byte {
	var z bytes.Buffer
	zw := zwPool.Get()
	defer zwPool.Put(zw)
	zw.Reset(&z)
	must(zw.Write([]byte(toUnicode)))
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return z.Bytes()
})

// compressedToUnicode is the ToUnicode CMap of UTF-8 fonts, deflated once
// (a copy: encryption works in place).
func compressedToUnicode() []byte { return bytes.Clone(toUnicodeZ()) }

// appendUTF16Escaped appends escape(utf8toutf16(s, false)): the same bytes,
// without the two intermediate strings.
func appendUTF16Escaped(b []byte, s string) []byte {
	put := func(c byte) {
		switch c {
		case '\\', '(', ')':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	for i := 0; i < len(s); {
		c1 := s[i]
		i++
		switch {
		case c1 >= 224:
			c2, c3 := s[i], s[i+1]
			i += 2
			put(((c1 & 0x0F) << 4) + ((c2 & 0x3C) >> 2))
			put(((c2 & 0x03) << 6) + (c3 & 0x3F))
		case c1 >= 192:
			c2 := s[i]
			i++
			put((c1 & 0x1C) >> 2)
			put(((c1 & 0x03) << 6) + (c2 & 0x3F))
		default:
			put(0)
			put(c1)
		}
	}
	return b
}

// freeList keeps up to 16 values (compressors: about a megabyte to make)
// for reuse. Unlike a sync.Pool it is not emptied by the garbage
// collector, which runs often while documents are rendered.
type freeList[T any] struct {
	free  chan T
	fresh func() T
}

func newFreeList[T any](fresh func() T) *freeList[T] {
	return &freeList[T]{free: make(chan T, 16), fresh: fresh}
}

func (l *freeList[T]) Get() T {
	select {
	case v := <-l.free:
		return v
	default:
		return l.fresh()
	}
}

func (l *freeList[T]) Put(v T) {
	select {
	case l.free <- v:
	default:
	}
}
