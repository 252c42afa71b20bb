package fpdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// inflateZlib reads a zlib stream as a reader does (the standard library's,
// not the writer's own code).
func inflateZlib(t testing.TB, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("checksum: %v", err)
	}
	return out
}

func pageCases() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 100_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	// A pattern repeating at 40,000 bytes: its repeats are beyond the
	// window and must be written again.
	far := make([]byte, 40_000)
	for i := range far {
		far[i] = byte(rng.Uint32())
	}
	farTwice := append(append([]byte{}, far...), far...)
	all := make([]byte, 0, 512)
	for i := range 512 {
		all = append(all, byte(i), byte(255-i))
	}
	line := "BT 56.69 538.58 Td (\x00S\x00T\x00T) Tj\n0.57 w\n56.69 538.58 37.13 -35.60 re S\n"
	return map[string][]byte{
		"empty":             {},
		"one byte":          {'q'},
		"three bytes":       []byte("ET\n"),
		"every byte value":  all,
		"a long run":        bytes.Repeat([]byte{'a'}, 100_000),
		"runs of 258 and 1": []byte(strings.Repeat("x", 258) + "y" + strings.Repeat("x", 259) + "y" + strings.Repeat("x", 262)),
		"random":            random,
		"beyond the window": farTwice,
		"a page":            []byte(strings.Repeat(line, 300)),
		"a long page":       []byte(strings.Repeat(line, 20_000)), // 1.4 MB: one block
	}
}

// TestZipPage checks that every kind of page, deflated with the page
// code, inflates to itself, with its checksum, and the same bytes each
// time.
func TestZipPage(t *testing.T) {
	for name, page := range pageCases() {
		t.Run(name, func(t *testing.T) {
			z := zipPage(nil, page)
			if got := inflateZlib(t, z); !bytes.Equal(got, page) {
				t.Fatalf("inflated %d bytes, not the page's %d", len(got), len(page))
			}
			if again := zipPage(make([]byte, 0, 7), page); !bytes.Equal(again, z) {
				t.Fatal("the same page deflated to other bytes")
			}
			switch name {
			case "random", "beyond the window":
				// Stored: never more than 5 bytes a 64 KB block, and the
				// zlib header and checksum.
				if max := len(page) + 5*(len(page)/0xFFFF+1) + 6; len(z) > max {
					t.Errorf("%d random bytes deflated to %d, more than stored (%d)", len(page), len(z), max)
				}
			case "every byte value":
			default:
				if len(page) >= 1000 && len(z) > len(page)/4 {
					t.Errorf("%d bytes deflated to %d: the matches were not found", len(page), len(z))
				}
			}
		})
	}
}

// TestPageCodeComplete checks that the page code gives every symbol a
// code and that the codes are complete (Kraft sum one), as every inflater
// requires.
func TestPageCodeComplete(t *testing.T) {
	lit, dist := pageCodeLengths()
	for name, lengths := range map[string][]uint8{"literal/length": lit, "distance": dist} {
		sum := 0.0
		for s, l := range lengths {
			if l == 0 || l > 15 {
				t.Fatalf("%s symbol %d: length %d", name, s, l)
			}
			sum += 1 / float64(uint(1)<<l)
		}
		if sum != 1 {
			t.Errorf("%s code: Kraft sum %v, not 1", name, sum)
		}
	}
}

// TestPageSymbols checks the counts a page code is made from: a page's
// symbols, its end of block, and a table that is the counts.
func TestPageSymbols(t *testing.T) {
	var s PageSymbols
	s.Add([]byte("abcdabcdabcd"))
	if s.counts.lit['a'] != 1 || s.counts.lit['d'] != 1 || s.counts.lit[endBlock] != 1 {
		t.Errorf("literals counted: a %d, d %d, end %d", s.counts.lit['a'], s.counts.lit['d'], s.counts.lit[endBlock])
	}
	if s.counts.lit[257+int(lengthSym[8])] != 1 || s.counts.dist[distSymbol(4)] != 1 {
		t.Error("the match of 8 bytes 4 back was not counted")
	}
	if s.Bits(false) > s.Bits(true) {
		t.Errorf("a code made for the counts takes %d bits, the page code %d", s.Bits(false), s.Bits(true))
	}
	if src := string(s.Source()); !strings.Contains(src, "var pageLitFreq = [numLit]uint32{\n\t0, 0,") || !strings.Contains(src, "DO NOT EDIT") {
		t.Errorf("source:\n%s", src)
	}
}

func FuzzZipPage(f *testing.F) {
	for _, page := range pageCases() {
		if len(page) < 5000 {
			f.Add(page)
		}
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		if got := inflateZlib(t, zipPage(nil, page)); !bytes.Equal(got, page) {
			t.Fatalf("inflated %q, not %q", got, page)
		}
	})
}
