package fpdf

import (
	"bytes"
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
