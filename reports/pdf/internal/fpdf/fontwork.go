// baocao: the fonts' costly parts made at once, beside the last pages.
// Not part of upstream fpdf; see README.md.

package fpdf

import "sync"

// fontWork is what takes time in a font's objects: the subset cut, its
// program deflated, its widths and its CIDToGIDMap. Upstream made them
// font after font once the pages were written; they depend only on the
// characters the document used, known once the last page is laid out, so
// each font's are made in a goroutine of its own while the last pages are
// deflated and written (about half a short document's time at its end).
// The objects are written in the same order from the same bytes: the
// file is the same.
type fontWork struct {
	cut        *utf8FontFile
	size       int    // the program's length before deflate
	program    []byte // the subset program deflated
	widths     []byte // the W array's entries
	cidToGID   []byte // the CIDToGIDMap deflated
	sync.WaitGroup
}

// startFonts starts the work of every font, in fontKeys order.
func (f *Fpdf) startFonts() []*fontWork {
	keys := f.fontKeys()
	work := make([]*fontWork, len(keys))
	for i, key := range keys {
		font := f.fonts[key]
		delete(font.usedRunes, 0)
		w := &fontWork{}
		work[i] = w
		w.Go(func() {
			cut, program := font.utf8File.cut(font.usedRunes)
			delete(cut.CodeSymbolDictionary, 0)
			w.cut, w.size = cut, len(program)
			w.widths = appendWidths(nil, font.Cw, cut.LastRune, font.usedRunes)
			w.cidToGID = cidToGIDMapZ(cut.CodeSymbolDictionary)
			w.program = font.utf8File.compressProgram(program, cut.subsetKeys)
		})
	}
	return work
}
