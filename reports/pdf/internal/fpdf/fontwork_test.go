package fpdf

import (
	"bytes"
	"hash/adler32"
	"math/rand/v2"
	"slices"
	"testing"

	"baocao/fonts"
)

// TestFontWorkCache: a document rendered again takes its fonts' work from
// the cache and is the same bytes as the first time and as one rendered
// with the cache emptied; other characters are other work; the cache
// stays within its bound.
func TestFontWorkCache(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*UTF8Font
	for _, face := range fam.Faces[:2] {
		font, err := ParseUTF8Font(face)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, font)
	}
	render := func(text string) []byte {
		f := newDoc(t)
		f.AddUTF8FontParsed("serif", "", parsed[0], "")
		f.AddUTF8FontParsed("serif", "B", parsed[1], "")
		f.AddPage()
		f.SetFont("serif", "B", 14)
		f.CellFormat(0, 10, "BÁO CÁO", "", 1, "C", false, 0, "")
		f.SetFont("serif", "", 12)
		f.CellFormat(0, 10, text, "", 1, "", false, 0, "")
		out, err := f.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	cached := func() int {
		fontWorks.mu.Lock()
		defer fontWorks.mu.Unlock()
		return len(fontWorks.m)
	}
	DropFontCache()
	first := render("Kết quả thực hiện Quý I năm 2024")
	if n := cached(); n != 2 {
		t.Fatalf("%d fonts' work remembered after one document of two faces", n)
	}
	if again := render("Kết quả thực hiện Quý I năm 2024"); !bytes.Equal(again, first) {
		t.Error("the document rendered again differs")
	}
	if n := cached(); n != 2 {
		t.Errorf("%d fonts' work remembered after the same document twice, want 2", n)
	}
	other := render("Ủy ban nhân dân tỉnh Lai Châu")
	if n := cached(); n != 3 {
		t.Errorf("%d fonts' work remembered after other text in one face, want 3", n)
	}
	if bytes.Equal(other, first) {
		t.Error("other text, the same file")
	}
	DropFontCache()
	if fresh := render("Kết quả thực hiện Quý I năm 2024"); !bytes.Equal(fresh, first) {
		t.Error("the document rendered with the cache emptied differs from the first")
	}
	// Codes 0 to 56 (the digits, the space, punctuation) are in every
	// document's map, mapped to 0 until used: a document using a digit
	// the one before did not is other work.
	DropFontCache()
	render("Quý năm")
	digits := render("Quý 1 năm 2024")
	DropFontCache()
	if fresh := render("Quý 1 năm 2024"); !bytes.Equal(fresh, digits) {
		t.Error("a document with digits took the work of one without")
	}
	for i := range 2000 {
		fontWorks.put(workKey{runes: string(rune(i))}, &fontWork{program: make([]byte, 64<<10)})
		if fontWorks.bytes > workCacheBytes {
			t.Fatalf("cache holds %d bytes, bound %d", fontWorks.bytes, workCacheBytes)
		}
	}
	DropFontCache()
}

// BenchmarkFontWork is one font's work in a document rendered for the
// first time (fontwork.go): the cut, widths, CIDToGIDMap and deflated
// program of the regular face for the characters of a page of
// Vietnamese text.
func BenchmarkFontWork(b *testing.B) {
	fam, err := fonts.Default()
	if err != nil {
		b.Fatal(err)
	}
	font, err := ParseUTF8Font(fam.Faces[0])
	if err != nil {
		b.Fatal(err)
	}
	f := newDoc(b)
	f.AddUTF8FontParsed("serif", "", font, "")
	f.AddPage()
	f.SetFont("serif", "", 13)
	f.CellFormat(0, 10, "Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Ủy ban nhân dân tỉnh Lai Châu: "+
		"Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành; UBND các huyện, thành phố. Thời gian: Quý I–IV; "+
		"Báo cáo kết quả thực hiện (trước ngày 15/12/2024). ĐẢNG CỘNG SẢN VIỆT NAM — Độc lập – Tự do – Hạnh phúc.", "", 1, "", false, 0, "")
	font0 := f.fonts[f.fontKeys()[0]]
	delete(font0.usedRunes, 0)
	b.ReportAllocs()
	for b.Loop() {
		var w fontWork
		w.make(&font0)
	}
}

// TestRunesUsed: the runes a cut reads, taken from the bits of the runes
// used, are the map's values (its key 0 deleted, as startFonts does) in
// order, whatever was used: nothing, control characters, every code of 1
// to 56, letters, and a rune beyond the BMP (then from the map).
func TestRunesUsed(t *testing.T) {
	cases := []string{"", "a", "\x01\x02 09", "Kế hoạch số 12/KH-UBND ngày 5 tháng 3 năm 2024", "ẠạẢảẤấ \u00a0–—…", "😀 và chữ"}
	all := make([]rune, 0, 56)
	for r := rune(1); r <= 56; r++ {
		all = append(all, r)
	}
	cases = append(cases, string(all), string(all)+"ế", "\x00x")
	for _, s := range cases {
		def := fontDefType{usedRunes: makeSubsetRange(57), usedBits: new([1025]uint64)}
		def.useRunes(s)
		delete(def.usedRunes, 0)
		want := usedValues(def.usedRunes)
		if got := runesUsed(&def); !slices.Equal(got, want) {
			t.Errorf("%q: %v, the map's values %v", s, got, want)
		}
	}
}

// TestAdlerJoin: the Adler-32 of two parts joined is that of the whole,
// at every split of data of every kind, and over the modulus's length.
func TestAdlerJoin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	inputs := [][]byte{nil, {0}, bytes.Repeat([]byte{0xFF}, 70000), bytes.Repeat([]byte{0}, 65521*2+7)}
	for range 20 {
		b := make([]byte, r.IntN(200000))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		inputs = append(inputs, b)
	}
	for i, in := range inputs {
		for _, k := range []int{0, len(in) / 3, len(in) / 2, len(in)} {
			got := adlerJoin(adler32.Checksum(in[:k]), adler32.Checksum(in[k:]), len(in)-k)
			if want := adler32.Checksum(in); got != want {
				t.Fatalf("input %d (%d bytes) split at %d: %08x, want %08x", i, len(in), k, got, want)
			}
		}
	}
}
