package xlsx

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/progress"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// The sheets of a report's workbook, in their order.
const (
	SheetSummary  = "Tổng hợp"
	SheetTasks    = "Chi tiết nhiệm vụ"
	SheetAgencies = "Theo cơ quan chủ trì"
)

// ReportFont is the font of a report's workbook when ReportInfo names none.
const ReportFont = "Times New Roman"

// ReportInfo names a periodic report; its period is the board's.
type ReportInfo struct {
	// Title is the report's title: "Báo cáo kết quả công tác tuyên
	// truyền cải cách hành chính Quý I năm 2024".
	Title string
	// Attached is the "(Kèm theo Báo cáo số …)" line of the appendices.
	Attached string
	// Created is written into the document properties and the zip
	// entries; zero means 2000-01-01T00:00:00Z.
	Created time.Time
	// FontName is the font family of the cells (ReportFont by default).
	FontName string
	// Family measures the text (see Options.Family).
	Family *fonts.Family
}

// SummaryStatuses are the statuses counted on the summary sheet, in order:
// the board's, which partition the tasks due.
var SummaryStatuses = progress.Statuses

// Labels of the summary sheet.
const (
	labelTotal       = "Tổng cộng"
	labelNotReported = "Số cơ quan chưa báo cáo"
	labelRate        = "Tỷ lệ hoàn thành"
	fieldRate        = "rate"
	percentFormat    = "0.0%"
)

// Report writes the workbook of a periodic report: the summary sheet
// first, then the task-by-task sheet (appendix I of the report) and the
// by-agency sheet (appendix II). Counts, totals and shares are formulas
// over the rows of the other sheets, each with its value cached, so that
// an auditor can check them and a spreadsheet shows them on opening. The
// same input always gives the same bytes.
func Report(b *progress.Board, info ReportInfo) ([]byte, error) {
	if b == nil {
		return nil, errors.New("xlsx: no board to render")
	}
	if info.FontName == "" {
		info.FontName = ReportFont
	}
	if info.Title == "" {
		info.Title = "Báo cáo kết quả thực hiện nhiệm vụ " + b.PeriodName
	}
	r, err := newRenderer(Options{FontName: info.FontName, Family: info.Family, Created: info.Created})
	if err != nil {
		return nil, err
	}
	defer r.f.Close()
	f := r.f
	st, err := r.reportStyles()
	if err != nil {
		return nil, err
	}

	// The sheets in their order. The summary is filled last: its formulas
	// point at the rows of the others.
	if err := f.SetSheetName(f.GetSheetName(0), SheetSummary); err != nil {
		return nil, err
	}
	for _, name := range []string{SheetTasks, SheetAgencies} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}

	tasks := b.TaskTable("Phụ lục I", info.Attached)
	taskHeader, err := r.sheet(tasks, SheetTasks, false, sheetOptions{})
	if err != nil {
		return nil, fmt.Errorf("xlsx: sheet %q: %w", SheetTasks, err)
	}
	statusCol, err := columnOf(tasks, progress.FieldStatus)
	if err != nil {
		return nil, err
	}

	agencies := b.AgencyTable("Phụ lục II", info.Attached)
	agencies.Columns = append(agencies.Columns, table.Column{Field: fieldRate, Label: labelRate, Width: 11, Align: table.Center})
	for i := range agencies.Rows {
		agencies.Rows[i] = append(agencies.Rows[i], table.Cell{})
	}
	ag, err := newAgencyCells(agencies, st)
	if err != nil {
		return nil, err
	}
	agencyHeader, err := r.sheet(agencies, SheetAgencies, false, sheetOptions{cell: ag.cell})
	if err != nil {
		return nil, fmt.Errorf("xlsx: sheet %q: %w", SheetAgencies, err)
	}

	sum := &summaryCells{
		board: b, styles: st,
		// With no task, an empty row: a range cannot be empty.
		tasks: fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(SheetTasks), statusCol, taskHeader+1, statusCol, taskHeader+max(len(b.Rows), 1)),
	}
	if n := len(agencies.Rows) - 1; n > 0 {
		c := ag.letters[ag.notReported]
		sum.notReported = fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(SheetAgencies), c, agencyHeader+1, c, agencyHeader+n)
		for _, a := range ag.values[:n] {
			if a[ag.notReported] > 0 {
				sum.agenciesNotReported++
			}
		}
	}
	summary := summaryTable(b, info)
	if _, err := r.sheet(summary, SheetSummary, false, sheetOptions{cell: sum.cell, noFilter: true}); err != nil {
		return nil, fmt.Errorf("xlsx: sheet %q: %w", SheetSummary, err)
	}

	// The cached values are right; a full calculation on load makes sure
	// of it in any spreadsheet that honours the flag.
	yes := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes}); err != nil {
		return nil, err
	}
	return r.write(info.Title)
}

