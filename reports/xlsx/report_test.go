package xlsx_test

import (
	"baocao/reports/xlsx/xlsxtest"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// board is Quý I of a small plan as of 20/3/2024, every status present:
// done on time, done late, in time, overdue, not reported (a task with two
// leads, one of which has not reported), carried out twice and ongoing,
// with a task of the second quarter left out. The lead agencies' rates
// differ, so that a rate formula over the wrong columns shows.
func board() *progress.Board {
	task := func(id int64, content, deadline string, leads ...string) doc.Task {
		return doc.Task{ID: id, Content: content, Lead: leads, Deadline: doc.Deadline{Text: deadline}}
	}
	d := &doc.Document{Kind: "KH", Date: doc.Date{Year: 2024, Month: 1, Day: 5}, Appendices: []doc.Appendix{{Tasks: []doc.Task{
		task(1, "Tuyên truyền *Nghị quyết số 76/NQ-CP*", "Thường xuyên", "Sở Nội vụ"),
		task(2, "Xây dựng chuyên mục cải cách hành chính", "Quý I", "Báo Lai Châu"),
		task(3, "Cập nhật Cổng thông tin điện tử", "Tháng 2/2024", "Văn phòng UBND tỉnh"),
		task(4, "Hội thi tìm hiểu cải cách hành chính", "Quý II", "Sở Nội vụ"),
		task(5, "Phóng sự về **một cửa** liên thông", "Thường xuyên", "Báo Lai Châu", "Đài Phát thanh và Truyền hình tỉnh"),
		task(6, "Phổ biến pháp luật về thủ tục hành chính", "Quý I", "Sở Tư pháp"),
		task(7, "Rà soát văn bản quy phạm pháp luật", "Quý I", "Sở Tư pháp"),
		task(8, "Tập huấn nghiệp vụ:\n\n- Cấp tỉnh;\n- Cấp huyện.", "Thường xuyên", "Sở Nội vụ"),
		task(9, "Trả lời phản ánh, kiến nghị của người dân", "Thường xuyên", "Sở Tư pháp"),
	}}}}
	subs := []progress.Submission{
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: progress.Done, CompletedOn: "2024-03-10", SubmittedAt: day("2024-03-12"),
			Result: "Đăng **24** tin, bài", Figures: []progress.Figure{{Name: "tin bài", Value: 24, Unit: "bài"}}},
		{TaskID: 2, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: progress.Done, CompletedOn: "2024-04-02", SubmittedAt: day("2024-03-14")},
		{TaskID: 3, Agency: "Văn phòng UBND tỉnh", Period: "2024-Q1", Revision: 1, Status: progress.InProgress, SubmittedAt: day("2024-03-05")},
		{TaskID: 5, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: progress.InProgress, SubmittedAt: day("2024-03-14"), Late: true},
		{TaskID: 6, Agency: "Sở Tư pháp", Period: "2024-Q1", Revision: 1, Status: progress.NotStarted, SubmittedAt: day("2024-03-15")},
		{TaskID: 7, Agency: "Sở Tư pháp", Period: "2024-Q1", Revision: 1, Status: progress.Done, CompletedOn: "2024-03-15", SubmittedAt: day("2024-03-16")},
		{TaskID: 8, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: progress.Done, CompletedOn: "2024-03-01", SubmittedAt: day("2024-03-02")},
		{TaskID: 9, Agency: "Sở Tư pháp", Period: "2024-Q1", Revision: 1, Status: progress.InProgress, SubmittedAt: day("2024-03-16")},
	}
	return progress.Build(d, period.Period{Year: 2024, Kind: period.Q1}, subs, day("2024-03-20"))
}

var reportInfo = xlsx.ReportInfo{
	Title:    "Báo cáo kết quả công tác tuyên truyền cải cách hành chính Quý I năm 2024",
	Attached: "(Kèm theo Báo cáo số 12/BC-UBND ngày 25/3/2024 của UBND tỉnh Lai Châu)",
	Created:  fixed,
}

func renderReport(t testing.TB, b *progress.Board, info xlsx.ReportInfo) []byte {
	t.Helper()
	out, err := xlsx.Report(b, info)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	return out
}

