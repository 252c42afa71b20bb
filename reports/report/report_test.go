package report

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/templates"
)

func laiChau(t *testing.T) *doc.Document {
	d, err := doc.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	progress.TaskIDs(d)
	return d
}

func TestBuild(t *testing.T) {
	d := laiChau(t)
	p := period.Period{Year: 2024, Kind: period.Q1}
	at := time.Date(2024, 3, 12, 9, 0, 0, 0, period.Vietnam)
	subs := []progress.Submission{
		{TaskID: 1, Agency: "Văn phòng UBND tỉnh", Period: "2024-Q1", Revision: 1, Status: progress.Done, CompletedOn: "2024-03-10",
			Result: "Đăng *24* tin bài.", Figures: []progress.Figure{{Name: "tin bài", Value: 24, Unit: "tin bài"}}, SubmittedAt: at},
		{TaskID: 4, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: progress.InProgress, SubmittedAt: at},
	}
	board := progress.Build(d, p, subs, time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC))
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: board, AsOf: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC),
		Narrative: Narrative{Shortcomings: "Một số cơ quan báo cáo chậm."}})
	if err != nil {
		t.Fatal(err)
	}
	// The plan has no number: the report cites it by its title, and warns.
	if w := Warnings(d); d.Number != 0 || len(w) != 1 || !strings.Contains(w[0], "chưa có số") {
		t.Errorf("plan number %d, warnings %q", d.Number, w)
	}
	for _, want := range []string{
		"Thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024 của UBND tỉnh Lai Châu, " +
			"UBND tỉnh Lai Châu báo cáo kết quả thực hiện Quý I năm 2024 (số liệu tính đến ngày 15 tháng 3 năm 2024) như sau:",
		Summary(board, "Quý I năm 2024"),
		"Trong Quý I năm 2024, có 14 (mười bốn) nhiệm vụ đến hạn thực hiện, gồm 02 nhiệm vụ có thời hạn và 12 nhiệm vụ thường xuyên. " +
			"Kết quả: 12 nhiệm vụ chưa có báo cáo kết quả (85,7%); 01 nhiệm vụ thường xuyên đã thực hiện (7,1%); " +
			"01 nhiệm vụ thường xuyên đang thực hiện (7,1%).", // no task with a deadline reported: nothing said of overdue ones
		"Một số cơ quan báo cáo chậm.",
		"## IV. ĐỀ XUẤT, KIẾN NGHỊ",
		// The result already gives the figure: it is not repeated.
		"- Nhiệm vụ 1: Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh (*đã thực hiện*): đăng 24 tin bài.\n",
		"(*đang thực hiện*)",
		"(*chưa báo cáo Quý I năm 2024*)",
	} {
		if !strings.Contains(rd.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, rd.Body)
		}
	}
	if board.Counts[progress.CarriedOut] != 1 || board.Counts[progress.Ongoing] != 1 || board.Due != 14 {
		t.Errorf("counts %v of %d", board.Counts, board.Due)
	}
	if rd.Kind != "BC" || !rd.Draft || rd.NumberLine() != "Số:       /BC-UBND" {
		t.Errorf("kind %s draft %v number %q", rd.Kind, rd.Draft, rd.NumberLine())
	}
	if rd.Title != "Kết quả thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu Quý I năm 2024" {
		t.Errorf("title %q", rd.Title)
	}
	if len(tables) != 2 || len(tables[0].Rows) != 14 || tables[0].Heading != "Phụ lục I" || tables[1].Heading != "Phụ lục II" ||
		!tables[1].TotalRow || len(tables[1].Rows) != len(board.Agencies)+1 {
		t.Fatalf("tables")
	}
	fam, _ := fonts.Default()
	a, err := pdf.New(fam).Report(context.Background(), rd, tables)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		os.WriteFile(dir+"/report.pdf", a, 0o644)
	}
	b, _ := pdf.New(fam).Report(context.Background(), rd, tables)
	if string(a) != string(b) || !strings.HasPrefix(string(a), "%PDF-1.4") {
		t.Error("report PDF not deterministic")
	}
}
