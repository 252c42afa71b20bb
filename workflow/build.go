package workflow

import (
	"context"
	"fmt"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/report"
	"baocao/reports/table"
	textrule "baocao/reports/text"
	"baocao/reports/xlsx"
	"baocao/templates"
)

// BuildInput is what a periodic report is made of.
type BuildInput struct {
	PlanID int64
	Plan   *doc.Document
	Period period.Period
	// AsOf is the day whose data the report shows.
	AsOf time.Time
	// Board, when set, is the board already computed (issuing computes it
	// once and renders it again with each number tried); else it is
	// computed from the source.
	Board *progress.Board
	// RedactFor, when set, leaves the board that agency's texts and
	// figures only (a reporter's preview).
	RedactFor string
	Title     string
	Narrative report.Narrative
	// Number and Date are the issued number and date (0 and the year
	// alone for a draft); Replaces the report it replaces, or nil.
	Number   int
	Date     doc.Date
	Replaces *report.Replaced
	// Formats are the files to render (none: the board and text only).
	Formats []Format
	// Archival asks for the PDF as PDF/A-2b (an issued report's frozen
	// file; README "Digital signatures and PDF/A").
	Archival bool
}

// Composed is a report ready for the renderers: its document and tables
// (the PDF), its board and the spreadsheet's description (the XLSX), and
// the characters of the board's texts the font cannot draw, replaced.
// A letter (Letter set) is a document with its own appendices, drawn as
// a plan is: the PDF of the document, the workbook of its appendices.
type Composed struct {
	Doc      *doc.Document
	Tables   []*table.Table
	Board    *progress.Board
	Sheet    xlsx.ReportInfo // FontName is the renderer's
	Repaired []doc.Replaced
	Letter   bool
	// Plan is a plan's part its issue renders (PlanDocument, PlanAppendix;
	// "": not a plan): the PDF of its document, or of its appendix alone.
	Plan string
	// Archival: the PDF is PDF/A-2b.
	Archival bool
	// SignatureField is where the PDF leaves room for the competent
	// person's signature (set by the PDF's render; nil: no signature
	// block).
	SignatureField *pdf.SignatureField
}

// Name names what is rendered in the metrics: "report", "letter", or a
// plan's "plan" or "appendix".
func (c *Composed) Name() string {
	if c.Plan != "" {
		return c.Plan
	}
	if c.Letter {
		return "letter"
	}
	return "report"
}

// Built is a report: its board, its text and its files.
type Built struct {
	*Composed
	Files map[Format][]byte
}

// Renderer renders a composed report in the formats asked.
type Renderer interface {
	Render(ctx context.Context, c *Composed, formats ...Format) (map[Format][]byte, error)
}

// BuildReport makes a periodic report — its board (from src unless
// given), its text from the templates and its files — the one way the
// preview, the issue and the command line's "baocao report" make it.
func BuildReport(ctx context.Context, src ProgressSource, r Renderer, set *templates.Set, fam *fonts.Family, in BuildInput) (*Built, error) {
	board := in.Board
	if board == nil {
		var err error
		if board, err = ComputeBoard(ctx, src, in.PlanID, in.Plan, in.Period, in.AsOf); err != nil {
			return nil, err
		}
		if in.RedactFor != "" {
			board.RedactFor(in.RedactFor)
		}
	}
	// Text stored before the door checked it, or a font with fewer
	// characters: every format shows "□", none fails (the PDF renderer
	// repairs the rest of the document the same way).
	repaired := repairBoard(board, fam)
	rd, tables, err := report.Build(set, report.Input{Plan: in.Plan, Period: in.Period, Board: board, Narrative: in.Narrative,
		Title: in.Title, Number: in.Number, Date: in.Date, AsOf: in.AsOf, Replaces: in.Replaces})
	if err != nil {
		return nil, err
	}
	c := &Composed{Doc: rd, Tables: tables, Board: board, Repaired: repaired, Archival: in.Archival,
		Sheet: xlsx.ReportInfo{Title: "Báo cáo " + rd.Title, Attached: rd.AttachedLine(), Created: created(in.Date)}}
	b := &Built{Composed: c, Files: map[Format][]byte{}}
	if len(in.Formats) == 0 {
		return b, nil
	}
	if b.Files, err = r.Render(ctx, c, in.Formats...); err != nil {
		return nil, err
	}
	return b, nil
}

