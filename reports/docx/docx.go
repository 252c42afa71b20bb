// Package docx renders documents as Word files (WordprocessingML, ECMA-376
// / ISO/IEC 29500 transitional) for the clerk's edits before signing, from
// the same model and pieces as the PDF renderer: the document
// (reports/doc), its appendix tables (reports/table), their rich text
// (reports/richtext) and the layout choices of Decree 30/2020/NĐ-CP
// (reports/layout).
//
// The file is written with the standard library (encoding/xml's escaping,
// archive/zip): no Go library for DOCX fit (README: "DOCX"). A document is
// a run of sections: each document and each appendix starts one, on a new
// page, numbered from 1 with no number on its first page (a different
// first-page header), A4 with the decree's margins, landscape for a wide
// appendix. The header block is a borderless table, as the decree's
// templates are; the appendix table repeats its header row on every page
// and lets rows split between pages. Text is set in Word styles ("Normal"
// for the body, "heading 2" for "I. …" …) in Times New Roman, measured
// with the family the renderer is given (Liberation Serif by default, its
// metric twin).
//
// The same input gives the same bytes: the parts are written in a fixed
// order with a fixed time, the document's own date.
package docx

import (
	"context"
	"fmt"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/table"
)

// FontName is the font the documents name: Times New Roman, as Decree 30
// asks; a reader without it substitutes a metric twin (LibreOffice:
// Liberation Serif, the family baocao embeds in its PDFs).
const FontName = "Times New Roman"

// Renderer renders documents as DOCX. It is safe for concurrent use.
type Renderer struct {
	// fam measures text (header lines, rules) and decides which
	// characters a document may hold: the family the PDF renderer draws
	// with, so that both show the same text.
	fam       *fonts.Family
	font      string
	onReplace func([]doc.Replaced)
}

// New returns a renderer that measures with fam and names FontName.
func New(fam *fonts.Family) *Renderer { return &Renderer{fam: fam, font: FontName} }

// OnReplace returns a renderer like r that reports the characters it
// replaced to fn instead of logging them.
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

// Document renders the whole document: a promulgating decision first if
// there is one, the document, then each appendix from a new page. It stops
// soon after ctx ends and returns ctx's error.
func (r *Renderer) Document(ctx context.Context, d *doc.Document) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d = d.Printed()
	r.repair(d, nil)
	w := r.newWriter(ctx, d.Title)
	if p := d.PromulgatedBy; p != nil {
		w.document(p)
	}
	w.document(d)
	for _, t := range table.Appendices(d, false) {
		w.appendix(t)
	}
	return w.finish(d.Date.Created())
}

// Appendix renders the appendices alone, as a separate file: the first
// page carries the document's number and date at the top right.
func (r *Renderer) Appendix(ctx context.Context, d *doc.Document) ([]byte, error) {
	d = d.Printed()
	if len(d.Appendices) == 0 {
		return nil, fmt.Errorf("the document has no appendix")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.repair(d, nil)
	w := r.newWriter(ctx, d.Title)
	for _, t := range table.Appendices(d, true) {
		w.appendix(t)
	}
	return w.finish(d.Date.Created())
}

// Report renders a generated document (a periodic report) followed by its
// appendix tables, each from a new page.
func (r *Renderer) Report(ctx context.Context, d *doc.Document, tables []*table.Table) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.repair(d, tables)
	w := r.newWriter(ctx, "Báo cáo "+d.Title)
	w.document(d)
	for _, t := range tables {
		w.appendix(t)
	}
	return w.finish(d.Date.Created())
}

// zipTime is a zip time: MS-DOS times start in 1980.
func zipTime(t time.Time) time.Time {
	if earliest := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC); t.Before(earliest) {
		return earliest
	}
	return t.UTC()
}
