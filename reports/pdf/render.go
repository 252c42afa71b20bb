// Package pdf renders documents as PDF laid out as Decree 30/2020/NĐ-CP,
// Appendix I prescribes, with the embedded font family subset into the file.
package pdf

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/table"
)

// Renderer renders documents in one font family. It is safe for
// concurrent use.
//
// A render never fails because of a character the font cannot draw: the
// doors (API, web forms, imports, command line) refuse such characters,
// and one that is stored all the same (an older database, a font swapped
// for another family) is replaced with a visible "□" (text.Replacement)
// in the text being rendered, and reported to the renderer's OnReplace
// function (by default logged with slog).
type Renderer struct {
	fam       *fonts.Family
	onReplace func([]doc.Replaced)
	pdfa      bool                 // PDF/A-2b files (pdfa.go)
	onSign    func(SignatureField) // told where the signature goes (sign.go)
}

// New returns a renderer using fam.
func New(fam *fonts.Family) *Renderer { return &Renderer{fam: fam} }

// OnReplace returns a renderer like r that reports the characters it
// replaced to fn (called once per render that replaced any, from the
// rendering goroutine) instead of logging them.
func (r *Renderer) OnReplace(fn func([]doc.Replaced)) *Renderer {
	c := *r
	c.onReplace = fn
	return &c
}

// repair replaces the characters the font cannot draw in d and tables
// (table.Repair, the same in every format) and reports them.
func (r *Renderer) repair(d *doc.Document, tables []*table.Table) {
	table.RepairReported(r.fam, d, tables, r.onReplace)
}

// prepare makes d printable (repair) and checks it against the font. A
// document whose every character is in the repertoire and which holds no
// tab (nearly all) needs no repair: repair would leave every text as it
// is (the repertoire is only characters the family draws). So that is
// looked at first, in one walk of the texts, and the repair and the
// check, a walk each, are left for the other documents.
//
// An appendix file prints no body (neither the plan's nor its
// promulgating decision's, most of a plan's text): with appendixOnly the
// walks leave them out, so that what the body holds neither slows an
// appendix nor changes it (a character outside the Vietnamese repertoire
// there would have chosen the full faces for it).
func (r *Renderer) prepare(d *doc.Document, appendixOnly bool) (*check, error) {
	c := r.newCheck()
	if c.rep.err == nil && c.plain(d, appendixOnly) {
		return c, nil
	}
	r.repair(d, nil)
	c = r.newCheck()
	return c, c.document(d, appendixOnly)
}

// Document renders the whole document: a promulgating decision first if
// there is one, the document, then each appendix from a new page.
//
// Every entry point stops soon after ctx ends (the typesetter and the
// table engine look at it every few lines and rows) and then returns
// ctx's error.
func (r *Renderer) Document(ctx context.Context, d *doc.Document) ([]byte, error) {
	out, _, err := r.document(ctx, d, nil)
	return out, err
}

// WriteDocument is Document writing the file to dst as it is made (the
// same bytes), instead of holding it: pages go out as soon as they are
// finished and deflated, so memory does not grow with the file. It
// returns the file's size. On an error, part of the file may have been
// written: dst should be a temporary file, or a response that can be cut.
func (r *Renderer) WriteDocument(ctx context.Context, dst io.Writer, d *doc.Document) (int64, error) {
	_, n, err := r.document(ctx, d, dst)
	return n, err
}

func (r *Renderer) document(ctx context.Context, d *doc.Document, dst io.Writer) (out []byte, n int64, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	d = d.Printed()
	c, err := r.prepare(d, false)
	if err != nil {
		return nil, 0, err
	}
	w := r.newWriter(ctx, c.faces(), created(d), ArchivalOf(d), dst)
	defer w.recoverStop(&err)
	if p := d.PromulgatedBy; p != nil {
		w.document(p)
	}
	w.document(d)
	for _, t := range table.AppendixOutlines(d, false) {
		w.appendix(t, true)
	}
	return w.finish()
}

// Appendix renders the appendices alone, as a separate file: the first
// page carries the document's number and date at the top right.
func (r *Renderer) Appendix(ctx context.Context, d *doc.Document) ([]byte, error) {
	out, _, err := r.appendixFile(ctx, d, nil)
	return out, err
}

// WriteAppendix is Appendix writing the file to dst as it is made (see
// WriteDocument); it returns the file's size.
func (r *Renderer) WriteAppendix(ctx context.Context, dst io.Writer, d *doc.Document) (int64, error) {
	_, n, err := r.appendixFile(ctx, d, dst)
	return n, err
}