// repairBoard replaces the characters of the board's texts the font
// cannot draw (and control characters) with the visible replacement.
func repairBoard(b *progress.Board, fam *fonts.Family) []doc.Replaced {
	var out []doc.Replaced
	b.EachText(func(path string, s *string) {
		fixed, gone := textrule.Replace(fam, *s)
		*s = fixed
		for _, r := range gone {
			out = append(out, doc.Replaced{Field: "board." + path, Rune: r})
		}
	})
	return out
}

// created is the time a report's spreadsheet says it was made: its date,
// or the first day of its year (2000 at the earliest).
func created(d doc.Date) time.Time { return d.Created() }

// Renderers renders reports with baocao's renderers, directly (the
// command line; the server wraps it in its render slots).
type Renderers struct {
	PDF   *pdf.Renderer
	DOCX  *docx.Renderer
	Fonts *fonts.Family
}

// Render renders c in each format, in order.
func (r Renderers) Render(ctx context.Context, c *Composed, formats ...Format) (map[Format][]byte, error) {
	out := map[Format][]byte{}
	for _, f := range formats {
		data, err := r.One(ctx, c, f)
		if err != nil {
			return nil, err
		}
		out[f] = data
	}
	return out, nil
}

// pdf is the PDF renderer for c: it notes where the signature goes and,
// for an issued file, writes PDF/A-2b.
func (r Renderers) pdf(c *Composed) *pdf.Renderer {
	p := r.PDF.OnSignature(func(f pdf.SignatureField) { c.SignatureField = &f })
	if c.Archival {
		p = p.PDFA()
	}
	return p
}

// docx is the DOCX renderer: the one given, else one on the fonts.
func (r Renderers) docx() *docx.Renderer {
	if r.DOCX == nil {
		return docx.New(r.Fonts)
	}
	return r.DOCX
}

// One renders c in format f.
func (r Renderers) One(ctx context.Context, c *Composed, f Format) ([]byte, error) {
	switch {
	case c.Plan == PlanDocument && f == FormatPDF:
		return r.pdf(c).Document(ctx, c.Doc)
	case c.Plan == PlanAppendix && f == FormatPDF:
		return r.pdf(c).Appendix(ctx, c.Doc)
	case c.Plan != "":
		return nil, fmt.Errorf("a plan's issued files are PDF, not %q", f)
	case c.Letter && f == FormatPDF:
		return r.pdf(c).Document(ctx, c.Doc)
	case c.Letter && f == FormatXLSX:
		return xlsx.Appendices(c.Doc, xlsx.Options{FontName: r.Fonts.SpreadsheetName(), Family: r.Fonts, Created: c.Sheet.Created, Context: ctx})
	case c.Letter && f == FormatDOCX:
		return r.docx().Document(ctx, c.Doc)
	}
	switch f {
	case FormatPDF:
		return r.pdf(c).Report(ctx, c.Doc, c.Tables)
	case FormatDOCX:
		return r.docx().Report(ctx, c.Doc, c.Tables)
	case FormatXLSX:
		info := c.Sheet
		info.FontName, info.Family = r.Fonts.SpreadsheetName(), r.Fonts
		return xlsx.Report(c.Board, info)
	}
	return nil, fmt.Errorf("no renderer for the format %q", f)
}

// Document renders a plan (what "plan") or its appendices (what
// "appendix") in format f: the PDF of either, the workbook of the
// appendices (the stateless render, at once or in the background).
func (r Renderers) Document(ctx context.Context, d *doc.Document, what string, f Format) ([]byte, error) {
	switch {
	case f == FormatXLSX:
		return xlsx.Appendices(d, xlsx.Options{FontName: r.Fonts.SpreadsheetName(), Family: r.Fonts, Context: ctx})
	case f == FormatDOCX:
		dx := r.docx()
		if what == "appendix" {
			return dx.Appendix(ctx, d)
		}
		return dx.Document(ctx, d)
	case what == "appendix":
		return r.PDF.Appendix(ctx, d)
	}
	return r.PDF.Document(ctx, d)
}
