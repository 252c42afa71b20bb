package fpdf

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestOutBuffer: writes of every size, across the chunks' boundaries,
// read back as a bytes.Buffer holds them, Len counting as they go, and
// Bytes is the same when asked again.
func TestOutBuffer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b outBuffer
	var want bytes.Buffer
	for i := 0; want.Len() < 5<<20; i++ {
		p := make([]byte, rng.IntN([]int{10, 1000, 200 << 10, 3 << 20}[i%4]))
		for k := range p {
			p[k] = byte(rng.IntN(256))
		}
		if i%2 == 0 {
			b.Write(p)
		} else {
			b.WriteString(string(p))
		}
		want.Write(p)
		if b.Len() != want.Len() {
			t.Fatalf("Len %d, want %d", b.Len(), want.Len())
		}
	}
	got := b.Bytes()
	if !bytes.Equal(got, want.Bytes()) || cap(got) != len(got) {
		t.Fatalf("%d bytes (cap %d), want %d", len(got), cap(got), want.Len())
	}
	if !bytes.Equal(b.Bytes(), want.Bytes()) {
		t.Fatal("Bytes differs when asked again")
	}
	var small outBuffer
	small.WriteString("%PDF")
	if string(small.Bytes()) != "%PDF" {
		t.Fatal("a small file")
	}
}

// TestOutBufferToOutput: with a destination, the same writes reach it
// whole, in order, in chunks of at most 64 KB (a write larger than that
// is cut), nothing is held (Bytes is nil), Len counts as it goes, and
// the SHA-256 asked for is that of what was written up to then.
func TestOutBufferToOutput(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var dst chunks
	b := outBuffer{dst: &dst}
	if err := b.hashFile(); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for i := 0; want.Len() < 3<<20; i++ {
		p := make([]byte, rng.IntN([]int{10, 1000, 200 << 10}[i%3]))
		for k := range p {
			p[k] = byte(rng.IntN(256))
		}
		b.Write(p)
		want.Write(p)
		if b.Len() != want.Len() {
			t.Fatalf("Len %d, want %d", b.Len(), want.Len())
		}
	}
	if sum := b.fileSum(); sum != sha256.Sum256(want.Bytes()) {
		t.Fatal("fileSum is not the SHA-256 of what was written")
	}
	b.WriteString("trailer")
	want.WriteString("trailer")
	b.flush()
	if !bytes.Equal(dst.Bytes(), want.Bytes()) {
		t.Fatalf("%d bytes written, want %d", dst.Len(), want.Len())
	}
	if dst.largest > firstChunk || dst.writes < want.Len()/firstChunk {
		t.Errorf("%d writes, the largest %d bytes", dst.writes, dst.largest)
	}
	if b.Bytes() != nil || b.full != nil {
		t.Error("the file is held")
	}
	if err := b.hashFile(); err != nil {
		t.Errorf("hashFile again: %v", err)
	}
	late := outBuffer{dst: &dst}
	late.WriteString("%PDF")
	if late.hashFile() == nil {
		t.Error("hashFile after the file began: no error")
	}
}

type chunks struct {
	bytes.Buffer
	writes, largest int
}

func (c *chunks) Write(p []byte) (int, error) {
	c.writes++
	c.largest = max(c.largest, len(p))
	return c.Buffer.Write(p)
}

// TestOutputFails: a document whose output fails stops at the next page
// with the output's error (it does not lay out the rest writing
// nowhere), and Finish returns it.
func TestOutputFails(t *testing.T) {
	f := newDoc(t)
	addFamily(t, f)
	full := errors.New("disk full")
	var out failing
	out.err = full
	f.SetOutput(&out)
	f.SetFont("serif", "", 12)
	pages := 0
	for f.err == nil && pages < 10000 {
		f.AddPage()
		pages++
		for y := 20.0; y < 280; y += 5 {
			f.Text(20, y, "Kế hoạch thực hiện nhiệm vụ trọng tâm năm 2024 của Ủy ban nhân dân tỉnh")
		}
	}
	if !errors.Is(f.err, full) {
		t.Fatalf("after %d pages: %v", pages, f.err)
	}
	if pages > 200 {
		t.Errorf("%d pages laid out after the output failed", pages)
	}
	if _, err := f.Finish(); !errors.Is(err, full) {
		t.Errorf("Finish: %v", err)
	}
	if out.writes != 1 {
		t.Errorf("%d writes after the output failed", out.writes)
	}
}

type failing struct {
	err    error
	writes int
}

func (f *failing) Write(p []byte) (int, error) {
	f.writes++
	return 0, f.err
}

// TestFinishWritesAll: a document written to an output is the document
// Bytes returns, and Finish gives its size.
func TestFinishWritesAll(t *testing.T) {
	make := func(out *bytes.Buffer) *Fpdf {
		f := newDoc(t)
		f.SetCompression(true)
		if out != nil {
			f.SetOutput(out)
		}
		addFamily(t, f)
		f.SetFont("serif", "", 12)
		for range 40 {
			f.AddPage()
			for y := 20.0; y < 280; y += 5 {
				f.Text(20, y, "Báo cáo tình hình thực hiện")
			}
		}
		return f
	}
	want, err := make(nil).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := make(&out).Finish()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) || n != int64(len(want)) {
		t.Fatalf("written %d bytes (said %d), held %d", out.Len(), n, len(want))
	}
	if _, err := make(nil).Finish(); err == nil {
		t.Error("Finish without an output: no error")
	}
	if _, err := make(&bytes.Buffer{}).Bytes(); err == nil {
		t.Error("Bytes of a document written to an output: no error")
	}
}
