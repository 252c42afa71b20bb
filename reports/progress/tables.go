package progress

import (
	"fmt"
	"strings"

	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

func cell(md string) table.Cell { return table.Cell{Source: md, Blocks: richtext.Parse(md)} }

// plainCell is a cell of plain text (escaped for Markdown).
func plainCell(s string) table.Cell { return cell(doc.EscapeMarkdown(s)) }

// Column fields of the tables, which the workbook's formulas look up.
const (
	FieldStatus = "status"
	FieldDue    = "due"
)

// FigureText writes a figure: "Tin, bài về cải cách hành chính: 26 tin,
// bài", with its scope when it covers part of the period ("(Quý I)").
func FigureText(f Figure) string {
	v := vn.Number(f.Value, 2)
	s := f.Name + ": " + v
	if f.Unit != "" {
		s += " " + f.Unit
	}
	if f.Unit == f.Name || f.Name == "" {
		s = v + " " + f.Unit
	}
	if f.Scope != "" {
		s += " (" + f.Scope + ")"
	}
	return s
}

// TaskTable is appendix (a) of a periodic report: each task due in the
// period with its lead agencies (one per line), its one status (and each
// lead's when there are several), the latest result and figures, and
// notes: who has not reported, late reports, the status by quarter of a
// cumulative period.
func (b *Board) TaskTable(heading, attached string) *table.Table {
	t := &table.Table{
		Heading:   heading,
		Title:     "Kết quả thực hiện các nhiệm vụ " + b.PeriodName,
		Attached:  attached,
		Landscape: true,
		Columns: []table.Column{
			{Field: "stt", Label: "STT", Width: 5, Align: table.Center},
			{Field: "content", Label: "Nhiệm vụ", Width: 30, Align: table.Justify},
			{Field: "lead", Label: "Cơ quan chủ trì", Width: 14, Align: table.Left},
			{Field: FieldStatus, Label: "Tình trạng", Width: 12, Align: table.Center},
			{Field: "result", Label: "Kết quả, số liệu", Width: 27, Align: table.Justify},
			{Field: "note", Label: "Ghi chú", Width: 12, Align: table.Left},
		},
	}
	for _, r := range b.Rows {
		t.Rows = append(t.Rows, []table.Cell{
			plainCell(fmt.Sprint(r.Number)),
			cell(r.Content),
			cell(doc.AgencyList(append(r.Leads, r.Assigned...), false)),
			plainCell(r.StatusName),
			cell(resultCell(r)),
			cell(noteCell(r, b)),
		})
	}
	return t
}

// resultCell is each lead's latest result, named when there are several,
// then the figures.
func resultCell(r Row) string {
	var parts []string
	for _, l := range r.Agencies {
		if l.Result == "" {
			continue
		}
		if len(r.Agencies) > 1 {
			parts = append(parts, "*"+doc.EscapeMarkdown(l.Agency)+":*")
		}
		parts = append(parts, l.Result)
	}
	if len(r.Figures) > 0 {
		var lines []string
		for _, f := range r.Figures {
			lines = append(lines, "- "+doc.EscapeMarkdown(FigureText(f))+".")
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

// noteCell says who has not reported, whose report was late and, for a
// cumulative period, what each quarter's report said.
func noteCell(r Row, b *Board) string {
	var notes []string
	if len(r.Agencies) > 1 { // each lead's status beside the task's one
		var lines []string
		for _, l := range r.Agencies {
			lines = append(lines, "- "+doc.EscapeMarkdown(l.Agency+": "+strings.ToLower(l.StatusName))+".")
		}
		notes = append(notes, strings.Join(lines, "\n"))
	}
	if len(r.Agencies) == 0 {
		notes = append(notes, "Không có cơ quan chủ trì cụ thể để báo cáo.")
	}
	if len(r.Missing) > 0 && len(r.Agencies) == 1 {
		notes = append(notes, doc.EscapeMarkdown("Chưa báo cáo "+b.LatestName+"."))
	}
	for _, l := range r.Agencies {
		if l.Late {
			who := ""
			if len(r.Agencies) > 1 {
				who = " (" + l.Agency + ")"
			}
			notes = append(notes, doc.EscapeMarkdown("Báo cáo muộn"+who+"."))
		}
	}
	if r.CompletedOn != "" {
		if d, err := doc.ParseDate(r.CompletedOn); err == nil && d.Complete() {
			notes = append(notes, doc.EscapeMarkdown(fmt.Sprintf("Hoàn thành ngày %d/%d/%d.", d.Day, d.Month, d.Year)))
		}
	}
	if len(r.Agencies) == 1 && len(r.Agencies[0].Quarters) > 1 {
		var qs []string
		for _, q := range r.Agencies[0].Quarters {
			qs = append(qs, q.Name+": "+strings.ToLower(q.StatusName))
		}
		notes = append(notes, doc.EscapeMarkdown(strings.Join(qs, "; ")+"."))
	}
	return strings.Join(notes, "\n\n")
}

// AgencyColumns are the statuses the per-agency table counts, in order.
var AgencyColumns = Statuses

// agencyLabels are the per-agency table's short column labels.
var agencyLabels = map[string]string{
	DoneOnTime: "Hoàn thành đúng hạn", DoneLate: "Hoàn thành quá hạn", InTime: "Đang thực hiện trong hạn",
	Overdue: "Quá hạn", NotReported: "Chưa báo cáo", CarriedOut: "Thường xuyên: đã thực hiện",
	Ongoing: "Thường xuyên: đang thực hiện",
}

// AgencyTable is appendix (b): per lead agency, its agency–task pairs due
// and how many are in each status, with a total row; each row's statuses
// add up to its total.
func (b *Board) AgencyTable(heading, attached string) *table.Table {
	t := &table.Table{
		Heading:   heading,
		Title:     "Tổng hợp kết quả theo cơ quan chủ trì " + b.PeriodName,
		Attached:  attached,
		Landscape: true,
		TotalRow:  true,
		Columns: []table.Column{
			{Field: "stt", Label: "STT", Width: 5, Align: table.Center},
			{Field: "agency", Label: "Cơ quan chủ trì", Width: 26, Align: table.Left},
			{Field: FieldDue, Label: "Số nhiệm vụ chủ trì đến hạn (lượt)", Width: 10, Align: table.Center, Numeric: true},
		},
	}
	for _, s := range AgencyColumns {
		t.Columns = append(t.Columns, table.Column{Field: s, Label: agencyLabels[s], Width: 9, Align: table.Center, Numeric: true})
	}
	sum := make([]int, 1+len(AgencyColumns))
	for i, a := range b.Agencies {
		vals := []int{a.Due}
		for _, s := range AgencyColumns {
			vals = append(vals, a.Counts[s])
		}
		row := []table.Cell{plainCell(fmt.Sprint(i + 1)), plainCell(a.Agency)}
		for k, v := range vals {
			row = append(row, plainCell(fmt.Sprint(v)))
			sum[k] += v
		}
		t.Rows = append(t.Rows, row)
	}
	total := []table.Cell{plainCell(""), cell("**Tổng số lượt**")}
	for _, v := range sum {
		total = append(total, cell(fmt.Sprintf("**%d**", v)))
	}
	t.Rows = append(t.Rows, total)
	return t
}
