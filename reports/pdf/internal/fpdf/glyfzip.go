// baocao: the glyf table of a subset deflated from glyphs deflated once
// per face. Not part of upstream fpdf; see README.md.

package fpdf

import (
	"encoding/binary"
	"hash/adler32"
	"math/bits"
	"slices"
	"sync/atomic"
)

// The glyf table is most of a subset font program and what changes from
// one document to the next, so deflating it was most of a small
// document's deflate. But a subset's glyf is only the face's glyphs one
// after another (each padded to four bytes; a composite glyph with its
// parts renumbered). So each glyph of the face is made into deflate
// symbols once, matching only within the glyph, and coded with one
// Huffman code made for the whole face; a document's glyf is then one
// dynamic block: the face's header, the glyphs' bits joined, and the end
// of block. Per document only the tables around glyf (a kilobyte or two)
// are searched for matches, and coded with the face's code too; a
// composite glyph, changed by the cut, is coded as it is, byte by byte.
// The coded glyphs stay with the parsed face: about as many bytes as the
// glyphs take deflated (tens of KB for what documents use, 200 KB if every
// glyph of a Liberation face were used).

// glyfCode is a face's code and its glyphs' coded bits.
type glyfCode struct {
	header    bitString                   // a dynamic block's header (not final) with the face's code
	lit, dist []hcode                     // the face's literal/length and distance codes
	glyphs    []atomic.Pointer[bitString] // by glyph index, as coded (glyph)
	face      []byte                      // the face's glyf table
}

// hcode is a Huffman code as written: its bits reversed, and its length.
type hcode struct {
	bits uint16
	len  uint8
}

// bitString is n bits, first bit in the lowest bit of b[0]; for a coded
// glyph, adler is the Adler-32 of the glyph's bytes and padding.
type bitString struct {
	b     []byte
	n     int
	adler uint32
}

// bitWriter writes deflate's bit order: least significant bit first.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	// n is at most 32 and fewer than 32 bits wait: they fit.
	w.acc |= v << w.n
	w.n += n
	if w.n >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.n -= 32
	}
}

func (w *bitWriter) code(c hcode) { w.bits(uint64(c.bits), uint(c.len)) }

// string appends the bits of s, eight bytes at a time.
func (w *bitWriter) string(s bitString) {
	b := s.b[:s.n/8]
	for len(b) >= 8 {
		v := binary.LittleEndian.Uint64(b)
		w.out = binary.LittleEndian.AppendUint64(w.out, w.acc|v<<w.n)
		w.acc = v >> (64 - w.n) // 0 when w.n is 0
		b = b[8:]
	}
	for _, c := range b {
		w.acc |= uint64(c) << w.n
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
	}
	if r := s.n % 8; r > 0 {
		w.bits(uint64(s.b[s.n/8])&(1<<r-1), uint(r))
	}
}

// done ends the bits: the last byte padded with zeros.
func (w *bitWriter) done() bitString {
	n := len(w.out)*8 + int(w.n)
	for ; w.n > 0; w.n -= min(w.n, 8) {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
	}
	w.acc = 0
	return bitString{b: w.out, n: n}
}

