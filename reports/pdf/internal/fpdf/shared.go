// baocao: parsed fonts shared between documents. Not part of upstream fpdf;
// see README.md.

package fpdf

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// UTF8Font is a TrueType font parsed once, to be embedded by any number of
// documents, each with its own subset of the glyphs it uses. It is only
// read after ParseUTF8Font, so documents may use it concurrently.
type UTF8Font struct {
	file *utf8FontFile
	desc FontDescType
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
		usedBits:  new([1025]uint64),
		res:       "F" + strconv.Itoa(len(f.fonts)+1),
	}
	f.fonts[fontkey] = def
}

// Bytes closes the document if need be and returns it. baocao: upstream's
// Output, without the copy into a writer.
func (f *Fpdf) Bytes() ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	if f.buffer.dst != nil {
		return nil, errors.New("fpdf: Bytes of a document written to an output (use Finish)")
	}
	if f.state < 3 {
		f.Close()
	}
	return f.buffer.Bytes(), f.err
}

// pageZips deflates each page's content as soon as the page is finished,
// beside the layout, and lets the page's text go: a long document holds
// its pages deflated (about a fifth of their text) rather than all of
// their text until the end. At most GOMAXPROCS pages are deflated at
// once, by workers that take the finished pages in order from a queue of
// zipBacklog pages a processor: the layout hands a page over without
// waiting for a deflater to be free (it is the one part of a table that
// cannot be shared among the processors), and waits only when the queue
// is full (so it never runs far ahead of the deflating). Each stream is
// compressed as upstream does (zlib, best speed), with pooled writers, so
// the bytes are those upstream writes. baocao: upstream deflated every
// page at the end, in putpages.
type pageZips struct {
	pages   []*zippedPage // by page number - 1
	written int           // pages written into the output (flushPages)
	wg      sync.WaitGroup
	queue   chan zipJob // pages finished, not yet taken by a worker
	mu      sync.Mutex  // guards running
	running int         // workers
	workers int         // at most
}

// zipBacklog is how many finished pages a processor may have waiting for
// a deflater: a few pages of text (8 KB each in a table), so that the
// layout rarely waits, and memory stays bounded.
const zipBacklog = 4

type zippedPage struct {
	done chan struct{} // closed when data is set
	data []byte
}

type zipJob struct {
	page *zippedPage
	buf  *bytes.Buffer
}

// add deflates page n's content in the background and recycles its
// buffer.
func (z *pageZips) add(buf *bytes.Buffer) {
	if z.queue == nil {
		z.workers = runtime.GOMAXPROCS(0)
		z.queue = make(chan zipJob, zipBacklog*z.workers)
	}
	zp := &zippedPage{done: make(chan struct{})}
	z.pages = append(z.pages, zp)
	z.queue <- zipJob{zp, buf}
	z.mu.Lock()
	if z.running < z.workers {
		z.running++
		z.wg.Go(z.work)
	}
	z.mu.Unlock()
}

// work deflates queued pages until the queue is empty. A worker leaves
// only when it finds the queue empty while holding mu, and add starts
// one (holding mu) after each page it queues unless enough are running,
// so no queued page is left without a worker.
func (z *pageZips) work() {
	for {
		var j zipJob
		select {
		case j = <-z.queue:
		default:
			z.mu.Lock()
			if len(z.queue) == 0 {
				z.running--
				z.mu.Unlock()
				return
			}
			z.mu.Unlock()
			continue
		}
		j.page.data = zipPage(make([]byte, 0, j.buf.Len()/3+64), j.buf.Bytes())
		putPageBuffer(j.buf)
		close(j.page.done)
	}
}

// flushPages writes the deflated pages into the output, in order, as far
// as they are done (all of them, waiting, when wait is set), and lets
// their streams go: the pages are the first objects of the file, so a
// long document holds its finished pages once, in the output, rather
// than deflated and then copied at the end. Called only between pages.
func (f *Fpdf) flushPages(wait bool) {
	z := &f.zips
	for z.written < len(z.pages) {
		zp := z.pages[z.written]
		if wait {
			<-zp.done
		} else {
			select {
			case <-zp.done:
			default:
				return
			}
		}
		z.written++
		f.putpage(z.written, zp.data, true)
		zp.data = nil
	}
}

// deflateBytes is data deflated as a zlib stream.
func deflateBytes(data []byte) ([]byte, error) {
	zw := zwPool.Get()
	defer zwPool.Put(zw)
	var z bytes.Buffer
	z.Grow(len(data)/3 + 64)
	zw.Reset(&z)
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("deflate: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("deflate: %w", err)
	}
	return z.Bytes(), nil
}