// reportStyles are the styles of computed cells, made after the
// renderer's own.
type reportStyles struct {
	percent, totalNumber, totalPercent int
}

func (r *renderer) reportStyles() (reportStyles, error) {
	var st reportStyles
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1},
	}
	centred := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	font := func(bold bool) *excelize.Font {
		return &excelize.Font{Family: r.opt.FontName, Size: sizeCell, Bold: bold, Color: "000000"}
	}
	pct := percentFormat
	// Style IDs follow the order of creation: keep it fixed.
	for _, s := range []struct {
		id *int
		s  *excelize.Style
	}{
		{&st.percent, &excelize.Style{Font: font(false), Border: border, Alignment: centred, CustomNumFmt: &pct}},
		{&st.totalNumber, &excelize.Style{Font: font(true), Border: border, Alignment: centred}},
		{&st.totalPercent, &excelize.Style{Font: font(true), Border: border, Alignment: centred, CustomNumFmt: &pct}},
	} {
		id, err := r.f.NewStyle(s.s)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// columnOf is the letter of a table's column.
func columnOf(t *table.Table, field string) (string, error) {
	for i, c := range t.Columns {
		if c.Field == field {
			return excelize.ColumnNumberToName(i + 1)
		}
	}
	return "", fmt.Errorf("xlsx: the table %q has no column %q", t.Title, field)
}

// ratio is what IF(whole=0,0,part/whole) computes.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// agencyCells writes the by-agency table's counts as numbers, its total
// row as SUM formulas over the rows above and each row's completion rate
// as a formula.
type agencyCells struct {
	t       *table.Table
	st      reportStyles
	letters []string
	// values are the counts of each row by column, the total row's the
	// sums of the rows above.
	values                 [][]int
	due, notReported, rate int   // column indexes
	done                   []int // the columns of tasks done
}

func newAgencyCells(t *table.Table, st reportStyles) (*agencyCells, error) {
	a := &agencyCells{t: t, st: st, due: -1, notReported: -1, rate: -1}
	for i, c := range t.Columns {
		l, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return nil, err
		}
		a.letters = append(a.letters, l)
		switch c.Field {
		case progress.FieldDue:
			a.due = i
		case progress.DoneOnTime, progress.DoneLate, progress.CarriedOut:
			a.done = append(a.done, i)
		case progress.NotReported:
			a.notReported = i
		case fieldRate:
			a.rate = i
		}
	}
	if a.due < 0 || len(a.done) == 0 || a.notReported < 0 || a.rate < 0 || !t.TotalRow || len(t.Rows) == 0 {
		return nil, errors.New("xlsx: the agency table lacks a column or its total row")
	}
	n := len(t.Rows) - 1
	a.values = make([][]int, len(t.Rows))
	a.values[n] = make([]int, len(t.Columns))
	for ri := range n {
		a.values[ri] = make([]int, len(t.Columns))
		for ci, c := range t.Columns {
			if !c.Numeric || ci >= len(t.Rows[ri]) {
				continue
			}
			v, ok := integer(t.Rows[ri][ci])
			if !ok {
				return nil, fmt.Errorf("xlsx: agency row %d, column %q: %q is not a count", ri+1, c.Label, t.Rows[ri][ci].Text())
			}
			a.values[ri][ci] = v
			a.values[n][ci] += v
		}
	}
	return a, nil
}

func (a *agencyCells) cell(ri, ci, row int) (excelize.Cell, bool) {
	n := len(a.t.Rows) - 1 // the total row
	total := ri == n
	switch {
	case ci == a.rate:
		style := a.st.percent
		if total {
			style = a.st.totalPercent
		}
		due := fmt.Sprintf("%s%d", a.letters[a.due], row)
		var cells []string
		done := 0
		for _, c := range a.done {
			cells = append(cells, fmt.Sprintf("%s%d", a.letters[c], row))
			done += a.values[ri][c]
		}
		return excelize.Cell{
			StyleID: style,
			Formula: fmt.Sprintf("IF(%s=0,0,(%s)/%s)", due, strings.Join(cells, "+"), due),
			Value:   ratio(done, a.values[ri][a.due]),
		}, true
	case !a.t.Columns[ci].Numeric:
		return excelize.Cell{}, false
	case total && n == 0: // no agency: nothing to add up
		return excelize.Cell{StyleID: a.st.totalNumber, Value: 0}, true
	case total:
		l := a.letters[ci]
		return excelize.Cell{
			StyleID: a.st.totalNumber,
			Formula: fmt.Sprintf("SUM(%s%d:%s%d)", l, row-n, l, row-1),
			Value:   a.values[ri][ci],
		}, true
	}
	return excelize.Cell{Value: a.values[ri][ci]}, true
}

