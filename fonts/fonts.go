// Package fonts holds the TrueType family that documents are set in: by
// default Liberation Serif (metric-compatible with Times New Roman, full
// Vietnamese coverage, SIL OFL 1.1, see LICENSE-OFL-1.1.txt), embedded in
// the binary; or another family loaded from a directory, for an office that
// owns Times New Roman.
package fonts

import (
	_ "embed" // the faces
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The embedded faces, used in place: a //go:embed []byte variable is the
// binary's own data, mapped from the file as it is read, where
// embed.FS.ReadFile copied each face into the heap (1.5 MB, beside the
// pages of the binary that held it). They are never written: fpdf and
// sfnt only read them.
var (
	//go:embed LiberationSerif-Regular.ttf
	regular []byte
	//go:embed LiberationSerif-Bold.ttf
	bold []byte
	//go:embed LiberationSerif-Italic.ttf
	italic []byte
	//go:embed LiberationSerif-BoldItalic.ttf
	boldItalic []byte
)

// embeddedFaces are the embedded faces in the order of Styles.
func embeddedFaces() [4][]byte {
	// The capacity cut to the length: an append to a face copies it.
	in := func(b []byte) []byte { return b[:len(b):len(b)] }
	return [4][]byte{in(regular), in(bold), in(italic), in(boldItalic)}
}

// Style is one face of a family.
type Style int

// The four faces documents use.
const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
)

// Styles lists the faces in order.
var Styles = []Style{Regular, Bold, Italic, BoldItalic}

// FpdfStyle is the style string fpdf uses for the face.
func (s Style) FpdfStyle() string { return [...]string{"", "B", "I", "BI"}[s] }

// StyleOf returns the face for bold and italic flags.
func StyleOf(bold, italic bool) Style {
	switch {
	case bold && italic:
		return BoldItalic
	case bold:
		return Bold
	case italic:
		return Italic
	}
	return Regular
}

// Family is a loaded font family: the TrueType bytes of each face and the
// characters every face can draw.
type Family struct {
	Name  string
	Faces [4][]byte
	// covered[r] is true when all four faces have a glyph for r (BMP only;
	// other planes are looked up on demand).
	covered []bool
	faces   [4]*sfnt.Font
	// widths[style][r] is the advance of r in 1/1000 em, rounded as fpdf
	// rounds it, so that layout measures exactly what the PDF draws.
	widths [4][]uint16
	mu     sync.Mutex
	buf    sfnt.Buffer
}

var (
	defaultOnce   sync.Once
	defaultFamily *Family
	defaultErr    error
)

// Default returns the embedded Liberation Serif family, loaded once.
func Default() (*Family, error) {
	defaultOnce.Do(func() {
		defaultFamily, defaultErr = New("Liberation Serif", embeddedFaces())
	})
	return defaultFamily, defaultErr
}

// New makes a family from the TrueType bytes of its four faces.
func New(name string, faces [4][]byte) (*Family, error) {
	f := &Family{Name: name, Faces: faces, covered: make([]bool, 0x10000)}
	for i, b := range faces {
		fnt, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("font %s, face %d: not a TrueType font: %w", name, i, err)
		}
		f.faces[i] = fnt
	}
	for i, fnt := range f.faces {
		f.widths[i] = make([]uint16, 0x10000)
		upem := float64(fnt.UnitsPerEm())
		ppem := fixed.I(int(fnt.UnitsPerEm()))
		for r := rune(0); r < 0x10000; r++ {
			g, err := fnt.GlyphIndex(&f.buf, r)
			if err != nil || g == 0 {
				continue
			}
			adv, err := fnt.GlyphAdvance(&f.buf, g, ppem, font.HintingNone)
			if err != nil {
				continue
			}
			f.widths[i][r] = uint16(math.Round(float64(adv) / 64 * 1000 / upem))
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		f.covered[r] = f.lookup(r)
	}
	return f, nil
}

// Width is the advance of s in the given face, in 1/1000 em (no kerning:
// fpdf draws without it).
func (f *Family) Width(s string, st Style) int {
	w := 0
	tab := f.widths[st]
	for _, r := range s {
		if r >= 0 && r < 0x10000 {
			w += int(tab[r])
		}
	}
	return w
}

func (f *Family) lookup(r rune) bool {
	for _, fnt := range f.faces {
		if g, err := fnt.GlyphIndex(&f.buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// Covers reports whether every face can draw r. Line breaks and tabs count
// as covered: the layout handles them.
func (f *Family) Covers(r rune) bool {
	if r == '\n' || r == '\t' {
		return true
	}
	if r >= 0 && r < 0x10000 {
		return f.covered[r]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookup(r)
}

// MissingError names a character that the font cannot draw and where it is.
type MissingError struct {
	Family string
	Rune   rune
	Where  string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s: font %q has no glyph for %U %q", e.Where, e.Family, e.Rune, string(e.Rune))
}

// Check returns a *MissingError for the first character of s that the
// family cannot draw; where says which text it is.
func (f *Family) Check(s, where string) error {
	for _, r := range s {
		if !f.Covers(r) {
			return &MissingError{Family: f.Name, Rune: r, Where: where}
		}
	}
	return nil
}

// LoadDir loads a family from a directory holding four TrueType files. The
// faces are recognised by name: Times New Roman's times.ttf, timesbd.ttf,
// timesi.ttf, timesbi.ttf, or any *-Regular, *-Bold, *-Italic, *-BoldItalic.
func LoadDir(dir string) (*Family, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("font directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.EqualFold(filepath.Ext(e.Name()), ".ttf") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var faces [4][]byte
	var family string
	for _, n := range names {
		base := strings.ToLower(strings.TrimSuffix(n, filepath.Ext(n)))
		var s Style
		switch {
		case strings.HasSuffix(base, "bolditalic") || strings.HasSuffix(base, "bi"):
			s = BoldItalic
		case strings.HasSuffix(base, "bold") || strings.HasSuffix(base, "bd"):
			s = Bold
		case strings.HasSuffix(base, "italic") || strings.HasSuffix(base, "i"):
			s = Italic
		case strings.HasSuffix(base, "regular") || base == "times":
			s = Regular
		default:
			continue
		}
		if faces[s] != nil {
			return nil, fmt.Errorf("font directory %s: two files for one face (%s)", dir, n)
		}
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("font directory: %w", err)
		}
		faces[s] = b
		if s == Regular {
			family = strings.TrimSuffix(strings.TrimSuffix(n, filepath.Ext(n)), "-Regular")
		}
	}
	for i, b := range faces {
		if b == nil {
			return nil, fmt.Errorf("font directory %s: no %s face (want files such as X-Regular.ttf, X-Bold.ttf, X-Italic.ttf, X-BoldItalic.ttf)", dir, [...]string{"regular", "bold", "italic", "bold italic"}[i])
		}
	}
	return New(family, faces)
}

// SpreadsheetName is the font name written into Excel files. For the
// embedded Liberation Serif it is "Times New Roman": every Windows office
// has it and LibreOffice shows it with its metric-compatible Liberation
// Serif, so the sheet looks the same everywhere. Another family is named
// as it is.
func (f *Family) SpreadsheetName() string {
	if f.Name == "Liberation Serif" {
		return "Times New Roman"
	}
	return f.Name
}
