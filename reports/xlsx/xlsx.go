// Package xlsx renders appendix tables as an Excel workbook: one sheet per
// table with the appendix's title block (PHỤ LỤC, the title in capitals, the
// "Kèm theo …" line), a styled header row repeated on every printed page and
// one row per task, its cells keeping the bold, italics, lists and line
// breaks of their Markdown. The same input always gives the same bytes.
package xlsx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// DefaultFont is the font family written into cell styles by default:
// Liberation Serif, metric-compatible with Times New Roman.
const DefaultFont = "Liberation Serif"

// Options control the workbook.
type Options struct {
	// FontName is the font family written into cell styles ("Liberation
	// Serif" by default; an office may use "Times New Roman").
	FontName string
	// Family is the font whose advances wrap text when rows are sized: the
	// one --fonts configures; nil means the embedded default.
	Family *fonts.Family
	// Created is the creation and modification time written into the
	// document properties and the zip entries; zero means
	// 2000-01-01T00:00:00Z, so that the output depends on the input alone.
	Created time.Time
	// Context, when set, stops the render soon after it ends (checked
	// every few rows); the render then returns its error.
	Context context.Context
}

// Sizes and spacing, in points; widths in Excel character units.
const (
	sizeCell  = 12.0  // header and data cells
	sizeTitle = 14.0  // PHỤ LỤC, the title and the "Kèm theo" line
	lineCell  = 15.75 // height of a line of 12 pt text
	lineTitle = 18.75 // height of a line of 14 pt text
	rowPad    = 3.0   // added to a wrapped row's lines
	maxRowH   = 409.0 // Excel's limit
	gapRowH   = 9.0   // the blank row between the title block and the table

	totalLandscape = 150.0 // sum of column widths on a landscape page
	totalPortrait  = 100.0 // and on a portrait one
)

// Page setup (inches).
const (
	paperA4      = 9
	marginSide   = 0.6
	marginTop    = 0.75
	marginBottom = 0.75
	marginHeader = 0.3
)

// Tables writes one sheet per table (named "Phụ lục", or "Phụ lục I",
// "Phụ lục II"… when there are several) and returns the XLSX bytes.
func Tables(tables []*table.Table, opt Options) ([]byte, error) {
	if len(tables) == 0 {
		return nil, errors.New("xlsx: no table to render")
	}
	if opt.FontName == "" {
		opt.FontName = DefaultFont
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, err
	}
	defer r.f.Close()
	names := sheetNames(len(tables))
	for i, t := range tables {
		if t == nil {
			return nil, fmt.Errorf("xlsx: table %d is nil", i+1)
		}
		if _, err := r.sheet(t, names[i], i == 0, sheetOptions{}); err != nil {
			return nil, fmt.Errorf("xlsx: sheet %q: %w", names[i], err)
		}
	}
	return r.write(tables[0].Title)
}

// newRenderer starts a workbook for opt (its font set, its zero time
// made 2000-01-01) with its styles made. The caller closes r.f.
func newRenderer(opt Options) (*renderer, error) {
	if opt.Created.IsZero() {
		opt.Created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	opt.Created = opt.Created.UTC().Truncate(time.Second)
	m, err := newMeasurer(opt.Family)
	if err != nil {
		return nil, err
	}
	r := &renderer{f: excelize.NewFile(), opt: opt, measure: m}
	if err := r.init(); err != nil {
		r.f.Close()
		return nil, err
	}
	return r, nil
}

// write sets the document properties and returns the workbook's bytes,
// the same for the same workbook.
func (r *renderer) write(title string) ([]byte, error) {
	f, opt := r.f, r.opt
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Creator:        "baocao",
		LastModifiedBy: "baocao",
		Language:       "vi-VN",
		Created:        opt.Created.Format(time.RFC3339),
		Modified:       opt.Created.Format(time.RFC3339),
	}); err != nil {
		return nil, fmt.Errorf("xlsx: document properties: %w", err)
	}
	f.SetZipWriter(newZipWriter(opt.Created))
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("xlsx: write: %w", err)
	}
	return buf.Bytes(), nil
}

// Appendices renders every appendix of a document, one sheet each.
func Appendices(d *doc.Document, opt Options) ([]byte, error) {
	if d == nil || len(d.Appendices) == 0 {
		return nil, errors.New("xlsx: the document has no appendix")
	}
	tables := make([]*table.Table, len(d.Appendices))
	for i := range d.Appendices {
		tables[i] = table.FromAppendix(d, i)
	}
	// The workbook is the appendix as a file of its own: its first sheet
	// carries the document's number and date at the top right, as the
	// PDF's first page does (Decree 30, App. I, Part II).
	tables[0].Stamp = table.FileStamp(d)
	return Tables(tables, opt)
}

