package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"strconv"
	"sync"
)

// fpdf compresses each stream with a new zlib writer, about a megabyte of
// allocation per page; for a long table that dominated the render time. So
// fpdf writes streams plain, and compressStreams deflates them afterwards
// with pooled writers and rebuilds the cross-reference table.

var zwPool = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return zw
}}

var (
	plainStream = regexp.MustCompile(`<</Length (\d+)>>\nstream\n`)
	objStart    = regexp.MustCompile(`(?m)^(\d+) 0 obj\n`)
	xrefStart   = regexp.MustCompile(`\nxref\n0 (\d+)\n`)
)

// compressStreams deflates every stream without a filter and rewrites the
// xref table for the new object offsets.
func compressStreams(in []byte) ([]byte, error) {
	out := bytes.NewBuffer(make([]byte, 0, len(in)/3))
	zw := zwPool.Get().(*zlib.Writer)
	defer zwPool.Put(zw)
	var z bytes.Buffer
	pos := 0
	for _, m := range plainStream.FindAllSubmatchIndex(in, -1) {
		if m[0] < pos {
			continue
		}
		n, err := strconv.Atoi(string(in[m[2]:m[3]]))
		if err != nil || m[1]+n > len(in) {
			return nil, fmt.Errorf("pdf stream at %d: bad length", m[0])
		}
		z.Reset()
		zw.Reset(&z)
		if _, err := zw.Write(in[m[1] : m[1]+n]); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		out.Write(in[pos:m[0]])
		fmt.Fprintf(out, "<</Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
		out.Write(z.Bytes())
		pos = m[1] + n
	}
	out.Write(in[pos:])
	return rebuildXref(out.Bytes())
}

// rebuildXref rewrites the xref table and startxref of a PDF whose objects
// moved.
func rebuildXref(b []byte) ([]byte, error) {
	x := xrefStart.FindSubmatchIndex(b)
	if x == nil {
		return nil, fmt.Errorf("pdf: no xref table")
	}
	count, _ := strconv.Atoi(string(b[x[2]:x[3]]))
	offsets := make([]int, count)
	for _, m := range objStart.FindAllSubmatchIndex(b[:x[0]], -1) {
		n, _ := strconv.Atoi(string(b[m[2]:m[3]]))
		if n > 0 && n < count {
			offsets[n] = m[0]
		}
	}
	trailer := bytes.Index(b[x[0]:], []byte("\ntrailer\n"))
	if trailer < 0 {
		return nil, fmt.Errorf("pdf: no trailer")
	}
	end := bytes.Index(b[x[0]+trailer:], []byte("\nstartxref\n"))
	if end < 0 {
		return nil, fmt.Errorf("pdf: no startxref")
	}
	var out bytes.Buffer
	out.Grow(len(b) + 64)
	out.Write(b[:x[0]+1])
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", count)
	for _, off := range offsets[1:] {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	out.Write(b[x[0]+trailer+1 : x[0]+trailer+end+1])
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}
