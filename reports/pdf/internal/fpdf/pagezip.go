// baocao: page content streams deflated with one code made for them.
// Not part of upstream fpdf; see README.md.

package fpdf

import (
	"encoding/binary"
	"hash/adler32"
	"strconv"
	"sync"
)

// A page's content stream is a few kilobytes of the same operators,
// numbers and two-byte glyph codes, page after page. Deflating each page
// with a code made for it (klauspost/compress at its fastest level) spent
// most of its time on what every page repeats: counting its symbols and
// building its Huffman codes (a third of the deflate), besides matching.
// Here every page is one dynamic block coded with one code made once from
// the symbols of typical pages (pagecode_table.go): the block's header is
// the same bits for every page, and a page is matched and written in one
// pass, with no count, no code to build and no tokens kept. Every symbol
// has a code, so any page can be written with it; a page unlike those the
// code was made from is only larger. The result is a zlib stream as any
// reader inflates it.

// pageCoder is the page code: its block header, and its codes as they
// are written: a literal's; a match length's code with its extra bits
// after it; a distance symbol's code, its extra bits to be added above it.
type pageCoder struct {
	header bitString // a final dynamic block's header with the code
	lit    [256]hcode
	end    hcode
	length [maxMatch + 1]wideCode
	dist   [numDist]hcode
}

// wideCode is a code and extra bits as written, up to 32 bits.
type wideCode struct {
	bits uint32
	len  uint8
}

// pageCode is made on first use from pageLitFreq and pageDistFreq.
var pageCode = sync.OnceValue(func() *pageCoder {
	litLen, distLen := pageCodeLengths()
	litCodes, distCodes := canonical(litLen), canonical(distLen)
	c := &pageCoder{}
	copy(c.lit[:], litCodes)
	copy(c.dist[:], distCodes)
	c.end = litCodes[endBlock]
	for l := minMatch; l <= maxMatch; l++ {
		ls := int(lengthSym[l])
		lc := litCodes[257+ls]
		c.length[l] = wideCode{uint32(lc.bits) | uint32(l-lengthBase[ls])<<lc.len, lc.len + uint8(lengthExtra(ls))}
	}
	var w bitWriter
	w.bits(1, 1) // final
	w.bits(2, 2) // dynamic
	w.codeLengths(litLen, distLen)
	c.header = w.done()
	return c
})

// pageCodeLengths are the page code's lengths, from the table.
func pageCodeLengths() (lit, dist []uint8) {
	litFreq := make([]int, numLit)
	distFreq := make([]int, numDist)
	for i, f := range pageLitFreq {
		litFreq[i] = int(f)
	}
	for i, f := range pageDistFreq {
		distFreq[i] = int(f)
	}
	return pageLengths(litFreq, distFreq)
}

// pageLengths are the lengths of a code for symbols counted so (each
// count one more: every symbol gets a code, so that any page can be
// written with it, and complete codes are what every inflater accepts).
func pageLengths(litFreq, distFreq []int) (lit, dist []uint8) {
	l := make([]int, len(litFreq))
	for i, f := range litFreq {
		l[i] = f + 1
	}
	d := make([]int, len(distFreq))
	for i, f := range distFreq {
		d[i] = f + 1
	}
	return huffLengths(l, 15), huffLengths(d, 15)
}

const pageHashLen = 14

var pageHashes = newFreeList(func() *[1 << pageHashLen]int32 { return new([1 << pageHashLen]int32) })

// zipPage appends page to dst as a zlib stream: a header, one final
// dynamic block with the page code, the Adler-32 of page.
// A page the code does not suit (never one baocao writes: bytes in no
// order, as random data) is stored instead, when that is smaller.
func zipPage(dst, page []byte) []byte {
	c := pageCode()
	start := len(dst)
	dst = append(dst, 0x78, 0x01) // deflate, 32 KB window, fastest
	w := bitWriter{out: dst}
	w.string(c.header)
	table := pageHashes.Get()
	c.write(&w, page, table, nil)
	pageHashes.Put(table)
	w.code(c.end)
	w.done()
	if stored := 2 + len(page) + 5*max(1, (len(page)+0xFFFE)/0xFFFF); len(w.out)-start > stored {
		w.out = storeBlocks(w.out[:start+2], page)
	}
	return binary.BigEndian.AppendUint32(w.out, adler32.Checksum(page))
}

