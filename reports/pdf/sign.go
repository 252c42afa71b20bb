package pdf

import (
	"baocao/fonts"
	"baocao/reports/pdf/internal/fpdf"
)

// SignatureField is where the competent person's signature goes (Decree
// 30, Appendix I: between the signer's title line and full name, in the
// signature column): the page (1 for the first of the file) and the
// rectangle in PDF user space (points, origin at the page's bottom left),
// as a signature field's /Rect names it.
type SignatureField struct {
	Page                     int
	Left, Bottom, Right, Top float64
}

// Width and Height are the field's size in points.
func (s SignatureField) Width() float64  { return s.Right - s.Left }
func (s SignatureField) Height() float64 { return s.Top - s.Bottom }

// OnSignature returns a renderer like r that tells fn where the first
// signature block of each file it renders leaves room for the signature
// (called once per file, from the rendering goroutine; not for a file
// without a signature block).
func (r *Renderer) OnSignature(fn func(SignatureField)) *Renderer {
	c := *r
	c.onSign = fn
	return &c
}

// signatureRoom tells w.onSign where the room for the signature is: x, y
// the top left of the room on the current page and width, height its size,
// in mm.
func (w *writer) signatureRoom(x, y, width, height float64) {
	if w.onSign == nil || w.signed {
		return
	}
	w.signed = true
	const k = 72.0 / 25.4
	ph := pageH
	if w.landscape {
		ph = pageW
	}
	w.onSign(SignatureField{Page: w.f.PageNo(), Left: x * k, Right: (x + width) * k, Top: (ph - y) * k, Bottom: (ph - y - height) * k})
}

// FontSubset is the TrueType program of the face st of fam cut to the
// glyphs of runes, as a PDF embeds it (for the signature stamp of a
// separate appendix, signing.Stamp).
func FontSubset(fam *fonts.Family, st fonts.Style, runes []rune) ([]byte, error) {
	return fpdf.SubsetFont(fam.Faces[st], runes)
}
