package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"runtime"
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
	type stream struct {
		start, data, end int // dictionary start, data start, data end
		z                []byte
	}
	var streams []stream
	for _, m := range plainStream.FindAllSubmatchIndex(in, -1) {
		if len(streams) > 0 && m[0] < streams[len(streams)-1].end {
			continue
		}
		n, err := strconv.Atoi(string(in[m[2]:m[3]]))
		if err != nil || m[1]+n > len(in) {
			return nil, fmt.Errorf("pdf stream at %d: bad length", m[0])
		}
		streams = append(streams, stream{start: m[0], data: m[1], end: m[1] + n})
	}
	// Deflate the streams in parallel: for a long table they are most of
	// the file.
	var wg sync.WaitGroup
	errs := make([]error, len(streams))
	next := make(chan int, len(streams))
	for i := range streams {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), len(streams)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			zw := zwPool.Get().(*zlib.Writer)
			defer zwPool.Put(zw)
			for i := range next {
				var z bytes.Buffer
				zw.Reset(&z)
				if _, err := zw.Write(in[streams[i].data:streams[i].end]); err != nil {
					errs[i] = err
					continue
				}
				errs[i] = zw.Close()
				streams[i].z = z.Bytes()
			}
		}()
	}
	wg.Wait()
	out := bytes.NewBuffer(make([]byte, 0, len(in)/3))
	pos := 0
	for i, st := range streams {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out.Write(in[pos:st.start])
		fmt.Fprintf(out, "<</Filter /FlateDecode /Length %d>>\nstream\n", len(st.z))
		out.Write(st.z)
		pos = st.end
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