// storeBlocks appends data as stored blocks of at most 65,535 bytes, the
// last one final.
func storeBlocks(dst, data []byte) []byte {
	for {
		n := min(len(data), 0xFFFF)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		dst = append(dst, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		dst = append(dst, data[:n]...)
		data = data[n:]
		if final == 1 {
			return dst
		}
	}
}

// write writes data as literals and matches within it (greedy, four
// bytes hashed, 4 to 258 bytes at most 32 KB back) as they are found; or,
// with count, counts their symbols instead.
func (c *pageCoder) write(w *bitWriter, data []byte, table *[1 << pageHashLen]int32, count *pageCounts) {
	clear(table[:])
	const mul = 2654435761
	for i := 0; i < len(data); {
		if i+minMatch <= len(data) {
			cur := binary.LittleEndian.Uint32(data[i:])
			h := (cur * mul) >> (32 - pageHashLen)
			cand := int(table[h]) - 1
			table[h] = int32(i + 1)
			if cand >= 0 && i-cand <= 32768 && binary.LittleEndian.Uint32(data[cand:]) == cur {
				l := matchLength(data, cand, i)
				d := i - cand
				ds := distSymbol(d)
				if count != nil {
					count.lit[257+int(lengthSym[l])]++
					count.dist[ds]++
				} else {
					lc := c.length[l]
					w.bits(uint64(lc.bits), uint(lc.len))
					dc := c.dist[ds]
					w.bits(uint64(dc.bits)|uint64(d-distBase[ds])<<dc.len, uint(dc.len)+uint(distExtra[ds]))
				}
				// Only the match's last two positions are remembered, as
				// fast deflaters do: a page is short lines that repeat.
				for k := max(i+1, i+l-2); k < i+l && k+minMatch <= len(data); k++ {
					table[(binary.LittleEndian.Uint32(data[k:])*mul)>>(32-pageHashLen)] = int32(k + 1)
				}
				i += l
				continue
			}
		}
		if count != nil {
			count.lit[data[i]]++
		} else {
			w.code(c.lit[data[i]])
		}
		i++
	}
}

// PageSymbols counts the symbols of pages as zipPage matches them: what
// the page code is made from (pagecode_table.go; reports/pdf
// TestPageCode makes it from the seeds' pages and a long table's).
type PageSymbols struct{ counts pageCounts }

type pageCounts struct {
	lit  [numLit]int
	dist [numDist]int
}

// Add counts the symbols of page.
func (s *PageSymbols) Add(page []byte) {
	table := pageHashes.Get()
	(&pageCoder{}).write(nil, page, table, &s.counts)
	pageHashes.Put(table)
	s.counts.lit[endBlock]++
}

// Bits is the size in bits of the pages counted, coded with the page code
// (current) or with a code made from these counts (not current), without
// the extra bits of lengths and distances (the same either way).
func (s *PageSymbols) Bits(current bool) int {
	litLen, distLen := pageLengths(s.counts.lit[:], s.counts.dist[:])
	if current {
		litLen, distLen = pageCodeLengths()
	}
	n := 0
	for i, f := range s.counts.lit {
		n += f * int(litLen[i])
	}
	for i, f := range s.counts.dist {
		n += f * int(distLen[i])
	}
	return n
}

// Source is pagecode_table.go with these counts.
func (s *PageSymbols) Source() []byte {
	b := []byte("// Code generated by reports/pdf TestPageCode -update; DO NOT EDIT.\n\npackage fpdf\n\n" +
		"// The symbols of typical pages (pagezip.go), counted.\n\nvar pageLitFreq = [numLit]uint32{")
	list := func(counts []int) {
		for i, c := range counts {
			if i%16 == 0 {
				b = append(b, "\n\t"...)
			} else {
				b = append(b, ' ')
			}
			b = strconv.AppendInt(b, int64(c), 10)
			b = append(b, ',')
		}
		b = append(b, "\n}\n"...)
	}
	list(s.counts.lit[:])
	b = append(b, "\nvar pageDistFreq = [numDist]uint32{"...)
	list(s.counts.dist[:])
	return b
}
