// Package pdf renders documents as PDF laid out as Decree 30/2020/NĐ-CP,
// Appendix I prescribes, with the embedded font family subset into the file.
package pdf

import (
	"fmt"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// Renderer renders documents in one font family. It is safe for
// concurrent use.
type Renderer struct {
	fam *fonts.Family
}

// New returns a renderer using fam.
func New(fam *fonts.Family) *Renderer { return &Renderer{fam: fam} }

// Document renders the whole document: a promulgating decision first if
// there is one, the document, then each appendix from a new page.
func (r *Renderer) Document(d *doc.Document) ([]byte, error) {
	faces, err := r.check(d)
	if err != nil {
		return nil, err
	}
	w := newWriter(r.fam, faces, created(d))
	if p := d.PromulgatedBy; p != nil {
		w.document(p)
	}
	w.document(d)
	for i := range d.Appendices {
		w.appendix(table.FromAppendix(d, i))
	}
	return w.finish()
}

// Appendix renders the appendices alone, as a separate file: the first
// page carries the document's number and date at the top right.
func (r *Renderer) Appendix(d *doc.Document) ([]byte, error) {
	if len(d.Appendices) == 0 {
		return nil, fmt.Errorf("the document has no appendix")
	}
	faces, err := r.check(d)
	if err != nil {
		return nil, err
	}
	w := newWriter(r.fam, faces, created(d))
	for i := range d.Appendices {
		t := table.FromAppendix(d, i)
		if i == 0 && d.Number > 0 && d.Date.Complete() {
			t.Stamp = fmt.Sprintf("%s %s", d.NumberAndSymbol(), vn.DateWords(d.Date.Year, d.Date.Month, d.Date.Day))
		}
		w.appendix(t)
	}
	return w.finish()
}

// Table renders tables (for reports' appendices) as a file of its own.
func (r *Renderer) Tables(tables []*table.Table, at time.Time) ([]byte, error) {
	faces, err := r.checkTables(tables)
	if err != nil {
		return nil, err
	}
	w := newWriter(r.fam, faces, at)
	for _, t := range tables {
		w.appendix(t)
	}
	return w.finish()
}

// check fails on the first character the font cannot draw, naming the
// field; it returns the faces to embed: the small repertoire faces when
// they hold every character, else the full ones.
func (r *Renderer) check(d *doc.Document) ([4][]byte, error) {
	var err error
	rep := repertoireOf(r.fam)
	small := rep.err == nil
	d.Texts(func(path func() string, text string) {
		if err == nil {
			if err = r.fam.Check(text, ""); err != nil {
				err = r.fam.Check(text, path())
			}
		}
		if small && !rep.covers(text) {
			small = false
		}
	})
	if small {
		return rep.faces, err
	}
	return r.fam.Faces, err
}

// checkTables is check for tables built outside a document.
func (r *Renderer) checkTables(tables []*table.Table) ([4][]byte, error) {
	rep := repertoireOf(r.fam)
	small := rep.err == nil
	visit := func(s, where string) error {
		if small && !rep.covers(s) {
			small = false
		}
		return r.fam.Check(s, where)
	}
	for k, t := range tables {
		for _, s := range []string{t.Heading, t.Title, t.Attached, t.Stamp} {
			if err := visit(s, fmt.Sprintf("table %d title", k+1)); err != nil {
				return r.fam.Faces, err
			}
		}
		for i, c := range t.Columns {
			if err := visit(c.Label, fmt.Sprintf("table %d, column %d", k+1, i+1)); err != nil {
				return r.fam.Faces, err
			}
		}
		for i, row := range t.Rows {
			for j, c := range row {
				if err := visit(c.Source, fmt.Sprintf("table %d, row %d, column %d", k+1, i+1, j+1)); err != nil {
					return r.fam.Faces, err
				}
			}
		}
	}
	if small {
		return rep.faces, nil
	}
	return r.fam.Faces, nil
}

// created is the PDF's creation date: the document's own date (or the
// first day of what it gives), never the clock, so output is reproducible.
func created(d *doc.Document) time.Time {
	m, day := max(d.Date.Month, 1), max(d.Date.Day, 1)
	return time.Date(d.Date.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}
