// baocao: the CIDToGIDMap and W array of UTF-8 fonts, written directly.
// Not part of upstream fpdf; see README.md.

package fpdf

import (
	"math/bits"
	"strconv"
	"sync"
)

// cidToGIDMapZ is the zlib stream of a CIDToGIDMap: 65,536 big-endian
// glyph numbers, gid[cid] from m and 0 elsewhere. The map is mostly
// zeros, so rather than building and compressing the 128 KB array (what
// upstream does, for every font of every document) it is encoded straight
// away, as one deflate block (RFC 1951) whose Huffman codes suit it: a run
// of zeros is a literal zero and copies of 258 bytes at distance 1, two
// bits each; other bytes are literals. The decompressed stream is the same.
//
// codes are in code order (a cut's codeGlyphs).
func cidToGIDMapZ(codes []cidGlyph) []byte {
	const size = 256 * 256 * 2
	e := deflater{out: make([]byte, 0, 256+3*len(codes)), a: 1}
	e.out = append(e.out, 0x78, 0x01) // zlib header, as zlib.BestSpeed writes it
	h := mapHeader()
	e.out = append(e.out, h.out...)
	e.acc, e.nbits = h.acc, h.nbits
	pos := 0
	for _, c := range codes {
		cid, g := c.cid, c.glyph
		if cid < 0 || cid >= 256*256 {
			continue
		}
		e.zeros += 2*cid - pos
		e.byte(byte(g >> 8))
		e.byte(byte(g))
		pos = 2*cid + 2
	}
	e.zeros += size - pos
	e.flushZeros()
	e.code(995, 10) // end of block
	if e.nbits > 0 {
		e.out = append(e.out, byte(e.acc))
	}
	return append(e.out, byte(e.b>>8), byte(e.b), byte(e.a>>8), byte(e.a)) // Adler-32
}

// deflater writes one final deflate block with these codes (canonical,
// complete): the length symbol 285 (258 bytes) 1 bit; literals 0–226
// 9 bits (codes 256…); literals 227–255, end of block and the length
// symbols 257–284 10 bits (codes 966…); the one distance code (0,
// distance 1) 1 bit. It keeps the Adler-32 of the data.
type deflater struct {
	out      []byte
	acc      uint32
	nbits    uint
	zeros    int  // zero bytes not written yet
	lastZero bool // the last byte written was a zero
	a, b     uint32
}

const adlerMod = 65521

// bits writes the n low bits of v, least significant first.
func (e *deflater) bits(v uint32, n uint) {
	e.acc |= v << e.nbits
	e.nbits += n
	for e.nbits >= 8 {
		e.out = append(e.out, byte(e.acc))
		e.acc >>= 8
		e.nbits -= 8
	}
}

// code writes a Huffman code of n bits, most significant first.
func (e *deflater) code(c uint32, n uint) {
	e.bits(bits.Reverse32(c)>>(32-n), n)
}

// zeroBits writes n zero bits.
func (e *deflater) zeroBits(n int) {
	n += int(e.nbits)
	if n < 8 {
		e.nbits = uint(n)
		return
	}
	e.out = append(e.out, byte(e.acc))
	e.acc = 0
	n -= 8
	for ; n >= 8; n -= 8 {
		e.out = append(e.out, 0)
	}
	e.nbits = uint(n)
}

// mapHeader is the block header written once: the same bits for every
// map.
var mapHeader = sync.OnceValue(func() deflater {
	var e deflater
	e.header()
	return e
})

// header writes the block header with the code lengths above, themselves
// coded with: length 9 → "0", 1 → "10", 10 → "11".
func (e *deflater) header() {
	e.bits(1, 1)  // BFINAL
	e.bits(2, 2)  // BTYPE 10: dynamic Huffman codes
	e.bits(29, 5) // HLIT: 286 literal/length codes
	e.bits(0, 5)  // HDIST: 1 distance code
	e.bits(14, 4) // HCLEN: 18 code length codes, in the order below
	for _, sym := range [...]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1} {
		switch sym {
		case 9:
			e.bits(1, 3)
		case 1, 10:
			e.bits(2, 3)
		default:
			e.bits(0, 3)
		}
	}
	for sym := range 286 {
		switch {
		case sym <= 226:
			e.code(0, 1) // 9
		case sym < 285:
			e.code(3, 2) // 10
		default:
			e.code(2, 2) // 1
		}
	}
	e.code(2, 2) // the distance code: 1
}