// findRow is the first row of a sheet whose column col (1-based) holds
// text, 0 if none does.
func findRow(t testing.TB, f *excelize.File, sheet string, col int, text string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) >= col && r[col-1] == text {
			return i + 1
		}
	}
	return 0
}

// calc is what excelize computes for a formula cell, as a number.
func calc(t testing.TB, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	s, err := f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("calc %s!%s: %v", sheet, ref, err)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("calc %s!%s = %q", sheet, ref, s)
	}
	return v
}

// formula is a cell's formula and its cached value; it fails if the cell
// has no formula or the formula lacks fn.
func formula(t testing.TB, f *excelize.File, sheet, ref, fn string) (string, float64) {
	t.Helper()
	fm, err := f.GetCellFormula(sheet, ref)
	if err != nil || fm == "" || !strings.Contains(fm, fn) {
		t.Fatalf("%s!%s: formula %q (%v), want %s", sheet, ref, fm, err, fn)
	}
	s, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s!%s: cached value %q", sheet, ref, s)
	}
	return fm, v
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// agencyColumn is the 1-based column of a status on the agency sheet:
// STT, agency, due, then the statuses in progress.AgencyColumns order.
func agencyColumn(t testing.TB, status string) int {
	t.Helper()
	for i, s := range progress.AgencyColumns {
		if s == status {
			return 4 + i
		}
	}
	t.Fatalf("no agency column %s", status)
	return 0
}

// agencyRate is the 1-based column of the completion rate: after the
// statuses.
var agencyRate = 4 + len(progress.AgencyColumns)