// appendEscapedByte appends c to a PDF literal string: a backslash before
// a backslash or a parenthesis, and a carriage return or a line feed as \r
// or \n (ISO 32000-1 7.3.4.2: an end of line in a literal string is read
// as a line feed whatever it was, and a file's ends of line may be
// converted). baocao: \n escaped too (upstream only \r).
func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '\\', '(', ')':
		return append(b, '\\', c)
	case '\r':
		return append(b, '\\', 'r')
	case '\n':
		return append(b, '\\', 'n')
	}
	return append(b, c)
}

// pageBuffers recycles the buffers of page content once deflated.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

func getPageBuffer() *bytes.Buffer { return pageBuffers.Get().(*bytes.Buffer) }

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // an exceptional page: let it go
	}
	b.Reset()
	pageBuffers.Put(b)
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
	put := func(c byte) { b = appendEscapedByte(b, c) }
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

// outBuffer holds the file being written, in chunks that grow from 64 KB
// to 1 MB: a long document's output is not copied again each time a
// single buffer would double (a bytes.Buffer ends up to twice the file's
// size, and holds both while it grows). Bytes joins the chunks once, into
// a slice of exactly the file's size. baocao: upstream wrote into a
// bytes.Buffer.
//
// With a destination (SetOutput), the file is not held: a chunk of 64 KB
// is written to dst each time it is full, and at the end (flush), so the
// file never sits in memory; only its length is counted (the objects'
// offsets for the xref), and, for an archival file's /ID, its SHA-256 as
// it goes. The first error writing to dst is kept and ends the document
// (Fpdf.Finish returns it); later writes are dropped.
type outBuffer struct {
	full [][]byte // chunks filled
	cur  []byte   // the chunk being filled
	n    int

	dst io.Writer // where the file goes as it is made; nil: held for Bytes
	sum hash.Hash // SHA-256 of what was written to dst, if asked (hashFile)
	err error     // the first error writing to dst
}

const (
	firstChunk = 64 << 10
	maxChunk   = 1 << 20
)

func (b *outBuffer) Len() int { return b.n }

func (b *outBuffer) WriteString(s string) (int, error) { return writeChunks(b, s) }

func (b *outBuffer) Write(p []byte) (int, error) { return writeChunks(b, p) }

func writeChunks[T string | []byte](b *outBuffer, p T) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.cur) == cap(b.cur) {
			b.next()
		}
		k := copy(b.cur[len(b.cur):cap(b.cur)], p)
		b.cur = b.cur[:len(b.cur)+k]
		p = p[k:]
	}
	b.n += n
	return n, nil
}

// next starts a chunk twice the last one's size, at most maxChunk; with a
// destination, it writes the chunk out and fills it again.
func (b *outBuffer) next() {
	if b.dst != nil {
		b.flush()
		if b.cur == nil {
			b.cur = make([]byte, 0, firstChunk)
		}
		return
	}
	size := firstChunk
	if c := cap(b.cur); c > 0 {
		b.full = append(b.full, b.cur)
		size = min(2*c, maxChunk)
	}
	b.cur = make([]byte, 0, size)
}

// flush writes the chunk being filled to the destination (if there is
// one) and empties it.
func (b *outBuffer) flush() {
	if b.dst == nil || len(b.cur) == 0 {
		return
	}
	if b.sum != nil {
		b.sum.Write(b.cur)
	}
	if b.err == nil {
		if _, err := b.dst.Write(b.cur); err != nil {
			b.err = err
		}
	}
	b.cur = b.cur[:0]
}

// hashFile makes a buffer with a destination keep the SHA-256 of what it
// writes. Only a buffer that has written nothing yet can.
func (b *outBuffer) hashFile() error {
	if b.dst == nil || b.sum != nil {
		return nil
	}
	if b.n > 0 {
		return errors.New("fpdf: SetArchive after the file began to be written to its output")
	}
	b.sum = sha256.New()
	return nil
}

// fileSum is the SHA-256 of the file so far.
func (b *outBuffer) fileSum() [sha256.Size]byte {
	if b.dst == nil {
		return sha256.Sum256(b.Bytes())
	}
	b.flush()
	var sum [sha256.Size]byte
	b.sum.Sum(sum[:0])
	return sum
}

// Bytes is the whole file, in one slice of its size (nil when the file
// went to a destination).
func (b *outBuffer) Bytes() []byte {
	if b.dst != nil {
		return nil
	}
	if len(b.full) == 0 {
		return b.cur
	}
	out := make([]byte, 0, b.n)
	for i, c := range b.full {
		out = append(out, c...)
		b.full[i] = nil // copied: let it go
	}
	out = append(out, b.cur...)
	b.full, b.cur = nil, out
	return out
}

