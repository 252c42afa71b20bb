// Package pdf renders documents as PDF laid out as Decree 30/2020/NĐ-CP,
// Appendix I prescribes, with the embedded font family subset into the file.
package pdf

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/text"
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

// repair replaces in d and tables every character the font cannot draw
// and reports what it replaced.
func (r *Renderer) repair(d *doc.Document, tables []*table.Table) {
	var reps []doc.Replaced
	if d != nil {
		reps = d.ReplaceUndrawable(r.fam)
	}
	fix := func(s *string, where func() string) bool {
		fixed, gone := text.Replace(r.fam, *s)
		if fixed == *s {
			return false
		}
		*s = fixed
		for _, g := range gone {
			reps = append(reps, doc.Replaced{Field: where(), Rune: g})
		}
		return true
	}
	for k, t := range tables {
		at := func(what string) func() string { return func() string { return fmt.Sprintf("table %d %s", k+1, what) } }
		for _, s := range []*string{&t.Heading, &t.Title, &t.Attached, &t.Stamp} {
			fix(s, at("title"))
		}
		for i := range t.Columns {
			fix(&t.Columns[i].Label, at(fmt.Sprintf("column %d", i+1)))
		}
		for i, row := range t.Rows {
			for j := range row {
				if fix(&row[j].Source, at(fmt.Sprintf("row %d, column %d", i+1, j+1))) && row[j].Blocks != nil {
					row[j].Blocks = richtext.Parse(row[j].Source)
				}
			}
		}
	}
	if len(reps) == 0 {
		return
	}
	if r.onReplace != nil {
		r.onReplace(reps)
		return
	}
	slog.Warn("characters the font cannot draw were replaced", "font", r.fam.Name, "count", len(reps), "first", reps[0].String())
}

// Document renders the whole document: a promulgating decision first if
// there is one, the document, then each appendix from a new page.
//
// Every entry point stops soon after ctx ends (the typesetter and the
// table engine look at it every few lines and rows) and then returns
// ctx's error.
func (r *Renderer) Document(ctx context.Context, d *doc.Document) (out []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d = d.Printed()
	r.repair(d, nil)
	c := r.newCheck()
	if err := c.document(d); err != nil {
		return nil, err
	}
	w := newWriter(ctx, r.fam, c.faces(), created(d))
	defer w.recoverStop(&err)
	if p := d.PromulgatedBy; p != nil {
		w.document(p)
	}
	w.document(d)
	for i := range d.Appendices {
		w.appendix(table.Outline(d, i), true)
	}
	return w.finish()
}

// Appendix renders the appendices alone, as a separate file: the first
// page carries the document's number and date at the top right.
func (r *Renderer) Appendix(ctx context.Context, d *doc.Document) (out []byte, err error) {
	d = d.Printed()
	if len(d.Appendices) == 0 {
		return nil, fmt.Errorf("the document has no appendix")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.repair(d, nil)
	c := r.newCheck()
	if err := c.document(d); err != nil {
		return nil, err
	}
	w := newWriter(ctx, r.fam, c.faces(), created(d))
	defer w.recoverStop(&err)
	for i := range d.Appendices {
		t := table.Outline(d, i)
		if i == 0 {
			t.Stamp = table.FileStamp(d)
		}
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
	if err := c.document(d); err != nil {
		return nil, err
	}
	if err := c.tables(tables); err != nil {
		return nil, err
	}
	w := newWriter(ctx, r.fam, c.faces(), created(d))
	defer w.recoverStop(&err)
	w.document(d)
	for _, t := range tables {
		w.appendix(t, false)
	}
	return w.finish()
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
	w := newWriter(ctx, r.fam, c.faces(), at)
	defer w.recoverStop(&err)
	for _, t := range tables {
		w.appendix(t, false)
	}
	return w.finish()
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

func (c *check) document(d *doc.Document) error {
	if c.rep.err != nil {
		return c.rep.err
	}
	var err error
	d.Texts(func(path func() string, text string) {
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
