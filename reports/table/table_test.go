package table

import (
	"math"
	"testing"

	"baocao/reports/doc"
)

func TestFromAppendix(t *testing.T) {
	d := &doc.Document{Kind: "KH", Number: 15, Date: doc.Date{Year: 2024, Month: 1, Day: 5},
		Agency: doc.Agency{Name: "Ủy ban nhân dân tỉnh Lai Châu", ShortName: "UBND tỉnh Lai Châu", Symbol: "UBND"},
		Appendices: []doc.Appendix{
			{Title: "Nhiệm vụ", Tasks: []doc.Task{
				{Content: "**Tuyên truyền** trên Cổng", Lead: []string{"Sở Nội vụ", "Báo Lai Châu"}, Deadline: doc.Deadline{Text: "Quý I"}},
				{Content: "Hai", Lead: []string{"Sở Tư pháp"}, Deadline: doc.Deadline{Text: "Thường xuyên"}},
			}},
			{Title: "Khác", Columns: []doc.Column{{Field: doc.FieldSTT, Label: "TT"}, {Field: doc.FieldContent, Label: "Việc", Width: 50}},
				Tasks: []doc.Task{{Content: "Ba", Lead: []string{"Sở Nội vụ"}}}},
		}}
	tb := FromAppendix(d, 0)
	if tb.Heading != "Phụ lục I" || tb.Title != "Nhiệm vụ" || tb.Attached != d.AttachedLine() {
		t.Errorf("title block %q %q %q", tb.Heading, tb.Title, tb.Attached)
	}
	if len(tb.Columns) != len(doc.DefaultColumns()) || len(tb.Rows) != 2 {
		t.Fatalf("%d columns, %d rows", len(tb.Columns), len(tb.Rows))
	}
	// The cells hold the Markdown and its blocks; agencies one per line.
	if c := tb.Rows[0][1]; c.Source != "**Tuyên truyền** trên Cổng" || c.Text() != "Tuyên truyền trên Cổng" {
		t.Errorf("content cell %q → %q", c.Source, c.Text())
	}
	if c := tb.Rows[0][2]; c.Text() != "- Sở Nội vụ;\n- Báo Lai Châu." && c.Text() != "Sở Nội vụ;\nBáo Lai Châu." {
		t.Errorf("lead cell %q", c.Text())
	}
	if tb.Rows[1][0].Text() != "2" {
		t.Errorf("STT %q", tb.Rows[1][0].Text())
	}
	// A column without a width takes its field's default; alignment by field.
	tb2 := FromAppendix(d, 1)
	if tb2.Heading != "Phụ lục II" || tb2.Columns[0].Width != 5 || tb2.Columns[0].Align != Center || tb2.Columns[1].Width != 50 || tb2.Columns[1].Align != Justify {
		t.Errorf("second table %+v %q", tb2.Columns, tb2.Heading)
	}
}

func TestWidths(t *testing.T) {
	tb := &Table{Columns: []Column{{Width: 1}, {Width: 3}, {Width: 4}}}
	w := tb.Widths(160)
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	if math.Abs(sum-160) > 1e-9 || w[0] != 20 || w[1] != 60 || w[2] != 80 {
		t.Errorf("widths %v", w)
	}
}