// sheetNames are "Phụ lục" for one table, "Phụ lục I", "Phụ lục II"… for
// several: at most 31 characters, unique.
func sheetNames(n int) []string {
	if n == 1 {
		return []string{"Phụ lục"}
	}
	out := make([]string, n)
	seen := map[string]bool{}
	for i := range out {
		name := "Phụ lục " + vn.Roman(i+1)
		if utf8.RuneCountInString(name) > 31 || seen[name] {
			name = "Phụ lục " + strconv.Itoa(i+1)
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// renderer holds the workbook and the styles made once for it.
type renderer struct {
	f       *excelize.File
	opt     Options
	measure *measurer

	// Style IDs.
	stamp, heading, title, attached, header int
	data                                    [3]int // by table.Align
	// dataTop are the data styles aligned at the top, for a row taller
	// than Excel allows: its start shows, its end is cut.
	dataTop [3]int
	// Rich-text fonts by style (regular, bold, italic, bold italic).
	runFonts [4]*excelize.Font
}

func (r *renderer) init() error {
	if err := r.f.SetDefaultFont(r.opt.FontName); err != nil {
		return err
	}
	font := func(size float64, bold, italic bool) *excelize.Font {
		return &excelize.Font{Family: r.opt.FontName, Size: size, Bold: bold, Italic: italic, Color: "000000"}
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1},
	}
	centred := func(h string, wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: wrap}
	}
	atTop := func(h string) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "top", WrapText: true}
	}
	// Style IDs follow the order of creation: keep it fixed.
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&r.stamp, &excelize.Style{Font: font(sizeCell, false, false), Alignment: centred("right", false)}},
		{&r.heading, &excelize.Style{Font: font(sizeTitle, true, false), Alignment: centred("center", true)}},
		{&r.title, &excelize.Style{Font: font(sizeTitle, true, false), Alignment: centred("center", true)}},
		{&r.attached, &excelize.Style{Font: font(sizeTitle, false, true), Alignment: centred("center", true)}},
		{&r.header, &excelize.Style{Font: font(sizeCell, true, false), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
			Alignment: centred("center", true)}},
		{&r.data[table.Left], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: centred("left", true)}},
		{&r.data[table.Center], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: centred("center", true)}},
		{&r.data[table.Justify], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: centred("justify", true)}},
		{&r.dataTop[table.Left], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: atTop("left")}},
		{&r.dataTop[table.Center], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: atTop("center")}},
		{&r.dataTop[table.Justify], &excelize.Style{Font: font(sizeCell, false, false), Border: border, Alignment: atTop("justify")}},
	}
	for _, st := range styles {
		id, err := r.f.NewStyle(st.s)
		if err != nil {
			return err
		}
		*st.id = id
	}
	for i := range r.runFonts {
		r.runFonts[i] = font(sizeCell, i&1 != 0, i&2 != 0)
	}
	return nil
}

func (r *renderer) dataStyle(a table.Align, top bool) int {
	if a < 0 || int(a) >= len(r.data) {
		a = table.Left
	}
	if top {
		return r.dataTop[a]
	}
	return r.data[a]
}

// cellFunc may write a cell of a table as a number or a formula rather
// than as its text: given the indexes of the cell's row and column in the
// table and the sheet row it lands on, it returns the cell to write (in
// the column's data style when its StyleID is 0), or false for the text.
type cellFunc func(ri, ci, row int) (excelize.Cell, bool)

// sheetOptions adapt a sheet to a table that is not an appendix of tasks.
type sheetOptions struct {
	cell     cellFunc // nil: every cell is its text
	noFilter bool     // no autofilter on the header
}

