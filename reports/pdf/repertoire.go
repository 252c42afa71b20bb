package pdf

import (
	"fmt"
	"sync"

	"baocao/reports/pdf/internal/fpdf"

	"baocao/fonts"
)

// Each face is parsed by fpdf once and shared by all documents, which cut
// their subsets from it (see faceSet). Liberation Serif's faces are ~380 KB
// each, mostly Greek, Cyrillic and Hebrew that Vietnamese documents never
// use. So once per family fpdf cuts a "repertoire" font holding the
// characters of Vietnamese text (Latin, Vietnamese, punctuation)
// (fpdf.SubsetFont), and the subsets of each document whose characters it
// covers are cut from that small font; a document with other characters
// embeds subsets of the full faces. A repertoire that cannot be cut is an
// error of every render (see newCheck), not a fallback.

// repertoireRanges are the characters Vietnamese documents use.
var repertoireRanges = [][2]rune{
	{0x0020, 0x007E}, {0x00A0, 0x024F}, {0x0300, 0x0323}, {0x1EA0, 0x1EF9},
	{0x2010, 0x2027}, {0x2030, 0x203A}, {0x20AB, 0x20AC}, {0x2116, 0x2116}, {0x2122, 0x2122},
	{0x2190, 0x2193}, {0x2212, 0x2212}, {0x2264, 0x2265}, {0x25CF, 0x25CF},
}

type repertoire struct {
	faces *faceSet
	runes []uint64 // bit r is set for each character r of the repertoire (BMP)
	err   error
}

// faceSet is the four faces a document may embed, each parsed by fpdf at
// most once and then shared, read-only, by every document that embeds it:
// a document only cuts the subset of the glyphs it uses.
type faceSet struct {
	data [4][]byte
	once [4]sync.Once
	font [4]*fpdf.UTF8Font
	err  [4]error
}

func newFaceSet(data [4][]byte) *faceSet { return &faceSet{data: data} }

// parsed is the face st, parsed on first use.
func (s *faceSet) parsed(st fonts.Style) (*fpdf.UTF8Font, error) {
	s.once[st].Do(func() {
		s.font[st], s.err[st] = fpdf.ParseUTF8Font(s.data[st])
		if s.err[st] != nil {
			s.err[st] = fmt.Errorf("font face %d: %w", st, s.err[st])
		}
	})
	return s.font[st], s.err[st]
}

var familyFaces sync.Map // *fonts.Family → *faceSet of its full faces

// fullFaces is the family's own faces, for documents beyond the repertoire.
func fullFaces(fam *fonts.Family) *faceSet {
	if v, ok := familyFaces.Load(fam); ok {
		return v.(*faceSet)
	}
	v, _ := familyFaces.LoadOrStore(fam, newFaceSet(fam.Faces))
	return v.(*faceSet)
}

var repertoires sync.Map // *fonts.Family → *repertoire (built once)

func repertoireOf(fam *fonts.Family) *repertoire {
	if v, ok := repertoires.Load(fam); ok {
		return v.(*repertoire)
	}
	r := buildRepertoire(fam)
	v, _ := repertoires.LoadOrStore(fam, r)
	return v.(*repertoire)
}

func buildRepertoire(fam *fonts.Family) *repertoire {
	rep := &repertoire{runes: make([]uint64, 0x10000/64)}
	var runes []rune
	for _, rg := range repertoireRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if fam.Covers(r) {
				rep.runes[r/64] |= 1 << (r % 64)
				runes = append(runes, r)
			}
		}
	}
	var faces [4][]byte
	for i, st := range fonts.Styles {
		program, err := fpdf.SubsetFont(fam.Faces[st], runes)
		if err != nil {
			rep.err = fmt.Errorf("font repertoire, face %d: %w", st, err)
			return rep
		}
		faces[i] = program
	}
	rep.faces = newFaceSet(faces)
	return rep
}

// has reports whether the repertoire holds c (line breaks and tabs count:
// the layout handles them).
func (r *repertoire) has(c rune) bool {
	if c == '\n' || c == '\t' {
		return true
	}
	return c >= 0 && c < 0x10000 && r.runes[c/64]&(1<<(c%64)) != 0
}

// DropCaches forgets what rendering remembers between documents by their
// content (the deflated font subsets), so that a benchmark measures a
// document rendered for the first time. The parsed fonts stay.
func DropCaches() { fpdf.DropFontCache() }
