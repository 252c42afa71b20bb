// baocao: the fonts' costly parts made at once, beside the last pages,
// and remembered. Not part of upstream fpdf; see README.md.

package fpdf

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// fontWork is what takes time in a font's objects: the subset cut, its
// program deflated, its widths and its CIDToGIDMap. Upstream made them
// font after font once the pages were written; they depend only on the
// face and the characters the document used, known once the last page is
// laid out, so each font's are made in a goroutine of its own while the
// last pages are deflated and written, or taken from fontWorks. The
// objects are written in the same order from the same bytes: the file is
// the same either way.
type fontWork struct {
	size     int    // the program's length before deflate
	program  []byte // the subset program deflated
	widths   []byte // the W array's entries
	cidToGID []byte // the CIDToGIDMap deflated
	sync.WaitGroup
}

// startFonts starts the work of every font, in fontKeys order.
func (f *Fpdf) startFonts() []*fontWork {
	keys := f.fontKeys()
	work := make([]*fontWork, len(keys))
	for i, key := range keys {
		font := f.fonts[key]
		delete(font.usedRunes, 0)
		k := workKey{font.utf8File.deflated, runeKey(&font)}
		if w, ok := fontWorks.get(k); ok {
			work[i] = w
			continue
		}
		w := &fontWork{}
		work[i] = w
		w.Go(func() {
			w.make(&font)
			fontWorks.put(k, w)
		})
	}
	return work
}

// make does the work of font.
func (w *fontWork) make(font *fontDefType) {
	runes := runesUsed(font)
	cut, program := font.utf8File.cutRunes(runes)
	w.size = len(program)
	w.widths = appendWidths(nil, font.Cw, cut.LastRune, runes)
	w.cidToGID = cidToGIDMapZ(cut.codeGlyphs)
	w.program = font.utf8File.deflateProgram(program, cut.subsetKeys)
	if cap(program) <= 1<<20 {
		programBuffers.Put(program) // deflated: it is not needed any more
	}
}

// programBuffers keeps the buffers subset programs are assembled in
// (assembleTables): a program lives only until it is deflated.
var programBuffers = newFreeList(func() []byte { return make([]byte, 0, 64<<10) })

// runesUsed is usedValues(font.usedRunes), its key 0 deleted (startFonts
// does): the runes a cut reads, in order. When usedBits tell the map in
// full, they are read from the bits, in order already: 0 (the value of
// the codes 1 to 56 not used: some always are, as control characters),
// then every rune used but 0.
func runesUsed(font *fontDefType) []int {
	used := font.usedBits
	if used == nil || used[1024] != 0 {
		return usedValues(font.usedRunes)
	}
	runes := make([]int, 0, 256)
	if used[0]&(1<<57-2) != 1<<57-2 { // a code of 1 to 56 not used
		runes = append(runes, 0)
	}
	for i, word := range used[:1024] {
		for word != 0 {
			if r := i*64 + bits.TrailingZeros64(word); r != 0 {
				runes = append(runes, r)
			}
			word &= word - 1
		}
	}
	return runes
}

// runeKey is the runes a font used, as a map key. What cut reads is
// usedRunes (upstream's map: the codes 0 to 56 mapped to 0, and each code
// used mapped to itself), which usedBits tells in full when every rune
// used was in the BMP: then the key is "b" and its words that are not
// zero, each with its index; otherwise "m" and usedRunes's entries in
// order.
func runeKey(font *fontDefType) string {
	if bits := font.usedBits; bits != nil && bits[1024] == 0 {
		b := append(make([]byte, 0, 64), 'b')
		for i, word := range bits[:1024] {
			if word != 0 {
				b = binary.LittleEndian.AppendUint16(b, uint16(i))
				b = binary.LittleEndian.AppendUint64(b, word)
			}
		}
		return string(b)
	}
	codes := make([]int, 0, len(font.usedRunes))
	for c := range font.usedRunes {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	b := []byte{'m'}
	for _, c := range codes {
		b = binary.AppendUvarint(b, uint64(c))
		b = binary.AppendUvarint(b, uint64(font.usedRunes[c]))
	}
	return string(b)
}

// workKey is a face (its parse, shared by every document) and the runes
// a document used of it.
type workKey struct {
	face  *deflatedTables
	runes string
}

// workCache remembers the font work of recent documents: rendering a
// document again (a download after each edit, an application rendering
// from one template, a report whose agencies and headings recur) uses the
// same characters of the same faces, and cutting and deflating their
// subsets is about half a short document's work. Bounded in bytes; when
// full it starts again (simpler than tracking ages, and refilled at once).
type workCache struct {
	mu    sync.Mutex
	m     map[workKey]*fontWork
	bytes int
}

const workCacheBytes = 16 << 20

var fontWorks workCache

// DropFontCache forgets the fonts' work of earlier documents, so that a
// benchmark measures the work of a document rendered the first time.
func DropFontCache() {
	fontWorks.mu.Lock()
	defer fontWorks.mu.Unlock()
	fontWorks.m, fontWorks.bytes = nil, 0
}

// get is the finished work for k, if remembered.
func (c *workCache) get(k workKey) (*fontWork, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.m[k]
	return w, ok
}

// put remembers w, finished, for k.
func (c *workCache) put(k workKey, w *fontWork) {
	n := len(k.runes) + len(w.program) + len(w.widths) + len(w.cidToGID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+n > workCacheBytes {
		c.m, c.bytes = map[workKey]*fontWork{}, 0
	}
	if _, ok := c.m[k]; !ok {
		c.m[k] = w
		c.bytes += n
	}
}
