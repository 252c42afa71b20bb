package xlsx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/reports/doc"
	"baocao/reports/importxlsx"
	"baocao/reports/richtext"
	gen "baocao/reports/sample"
	"baocao/reports/table"
	"baocao/reports/xlsx"
)

// sample is a plan with one appendix of a few tasks: diacritics, a dash
// list, italics and bold, several lead agencies, a content that looks like
// a formula.
func sample() *doc.Document {
	return &doc.Document{
		Kind:   "KH",
		Number: 15,
		Date:   doc.Date{Year: 2024, Month: 1, Day: 5},
		Agency: doc.Agency{
			Name:      "Ủy ban nhân dân tỉnh Lai Châu",
			ShortName: "UBND tỉnh Lai Châu",
			Symbol:    "UBND",
			Place:     "Lai Châu",
		},
		Title: "Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024",
		Body:  "Nội dung kế hoạch.",
		Appendices: []doc.Appendix{{
			Title: "Các nhiệm vụ tuyên truyền cải cách hành chính năm 2024",
			Tasks: []doc.Task{
				{
					Content: "Tuyên truyền *Nghị quyết số 76/NQ-CP* về cải cách hành chính:\n\n" +
						"- Tổ chức hội nghị quán triệt;\n- Đăng tin trên **Cổng thông tin điện tử** tỉnh.",
					Lead:        []string{"Sở Nội vụ"},
					Cooperating: []string{"Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông", "UBND các huyện, thành phố"},
					Output:      "Hội nghị; tin, bài",
					Deadline:    doc.Deadline{Text: "Quý I/2024"},
				},
				{
					Content:  "=1+1 không phải là công thức",
					Lead:     []string{"Sở Tư pháp", "Sở Tài chính"},
					Output:   "Báo cáo",
					Deadline: doc.Deadline{Text: "Thường xuyên"},
				},
				{
					Content: "Rà soát thủ tục hành chính\\\nthuộc thẩm quyền giải quyết của tỉnh:\n\n" +
						"- Cấp tỉnh:\n  + Sở Kế hoạch và Đầu tư;\n  + Sở Xây dựng.\n- Cấp huyện.",
					Lead:     []string{"Văn phòng UBND tỉnh"},
					Deadline: doc.Deadline{Text: "Trước ngày 30/6/2024"},
				},
			},
		}},
	}
}

var fixed = time.Date(2024, 1, 5, 8, 0, 0, 0, time.UTC)

func render(t testing.TB, d *doc.Document) []byte {
	t.Helper()
	out, err := xlsx.Appendices(d, xlsx.Options{Created: fixed})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return out
}