func TestReport(t *testing.T) {
	b := board()
	// The board covers every status, the statuses partition the tasks due,
	// and the summary counts every status.
	if len(xlsx.SummaryStatuses) != len(progress.Statuses) {
		t.Fatalf("summary statuses %v, board statuses %v", xlsx.SummaryStatuses, progress.Statuses)
	}
	sumCounts := 0
	for _, s := range xlsx.SummaryStatuses {
		if b.Counts[s] == 0 {
			t.Fatalf("no task %s: counts %v", s, b.Counts)
		}
		sumCounts += b.Counts[s]
	}
	if b.Due != len(b.Rows) || sumCounts != b.Due {
		t.Fatalf("due %d, rows %d, statuses count %d", b.Due, len(b.Rows), sumCounts)
	}
	data := renderReport(t, b, reportInfo)
	f := open(t, data)

	if got := strings.Join(f.GetSheetList(), "|"); got != "Tổng hợp|Chi tiết nhiệm vụ|Theo cơ quan chủ trì" {
		t.Fatalf("sheets %s", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d", f.GetActiveSheetIndex())
	}
	if wb := part(t, data, "xl/workbook.xml"); !strings.Contains(wb, `fullCalcOnLoad="true"`) {
		t.Errorf("no fullCalcOnLoad: %s", wb)
	}

	// Summary: the title block, then a row per status.
	const sum = xlsx.SheetSummary
	if v, _ := f.GetCellValue(sum, "A1"); !strings.HasPrefix(v, "Số liệu tính đến ngày 20 tháng 3 năm 2024") {
		t.Errorf("A1 %q", v)
	}
	if v, _ := f.GetCellValue(sum, "A2"); v != reportInfo.Title {
		t.Errorf("A2 %q", v)
	}
	if v, _ := f.GetCellValue(sum, "A3"); v != "TỔNG HỢP TÌNH HÌNH THỰC HIỆN NHIỆM VỤ QUÝ I NĂM 2024" {
		t.Errorf("A3 %q", v)
	}
	if v, _ := f.GetCellValue(sum, "A4"); v != reportInfo.Attached {
		t.Errorf("A4 %q", v)
	}
	first := findRow(t, f, sum, 2, progress.StatusNames[progress.DoneOnTime])
	if first != 7 {
		t.Fatalf("the first status row of the summary is %d, want 7", first)
	}
	total := 0
	for i, s := range xlsx.SummaryStatuses {
		row := first + i
		if name, _ := f.GetCellValue(sum, cell(2, row)); name != progress.StatusNames[s] {
			t.Fatalf("row %d: %q, want %q", row, name, progress.StatusNames[s])
		}
		fm, cached := formula(t, f, sum, cell(3, row), "COUNTIF")
		if fm != `COUNTIF('Chi tiết nhiệm vụ'!$D$6:$D$`+strconv.Itoa(5+len(b.Rows))+`,"`+progress.StatusNames[s]+`")` {
			t.Errorf("%s: count formula %s", s, fm)
		}
		if got := calc(t, f, sum, cell(3, row)); got != float64(b.Counts[s]) || cached != got {
			t.Errorf("%s: count %v (cached %v), want %d", s, got, cached, b.Counts[s])
		}
		_, cached = formula(t, f, sum, cell(4, row), "IF(")
		want := float64(b.Counts[s]) / float64(len(b.Rows))
		if got := calc(t, f, sum, cell(4, row)); !near(got, want) || !near(cached, want) || !near(want, b.Shares[s]) {
			t.Errorf("%s: share %v (cached %v), want %v (board %v)", s, got, cached, want, b.Shares[s])
		}
		total += b.Counts[s]
	}
	totalRow := first + len(xlsx.SummaryStatuses)
	if v, _ := f.GetCellValue(sum, cell(2, totalRow)); v != "Tổng cộng" {
		t.Errorf("total row label %q", v)
	}
	if _, cached := formula(t, f, sum, cell(3, totalRow), "SUM("); calc(t, f, sum, cell(3, totalRow)) != float64(total) || cached != float64(total) {
		t.Errorf("total %v (cached %v), want %d", calc(t, f, sum, cell(3, totalRow)), cached, total)
	}
	if _, cached := formula(t, f, sum, cell(4, totalRow), "SUM("); !near(calc(t, f, sum, cell(4, totalRow)), 1) || !near(cached, 1) {
		t.Errorf("total share %v (cached %v)", calc(t, f, sum, cell(4, totalRow)), cached)
	}
	nr := totalRow + 1
	if v, _ := f.GetCellValue(sum, cell(2, nr)); v != "Số cơ quan chưa báo cáo" {
		t.Errorf("row %d: %q", nr, v)
	}
	fm, cached := formula(t, f, sum, cell(3, nr), "COUNTIF")
	nrCol, _ := excelize.ColumnNumberToName(agencyColumn(t, progress.NotReported))
	if fm != "COUNTIF('Theo cơ quan chủ trì'!$"+nrCol+"$6:$"+nrCol+"$"+strconv.Itoa(5+len(b.Agencies))+`,">0")` {
		t.Errorf("not reported formula %s", fm)
	}
	if len(b.NotReported) == 0 || len(b.NotReported) == len(b.Agencies) {
		t.Fatalf("agencies not reported %v of %d: the count cannot tell", b.NotReported, len(b.Agencies))
	}
	if got := calc(t, f, sum, cell(3, nr)); got != float64(len(b.NotReported)) || cached != got {
		t.Errorf("agencies not reported %v (cached %v), want %d", got, cached, len(b.NotReported))
	}
	// Shares are percentages.
	for _, ref := range []string{cell(4, first), cell(4, totalRow)} {
		id, _ := f.GetCellStyle(sum, ref)
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
			t.Errorf("%s: number format %+v", ref, st)
		}
		if st != nil && (st.Font == nil || st.Font.Family != xlsx.ReportFont || st.Font.Size != 12) {
			t.Errorf("%s: font %+v", ref, st.Font)
		}
	}
	if v, _ := f.GetCellValue(sum, cell(4, first)); v != "12.5%" {
		t.Errorf("share shown as %q", v)
	}

	// The task sheet: appendix I, statuses as plain text, the status name
	// only (a task with several leads has theirs in the notes).
	const tasks = xlsx.SheetTasks
	if v, _ := f.GetCellValue(tasks, "A1"); v != "Phụ lục I" {
		t.Errorf("tasks A1 %q", v)
	}
	if v, _ := f.GetCellValue(tasks, "D5"); v != "Tình trạng" {
		t.Errorf("tasks D5 %q", v)
	}
	several := false
	for i, r := range b.Rows {
		row := 6 + i
		if v, _ := f.GetCellValue(tasks, cell(4, row)); v != progress.StatusNames[r.Status] {
			t.Errorf("task %d status %q", r.TaskID, v)
		}
		if runs, _ := f.GetCellRichText(tasks, cell(4, row)); len(runs) > 1 || len(runs) == 1 && runs[0].Font != nil {
			t.Errorf("task %d: status in rich text %+v", r.TaskID, runs)
		}
		if v, _ := f.GetCellValue(tasks, cell(1, row)); v != strconv.Itoa(r.Number) {
			t.Errorf("task %d STT %q", r.TaskID, v)
		}
		if len(r.Agencies) > 1 {
			several = true
			note, _ := f.GetCellValue(tasks, cell(6, row))
			for _, l := range r.Agencies {
				if !strings.Contains(note, l.Agency+": "+strings.ToLower(l.StatusName)) {
					t.Errorf("task %d: the note %q lacks %s's status", r.TaskID, note, l.Agency)
				}
			}
		}
	}
	if !several {
		t.Fatal("no task with several leads")
	}
	if v, _ := f.GetCellValue(tasks, cell(1, 6+len(b.Rows))); v != "" {
		t.Errorf("a row after the tasks: %q", v)
	}
	if runs, _ := f.GetCellRichText(tasks, "B6"); len(runs) < 2 {
		t.Errorf("task content without its italics: %+v", runs)
	}
	if panes, _ := f.GetPanes(tasks); !panes.Freeze || panes.YSplit != 5 {
		t.Errorf("tasks panes %+v", panes)
	}

	// The agency sheet: counts as numbers, the total row as sums, the
	// completion rate (done on time, late or carried out, of the pairs
	// due) as a formula.
	const ag = xlsx.SheetAgencies
	if v, _ := f.GetCellValue(ag, "A1"); v != "Phụ lục II" {
		t.Errorf("agencies A1 %q", v)
	}
	if v, _ := f.GetCellValue(ag, "C5"); v != "Số nhiệm vụ chủ trì đến hạn (lượt)" {
		t.Errorf("agencies C5 %q", v)
	}
	if v, _ := f.GetCellValue(ag, cell(agencyColumn(t, progress.NotReported), 5)); v != "Chưa báo cáo" {
		t.Errorf("agencies, the not reported column's header %q", v)
	}
	if v, _ := f.GetCellValue(ag, cell(agencyRate, 5)); v != "Tỷ lệ hoàn thành" {
		t.Errorf("agencies %s %q", cell(agencyRate, 5), v)
	}
	agTotal := findRow(t, f, ag, 2, "Tổng số lượt")
	if agTotal != 6+len(b.Agencies) {
		t.Fatalf("agency total row %d, want %d", agTotal, 6+len(b.Agencies))
	}
	if b.Pairs <= len(b.Rows) {
		t.Fatalf("%d pairs for %d tasks: no task with several leads", b.Pairs, len(b.Rows))
	}
	// The count columns: due, then each status.
	cols := []int{3}
	for _, s := range progress.AgencyColumns {
		cols = append(cols, agencyColumn(t, s))
	}
	sums := make([]int, len(cols))
	rates := map[float64]bool{}
	for i, a := range b.Agencies {
		row := 6 + i
		if v, _ := f.GetCellValue(ag, cell(2, row)); v != a.Agency {
			t.Errorf("row %d: agency %q, want %q", row, v, a.Agency)
		}
		want := []int{a.Due}
		statuses := 0
		for _, s := range progress.AgencyColumns {
			want = append(want, a.Counts[s])
			statuses += a.Counts[s]
		}
		if statuses != a.Due {
			t.Errorf("%s: the statuses count %d of %d", a.Agency, statuses, a.Due)
		}
		for k, w := range want {
			typ, _ := f.GetCellType(ag, cell(cols[k], row))
			v, _ := f.GetCellValue(ag, cell(cols[k], row))
			if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || v != strconv.Itoa(w) {
				t.Errorf("%s column %d: %q (type %v), want the number %d", a.Agency, cols[k], v, typ, w)
			}
			sums[k] += w
		}
		_, cached := formula(t, f, ag, cell(agencyRate, row), "IF(")
		rate := float64(a.Done()) / float64(a.Due)
		rates[rate] = true
		if got := calc(t, f, ag, cell(agencyRate, row)); !near(got, rate) || !near(cached, rate) {
			t.Errorf("%s rate %v (cached %v), want %v", a.Agency, got, cached, rate)
		}
	}
	if len(rates) < 3 {
		t.Fatalf("the agencies' rates %v cannot tell the columns apart", rates)
	}
	if sums[0] != b.Pairs {
		t.Errorf("the agencies' pairs add up to %d, the board's %d", sums[0], b.Pairs)
	}
	for k, w := range sums {
		ref := cell(cols[k], agTotal)
		fm, cached := formula(t, f, ag, ref, "SUM(")
		col, _ := excelize.ColumnNumberToName(cols[k])
		if fm != "SUM("+col+"6:"+col+strconv.Itoa(agTotal-1)+")" {
			t.Errorf("%s: %s", ref, fm)
		}
		if got := calc(t, f, ag, ref); got != float64(w) || cached != got {
			t.Errorf("%s: %v (cached %v), want %d", ref, got, cached, w)
		}
		if k > 0 && w != b.PairCounts[progress.AgencyColumns[k-1]] {
			t.Errorf("%s: the agencies add up to %d, the board's pairs %d", progress.AgencyColumns[k-1], w, b.PairCounts[progress.AgencyColumns[k-1]])
		}
	}
	done := b.PairCounts[progress.DoneOnTime] + b.PairCounts[progress.DoneLate] + b.PairCounts[progress.CarriedOut]
	if got := calc(t, f, ag, cell(agencyRate, agTotal)); !near(got, float64(done)/float64(b.Pairs)) {
		t.Errorf("total rate %v, want %d/%d", got, done, b.Pairs)
	}
	// The filter leaves the total row out.
	rateCol, _ := excelize.ColumnNumberToName(agencyRate)
	if x := part(t, data, "xl/worksheets/sheet3.xml"); !strings.Contains(x, `<autoFilter ref="$A$5:$`+rateCol+`$`+strconv.Itoa(agTotal-1)+`"`) {
		t.Errorf("agency autofilter: %s", x[strings.Index(x, "<autoFilter"):][:60])
	}
	// The summary has none.
	if x := part(t, data, "xl/worksheets/sheet1.xml"); strings.Contains(x, "<autoFilter") {
		t.Error("the summary has an autofilter")
	}

	dp, _ := f.GetDocProps()
	if dp.Title != reportInfo.Title || dp.Created != fixed.Format(time.RFC3339) {
		t.Errorf("doc props %+v", dp)
	}
}