// sheet writes one table on a sheet (an existing one of that name, or a
// new one; the first sheet renamed when first is set) and returns the row
// of its header.
func (r *renderer) sheet(t *table.Table, name string, first bool, opt sheetOptions) (int, error) {
	f := r.f
	if len(t.Columns) == 0 {
		return 0, errors.New("the table has no column")
	}
	if first {
		if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
			return 0, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return 0, err
	}
	total := totalPortrait
	if t.Landscape {
		total = totalLandscape
	}
	widths := t.Widths(total)
	for i, w := range widths {
		widths[i] = math.Round(w*100) / 100
	}
	r.fitTall(t, widths)
	ncol := len(t.Columns)
	lastCol, err := excelize.ColumnNumberToName(ncol)
	if err != nil {
		return 0, err
	}

	// Rows: [stamp], heading, title, [attached], gap, header, tasks.
	row := 1
	type titleRow struct {
		row   int
		text  string
		style int
		h     float64
	}
	var block []titleRow
	full := 0.0
	for _, w := range widths {
		full += w
	}
	if t.Stamp != "" {
		block = append(block, titleRow{row, t.Stamp, r.stamp, lineCell})
		row++
	}
	lines := func(s string, st style, size float64) int {
		return r.measure.lines([]span{{s, st}}, full, size)
	}
	block = append(block, titleRow{row, t.Heading, r.heading, float64(lines(t.Heading, bold, sizeTitle)) * lineTitle})
	row++
	title := vn.Upper(t.Title)
	block = append(block, titleRow{row, title, r.title, float64(lines(title, bold, sizeTitle)) * lineTitle})
	row++
	if t.Attached != "" {
		block = append(block, titleRow{row, t.Attached, r.attached, float64(lines(t.Attached, italic, sizeTitle)) * lineTitle})
		row++
	}
	gap := row
	row++
	headerRow := row
	lastRow := headerRow + len(t.Rows)

	// Sheet settings first: the stream writer copies them. AutoFilter
	// replaces the sheet properties, so it comes before SetSheetProps. A
	// total row stays out of the filter, so that sorting leaves it last.
	if !opt.noFilter {
		filterRow := lastRow
		if t.TotalRow && len(t.Rows) > 1 {
			filterRow--
		}
		if err := f.AutoFilter(name, fmt.Sprintf("A%d:%s%d", headerRow, lastCol, filterRow), nil); err != nil {
			return 0, err
		}
	}
	yes := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return 0, err
	}
	orient := "portrait"
	if t.Landscape {
		orient = "landscape"
	}
	size, one, zero := paperA4, 1, 0
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero,
	}); err != nil {
		return 0, err
	}
	side, top, bottom, hf := marginSide, marginTop, marginBottom, marginHeader
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &top, Bottom: &bottom, Header: &hf, Footer: &hf, Horizontally: &yes,
	}); err != nil {
		return 0, err
	}
	// Page numbers at the top centre from the second page (Decree 30).
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
		DifferentFirst: true,
		OddHeader:      `&C&"` + r.opt.FontName + `,Regular"&12&P`,
	}); err != nil {
		return 0, err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(name), headerRow, headerRow),
		Scope:    name,
	}); err != nil {
		return 0, err
	}

	// Each width goes before those already set, and the stream writer
	// keeps that order: set them from the last column so that the <col>
	// elements come in ascending order, as Excel wants them.
	for i := len(widths) - 1; i >= 0; i-- {
		c, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, c, c, widths[i]); err != nil {
			return 0, err
		}
	}

	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return 0, err
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", headerRow+1), ActiveCell: fmt.Sprintf("A%d", headerRow+1), Pane: "bottomLeft"}},
	}); err != nil {
		return 0, err
	}

	// Title block: merged rows.
	for _, b := range block {
		vals := []any{excelize.Cell{StyleID: b.style, Value: b.text}}
		if err := sw.SetRow(fmt.Sprintf("A%d", b.row), vals, excelize.RowOpts{Height: clampHeight(b.h + 2)}); err != nil {
			return 0, err
		}
		if ncol > 1 {
			if err := sw.MergeCell(fmt.Sprintf("A%d", b.row), fmt.Sprintf("%s%d", lastCol, b.row)); err != nil {
				return 0, err
			}
		}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", gap), nil, excelize.RowOpts{Height: gapRowH}); err != nil {
		return 0, err
	}

	// Header row.
	vals := make([]any, ncol)
	n := 1
	for i, c := range t.Columns {
		vals[i] = excelize.Cell{StyleID: r.header, Value: c.Label}
		n = max(n, r.measure.lines([]span{{c.Label, bold}}, widths[i], sizeCell))
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), vals, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
		return 0, err
	}

	// One row per task.
	var spans []span
	for ri, cells := range t.Rows {
		if ctx := r.opt.Context; ctx != nil && ri%32 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		vals := make([]any, ncol)
		n := 1
		for ci := range t.Columns {
			col := t.Columns[ci]
			style := r.dataStyle(col.Align, false)
			var c table.Cell
			if ci < len(cells) {
				c = cells[ci]
			}
			if opt.cell != nil {
				if v, ok := opt.cell(ri, ci, headerRow+1+ri); ok {
					if v.StyleID == 0 {
						v.StyleID = style
					}
					vals[ci] = v
					continue
				}
			}
			if col.Field == doc.FieldSTT {
				if v, ok := integer(c); ok {
					vals[ci] = excelize.Cell{StyleID: style, Value: v}
					continue
				}
			}
			spans = cellSpans(spans[:0], c.Blocks)
			n = max(n, r.measure.lines(spans, widths[ci], sizeCell))
			vals[ci] = excelize.Cell{StyleID: style, Value: r.value(spans)}
		}
		if float64(n)*lineCell+rowPad > maxRowH {
			// Excel cuts what a row cannot hold: show the start of every
			// cell rather than its middle.
			for ci, v := range vals {
				// (A cell given its own style keeps it.)
				if c, ok := v.(excelize.Cell); ok && c.StyleID == r.dataStyle(t.Columns[ci].Align, false) {
					c.StyleID = r.dataStyle(t.Columns[ci].Align, true)
					vals[ci] = c
				}
			}
		}
		cell := "A" + strconv.Itoa(headerRow+1+ri)
		if err := sw.SetRow(cell, vals, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
			return 0, err
		}
	}
	return headerRow, sw.Flush()
}

