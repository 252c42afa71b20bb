package progress

import (
	"fmt"
	"strings"

	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

func cell(md string) table.Cell { return table.Cell{Source: md, Blocks: richtext.Parse(md)} }

// plainCell is a cell of plain text (escaped for Markdown).
func plainCell(s string) table.Cell {
	return cell(plainEscaper.Replace(s))
}

var plainEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`)

// TaskTable is appendix (a) of a periodic report: each task due in the
// period with its lead agency, status, result and figures.
func (b *Board) TaskTable(heading, attached string) *table.Table {
	t := &table.Table{
		Heading:   heading,
		Title:     "Kết quả thực hiện các nhiệm vụ " + b.PeriodName,
		Attached:  attached,
		Landscape: true,
		Columns: []table.Column{
			{Field: "stt", Label: "STT", Width: 5, Align: table.Center},
			{Field: "content", Label: "Nhiệm vụ", Width: 32, Align: table.Justify},
			{Field: "lead", Label: "Cơ quan chủ trì", Width: 15, Align: table.Center},
			{Field: "status", Label: "Tình trạng", Width: 12, Align: table.Center},
			{Field: "result", Label: "Kết quả, số liệu", Width: 24, Align: table.Justify},
			{Field: "note", Label: "Ghi chú", Width: 12, Align: table.Left},
		},
	}
	for _, r := range b.Rows {
		var res []string
		if r.Result != "" {
			res = append(res, r.Result)
		}
		for _, f := range r.Figures {
			res = append(res, fmt.Sprintf("- %s: %s %s", f.Name, vn.Number(f.Value, 2), f.Unit))
		}
		var notes []string
		if len(r.Missing) > 0 {
			notes = append(notes, "Chưa báo cáo: "+strings.Join(r.Missing, "; "))
		}
		if r.Late {
			notes = append(notes, "Báo cáo muộn")
		}
		t.Rows = append(t.Rows, []table.Cell{
			plainCell(fmt.Sprint(r.Number)),
			cell(r.Content),
			plainCell(strings.Join(r.Leads, "\n")),
			plainCell(StatusNames[r.Status]),
			cell(strings.Join(res, "\n\n")),
			plainCell(strings.Join(notes, ". ")),
		})
	}
	return t
}

// AgencyTable is appendix (b): per lead agency, the tasks due, done, done
// on time and late, overdue and not reported, with a total row.
func (b *Board) AgencyTable(heading, attached string) *table.Table {
	t := &table.Table{
		Heading:   heading,
		Title:     "Tổng hợp kết quả theo cơ quan chủ trì " + b.PeriodName,
		Attached:  attached,
		Landscape: true,
		TotalRow:  true,
		Columns: []table.Column{
			{Field: "stt", Label: "STT", Width: 5, Align: table.Center},
			{Field: "agency", Label: "Cơ quan chủ trì", Width: 30, Align: table.Left},
			{Field: "due", Label: "Nhiệm vụ đến hạn", Width: 11, Align: table.Center, Numeric: true},
			{Field: "done", Label: "Hoàn thành", Width: 11, Align: table.Center, Numeric: true},
			{Field: "on_time", Label: "Đúng hạn", Width: 11, Align: table.Center, Numeric: true},
			{Field: "late", Label: "Chậm", Width: 11, Align: table.Center, Numeric: true},
			{Field: "overdue", Label: "Quá hạn", Width: 11, Align: table.Center, Numeric: true},
			{Field: "not_reported", Label: "Chưa báo cáo", Width: 11, Align: table.Center, Numeric: true},
		},
	}
	var sum [6]int
	for i, a := range b.Agencies {
		vals := [6]int{a.Due, a.Done, a.OnTime, a.Late, a.Overdue, a.NotReported}
		row := []table.Cell{plainCell(fmt.Sprint(i + 1)), plainCell(a.Agency)}
		for k, v := range vals {
			row = append(row, plainCell(fmt.Sprint(v)))
			sum[k] += v
		}
		t.Rows = append(t.Rows, row)
	}
	total := []table.Cell{plainCell(""), cell("**Tổng cộng**")}
	for _, v := range sum {
		total = append(total, cell(fmt.Sprintf("**%d**", v)))
	}
	t.Rows = append(t.Rows, total)
	return t
}