func open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// part returns a part of the zip package.
func part(t testing.TB, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// lines normalises a cell's text for comparison: the indents of nested
// list items dropped.
func lines(s string) string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimLeft(l, " ")
	}
	return strings.Join(ls, "\n")
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func TestAppendix(t *testing.T) {
	d := sample()
	data := render(t, d)
	f := open(t, data)
	const sheet = "Phụ lục"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %q, want [%q]", got, sheet)
	}
	tab := table.FromAppendix(d, 0)
	ncol := len(tab.Columns)
	last, _ := excelize.ColumnNumberToName(ncol)

	// Title block.
	// The workbook is the appendix as a file of its own: the document's
	// number and date at the top right first (table.FileStamp).
	want := map[string]string{
		"A1": "15/KH-UBND ngày 05 tháng 01 năm 2024",
		"A2": "Phụ lục",
		"A3": "CÁC NHIỆM VỤ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2024",
		"A4": "(Kèm theo Kế hoạch số 15/KH-UBND ngày 05 tháng 01 năm 2024 của UBND tỉnh Lai Châu)",
	}
	for c, w := range want {
		if got, _ := f.GetCellValue(sheet, c); got != w {
			t.Errorf("%s = %q, want %q", c, got, w)
		}
	}
	if tab.Attached != want["A4"] {
		t.Errorf("the table's attached line is %q", tab.Attached)
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merges {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if w := []string{"A1:" + last + "1", "A2:" + last + "2", "A3:" + last + "3", "A4:" + last + "4"}; strings.Join(refs, " ") != strings.Join(w, " ") {
		t.Errorf("merges %q, want %q", refs, w)
	}
	checkStyle := func(c string, size float64, bold, italic bool) {
		t.Helper()
		id, err := f.GetCellStyle(sheet, c)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || st.Font.Size != size || st.Font.Bold != bold || st.Font.Italic != italic || st.Font.Family != xlsx.DefaultFont {
			t.Errorf("%s font %+v, want %s %v pt bold %v italic %v", c, st.Font, xlsx.DefaultFont, size, bold, italic)
		}
		if st.Alignment == nil || !st.Alignment.WrapText && c != "A1" {
			t.Errorf("%s is not wrapped: %+v", c, st.Alignment)
		}
	}
	checkStyle("A1", 12, false, false)
	checkStyle("A2", 14, true, false)
	checkStyle("A3", 14, true, false)
	checkStyle("A4", 14, false, true)
	if id, _ := f.GetCellStyle(sheet, "A1"); true {
		if st, _ := f.GetStyle(id); st.Alignment == nil || st.Alignment.Horizontal != "right" {
			t.Errorf("the number and date are not at the right: %+v", st.Alignment)
		}
	}

	// Header row 6 (row 5 is the gap).
	const header = 6
	for i, c := range tab.Columns {
		ref := cell(i+1, header)
		if got, _ := f.GetCellValue(sheet, ref); got != c.Label {
			t.Errorf("header %s = %q, want %q", ref, got, c.Label)
		}
		checkStyle(ref, 12, true, false)
		id, _ := f.GetCellStyle(sheet, ref)
		st, _ := f.GetStyle(id)
		if st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 || len(st.Border) != 4 || st.Alignment.Horizontal != "center" {
			t.Errorf("header style %+v", st)
		}
	}
	if got := []string{"STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả/Sản phẩm", "Thời gian hoàn thành"}; len(tab.Columns) != len(got) {
		t.Fatalf("columns %v", tab.Columns)
	}

	// Every task's cells, in their columns.
	for r, row := range tab.Rows {
		for c, tc := range row {
			ref := cell(c+1, header+1+r)
			got, err := f.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			if lines(got) != tc.Text() {
				t.Errorf("%s (%s) = %q, want %q", ref, tab.Columns[c].Field, got, tc.Text())
			}
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s has a formula %q", ref, formula)
			}
			id, _ := f.GetCellStyle(sheet, ref)
			st, _ := f.GetStyle(id)
			if len(st.Border) != 4 || st.Alignment == nil || !st.Alignment.WrapText || st.Font == nil || st.Font.Size != 12 {
				t.Errorf("%s style %+v", ref, st)
			}
		}
		h, err := f.GetRowHeight(sheet, header+1+r)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(row[1].Text(), "\n") + 1; h < float64(n)*15.75 {
			t.Errorf("row %d is %v pt high for %d lines of content", header+1+r, h, n)
		}
	}
	// The agencies, one per line.
	if got, _ := f.GetCellValue(sheet, "C8"); got != "- Sở Tư pháp;\n- Sở Tài chính." {
		t.Errorf("lead agencies %q", got)
	}
	if got, _ := f.GetCellValue(sheet, "D7"); got != "- Văn phòng UBND tỉnh;\n- Sở Thông tin và Truyền thông;\n- UBND các huyện, thành phố." {
		t.Errorf("cooperating agencies %q", got)
	}

	// Rich text: italics and bold where the Markdown has them.
	runs, err := f.GetCellRichText(sheet, "B7")
	if err != nil {
		t.Fatal(err)
	}
	style := map[string][2]bool{}
	for _, r := range runs {
		if r.Font == nil {
			t.Errorf("run %q without font", r.Text)
			continue
		}
		if r.Font.Family != xlsx.DefaultFont || r.Font.Size != 12 {
			t.Errorf("run %q font %+v", r.Text, r.Font)
		}
		style[strings.TrimSpace(r.Text)] = [2]bool{r.Font.Bold, r.Font.Italic}
	}
	if s, ok := style["Nghị quyết số 76/NQ-CP"]; !ok || s != [2]bool{false, true} {
		t.Errorf("italic run: %v %v in %+v", s, ok, runs)
	}
	if s, ok := style["Cổng thông tin điện tử"]; !ok || s != [2]bool{true, false} {
		t.Errorf("bold run: %v %v in %+v", s, ok, runs)
	}
	// A line break inside a paragraph and a nested list.
	got, _ := f.GetCellValue(sheet, "B9")
	if want := "Rà soát thủ tục hành chính\nthuộc thẩm quyền giải quyết của tỉnh:\n- Cấp tỉnh:\n   + Sở Kế hoạch và Đầu tư;\n   + Sở Xây dựng.\n- Cấp huyện."; got != want {
		t.Errorf("B9 = %q, want %q", got, want)
	}

	// STT: numbers; "=1+1": a string, not a formula.
	sheetXML := part(t, data, "xl/worksheets/sheet1.xml")
	for r := range tab.Rows {
		ref := cell(1, header+1+r)
		if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("STT %s has type %v", ref, typ)
		}
		if !regexp.MustCompile(`<c r="` + ref + `" s="\d+"><v>` + fmt.Sprint(r+1) + `</v></c>`).MatchString(sheetXML) {
			t.Errorf("STT %s is not the number %d", ref, r+1)
		}
	}
	if got, _ := f.GetCellValue(sheet, "B8"); got != "=1+1 không phải là công thức" {
		t.Errorf("B8 = %q", got)
	}
	if typ, _ := f.GetCellType(sheet, "B8"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("B8 has type %v", typ)
	}
	if strings.Contains(sheetXML, "<f>") || strings.Contains(sheetXML, `t="str"`) {
		t.Error("the sheet holds a formula")
	}

	// Freeze pane under the header, autofilter over header and data.
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != header || panes.XSplit != 0 || panes.TopLeftCell != "A7" {
		t.Errorf("panes %+v", panes)
	}
	lastRow := header + len(tab.Rows)
	// excelize writes the range with dollars ("$A$6:$F$9").
	filter := regexp.MustCompile(`<autoFilter ref="([^"]*)"`).FindStringSubmatch(sheetXML)
	if want := fmt.Sprintf("A%d:%s%d", header, last, lastRow); filter == nil || strings.ReplaceAll(filter[1], "$", "") != want {
		t.Errorf("autofilter %q, want %s", filter, want)
	}
	if !regexp.MustCompile(`<cols>(<col min="(\d)" max="(\d)"[^>]*/>)+</cols>`).MatchString(sheetXML) ||
		!strings.Contains(sheetXML, `<cols><col min="1" max="1"`) {
		t.Error("the columns are not in ascending order")
	}

	// Page setup.
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v", pl)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page is off")
	}
	m, err := f.GetPageMargins(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if *m.Left != 0.6 || *m.Right != 0.6 || *m.Top != 0.75 || *m.Bottom != 0.75 || m.Horizontally == nil || !*m.Horizontally {
		t.Errorf("margins %+v", m)
	}
	var titles string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			titles = dn.RefersTo
		}
	}
	if titles != "'Phụ lục'!$6:$6" {
		t.Errorf("print titles %q", titles)
	}

	// Column widths: about 150 characters in all.
	total := 0.0
	for i := range tab.Columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		w, _ := f.GetColWidth(sheet, name)
		total += w
	}
	if total < 145 || total > 155 {
		t.Errorf("columns are %v characters wide in all", total)
	}

	// Document properties with the given time.
	dp, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if dp.Created != "2024-01-05T08:00:00Z" || dp.Modified != dp.Created {
		t.Errorf("doc props %+v", dp)
	}
}