func TestReportDeterministic(t *testing.T) {
	a := renderReport(t, board(), reportInfo)
	time.Sleep(1100 * time.Millisecond) // a clock in the output would show
	b := renderReport(t, board(), reportInfo)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders differ")
	}
	x := renderReport(t, board(), xlsx.ReportInfo{})
	for range 3 {
		if y := renderReport(t, board(), xlsx.ReportInfo{}); !bytes.Equal(x, y) {
			t.Fatal("two renders with the defaults differ")
		}
	}
	f := open(t, x)
	if v, _ := f.GetCellValue(xlsx.SheetSummary, "A2"); v != "Báo cáo kết quả thực hiện nhiệm vụ Quý I năm 2024" {
		t.Errorf("default title %q", v)
	}
	if dp, _ := f.GetDocProps(); dp.Created != "2000-01-01T00:00:00Z" {
		t.Errorf("default created %q", dp.Created)
	}
}

func TestReportEmpty(t *testing.T) {
	if _, err := xlsx.Report(nil, xlsx.ReportInfo{}); err == nil {
		t.Error("no error for a nil board")
	}
	// Nothing due: every count and total is 0, no formula refers to a
	// row it should not.
	b := progress.Build(&doc.Document{Date: doc.Date{Year: 2024}}, period.Period{Year: 2024, Kind: period.Q1}, nil, day("2024-03-20"))
	f := open(t, renderReport(t, b, xlsx.ReportInfo{FontName: "Liberation Serif"}))
	sum := xlsx.SheetSummary
	first := findRow(t, f, sum, 2, progress.StatusNames[xlsx.SummaryStatuses[0]])
	if first == 0 {
		t.Fatal("no status row on the summary")
	}
	for row := first; row <= first+len(xlsx.SummaryStatuses)+1; row++ {
		for col := 3; col <= 4; col++ {
			if fm, _ := f.GetCellFormula(sum, cell(col, row)); fm == "" && row <= first+len(xlsx.SummaryStatuses) {
				t.Errorf("%s: no formula", cell(col, row))
			}
			if v, _ := f.GetCellValue(sum, cell(col, row), excelize.Options{RawCellValue: true}); v != "0" && !(col == 4 && row == first+len(xlsx.SummaryStatuses)+1 && v == "") {
				t.Errorf("%s: %q", cell(col, row), v)
			}
			if fm, _ := f.GetCellFormula(sum, cell(col, row)); fm != "" {
				if got := calc(t, f, sum, cell(col, row)); got != 0 {
					t.Errorf("%s = %s computes %v", cell(col, row), fm, got)
				}
			}
		}
	}
	ag := xlsx.SheetAgencies
	// No attached line: the header on row 4.
	if row := findRow(t, f, ag, 2, "Tổng số lượt"); row != 5 {
		t.Errorf("agency total row %d", row)
	} else {
		for col := 3; col < agencyRate; col++ {
			if v, _ := f.GetCellValue(ag, cell(col, 5)); v != "0" {
				t.Errorf("agency total %s %q", cell(col, 5), v)
			}
		}
		if got := calc(t, f, ag, cell(agencyRate, 5)); got != 0 {
			t.Errorf("agency total rate %v", got)
		}
	}
	id, _ := f.GetCellStyle(sum, "C7")
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || st.Font.Family != "Liberation Serif" {
		t.Errorf("font %+v", st)
	}
}

