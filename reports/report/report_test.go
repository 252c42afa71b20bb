package report

import (
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
	for _, want := range []string{
		"Thực hiện Kế hoạch số ",
		"UBND tỉnh Lai Châu báo cáo kết quả thực hiện Quý I năm 2024 như sau:",
		"có 14 (mười bốn) nhiệm vụ đến hạn thực hiện; trong đó 1 nhiệm vụ đã hoàn thành (7,1%)",
		"Một số cơ quan báo cáo chậm.",
		"## IV. ĐỀ XUẤT, KIẾN NGHỊ",
		"Đăng 24 tin bài. Số liệu: 24 tin bài.",
	} {
		if !strings.Contains(rd.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, rd.Body)
		}
	}
	if rd.Kind != "BC" || !rd.Draft || rd.NumberLine() != "Số:       /BC-UBND" {
		t.Errorf("kind %s draft %v number %q", rd.Kind, rd.Draft, rd.NumberLine())
	}
	if rd.Title != "Kết quả thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu Quý I năm 2024" {
		t.Errorf("title %q", rd.Title)
	}
	if len(tables) != 2 || len(tables[0].Rows) != 14 || tables[0].Heading != "PHỤ LỤC I" || !tables[1].TotalRow {
		t.Fatalf("tables")
	}
	fam, _ := fonts.Default()
	a, err := pdf.New(fam).Report(rd, tables)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		os.WriteFile(dir+"/report.pdf", a, 0o644)
	}
	b, _ := pdf.New(fam).Report(rd, tables)
	if string(a) != string(b) || !strings.HasPrefix(string(a), "%PDF-1.4") {
		t.Error("report PDF not deterministic")
	}
}
