// Package table is the format-neutral form of an appendix table: its title
// block, columns and cells of rich text. The PDF and Excel renderers both
// draw a Table, so an appendix is laid out once.
package table

import (
	"fmt"
	"log/slog"
	"strings"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/text"
	"baocao/reports/vn"
)

// Align is a cell's horizontal alignment.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Justify
)

// Column is one column: its header label, relative width and alignment.
type Column struct {
	Field string
	Label string
	Width float64
	Align Align
	// Numeric columns hold counts: a spreadsheet writes them as numbers and
	// their total as a formula.
	Numeric bool
}

// Cell is one cell: its Markdown source and the blocks parsed from it
// (nil in a table from Outline, which parses as it draws: see Parsed).
type Cell struct {
	Source string
	Blocks []richtext.Block
}

// Parsed is the cell's blocks: Blocks, or parsed from Source now when a
// table left them out (Outline). A renderer that draws a table row by
// row calls it, so that a long table is parsed as it is drawn and not
// held parsed whole.
func (c Cell) Parsed() []richtext.Block {
	if c.Blocks != nil || c.Source == "" {
		return c.Blocks
	}
	return richtext.Parse(c.Source)
}

// Text is the cell's plain text, one block per line.
func (c Cell) Text() string {
	blocks := c.Parsed()
	lines := make([]string, len(blocks))
	for i, b := range blocks {
		lines[i] = b.Text()
	}
	return strings.Join(lines, "\n")
}

// Table is an appendix table with its title block.
type Table struct {
	Heading   string // PHỤ LỤC
	Title     string // printed in capitals
	Attached  string // (Kèm theo Kế hoạch số … của …)
	Columns   []Column
	Rows      [][]Cell
	Landscape bool
	// TotalRow: the last row totals the numeric columns above it (in a
	// spreadsheet, as SUM formulas).
	TotalRow bool
	// Stamp is the number-and-date text printed at the top right of an
	// appendix issued as a file of its own (Decree 30, App. I, Part II).
	Stamp string
}

// aligns give each task field its usual alignment (its width is
// doc.FieldWidths').
var aligns = map[string]Align{
	doc.FieldSTT: Center, doc.FieldContent: Justify, doc.FieldLead: Center, doc.FieldCooperating: Left,
	doc.FieldOutput: Left, doc.FieldDeadline: Center, doc.FieldNote: Left,
}

// FromAppendix builds the table of appendix i of a document, its cells
// parsed.
func FromAppendix(d *doc.Document, i int) *Table {
	t := Outline(d, i)
	for _, row := range t.Rows {
		for c := range row {
			row[c].Blocks = richtext.Parse(row[c].Source)
		}
	}
	return t
}

// Outline is FromAppendix with the cells' Markdown not parsed yet (see
// Cell.Parsed): for a renderer that streams the rows.
func Outline(d *doc.Document, i int) *Table {
	a := &d.Appendices[i]
	t := &Table{
		Heading:   d.AppendixHeading(i),
		Title:     a.Title,
		Attached:  d.AttachedLine(),
		Landscape: a.IsLandscape(),
	}
	for _, c := range a.AppendixColumns() {
		col := Column{Field: c.Field, Label: c.Label, Width: c.Width, Align: aligns[c.Field]}
		if col.Width <= 0 {
			col.Width = doc.FieldWidths[c.Field]
		}
		t.Columns = append(t.Columns, col)
	}
	t.Rows = make([][]Cell, len(a.Tasks))
	for r := range a.Tasks {
		row := make([]Cell, len(t.Columns))
		for c, col := range t.Columns {
			row[c] = Cell{Source: a.CellMarkdown(r, col.Field)}
		}
		t.Rows[r] = row
	}
	return t
}

// Appendices are the tables of a document's printed appendices (d must be
// d.Printed()); as a separate file (file), the first carries the
// document's number and date (FileStamp). Every renderer prints these.
func Appendices(d *doc.Document, file bool) []*Table {
	out := AppendixOutlines(d, file)
	for _, t := range out {
		for _, row := range t.Rows {
			for c := range row {
				row[c].Blocks = richtext.Parse(row[c].Source)
			}
		}
	}
	return out
}

// AppendixOutlines is Appendices with the cells' Markdown not parsed yet
// (see Cell.Parsed): for a renderer that streams the rows.
func AppendixOutlines(d *doc.Document, file bool) []*Table {
	out := make([]*Table, len(d.Appendices))
	for i := range d.Appendices {
		out[i] = Outline(d, i)
	}
	if file && len(out) > 0 {
		out[0].Stamp = FileStamp(d)
	}
	return out
}

// Widths scales the relative column widths to a total.
func (t *Table) Widths(total float64) []float64 {
	sum := 0.0
	for _, c := range t.Columns {
		sum += c.Width
	}
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = total * c.Width / sum
	}
	return out
}

// FileStamp is what the first page of an appendix issued as a file of its
// own carries at the top right (Decree 30, App. I, Part II): the
// document's number and symbol and its date, "15/KH-UBND ngày 05 tháng 01
// năm 2024"; "" for a document without a number or a full date. The PDF
// and the Excel appendix both print it.
func FileStamp(d *doc.Document) string {
	if d.Number == 0 || !d.Date.Complete() {
		return ""
	}
	return d.NumberAndSymbol() + " " + vn.DateWords(d.Date.Year, d.Date.Month, d.Date.Day)
}

// RepairReported is Repair, then tells what it replaced to report (a
// renderer's OnReplace function), or, without one, logs it.
func RepairReported(fam *fonts.Family, d *doc.Document, tables []*Table, report func([]doc.Replaced)) {
	reps := Repair(fam, d, tables)
	switch {
	case len(reps) == 0:
	case report != nil:
		report(reps)
	default:
		slog.Warn("characters the font cannot draw were replaced", "font", fam.Name, "count", len(reps), "first", reps[0].String())
	}
}

// Repair replaces in d (nil for none) and tables every character fam
// cannot draw with the visible text.Replacement, and lists what it
// replaced: a render never fails on such a character (the doors refuse
// them; one stored all the same shows as "□"), and every format shows the
// same text.
func Repair(fam *fonts.Family, d *doc.Document, tables []*Table) []doc.Replaced {
	var reps []doc.Replaced
	if d != nil {
		reps = d.ReplaceUndrawable(fam)
	}
	fix := func(s *string, where func() string) bool {
		fixed, gone := text.Replace(fam, *s)
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
				// A cell not parsed yet (Outline) is parsed from its
				// repaired source when drawn.
				if fix(&row[j].Source, at(fmt.Sprintf("row %d, column %d", i+1, j+1))) && row[j].Blocks != nil {
					row[j].Blocks = richtext.Parse(row[j].Source)
				}
			}
		}
	}
	return reps
}