func (r *Renderer) appendixFile(ctx context.Context, d *doc.Document, dst io.Writer) (out []byte, n int64, err error) {
	d = d.Printed()
	if len(d.Appendices) == 0 {
		return nil, 0, fmt.Errorf("the document has no appendix")
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	c, err := r.prepare(d, true)
	if err != nil {
		return nil, 0, err
	}
	a := ArchivalOf(d)
	a.Title = strings.TrimSpace("Phụ lục kèm theo " + a.Title)
	w := r.newWriter(ctx, c.faces(), created(d), a, dst)
	defer w.recoverStop(&err)
	for _, t := range table.AppendixOutlines(d, true) {
		w.appendix(t, true)
	}
	return w.finish()
}

// Report renders a generated document (a periodic report) followed by
// its appendix tables, each from a new page.
func (r *Renderer) Report(ctx context.Context, d *doc.Document, tables []*table.Table) (out []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.repair(d, tables)
	c := r.newCheck()
	if err := c.document(d, false); err != nil {
		return nil, err
	}
	if err := c.tables(tables); err != nil {
		return nil, err
	}
	w := r.newWriter(ctx, c.faces(), created(d), ArchivalOf(d), nil)
	defer w.recoverStop(&err)
	w.document(d)
	for _, t := range tables {
		w.appendix(t, false)
	}
	out, _, err = w.finish()
	return out, err
}

// Tables renders tables as a file of their own.
func (r *Renderer) Tables(ctx context.Context, tables []*table.Table, at time.Time) (out []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.repair(nil, tables)
	c := r.newCheck()
	if err := c.tables(tables); err != nil {
		return nil, err
	}
	var a Archival
	if len(tables) > 0 {
		a.Title = tables[0].Title
	}
	w := r.newWriter(ctx, c.faces(), at, a, nil)
	defer w.recoverStop(&err)
	for _, t := range tables {
		w.appendix(t, false)
	}
	out, _, err = w.finish()
	return out, err
}

// newWriter starts a file for r: PDF/A with a's metadata if r makes
// PDF/A files, telling r's OnSignature function where the signature goes,
// written to dst as it is made (nil: held for finish to return).
func (r *Renderer) newWriter(ctx context.Context, faces *faceSet, created time.Time, a Archival, dst io.Writer) *writer {
	w := newWriter(ctx, r.fam, faces, created)
	if r.pdfa {
		w.archival = &a
	}
	w.onSign = r.onSign
	w.setOutput(dst)
	return w
}

// check finds the first character the font cannot draw, naming its field,
// and whether the small repertoire faces hold every character. A
// repertoire that could not be cut fails the render.
type check struct {
	fam   *fonts.Family
	rep   *repertoire
	small bool
}

func (r *Renderer) newCheck() *check {
	rep := repertoireOf(r.fam)
	return &check{fam: r.fam, rep: rep, small: true}
}

func (c *check) text(s string, where func() string) error {
	for _, r := range s {
		if c.small && c.rep.has(r) {
			continue // the common case: the repertoire has only what the family has
		}
		c.small = false
		if !c.fam.Covers(r) {
			return c.fam.Check(s, where())
		}
	}
	return nil
}

// plain reports whether every character of d's texts is in the
// repertoire, and none is a tab (which repair makes a space).
func (c *check) plain(d *doc.Document, butBodies bool) bool {
	// The ASCII characters allowed, as two words of bits: a byte below
	// 0x80 is looked up without decoding (most of Vietnamese text's bytes).
	ascii := [2]uint64{(c.rep.runes[0] | 1<<'\n') &^ (1 << '\t'), c.rep.runes[1]}
	ok := true
	walk := d.Texts
	if butBodies {
		walk = d.TextsButBodies
	}
	walk(func(_ func() string, text string) {
		for i := 0; ok && i < len(text); {
			if b := text[i]; b < utf8.RuneSelf {
				ok = ascii[b/64]&(1<<(b%64)) != 0
				i++
				continue
			}
			// Vietnamese letters are two bytes (U+00C0–U+01B0) or three
			// (U+1EA0–U+1EF9, lead byte E1): decoded here where every
			// continuation byte is one, without a call (a fifth of the
			// walk); any other sequence, valid or not, as the standard
			// library reads it.
			if b := text[i]; b >= 0xC2 && b < 0xE0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
				ok = c.rep.has(rune(b&0x1F)<<6 | rune(text[i+1]&0x3F))
				i += 2
				continue
			}
			if b := text[i]; (b >= 0xE1 && b <= 0xEC || b == 0xEE || b == 0xEF) && i+2 < len(text) &&
				text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
				ok = c.rep.has(rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F))
				i += 3
				continue
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			ok = c.rep.has(r)
			i += n
		}
	})
	return ok
}

func (c *check) document(d *doc.Document, butBodies bool) error {
	if c.rep.err != nil {
		return c.rep.err
	}
	var err error
	walk := d.Texts
	if butBodies {
		walk = d.TextsButBodies
	}
	walk(func(path func() string, text string) {
		if err == nil {
			err = c.text(text, path)
		}
	})
	return err
}

func (c *check) tables(tables []*table.Table) error {
	if c.rep.err != nil {
		return c.rep.err
	}
	for k, t := range tables {
		at := func(what string) func() string { return func() string { return fmt.Sprintf("table %d %s", k+1, what) } }
		for _, s := range []string{t.Heading, t.Title, t.Attached, t.Stamp} {
			if err := c.text(s, at("title")); err != nil {
				return err
			}
		}
		for i, col := range t.Columns {
			if err := c.text(col.Label, at(fmt.Sprintf("column %d", i+1))); err != nil {
				return err
			}
		}
		for i, row := range t.Rows {
			for j, cell := range row {
				if err := c.text(cell.Source, at(fmt.Sprintf("row %d, column %d", i+1, j+1))); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// faces are the fonts to embed.
func (c *check) faces() *faceSet {
	if c.small {
		return c.rep.faces
	}
	return fullFaces(c.fam)
}

// created is the PDF's creation date: the document's own date (or the
// first day of what it gives), never the clock, so output is reproducible.
func created(d *doc.Document) time.Time { return d.Date.Created() }