var (
	// (lengthBase and lengthExtra are cidmap.go's.)
	distBase  = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// clOrder is the order of the code length code's lengths in a header.
	clOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

const (
	numLit       = 286 // literals, end of block, lengths
	numDist      = 30
	endBlock     = 256
	minMatch     = 4
	maxMatch     = 258
	glyphHashLen = 12
)

// token is a literal byte (length 0) or a match of length bytes dist back.
type token struct {
	length, dist uint16
	lit          byte
}

// lengthSym and distSym are the length symbol (less 257) of each match
// length and the distance symbol of each distance (of d-1 for distances
// to 256, of 256+(d-1)>>7 above).
var lengthSym, distSym = func() (ls [maxMatch + 1]uint8, ds [512]uint8) {
	for s, lo := range lengthBase {
		for l := lo; l <= min(lo+1<<lengthExtra(s)-1, maxMatch); l++ {
			ls[l] = uint8(s) // 258 is the last symbol's, not 227's
		}
	}
	for s, lo := range distBase {
		hi := lo + 1<<distExtra[s] - 1
		for d := lo; d <= min(hi, 256); d++ {
			ds[d-1] = uint8(s)
		}
		for d := max(lo, 257); d <= hi; d += 128 {
			ds[256+(d-1)>>7] = uint8(s)
		}
	}
	return ls, ds
}()

func distSymbol(d int) int {
	if d <= 256 {
		return int(distSym[d-1])
	}
	return int(distSym[256+(d-1)>>7])
}

// tokenize makes data into literals and matches within data (greedy,
// four bytes hashed, matches of 4 to 258 bytes at most 32 KB back). The
// hash table, of head's room, is sized to data: a glyph's is small.
func tokenize(data []byte, head *[1 << glyphHashLen]int32, out []token) []token {
	hb := uint(6)
	for hb < glyphHashLen && 1<<hb < len(data) {
		hb++
	}
	table := head[:1<<hb]
	clear(table)
	hash := func(i int) uint32 { return (binary.LittleEndian.Uint32(data[i:]) * 2654435761) >> (32 - hb) }
	for i := 0; i < len(data); {
		if i+minMatch <= len(data) {
			h := hash(i)
			cand := int(table[h]) - 1
			table[h] = int32(i + 1)
			if cand >= 0 && i-cand <= 32768 && binary.LittleEndian.Uint32(data[cand:]) == binary.LittleEndian.Uint32(data[i:]) {
				l := matchLength(data, cand, i)
				out = append(out, token{length: uint16(l), dist: uint16(i - cand)})
				for k := i + 1; k < i+l && k+minMatch <= len(data); k++ {
					table[hash(k)] = int32(k + 1)
				}
				i += l
				continue
			}
		}
		out = append(out, token{lit: data[i]})
		i++
	}
	return out
}

// matchLength is the length of the match at i of the bytes at cand, whose
// first minMatch bytes are known to be equal: at most maxMatch, and
// within data.
func matchLength(data []byte, cand, i int) int {
	l := minMatch
	for i+l+8 <= len(data) && l+8 <= maxMatch {
		if x := binary.LittleEndian.Uint64(data[cand+l:]) ^ binary.LittleEndian.Uint64(data[i+l:]); x != 0 {
			return l + bits.TrailingZeros64(x)/8
		}
		l += 8
	}
	for i+l < len(data) && l < maxMatch && data[cand+l] == data[i+l] {
		l++
	}
	return l
}

// tokens writes ts with the codes lit and dist.
func (w *bitWriter) tokens(ts []token, lit, dist []hcode) {
	for _, t := range ts {
		if t.length == 0 {
			w.code(lit[t.lit])
			continue
		}
		l, d := int(t.length), int(t.dist)
		ls := int(lengthSym[l])
		w.code(lit[257+ls])
		w.bits(uint64(l-lengthBase[ls]), lengthExtra(ls))
		ds := distSymbol(d)
		w.code(dist[ds])
		w.bits(uint64(d-distBase[ds]), uint(distExtra[ds]))
	}
}

// glyphData is glyph g of the face as a subset holds it, before any
// renumbering: its bytes and the zeros that pad it to four bytes; not ok
// if the face's loca table puts it outside glyf (a malformed face: the
// glyph is then never coded ahead, and a cut that takes it fails).
func (utf *utf8FontFile) glyphData(glyf []byte, g int) (data []byte, pad int, ok bool) {
	from, to := utf.symbolPosition[g], utf.symbolPosition[g+1]
	if from < 0 || from > to || to > len(glyf) {
		return nil, 0, false
	}
	data = glyf[from:to]
	return data, (4 - len(data)%4) % 4, true
}

// composite reports whether a glyph's data is a composite glyph, which
// the cut renumbers (the cut's own test).
func composite(data []byte) bool { return len(data) > 2 && data[0]&0x80 != 0 }

// sampleRanges are the characters whose glyphs the face's code is made
// from: Vietnamese and Latin, digits, punctuation (what documents set).
// Other glyphs are coded with it too, as well as it fits them.
var sampleRanges = [][2]int{{0x20, 0x180}, {0x1A0, 0x1B1}, {0x300, 0x324}, {0x1EA0, 0x1EFA}, {0x2010, 0x2030}}

// makeGlyfCode makes the face's code from the glyphs of sampleRanges
// (once per parsed face; about a millisecond: coding every glyph of a
// face up front took eight); each glyph is coded on first use (glyph).
func (utf *utf8FontFile) makeGlyfCode() *glyfCode {
	glyf := utf.getTableData("glyf")
	n := len(utf.symbolPosition) - 1
	var litFreq [numLit]int
	var distFreq [numDist]int
	head := hashHeads.Get()
	defer hashHeads.Put(head)
	seen := make([]bool, n)
	var ts []token
	for _, r := range sampleRanges {
		for c := r[0]; c < r[1]; c++ {
			g, ok := utf.charSymbolDictionary[c]
			if !ok || g < 0 || g >= n || seen[g] {
				continue
			}
			seen[g] = true
			data, pad, ok := utf.glyphData(glyf, g)
			if !ok {
				continue
			}
			ts = tokenize(data, head, ts[:0])
			litFreq[0] += pad
			for _, t := range ts {
				if t.length == 0 {
					litFreq[t.lit]++
					continue
				}
				litFreq[257+int(lengthSym[t.length])]++
				distFreq[distSymbol(int(t.dist))]++
			}
		}
	}
	// Every symbol gets a code: any glyph, and a composite's bytes as
	// the cut leaves them, are coded with it, and complete codes are what
	// every inflater accepts.
	for i := range litFreq {
		litFreq[i]++
	}
	for i := range distFreq {
		distFreq[i]++
	}
	litLen := huffLengths(litFreq[:], 15)
	distLen := huffLengths(distFreq[:], 15)
	c := &glyfCode{lit: canonical(litLen), dist: canonical(distLen), glyphs: make([]atomic.Pointer[bitString], n), face: glyf}
	// The header: not final, dynamic, the face's code.
	var w bitWriter
	w.bits(0, 1)
	w.bits(2, 2)
	w.codeLengths(litLen, distLen)
	c.header = w.done()
	return c
}

// glyph is glyph g coded (tokens and padding), made on first use; nil
// bits for a composite glyph, which the cut changes, and for one outside
// glyf.
func (c *glyfCode) glyph(utf *utf8FontFile, g int) *bitString {
	if s := c.glyphs[g].Load(); s != nil {
		return s
	}
	data, pad, ok := utf.glyphData(c.face, g)
	s := &bitString{}
	if ok && !composite(data) {
		head := hashHeads.Get()
		ts := tokenize(data, head, make([]token, 0, len(data)+pad))
		hashHeads.Put(head)
		for range pad {
			ts = append(ts, token{})
		}
		w := bitWriter{out: make([]byte, 0, len(data))}
		w.tokens(ts, c.lit, c.dist)
		*s = w.done()
		s.adler = adlerJoin(adler32.Checksum(data), 1|uint32(pad)<<16, pad) // the zeros of the padding
	}
	c.glyphs[g].Store(s) // another render may have stored the same bits
	return s
}

// fits reports whether a glyf table of size bytes can be the face's
// glyphs keys in that order.
func (c *glyfCode) fits(utf *utf8FontFile, size int, keys []int) bool {
	for _, g := range keys {
		if g < 0 || g >= len(c.glyphs) {
			return false
		}
		n := utf.symbolPosition[g+1] - utf.symbolPosition[g]
		if n < 0 {
			return false
		}
		size -= n + (4-n%4)%4
	}
	return size == 0
}

// deflate appends to dst the tables of a subset that vary, before and
// after its glyf table, glyf, whose glyphs are the face's glyphs keys in
// that order (fits), as one deflate block (not final) ended by a sync
// flush, so that it joins deflateRun's runs. The tables around glyf (the
// table directory, cmap, head, hhea, hmtx, loca, maxp: one or two
// kilobytes) are coded with the face's code too: building a code for
// them cost as much as the glyf.
//
// It returns the Adler-32 of before, glyf and after too, from the glyphs'
// own (a composite's from its bytes as cut).
func (c *glyfCode) deflate(utf *utf8FontFile, dst, before, glyf, after []byte, keys []int) ([]byte, uint32) {
	w := bitWriter{out: dst}
	w.string(c.header)
	head := hashHeads.Get()
	defer hashHeads.Put(head)
	ts := tokenize(before, head, make([]token, 0, max(len(before), len(after))))
	w.tokens(ts, c.lit, c.dist)
	sum := adler32.Checksum(before)
	off := 0
	for _, g := range keys {
		n := utf.symbolPosition[g+1] - utf.symbolPosition[g]
		n += (4 - n%4) % 4
		if s := c.glyph(utf, g); s.b != nil || n == 0 {
			if s.n > 0 {
				w.string(*s)
			}
			if n > 0 {
				sum = adlerJoin(sum, s.adler, n)
			}
		} else {
			for _, b := range glyf[off : off+n] {
				w.code(c.lit[b])
			}
			sum = adlerJoin(sum, adler32.Checksum(glyf[off:off+n]), n)
		}
		off += n
	}
	w.tokens(tokenize(after, head, ts[:0]), c.lit, c.dist)
	w.code(c.lit[endBlock])
	w.bits(0, 3) // sync flush: an empty stored block, not final,
	w.done()     // byte-aligned,
	return append(w.out, 0, 0, 0xFF, 0xFF), adlerJoin(sum, adler32.Checksum(after), len(after))
}

// glyfCode is the face's glyph code, made on first use.
func (utf *utf8FontFile) glyfCode() *glyfCode {
	d := utf.deflated
	d.glyfOnce.Do(func() { d.glyf = utf.makeGlyfCode() })
	return d.glyf
}

// huffLengths are the lengths of a Huffman code for freq (every
// frequency above zero gets a code) of at most limit bits: where the
// optimal code is longer, the frequencies are halved until it is not.
func huffLengths(freq []int, limit int) []uint8 {
	f := slices.Clone(freq)
	for {
		l := optimalLengths(f)
		if slices.Max(l) <= uint8(limit) {
			return l
		}
		for i := range f {
			if f[i] > 0 {
				f[i] = (f[i] + 1) / 2
			}
		}
	}
}

// optimalLengths are the lengths of a Huffman code for freq (symbols of
// frequency 0 get none), built with two queues.
func optimalLengths(freq []int) []uint8 {
	// A leaf is its frequency and symbol in one number, sorted as one.
	leaves := make([]uint64, 0, len(freq))
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, uint64(f)<<16|uint64(s))
		}
	}
	lengths := make([]uint8, len(freq))
	if len(leaves) == 1 {
		lengths[leaves[0]&0xFFFF] = 1
	}
	if len(leaves) < 2 {
		return lengths
	}
	slices.Sort(leaves)
	m := len(leaves)
	// Nodes 0..m-1 are the leaves in that order, m.. the inner nodes as
	// made (their weights never decrease); a parent comes after its
	// children.
	parent := make([]int, 2*m-1)
	weight := make([]int, 2*m-1)
	for i, l := range leaves {
		weight[i] = int(l >> 16)
	}
	li, ii, next := 0, m, m
	pick := func() int {
		if li < m && (ii >= next || weight[li] <= weight[ii]) {
			li++
			return li - 1
		}
		ii++
		return ii - 1
	}
	for ; next < 2*m-1; next++ {
		a, b := pick(), pick()
		parent[a], parent[b] = next, next
		weight[next] = weight[a] + weight[b]
	}
	depth := make([]uint8, 2*m-1)
	for n := 2*m - 3; n >= 0; n-- {
		depth[n] = depth[parent[n]] + 1
	}
	for i, l := range leaves {
		lengths[l&0xFFFF] = depth[i]
	}
	return lengths
}