// summaryTable is the table of the summary sheet: a row per status, the
// total, and the agencies that have not reported; its numbers are
// written by summaryCells.
func summaryTable(b *progress.Board, info ReportInfo) *table.Table {
	md := func(s string) table.Cell { return table.Cell{Source: s, Blocks: richtext.Parse(s)} }
	t := &table.Table{
		Heading:  info.Title,
		Title:    "Tổng hợp tình hình thực hiện nhiệm vụ " + b.PeriodName,
		Attached: info.Attached,
		Columns: []table.Column{
			{Field: "stt", Label: "STT", Width: 7, Align: table.Center},
			{Field: "status", Label: "Tình trạng", Width: 45, Align: table.Left},
			{Field: "count", Label: "Số nhiệm vụ", Width: 16, Align: table.Center, Numeric: true},
			{Field: "share", Label: "Tỷ lệ", Width: 16, Align: table.Center},
		},
	}
	if d, err := time.Parse(time.DateOnly, b.AsOf); err == nil {
		t.Stamp = "Số liệu tính đến " + vn.DateWords(d.Year(), int(d.Month()), d.Day())
	}
	for i, s := range SummaryStatuses {
		t.Rows = append(t.Rows, []table.Cell{md(fmt.Sprint(i + 1)), md(progress.StatusNames[s]), {}, {}})
	}
	t.Rows = append(t.Rows,
		[]table.Cell{{}, md("**" + labelTotal + "**"), {}, {}},
		[]table.Cell{{}, md(labelNotReported), {}, {}},
	)
	return t
}

// summaryCells writes the summary's counts as COUNTIF formulas over the
// status column of the task sheet, its shares as their ratio to the total
// and the agencies not reported as a COUNTIF over the agency sheet.
type summaryCells struct {
	board  *progress.Board
	styles reportStyles
	// tasks is the range of the task sheet's statuses, notReported that
	// of the agency sheet's "Chưa báo cáo" column ("" with no agency).
	tasks, notReported  string
	agenciesNotReported int
}

// Columns of the summary table.
const (
	sumCount = 2
	sumShare = 3
)

func (s *summaryCells) cell(ri, ci, row int) (excelize.Cell, bool) {
	if ci != sumCount && ci != sumShare {
		return excelize.Cell{}, false
	}
	n := len(SummaryStatuses)
	first := row - ri
	totalRow := first + n
	col, _ := excelize.ColumnNumberToName(ci + 1)
	count, _ := excelize.ColumnNumberToName(sumCount + 1)
	total := 0
	for _, st := range SummaryStatuses {
		total += s.board.Counts[st]
	}
	switch {
	case ri < n && ci == sumCount:
		name := progress.StatusNames[SummaryStatuses[ri]]
		return excelize.Cell{
			Formula: fmt.Sprintf(`COUNTIF(%s,"%s")`, s.tasks, name),
			Value:   s.board.Counts[SummaryStatuses[ri]],
		}, true
	case ri < n:
		return excelize.Cell{
			StyleID: s.styles.percent,
			Formula: fmt.Sprintf("IF($%s$%d=0,0,%s%d/$%s$%d)", count, totalRow, count, row, count, totalRow),
			Value:   ratio(s.board.Counts[SummaryStatuses[ri]], total),
		}, true
	case ri == n:
		v := any(total)
		style := s.styles.totalNumber
		if ci == sumShare {
			style = s.styles.totalPercent
			share := 0.0
			for _, st := range SummaryStatuses {
				share += ratio(s.board.Counts[st], total)
			}
			v = share
		}
		return excelize.Cell{
			StyleID: style,
			Formula: fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, totalRow-1),
			Value:   v,
		}, true
	case ci == sumCount && s.notReported == "":
		return excelize.Cell{Value: 0}, true
	case ci == sumCount:
		return excelize.Cell{
			Formula: fmt.Sprintf(`COUNTIF(%s,">0")`, s.notReported),
			Value:   s.agenciesNotReported,
		}, true
	}
	return excelize.Cell{}, false
}