func TestDeterministic(t *testing.T) {
	a := render(t, sample())
	time.Sleep(1100 * time.Millisecond) // a clock in the output would show
	b := render(t, sample())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders differ")
	}
	// Several appendices (several streamed sheets) and the default time.
	d := sample()
	d.Appendices = append(d.Appendices, d.Appendices[0], d.Appendices[0])
	x, err := xlsx.Appendices(d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		y, err := xlsx.Appendices(d, xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Fatal("two renders of three appendices differ")
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if y := zf.Modified.UTC().Year(); y != 2000 {
			t.Errorf("%s modified %v", zf.Name, zf.Modified)
		}
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part %s", zr.File[0].Name)
	}
	f := open(t, x)
	if got := strings.Join(f.GetSheetList(), "|"); got != "Phụ lục I|Phụ lục II|Phụ lục III" {
		t.Errorf("sheets %s", got)
	}
	if got, _ := f.GetCellValue("Phụ lục II", "A1"); got != "Phụ lục II" {
		t.Errorf("second heading %q", got)
	}
	dp, _ := f.GetDocProps()
	if dp.Created != "2000-01-01T00:00:00Z" {
		t.Errorf("default created %q", dp.Created)
	}
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			names[dn.Scope] = dn.RefersTo
		}
	}
	for i, s := range f.GetSheetList() {
		want := "'" + s + "'!$5:$5"
		if i == 0 { // the first sheet carries the number and date
			want = "'" + s + "'!$6:$6"
		}
		if names[s] != want {
			t.Errorf("print titles of %s: %q", s, names[s])
		}
	}
}