// fitTall widens a column whose text some row cannot show within Excel's
// tallest row (409 pt), by steps of a tenth up to three times its width,
// so that every task shows whole; the sheet prints fitted to the page
// width, so it then prints a little smaller. A cell that cannot fit even
// so keeps the start shown (see sheet). Only cells that might be that
// tall are measured.
func (r *renderer) fitTall(t *table.Table, widths []float64) {
	maxLines := int(math.Floor((maxRowH - rowPad) / lineCell))
	orig := slices.Clone(widths)
	var spans []span
	for _, cells := range t.Rows {
		for ci := range min(len(cells), len(widths)) {
			c := cells[ci]
			// At most: a line per block, plus the text at a generous
			// 0.6 characters per unit of column width.
			if len(c.Blocks)+int(float64(utf8.RuneCountInString(c.Text()))/(0.6*widths[ci])) <= maxLines {
				continue
			}
			spans = cellSpans(spans[:0], c.Blocks)
			for r.measure.lines(spans, widths[ci], sizeCell) > maxLines && widths[ci] < 3*orig[ci] {
				widths[ci] = math.Round(widths[ci]*110) / 100
			}
		}
	}
}

// quoteSheet quotes a sheet name for a formula reference.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

func rowHeight(lines int) float64 {
	if lines <= 1 {
		return lineCell + rowPad
	}
	return clampHeight(float64(lines)*lineCell + rowPad)
}

func clampHeight(h float64) float64 {
	h = math.Ceil(h*4) / 4
	return min(h, maxRowH)
}

// integer is the value of a cell whose text is a plain integer ("12").
func integer(c table.Cell) (int, bool) {
	s := strings.TrimSpace(c.Text())
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

// style of a span of text.
type style uint8

const (
	regular style = 0
	bold    style = 1
	italic  style = 2
)

// span is a piece of a cell's text in one style; "\n" ends a line.
type span struct {
	text  string
	style style
}

// indent is the lead of a nested list item per level below the first.
const indent = "   "

// cellSpans lays a cell's blocks out as styled text: each block on its own
// line, list items with their marker (nested ones indented), headings bold.
// Neighbouring spans of the same style are merged.
func cellSpans(out []span, blocks []richtext.Block) []span {
	add := func(s string, st style) {
		if s == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && out[k].style == st {
			out[k].text += s
			return
		}
		out = append(out, span{s, st})
	}
	for i, b := range blocks {
		// What comes before a run (line breaks, indent, marker) takes the
		// run's style, so that runs stay few.
		var lead string
		if i > 0 {
			lead = "\n"
		}
		if b.Kind == richtext.ListItem {
			depth := b.Level - 1
			if b.Marker == "" {
				depth++ // a later paragraph of an item: under its text
			}
			lead += strings.Repeat(indent, max(depth, 0))
		}
		lead += b.Marker
		for _, run := range b.Runs {
			if run.Break {
				lead += "\n"
				continue
			}
			st := regular
			if run.Bold || b.Kind == richtext.Heading {
				st |= bold
			}
			if run.Italic {
				st |= italic
			}
			add(lead+run.Text, st)
			lead = ""
		}
		if lead != "" { // a block without text: its marker, its breaks
			st := regular
			if len(out) > 0 {
				st = out[len(out)-1].style
			}
			add(lead, st)
		}
	}
	return out
}

// maxChars is Excel's limit on a cell's length, in UTF-16 units.
const maxChars = 32767

// value is what a cell holds: plain text when it has no bold or italic,
// else rich text.
func (r *renderer) value(spans []span) any {
	if len(spans) == 0 {
		return nil
	}
	if len(spans) == 1 && spans[0].style == regular {
		return truncate(spans[0].text, maxChars)
	}
	runs := make([]excelize.RichTextRun, 0, len(spans))
	left := maxChars
	for _, s := range spans {
		text := truncate(s.text, left)
		left -= utf16Len(text)
		runs = append(runs, excelize.RichTextRun{Text: text, Font: r.runFonts[s.style]})
		if left <= 0 {
			break
		}
	}
	return runs
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// truncate cuts s to at most n UTF-16 units.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}