// canonical is deflate's canonical code of lengths, bits reversed as
// they are written.
func canonical(lengths []uint8) []hcode {
	var count, next [16]int
	for _, l := range lengths {
		if l > 0 {
			count[l]++
		}
	}
	code := 0
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	out := make([]hcode, len(lengths))
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		r := 0
		for range l {
			r = r<<1 | c&1
			c >>= 1
		}
		out[s] = hcode{uint16(r), l}
	}
	return out
}

var hashHeads = newFreeList(func() *[1 << glyphHashLen]int32 { return new([1 << glyphHashLen]int32) })

// codeLengths writes HLIT, HDIST, HCLEN, the code length code and the
// code lengths of a dynamic block (each length as it is: one header per
// face).
func (w *bitWriter) codeLengths(litLen, distLen []uint8) {
	var clFreq [19]int
	for _, l := range litLen {
		clFreq[l]++
	}
	for _, l := range distLen {
		clFreq[l]++
	}
	clFreq[0], clFreq[1] = max(clFreq[0], 1), max(clFreq[1], 1) // a complete code: two at least
	clLen := huffLengths(clFreq[:], 7)
	cl := canonical(clLen)
	numCL := 19
	for numCL > 4 && clLen[clOrder[numCL-1]] == 0 {
		numCL--
	}
	w.bits(uint64(len(litLen)-257), 5)
	w.bits(uint64(len(distLen)-1), 5)
	w.bits(uint64(numCL-4), 4)
	for _, s := range clOrder[:numCL] {
		w.bits(uint64(clLen[s]), 3)
	}
	for _, l := range litLen {
		w.code(cl[l])
	}
	for _, l := range distLen {
		w.code(cl[l])
	}
}