// SetOutput makes the document write its file to w as it is made —
// finished pages as soon as those before them are written, the rest when
// the document ends — instead of holding it for Bytes: the file's bytes
// are the same, and memory no longer grows with them. Call it before the
// first page; end the document with Finish. baocao: new (upstream held
// the whole file and copied it to a writer at the end, in Output).
func (f *Fpdf) SetOutput(w io.Writer) {
	if f.buffer.Len() > 0 {
		f.SetError(errors.New("fpdf: SetOutput after the file began"))
		return
	}
	f.buffer.dst = w
	if f.archive != nil {
		f.SetError(f.buffer.hashFile())
	}
}

// Finish ends the document if need be and writes what is left of it to
// the output set by SetOutput; it returns the file's size. An error
// writing to the output is returned (the file is then incomplete).
func (f *Fpdf) Finish() (int64, error) {
	if f.err == nil && f.state < 3 {
		f.Close()
	}
	if f.err != nil {
		return 0, f.err
	}
	if f.buffer.dst == nil {
		return 0, errors.New("fpdf: Finish without SetOutput (use Bytes)")
	}
	f.buffer.flush()
	if f.buffer.err != nil {
		return 0, f.buffer.err
	}
	return int64(f.buffer.Len()), nil
}

// TextWords draws words separated by single spaces as
// Text(x, y, strings.Join(words, " ")) does, the same bytes, without the
// joined string. baocao: new.
func (f *Fpdf) TextWords(x, y float64, words []string) {
	if f.err != nil {
		return
	}
	if f.currentFont.Name == "" {
		f.err = fmt.Errorf("font has not been set; unable to render text")
		return
	}
	if len(words) > 1 {
		f.currentFont.useRunes(" ")
	}
	buf := f.pages[f.page]
	b := f.openText(buf.AvailableBuffer(), x*f.k, (f.h-y)*f.k)
	b = append(b, '(')
	for i, word := range words {
		if i > 0 {
			b = append(b, 0, ' ')
		}
		b = f.currentFont.appendText(b, word)
	}
	b = append(b, ") Tj"...)
	must(buf.Write(f.closeText(b)))
}

// TextJustified draws words justified to w at (x, y) as
// CellFormat(w, 0, strings.Join(words, " "), "", 0, "J", false, 0, "")
// after SetXY(x, y) does, the same bytes, but appended straight to the
// page from the words as the caller typeset them: no joined string split
// again, no intermediate buffers.
func (f *Fpdf) TextJustified(x, y, w float64, words []string) {
	if f.err != nil {
		return
	}
	if f.currentFont.Name == "" {
		f.err = fmt.Errorf("font has not been set; unable to render text")
		return
	}
	plain := len(words) > 1
	for _, word := range words {
		plain = plain && strings.IndexByte(word, ' ') < 0
	}
	if !plain { // a space inside a word stretches too: upstream's way
		f.SetXY(x, y)
		f.CellFormat(w, 0, strings.Join(words, " "), "", 0, "J", false, 0, "")
		return
	}
	f.SetXY(x, y)
	k := f.k
	strSize := 0
	for _, word := range words {
		strSize += f.currentFont.useWidth(word)
	}
	f.currentFont.useRunes(" ")
	strSize += (len(words) - 1) * f.GetStringSymbolWidth(" ")
	wmax := int(math.Ceil((w - 2*f.cMargin) * 1000 / f.fontSize))
	shift := float64(wmax-strSize) / float64(len(words)-1)
	buf := f.pages[f.page]
	// baocao: no "0 Tw" (upstream's, before each run: the word spacing is
	// never set otherwise, and does not apply to 2-byte codes anyway).
	b := f.openText(buf.AvailableBuffer(), (f.x+f.cMargin)*k, (f.h-(f.y+.5*0+.3*f.fontSize))*k)
	b = append(b, '[')
	b = append(b, '(')
	for i, word := range words {
		b = appendUTF16Escaped(b, word) // its runes recorded by useWidth
		if i+1 < len(words) {
			// The space, then the stretch (upstream: the stretch, then
			// the space in a string of its own, 5 bytes more a space;
			// the words land at the same places).
			b = append(b, "\x00 )"...)
			b = appendFixed(b, -shift, 3)
			b = append(b, '(')
		}
	}
	b = append(b, ")] TJ"...)
	must(buf.Write(f.closeText(b)))
	f.x += w
}
