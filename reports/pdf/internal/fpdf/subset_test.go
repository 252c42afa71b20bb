package fpdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/image/font/sfnt"

	"baocao/fonts"
)

var fontFile2 = regexp.MustCompile(`<</Length (\d+)\n/Filter /FlateDecode\n/Length1 (\d+)\n>>\nstream\n`)

// embeddedProgram renders a page drawing text with font and returns the
// font program the PDF embeds, inflated.
func embeddedProgram(t *testing.T, font *UTF8Font, text string) []byte {
	t.Helper()
	f := NewCustom(&InitType{OrientationStr: "P", UnitStr: "mm", Size: SizeType{Wd: 210, Ht: 297}})
	f.SetCompression(true)
	f.AddPage()
	f.AddUTF8FontParsed("x", "", font, "")
	f.SetFont("x", "", 10)
	f.Text(10, 10, text)
	pdf, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := fontFile2.FindSubmatchIndex(pdf)
	if m == nil {
		t.Fatal("no font program in the PDF")
	}
	n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
	zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
	if err != nil {
		t.Fatal(err)
	}
	program, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return program
}

// TestSubsetFont: the subset is the program a document drawing the same
// runes embeds, a TrueType font with glyphs for those runes only.
func TestSubsetFont(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "Cộng hòa xã hội chủ nghĩa Việt Nam – Độc lập, Tự do, Hạnh phúc № 12/KH-UBND"
	for _, face := range fam.Faces {
		program, err := SubsetFont(face, []rune(text))
		if err != nil {
			t.Fatal(err)
		}
		font, err := ParseUTF8Font(face)
		if err != nil {
			t.Fatal(err)
		}
		if want := embeddedProgram(t, font, text); !bytes.Equal(program, want) {
			t.Errorf("subset (%d bytes) differs from the embedded program (%d bytes)", len(program), len(want))
		}
		if len(program) >= len(face)/4 {
			t.Errorf("subset of %d bytes from a face of %d", len(program), len(face))
		}
		sf, err := sfnt.Parse(program)
		if err != nil {
			t.Fatalf("subset does not parse: %v", err)
		}
		var b sfnt.Buffer
		for _, r := range text {
			if g, err := sf.GlyphIndex(&b, r); err != nil || g == 0 {
				t.Errorf("%q: glyph %d, %v", r, g, err)
			}
		}
		for _, r := range "ZΩЖ€" {
			if g, _ := sf.GlyphIndex(&b, r); g != 0 {
				t.Errorf("%q not asked for but in the subset (glyph %d)", r, g)
			}
		}
		// The subset can be parsed and cut again: the repertoire's use.
		again, err := SubsetFont(program, []rune("Việt Nam"))
		if err != nil {
			t.Fatal(err)
		}
		if len(again) >= len(program) {
			t.Errorf("subset of a subset: %d bytes from %d", len(again), len(program))
		}
	}
}

func TestSubsetFontErrors(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":      nil,
		"not a font": []byte("%PDF-1.4 not a font at all"),
		"OpenType":   append([]byte("OTTO"), make([]byte, 64)...),
		"truncated":  fam.Faces[0][:4096],
	} {
		if program, err := SubsetFont(data, []rune("abc")); err == nil {
			t.Errorf("%s: no error (%d bytes)", name, len(program))
		}
	}
}
