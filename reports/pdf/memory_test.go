package pdf

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

// peakLive samples the live heap (as of each collection) until stop is
// closed and returns its largest value, in bytes.
func peakLive(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		peak := uint64(0)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				metrics.Read(s)
				out <- max(peak, s[0].Value.Uint64())
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// renderPeak renders d's appendix and returns the peak live heap during
// the render above what was live before it (the file, still held at the
// end, counts), and the file's size. With stream, the file is written to
// an output as it is made (WriteAppendix), and not held.
func renderPeak(tb testing.TB, r *Renderer, d *doc.Document, stream bool) (peak uint64, size int) {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	stop := make(chan struct{})
	peaks := peakLive(stop)
	var out []byte
	var err error
	if stream {
		var n int64
		n, err = r.WriteAppendix(context.Background(), io.Discard, d)
		size = int(n)
	} else {
		out, err = r.Appendix(context.Background(), d)
		size = len(out)
	}
	if err != nil {
		tb.Fatal(err)
	}
	runtime.GC()
	close(stop)
	p := <-peaks
	runtime.KeepAlive(out)
	return p - min(p, before), size
}

// BenchmarkAppendixMemory renders generated appendices of 100 to 50,000
// tasks and reports the render's peak live heap above what was live
// before it (the document itself excluded: it is the caller's), against
// the size of the file: with rows typeset, drawn and let go as the table
// goes and pages deflated and written as they are finished, it stays
// within the file's size and a few megabytes when the file is held
// (to=memory, Appendix), and within a few megabytes whatever the size
// when it is written as it is made (to=output, WriteAppendix).
//
//	go test -run '^$' -bench AppendixMemory -benchtime 1x ./reports/pdf
func BenchmarkAppendixMemory(b *testing.B) {
	fam, _ := fonts.Default()
	r := New(fam)
	for _, n := range []int{100, 1000, 10000, 50000} {
		d := sample.Plan(n)
		for _, stream := range []bool{false, true} {
			to := "memory"
			if stream {
				to = "output"
			}
			b.Run(fmt.Sprintf("tasks=%d/to=%s", n, to), func(b *testing.B) {
				if _, err := r.Appendix(context.Background(), sample.Plan(10)); err != nil { // the repertoire, once
					b.Fatal(err)
				}
				for b.Loop() {
					p, size := renderPeak(b, r, d, stream)
					b.ReportMetric(float64(size)/(1<<20), "file-MB")
					b.ReportMetric(float64(p)/(1<<20), "peak-live-MB")
				}
			})
		}
	}
}

// TestAppendixMemoryBounded: a 5,000-task appendix renders with a peak
// live heap (beyond the document) within twice its file and 8 MB: rows
// are typeset, drawn and let go as the table goes, pages deflated and
// written into the file as they are finished. Before, every row was
// typeset first and every page kept until the end: about ten times the
// file.
func TestAppendixMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 5,000 tasks")
	}
	fam, _ := fonts.Default()
	r := New(fam)
	d := sample.Plan(5000)
	if _, err := r.Appendix(context.Background(), sample.Plan(10)); err != nil {
		t.Fatal(err)
	}
	p, size := renderPeak(t, r, d, false)
	if limit := uint64(2*size + 8<<20); p > limit {
		t.Errorf("peak live heap %.1f MB for a file of %.1f MB (limit %.1f MB)", float64(p)/(1<<20), float64(size)/(1<<20), float64(limit)/(1<<20))
	}
}

// liveAt is an output that, once it has been given at bytes, collects
// and reads the live heap.
type liveAt struct {
	n, at int
	live  uint64
}

func (l *liveAt) Write(b []byte) (int, error) {
	if l.n <= l.at && l.n+len(b) > l.at {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		l.live = s[0].Value.Uint64()
	}
	l.n += len(b)
	return len(b), nil
}

// TestWriteHoldsNoFile: a 20,000-task appendix written to an output as it
// is made (WriteAppendix, 10 MB) holds neither its pages nor its file:
// when 8 MB have been written, the live heap is within 6 MB of what it
// was before the render (the document, the caller's, included in both);
// holding what was written would be 8 MB more. (About 3 MB at 2,000 and
// 5,000 tasks too: it does not grow with the document.)
func TestWriteHoldsNoFile(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 20,000 tasks")
	}
	fam, _ := fonts.Default()
	r := New(fam)
	if _, err := r.Appendix(context.Background(), sample.Plan(10)); err != nil { // the repertoire, once
		t.Fatal(err)
	}
	d := sample.Plan(20000)
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	out := &liveAt{at: 8 << 20}
	if _, err := r.WriteAppendix(context.Background(), out, d); err != nil {
		t.Fatal(err)
	}
	if out.n < 9<<20 || out.live == 0 {
		t.Fatalf("a file of %d bytes", out.n)
	}
	if grown := int64(out.live) - int64(before); grown > 6<<20 {
		t.Errorf("live heap %.1f MB above the start once 8 MB were written", float64(grown)/(1<<20))
	}
}
