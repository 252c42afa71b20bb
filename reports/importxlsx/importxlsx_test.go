package importxlsx

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/richtext"
	"baocao/reports/sample"
	"baocao/reports/xlsx"
)

// TestRoundTrip exports each seed's appendix with the Excel renderer,
// imports it, and gets the same tasks back: same text, styles and lists,
// same agencies, outputs and deadlines.
func TestRoundTrip(t *testing.T) {
	sample.EachFixture(t, func(t *testing.T, d *doc.Document) {
		data, err := xlsx.Appendices(d, xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) > 0 {
			t.Fatalf("row errors: %+v", res.Errors)
		}
		want := d.Appendices[0].Tasks
		if len(res.Tasks) != len(want) {
			t.Fatalf("%d tasks read, want %d", len(res.Tasks), len(want))
		}
		for i, got := range res.Tasks {
			w := want[i]
			if !sameBlocks(got.Content, w.Content) {
				t.Errorf("task %d content:\n got %q\nwant %q", i+1, got.Content, w.Content)
			}
			if !sameBlocks(got.Output, w.Output) {
				t.Errorf("task %d output:\n got %q\nwant %q", i+1, got.Output, w.Output)
			}
			if !reflect.DeepEqual(got.Lead, trimAll(w.Lead)) || !reflect.DeepEqual(nilIfEmpty(got.Cooperating), nilIfEmpty(trimAll(w.Cooperating))) {
				t.Errorf("task %d agencies: %q %q, want %q %q", i+1, got.Lead, got.Cooperating, w.Lead, w.Cooperating)
			}
			if got.Deadline.Text != w.Deadline.Text {
				t.Errorf("task %d deadline %q, want %q", i+1, got.Deadline.Text, w.Deadline.Text)
			}
		}
	})
}

func trimAll(v []string) []string {
	var out []string
	for _, s := range v {
		out = append(out, strings.TrimRight(s, ";,. "))
	}
	return out
}

func nilIfEmpty(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

// sameBlocks compares two Markdown texts by what they print: the same
// blocks, markers and styled runs.
func sameBlocks(a, b string) bool {
	norm := func(md string) []richtext.Block {
		bs := richtext.Parse(md)
		for i := range bs {
			if bs[i].Kind == richtext.ListItem {
				bs[i].Level = 1 // nesting depth is not kept in a spreadsheet cell
			}
		}
		return bs
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// TestPlainTable reads a hand-made table with a Vietnamese header row and
// reports the rows it cannot read, by number.
func TestPlainTable(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"Bảng nhiệm vụ"},
		{},
		{"TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Ghi chú"},
		{1, "Tuyên truyền trên Cổng thông tin", "Sở Nội vụ", "- Các sở;\n- UBND các huyện.", "Quý II", ""},
		{2, "", "Sở Tư pháp", "", "Thường xuyên", ""},
		{3, "Hội nghị", "", "", "Tháng 4/2024", ""},
		{4, "=HYPERLINK(\"x\")", "Báo Lai Châu", "", "Năm 2024", "Ghi chú *thật*"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header != 3 || len(res.Tasks) != 2 {
		t.Fatalf("header row %d, %d tasks", res.Header, len(res.Tasks))
	}
	want := []RowError{
		{Row: 5, Reason: `the column "Nội dung" is empty`},
		{Row: 6, Reason: `the column "Cơ quan chủ trì" is empty`},
	}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("errors %+v", res.Errors)
	}
	if got := res.Tasks[0].Cooperating; !reflect.DeepEqual(got, []string{"Các sở", "UBND các huyện"}) {
		t.Errorf("cooperating %q", got)
	}
	if got := richtext.Plain(res.Tasks[1].Note); got != "Ghi chú *thật*" {
		t.Errorf("note %q: literal asterisks must stay text", got)
	}
	if _, err := Read(strings.NewReader("not a spreadsheet")); err == nil {
		t.Error("garbage read without error")
	}
}

// TestImportText: cells pass the text rule (CR LF, tabs, Word's invisible
// characters), and a row the font cannot print is refused by its number.
func TestImportText(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"},
		{1, "Tuyên\u00adtruyền\r\ntrên\tbáo “Lai Châu”\u200b", "Sở\u200b Nội vụ", "Quý\u00a0II"},
		{2, "Hội nghị 😀", "Sở Tư pháp", "Quý III"},
		{3, "Tập huấn", "Sở 内务", "Quý IV"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	res.CheckFont(fam)
	if len(res.Tasks) != 1 || !reflect.DeepEqual(res.Rows, []int{2}) {
		t.Fatalf("%d tasks from rows %v", len(res.Tasks), res.Rows)
	}
	if got := res.Tasks[0].Content; got != "Tuyêntruyền\n\ntrên báo “Lai Châu”" {
		t.Errorf("content %q", got)
	}
	if got := res.Tasks[0].Lead; !reflect.DeepEqual(got, []string{"Sở Nội vụ"}) {
		t.Errorf("lead %q", got)
	}
	if len(res.Errors) != 2 || res.Errors[0].Row != 3 || !strings.Contains(res.Errors[0].Reason, `the column "Nội dung" contains "😀" (U+1F600)`) ||
		res.Errors[1].Row != 4 || !strings.Contains(res.Errors[1].Reason, `"Cơ quan chủ trì" contains "内" (U+5185)`) {
		t.Errorf("errors %+v", res.Errors)
	}
}