func TestOptionsAndErrors(t *testing.T) {
	if _, err := xlsx.Appendices(&doc.Document{}, xlsx.Options{}); err == nil {
		t.Error("no error for a document without appendices")
	}
	if _, err := xlsx.Tables(nil, xlsx.Options{}); err == nil {
		t.Error("no error without tables")
	}
	tab := table.FromAppendix(sample(), 0)
	tab.Stamp = "15/KH-UBND ngày 05 tháng 01 năm 2024"
	out, err := xlsx.Tables([]*table.Table{tab}, xlsx.Options{FontName: "Times New Roman"})
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, out)
	if got, _ := f.GetCellValue("Phụ lục", "A1"); got != tab.Stamp {
		t.Errorf("stamp %q", got)
	}
	if got, _ := f.GetCellValue("Phụ lục", "A2"); got != "Phụ lục" {
		t.Errorf("heading under the stamp %q", got)
	}
	if got, _ := f.GetCellValue("Phụ lục", "B6"); got != "Nội dung" {
		t.Errorf("header moved to row 6: %q", got)
	}
	id, _ := f.GetCellStyle("Phụ lục", "B7")
	st, _ := f.GetStyle(id)
	if st.Font == nil || st.Font.Family != "Times New Roman" {
		t.Errorf("font %+v", st.Font)
	}
	runs, _ := f.GetCellRichText("Phụ lục", "B7")
	for _, r := range runs {
		if r.Font == nil || r.Font.Family != "Times New Roman" {
			t.Errorf("run font %+v", r.Font)
		}
	}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.RefersTo != "'Phụ lục'!$6:$6" {
			t.Errorf("print titles %q", dn.RefersTo)
		}
	}

	// A portrait table without tasks: the header alone.
	tab = table.FromAppendix(sample(), 0)
	tab.Rows, tab.Landscape = nil, false
	tab.Columns = tab.Columns[:4]
	out, err = xlsx.Tables([]*table.Table{tab}, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f = open(t, out)
	rows, _ := f.GetRows("Phụ lục")
	if len(rows) != 5 || rows[4][1] != "Nội dung" {
		t.Errorf("rows %q", rows)
	}
	pl, _ := f.GetPageLayout("Phụ lục")
	if *pl.Orientation != "portrait" {
		t.Errorf("orientation %s", *pl.Orientation)
	}
	total := 0.0
	for _, c := range []string{"A", "B", "C", "D"} {
		w, _ := f.GetColWidth("Phụ lục", c)
		total += w
	}
	if total < 95 || total > 105 {
		t.Errorf("portrait columns are %v characters wide in all", total)
	}
}

// TestFixtures renders the appendices of every plan fixture and finds each
// task's content in its row.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "plans", "*.json"))
	if len(files) == 0 {
		t.Skip("no plan fixtures")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			r, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			d, err := doc.Decode(r)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(d.Appendices) == 0 {
				if _, err := xlsx.Appendices(d, xlsx.Options{}); err == nil {
					t.Error("no error for a plan without appendix")
				}
				return
			}
			data := render(t, d)
			f := open(t, data)
			sheets := f.GetSheetList()
			if len(sheets) != len(d.Appendices) {
				t.Fatalf("%d sheets for %d appendices", len(sheets), len(d.Appendices))
			}
			for i, sheet := range sheets {
				tab := table.FromAppendix(d, i)
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				const header = 5
				if len(rows) != header+len(tab.Rows) {
					t.Fatalf("%s: %d rows for %d tasks", sheet, len(rows), len(tab.Rows))
				}
				content := -1
				for c, col := range tab.Columns {
					if rows[header-1][c] != col.Label {
						t.Errorf("%s: header %q, want %q", sheet, rows[header-1][c], col.Label)
					}
					if col.Field == doc.FieldContent {
						content = c
					}
				}
				if content < 0 {
					continue
				}
				for r, row := range tab.Rows {
					// Every task shows whole: no row at Excel's limit, where it would be cut.
					if h, _ := f.GetRowHeight(sheet, header+1+r); h >= 409 {
						t.Errorf("%s row %d is %v pt: Excel cuts its text", sheet, header+1+r, h)
					}
					got := rows[header+r]
					if len(got) <= content || !strings.Contains(lines(got[content]), row[content].Text()) {
						t.Errorf("%s row %d: content %q not found in %q", sheet, header+1+r, row[content].Text(), got)
					}
					for c, cl := range row {
						if c < len(got) && lines(got[c]) != cl.Text() {
							t.Errorf("%s %s: %q, want %q", sheet, cell(c+1, header+1+r), got[c], cl.Text())
						}
					}
				}
			}
		})
	}
}