// TestReportInLibreOffice has LibreOffice compute the summary and checks
// its counts against the board's. LibreOffice shows the cached values of
// an XLSX unless told to recalculate on load: the test tells it so and
// spoils every cached value first, so that only a computed one can be
// right. Skipped without LibreOffice unless BAOCAO_REQUIRE_TOOLS=1.
func TestReportInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("libreoffice is required (libreoffice-calc-nogui)")
		}
		t.Skip("libreoffice not installed")
	}
	b := board()
	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.xlsx")
	if err := os.WriteFile(in, spoilCache(t, renderReport(t, b, reportInfo)), 0o644); err != nil {
		t.Fatal(err)
	}
	// A profile that recalculates XLSX files on load.
	profile, err := xlsxtest.Profile(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := csvFromLibreOffice(t, lo, profile, in)
	got := map[string][]string{}
	for _, row := range rows {
		if len(row) >= 4 {
			got[row[1]] = row
		}
	}
	for _, s := range xlsx.SummaryStatuses {
		row := got[progress.StatusNames[s]]
		// The shares are eighths: 12.5% shows as such.
		share := fmt.Sprintf("%.1f%%", 100*float64(b.Counts[s])/float64(len(b.Rows)))
		if row == nil || row[2] != strconv.Itoa(b.Counts[s]) || row[3] != share {
			t.Errorf("%s: LibreOffice shows %q, want %d and %s", s, row, b.Counts[s], share)
		}
	}
	if row := got["Tổng cộng"]; row == nil || row[2] != strconv.Itoa(len(b.Rows)) || row[3] != "100.0%" {
		t.Errorf("total: LibreOffice shows %q, want %d", row, len(b.Rows))
	}
	if row := got["Số cơ quan chưa báo cáo"]; row == nil || row[2] != strconv.Itoa(len(b.NotReported)) {
		t.Errorf("agencies not reported: LibreOffice shows %q, want %d", row, len(b.NotReported))
	}
	if row := got[progress.StatusNames[progress.DoneOnTime]]; row == nil || row[3] != "12.5%" {
		t.Errorf("share: LibreOffice shows %q", row)
	}
}

// spoilCache sets the cached value of every formula of a workbook to -1.
func spoilCache(t testing.TB, data []byte) []byte {
	t.Helper()
	out, err := xlsxtest.SpoilCache(data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
