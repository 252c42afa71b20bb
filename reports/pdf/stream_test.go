package pdf

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/sample"
)

// pieces is a writer that keeps what it is given and counts the writes.
type pieces struct {
	bytes.Buffer
	writes int
}

func (p *pieces) Write(b []byte) (int, error) {
	p.writes++
	return p.Buffer.Write(b)
}

// TestWriteSameBytes: a file written to an output as it is made
// (WriteDocument, WriteAppendix) is byte for byte the file held in memory
// (Document, Appendix) — which TestGolden pins — for every seed fixture,
// plan and appendix, plain and PDF/A (whose /ID is the hash of the file
// as it is written), and for a generated appendix of 3,000 tasks, which
// goes out in many writes while it is laid out; the size returned is the
// file's.
func TestWriteSameBytes(t *testing.T) {
	plain := renderer(t)
	docs := map[string]*doc.Document{"sample-3000": sample.Plan(3000)}
	for _, file := range fixtures(t) {
		docs[strings.TrimSuffix(filepath.Base(file), ".json")] = loadSample(t, file)
	}
	for name, d := range docs {
		for _, r := range []*Renderer{plain, plain.PDFA()} {
			for _, kind := range []string{"plan", "appendix"} {
				if kind == "appendix" && len(d.Printed().Appendices) == 0 {
					continue
				}
				if kind == "plan" && name == "sample-3000" {
					continue
				}
				held, write := r.Document, r.WriteDocument
				if kind == "appendix" {
					held, write = r.Appendix, r.WriteAppendix
				}
				want, err := held(context.Background(), d)
				if err != nil {
					t.Fatalf("%s %s: %v", name, kind, err)
				}
				var got pieces
				n, err := write(context.Background(), &got, d)
				if err != nil {
					t.Fatalf("%s %s written: %v", name, kind, err)
				}
				if !bytes.Equal(got.Bytes(), want) || n != int64(len(want)) {
					t.Errorf("%s %s (PDF/A %v): written %d bytes (said %d), held %d: not the same", name, kind, r.pdfa, got.Len(), n, len(want))
				}
				if !bytes.HasPrefix(got.Bytes(), []byte("%PDF-1.4\n")) {
					t.Errorf("%s %s: header %q", name, kind, got.Bytes()[:9])
				}
				if name == "sample-3000" && got.writes < 10 {
					t.Errorf("%s: %d writes for %d bytes: the file was not written as it was made", name, got.writes, got.Len())
				}
			}
		}
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct {
	n       int
	written int
	writes  int
}

var errFull = errors.New("no space left on device")

func (f *failAfter) Write(b []byte) (int, error) {
	if f.written+len(b) > f.n {
		f.writes++
		return 0, errFull
	}
	f.written += len(b)
	return len(b), nil
}

// TestWriteFails: an output that fails in the middle of a long appendix
// ends the render with its error (wrapped), and is not written to again
// (fpdf's TestOutputFails shows the layout stops at the next page).
func TestWriteFails(t *testing.T) {
	r := renderer(t)
	out := &failAfter{n: 200 << 10}
	n, err := r.WriteAppendix(context.Background(), out, sample.Plan(3000))
	if !errors.Is(err, errFull) || !strings.Contains(err.Error(), "write pdf") {
		t.Fatalf("err = %v, want the output's error", err)
	}
	if n != 0 {
		t.Errorf("size %d on a failed write", n)
	}
	if out.writes != 1 {
		t.Errorf("%d failed writes: the render went on after the output failed", out.writes)
	}
}

// TestWriteCancelled: a render to an output stops with its context's
// error.
func TestWriteCancelled(t *testing.T) {
	r := renderer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if _, err := r.WriteAppendix(ctx, &out, sample.Plan(200)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