func TestLarge(t *testing.T) {
	d := gen.Plan(1000)
	start := time.Now()
	data := render(t, d)
	t.Logf("1,000 tasks: %d bytes in %v", len(data), time.Since(start))
	f := open(t, data)
	rows, err := f.GetRows("Phụ lục")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6+1000 {
		t.Fatalf("%d rows", len(rows))
	}
	if got := rows[6+999][0]; got != "1000" {
		t.Errorf("last STT %q", got)
	}
}

func BenchmarkAppendix1000(b *testing.B) {
	d := gen.Plan(1000)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := xlsx.Appendices(d, xlsx.Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/file")
}

// BenchmarkTables1000 leaves out the Markdown parsing of table.FromAppendix.
func BenchmarkTables1000(b *testing.B) {
	tab := table.FromAppendix(gen.Plan(1000), 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := xlsx.Tables([]*table.Table{tab}, xlsx.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestImportRoundTrip reads a rendered sheet back with the importer: the
// same tasks, their agencies and the text and styles of their content.
func TestImportRoundTrip(t *testing.T) {
	d := sample()
	res, err := importxlsx.Read(bytes.NewReader(render(t, d)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Header != 6 || len(res.Errors) > 0 {
		t.Fatalf("header row %d, errors %v", res.Header, res.Errors)
	}
	tasks := d.Appendices[0].Tasks
	if len(res.Tasks) != len(tasks) {
		t.Fatalf("%d tasks read, want %d", len(res.Tasks), len(tasks))
	}
	for i, got := range res.Tasks {
		want := tasks[i]
		if lines(richtext.Plain(got.Content)) != lines(richtext.Plain(want.Content)) {
			t.Errorf("task %d content %q, want %q", i+1, got.Content, want.Content)
		}
		if strings.Join(got.Lead, "|") != strings.Join(want.Lead, "|") ||
			strings.Join(got.Cooperating, "|") != strings.Join(want.Cooperating, "|") ||
			got.Deadline.Text != want.Deadline.Text {
			t.Errorf("task %d: %+v, want %+v", i+1, got, want)
		}
	}
	if c := res.Tasks[0].Content; !strings.Contains(c, "*Nghị quyết số 76/NQ-CP*") || !strings.Contains(c, "**Cổng thông tin điện tử**") {
		t.Errorf("styles lost: %q", c)
	}
}

// TestTallRow: a task longer than Excel's tallest row (409 pt) gets that
// height, its cells aligned at the top so that their start shows.
func TestTallRow(t *testing.T) {
	d := sample()
	var items []string
	for i := range 40 {
		items = append(items, fmt.Sprintf("- Việc thứ %d của nhiệm vụ;", i+1))
	}
	d.Appendices[0].Tasks[0].Content = strings.Join(items, "\n")
	f := open(t, render(t, d))
	const sheet = "Phụ lục"
	if h, _ := f.GetRowHeight(sheet, 7); h != 409 {
		t.Errorf("tall row: %v pt", h)
	}
	for _, c := range []string{"B7", "C7"} {
		id, _ := f.GetCellStyle(sheet, c)
		st, _ := f.GetStyle(id)
		if st.Alignment == nil || st.Alignment.Vertical != "top" || !st.Alignment.WrapText {
			t.Errorf("%s alignment %+v", c, st.Alignment)
		}
	}
	id, _ := f.GetCellStyle(sheet, "B8")
	if st, _ := f.GetStyle(id); st.Alignment.Vertical != "center" {
		t.Errorf("B8 alignment %+v", st.Alignment)
	}
	if got, _ := f.GetCellValue(sheet, "B7"); got != strings.Join(items, "\n") {
		t.Errorf("B7 = %q", got)
	}
}
