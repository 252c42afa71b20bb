// baocao: deflating subset font programs. Not part of upstream fpdf; see
// README.md.

package fpdf

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"slices"
	"sync"

	"github.com/klauspost/compress/flate"
)

// constTables are the tables that cut copies unchanged from the parsed
// font into every subset (see generateCutFont): hinting programs, names,
// metrics that do not depend on the glyphs.
var constTables = map[string]bool{"OS/2": true, "cvt ": true, "fpgm": true, "gasp": true, "name": true, "post": true, "prep": true}

// deflatedTables keeps, per parsed font, the deflated form of each run of
// constant tables, keyed by the run's tags and lengths.
type deflatedTables struct {
	mu   sync.Mutex
	runs map[string]constRun

	glyfOnce sync.Once
	glyf     *glyfCode // see glyfzip.go

	sums map[string]uint32 // checksums of the constant tables, by tag
}

// constChecksum is checksum32(data) of constant table tag, data, summed
// once per font: every subset copies it unchanged.
func (utf *utf8FontFile) constChecksum(tag string, data []byte) uint32 {
	d := utf.deflated
	d.mu.Lock()
	defer d.mu.Unlock()
	if cs, ok := d.sums[tag]; ok {
		return cs
	}
	cs := checksum32(data)
	if d.sums == nil {
		d.sums = map[string]uint32{}
	}
	d.sums[tag] = cs
	return cs
}

var flatePool = newFreeList(func() *flate.Writer {
	w, err := flate.NewWriter(nil, flate.BestSpeed)
	if err != nil {
		panic(err)
	}
	return w
})

// deflateRun deflates b as a run of blocks that ends byte-aligned and not
// final (a sync flush), so that such runs can be joined into one stream.
func deflateRun(dst *bytes.Buffer, b []byte) {
	w := flatePool.Get()
	defer flatePool.Put(w)
	w.Reset(dst)
	must(w.Write(b))
	if err := w.Flush(); err != nil {
		panic(err)
	}
}

// deflateProgram is the zlib stream of a subset font program from cut.
// Every subset of a font holds the same constant tables (about a third of
// a small subset), so their deflated form is made once per font and
// spliced in: the stream is deflate runs, each ended by a sync flush,
// fresh ones for the tables that change, cached ones for those that do
// not, then an empty final block and the Adler-32 of the whole program.
//
// keys are the face's glyphs the subset holds, in its order (the cut's
// glyphs): its glyf table is then joined from glyphs deflated once per
// face (deflateGlyf); without them it is deflated as the rest.
func (utf *utf8FontFile) deflateProgram(font []byte, keys []int) []byte {
	type span struct {
		start, end int
		key        string // tags and lengths of constant tables; "" if they change
	}
	type table struct {
		tag         string
		off, length int
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	tables := make([]table, n)
	for i := range tables {
		e := font[12+16*i:]
		tables[i] = table{string(e[:4]), int(binary.BigEndian.Uint32(e[8:])), int(binary.BigEndian.Uint32(e[12:]))}
	}
	slices.SortFunc(tables, func(a, b table) int { return a.off - b.off })
	glyf, glyfEnd := -1, -1
	for _, t := range tables {
		if t.tag == "glyf" && keys != nil && t.length%4 == 0 && t.off+t.length <= len(font) {
			glyf, glyfEnd = t.off, t.off+t.length
		}
	}
	spans := []span{{0, 12 + 16*n, ""}}
	for _, t := range tables {
		off, end := t.off, min(t.off+(t.length+3)&^3, len(font))
		key := ""
		if constTables[t.tag] {
			key = t.tag + string(binary.BigEndian.AppendUint32(nil, uint32(t.length)))
		}
		last := &spans[len(spans)-1]
		if off != last.end {
			panic("font tables not contiguous") // assembleTables writes them so
		}
		if (key == "") == (last.key == "") {
			last.end = end
			last.key += key
		} else {
			spans = append(spans, span{off, end, key})
		}
	}
	if spans[len(spans)-1].end != len(font) {
		panic("font tables do not end the file")
	}
	var out bytes.Buffer
	out.Grow(len(font)*3/4 + 64)
	out.Write([]byte{0x78, 0x01}) // zlib header, as BestSpeed writes it
	// The program's Adler-32, joined from its spans' (the constant
	// tables' and the glyphs' known beforehand).
	sum := uint32(1)
	for _, s := range spans {
		if s.key == "" && glyf >= s.start && glyfEnd <= s.end {
			if c := utf.glyfCode(); c.fits(utf, glyfEnd-glyf, keys) {
				z, adler := c.deflate(utf, out.AvailableBuffer(), font[s.start:glyf], font[glyf:glyfEnd], font[glyfEnd:s.end], keys)
				out.Write(z)
				sum = adlerJoin(sum, adler, s.end-s.start)
				continue
			}
		}
		if s.key == "" {
			deflateRun(&out, font[s.start:s.end])
			sum = adlerJoin(sum, adler32.Checksum(font[s.start:s.end]), s.end-s.start)
			continue
		}
		z, adler := utf.deflatedRun(s.key, font[s.start:s.end])
		out.Write(z)
		sum = adlerJoin(sum, adler, s.end-s.start)
	}
	out.Write([]byte{0x01, 0x00, 0x00, 0xFF, 0xFF}) // empty final stored block
	out.Write(binary.BigEndian.AppendUint32(nil, sum))
	return out.Bytes()
}

// deflatedRun is the deflated form of a run of constant tables, made on
// first use.
// and, with it, the run's Adler-32.
func (utf *utf8FontFile) deflatedRun(key string, b []byte) ([]byte, uint32) {
	d := utf.deflated
	d.mu.Lock()
	defer d.mu.Unlock()
	if z, ok := d.runs[key]; ok {
		return z.deflated, z.adler
	}
	var z bytes.Buffer
	deflateRun(&z, b)
	r := constRun{z.Bytes(), adler32.Checksum(b)}
	d.runs[key] = r
	return r.deflated, r.adler
}

// constRun is a run of constant tables deflated, and its Adler-32.
type constRun struct {
	deflated []byte
	adler    uint32
}

// adlerJoin is the Adler-32 of a's data followed by b's, b's being n
// bytes (zlib's adler32_combine): a program's checksum from its parts',
// where the constant tables' and each glyph's are known beforehand.
func adlerJoin(a, b uint32, n int) uint32 {
	const base = adlerMod
	rem := uint32(n % base)
	sum1 := a & 0xFFFF
	sum2 := rem * sum1 % base
	sum1 += b&0xFFFF + base - 1
	sum2 += a>>16 + b>>16 + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}
