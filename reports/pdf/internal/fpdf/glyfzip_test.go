package fpdf

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"testing"

	"baocao/fonts"
)

// TestSymbolTables: the length and distance symbols of every length and
// distance are the largest base not above it (RFC 1951, 3.2.5).
func TestSymbolTables(t *testing.T) {
	for l := minMatch; l <= maxMatch; l++ {
		s := len(lengthBase) - 1
		for lengthBase[s] > l {
			s--
		}
		if int(lengthSym[l]) != s {
			t.Fatalf("length %d: symbol %d, want %d", l, lengthSym[l], s)
		}
	}
	for d := 1; d <= 32768; d++ {
		s := len(distBase) - 1
		for distBase[s] > d {
			s--
		}
		if distSymbol(d) != s {
			t.Fatalf("distance %d: symbol %d, want %d", d, distSymbol(d), s)
		}
	}
}

// inflate inflates deflate runs (each ended by a sync flush) and a final
// empty block, as compress/flate reads them.
func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	z = append(z, 0x01, 0x00, 0x00, 0xFF, 0xFF)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return got
}

// TestFaceCodeBlocks: blocks of data coded with a face's code (as the
// tables around a subset's glyf are) inflate to their data, alone and
// joined, on data of every kind: empty, one byte repeated, random, text,
// font tables.
func TestFaceCodeBlocks(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	font, err := ParseUTF8Font(fam.Faces[2])
	if err != nil {
		t.Fatal(err)
	}
	c := font.file.glyfCode()
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n, alphabet int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(alphabet))
		}
		return b
	}
	inputs := [][]byte{nil, {0}, {7}, bytes.Repeat([]byte{0}, 1000), bytes.Repeat([]byte("ab"), 3000),
		random(1, 256), random(100, 256), random(5000, 256), random(5000, 2), random(40000, 4),
		[]byte("Kế hoạch tuyên truyền cải cách hành chính năm 2024"), fam.Faces[0][:20000], fam.Faces[1][100000:140000]}
	var joined, want []byte
	for i, in := range inputs {
		z, sum := c.deflate(font.file, nil, in[:len(in)/3], nil, in[len(in)/3:], nil)
		if got := inflate(t, z); !bytes.Equal(got, in) {
			t.Fatalf("input %d (%d bytes): inflated %d bytes, not the input", i, len(in), len(got))
		}
		if want := adler32.Checksum(in); sum != want {
			t.Fatalf("input %d: Adler-32 %08x, want %08x", i, sum, want)
		}
		joined = append(joined, z...)
		want = append(want, in...)
	}
	if got := inflate(t, joined); !bytes.Equal(got, want) {
		t.Fatal("joined blocks do not inflate to the inputs joined")
	}
}

// TestDeflateGlyf: subset programs of random sets of characters (with
// composite glyphs: Vietnamese letters) deflate to streams that inflate
// to the program, on every face, and their glyf table takes the glyphs
// coded once per face (not the deflate of the whole).
func TestDeflateGlyf(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	repertoire := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ0123456789.,;:!?()/-–“”%")
	r := rand.New(rand.NewPCG(3, 4))
	for _, face := range fam.Faces {
		font, err := ParseUTF8Font(face)
		if err != nil {
			t.Fatal(err)
		}
		for k := range 20 {
			used := makeSubsetRange(57)
			for range 1 + k*10 {
				c := repertoire[r.IntN(len(repertoire))]
				used[int(c)] = int(c)
			}
			cut, program := font.file.cut(used)
			if !font.file.glyfCode().fits(font.file, glyfLen(program), cut.subsetKeys) {
				t.Fatal("the subset's glyf is not its glyphs")
			}
			z := font.file.deflateProgram(program, cut.subsetKeys)
			zr, err := zlibReader(z)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, program) {
				t.Fatalf("subset %d: inflated program differs (%v)", k, err)
			}
		}
	}
}

func zlibReader(z []byte) (io.Reader, error) { return zlib.NewReader(bytes.NewReader(z)) }

// glyfLen is the length of a program's glyf table.
func glyfLen(program []byte) int {
	n := int(binary.BigEndian.Uint16(program[4:]))
	for i := range n {
		e := program[12+16*i:]
		if string(e[:4]) == "glyf" {
			return int(binary.BigEndian.Uint32(e[12:]))
		}
	}
	return -1
}