func (e *deflater) literal(v byte) {
	if v <= 226 {
		e.code(256+uint32(v), 9)
	} else {
		e.code(966+uint32(v)-227, 10)
	}
}

// byte writes v (a zero only counts, to join its run).
func (e *deflater) byte(v byte) {
	if v == 0 {
		e.zeros++
		return
	}
	e.flushZeros()
	e.literal(v)
	e.lastZero = false
	e.a = (e.a + uint32(v)) % adlerMod
	e.b = (e.b + e.a) % adlerMod
}

// Base lengths of the length symbols 257… (RFC 1951, 3.2.5).
var lengthBase = [...]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}

// flushZeros writes the pending zeros: a literal zero unless the last
// byte was one, then copies at distance 1.
func (e *deflater) flushZeros() {
	n := e.zeros
	if n <= 0 {
		return
	}
	e.zeros = 0
	e.b = uint32((uint64(e.b) + uint64(n)*uint64(e.a)) % adlerMod)
	if !e.lastZero {
		e.literal(0)
		e.lastZero = true
		n--
	}
	for n > 0 {
		l := min(n, 258)
		if l < 3 {
			for range l {
				e.literal(0)
			}
			return
		}
		if n-l > 0 && n-l < 3 {
			l -= 3 // leave at least 3 for the next copy
		}
		n -= l
		i := len(lengthBase) - 1
		for lengthBase[i] > l {
			i--
		}
		if i == 28 {
			// 285 (258 bytes) at distance 1: two zero bits; then as many
			// more as this loop would write one by one, at once.
			runs := 1
			for n >= 258 && (n == 258 || n-258 >= 3) {
				n -= 258
				runs++
			}
			e.zeroBits(2 * runs)
			continue
		} else {
			e.code(996+uint32(i), 10)
			if extra := lengthExtra(i); extra > 0 {
				e.bits(uint32(l-lengthBase[i]), extra)
			}
		}
		e.code(0, 1) // distance 1
	}
}

// lengthExtra is the number of extra bits of the length symbol 257+i.
func lengthExtra(i int) uint {
	if i < 8 || i == 28 {
		return 0
	}
	return uint(i-4) / 4
}

// appendWidths appends the entries of a W array: the width of every
// character code up to last that has a width, codes above 255 only if
// used. A run of four or more codes of the same width is written as a
// range "first last width", other consecutive codes as a list
// "first [ widths ]". The widths are those upstream writes; its array is
// grouped differently (and took quadratic time to build).
func appendWidths(b []byte, cw []uint16, last int, used []int) []byte {
	type entry struct{ cid, w int }
	var list []entry
	flush := func() {
		if len(list) == 0 {
			return
		}
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(list[0].cid), 10)
		b = append(b, " ["...)
		for _, e := range list {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(e.w), 10)
		}
		b = append(b, " ]\n"...)
		list = list[:0]
	}
	end := min(last+1, len(cw))
	// The codes to consider, ascending: 1–255, then the used ones (used is
	// in order).
	cids := make([]int, 0, 255+len(used))
	for cid := 1; cid < min(256, end); cid++ {
		cids = append(cids, cid)
	}
	for _, cid := range used {
		if cid > 255 && cid < end {
			cids = append(cids, cid)
		}
	}
	for i := 0; i < len(cids); {
		cid := cids[i]
		w := int(cw[cid])
		if w == 0 {
			flush()
			i++
			continue
		}
		if i > 0 && cids[i-1] != cid-1 {
			flush() // not consecutive: a new list
		}
		if w == 65535 {
			w = 0
		}
		// The consecutive codes from cid on with the same width.
		k := 1
		for i+k < len(cids) && cids[i+k] == cid+k && cw[cid+k] == cw[cid] {
			k++
		}
		if k >= 4 {
			flush()
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(cid), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(cid+k-1), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(w), 10)
		} else {
			for j := range k {
				list = append(list, entry{cid + j, w})
			}
		}
		i += k
	}
	flush()
	return b
}
