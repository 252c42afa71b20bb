// baocao: parsed fonts shared between documents. Not part of upstream fpdf;
// see README.md.

package fpdf

import (
	"sync"
)

// UTF8Font is a TrueType font parsed once, to be embedded by any number of
// documents, each with its own subset of the glyphs it uses. It is only
// read after ParseUTF8Font, so documents may use it concurrently.
type UTF8Font struct {
	file *utf8FontFile
	desc FontDescType
	ids  sync.Map // font key → font ID (the JSON hash upstream computes per document)
}

// ParseUTF8Font parses TrueType bytes for AddUTF8FontParsed. The bytes
// must not change afterwards.
func ParseUTF8Font(utf8Bytes []byte) (*UTF8Font, error) {
	file := newUTF8Font(&fileReader{array: utf8Bytes})
	if err := file.parseFile(); err != nil {
		return nil, err
	}
	return &UTF8Font{file: file, desc: FontDescType{
		Ascent:       int(file.Ascent),
		Descent:      int(file.Descent),
		CapHeight:    file.CapHeight,
		Flags:        file.Flags,
		FontBBox:     file.Bbox,
		ItalicAngle:  file.ItalicAngle,
		StemV:        file.StemV,
		MissingWidth: round(file.DefaultWidth),
	}}, nil
}

// AddUTF8FontParsed is AddUTF8FontFromBytes for a font parsed beforehand:
// the document embeds the same font, without parsing it again.
func (f *Fpdf) AddUTF8FontParsed(familyStr, styleStr string, font *UTF8Font) {
	if f.err != nil {
		return
	}
	fontkey := getFontKey(fontFamilyEscape(familyStr), styleStr)
	if _, ok := f.fonts[fontkey]; ok {
		return
	}
	var sbarr map[int]int
	if f.aliasNbPagesStr == "" {
		sbarr = makeSubsetRange(57)
	} else {
		sbarr = makeSubsetRange(32)
	}
	def := fontDefType{
		Tp:        "UTF8",
		Name:      fontkey,
		Desc:      font.desc,
		Up:        int(round(font.file.UnderlinePosition)),
		Ut:        round(font.file.UnderlineThickness),
		Cw:        font.file.CharWidths,
		utf8File:  font.file,
		usedRunes: sbarr,
	}
	if id, ok := font.ids.Load(fontkey); ok {
		def.i = id.(string)
	} else {
		def.i, _ = generateFontID(def)
		font.ids.Store(fontkey, def.i)
	}
	f.fonts[fontkey] = def
}
