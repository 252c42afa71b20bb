package progress

import (
	"reflect"
	"testing"
	"time"

	"baocao/reports/doc"
	"baocao/reports/period"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func plan() *doc.Document {
	task := func(id int64, deadline string, leads ...string) doc.Task {
		return doc.Task{ID: id, Content: "Nhiệm vụ", Lead: leads, Deadline: doc.Deadline{Text: deadline}}
	}
	return &doc.Document{Kind: "KH", Date: doc.Date{Year: 2024, Month: 1, Day: 5}, Appendices: []doc.Appendix{{Tasks: []doc.Task{
		task(1, "Thường xuyên", "Sở Nội vụ"),
		task(2, "Quý I", "Báo Lai Châu"),
		task(3, "Tháng 2/2024", "Văn phòng UBND tỉnh"),
		task(4, "Quý II", "Sở Nội vụ"),
		task(5, "Thường xuyên", "Báo Lai Châu", "Đài Phát thanh và Truyền hình tỉnh"),
	}}}}
}

func TestBuildQuarter(t *testing.T) {
	subs := []Submission{
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-01"),
			Figures: []Figure{{"tin bài", 10, "bài"}}},
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 2, Status: Done, CompletedOn: "2024-03-10", SubmittedAt: day("2024-03-12"),
			Figures: []Figure{{"tin bài", 24, "bài"}}},
		{TaskID: 2, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: Done, CompletedOn: "2024-04-02", SubmittedAt: day("2024-03-14")},
		{TaskID: 5, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-14")},
	}
	b := Build(plan(), period.Period{Year: 2024, Kind: period.Q1}, subs, day("2024-03-20"))
	if len(b.Rows) != 4 { // task 4 (Quý II) is not due in Q1
		t.Fatalf("%d rows", len(b.Rows))
	}
	got := map[int64]string{}
	for _, r := range b.Rows {
		got[r.TaskID] = r.Status
	}
	want := map[int64]string{1: Done, 2: DoneLate, 3: Overdue, 5: InProgress}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if f := b.Rows[0].Figures; len(f) != 1 || f[0].Value != 24 {
		t.Errorf("task 1 figures %v: the latest revision counts", f)
	}
	if !reflect.DeepEqual(b.NotReported, []string{"Đài Phát thanh và Truyền hình tỉnh", "Văn phòng UBND tỉnh"}) {
		t.Errorf("not reported %v", b.NotReported)
	}
	if b.Counts[Done] != 1 || b.Counts[DoneLate] != 1 || b.Counts[Overdue] != 1 || b.Counts[InProgress] != 1 {
		t.Errorf("counts %v", b.Counts)
	}
	if b.Shares[Done] != 0.25 || len(b.Shares) != 4 {
		t.Errorf("shares %v", b.Shares)
	}
	var bao AgencySummary
	for _, a := range b.Agencies {
		if a.Agency == "Báo Lai Châu" {
			bao = a
		}
	}
	if bao != (AgencySummary{Agency: "Báo Lai Châu", Due: 2, Done: 1, Late: 1}) {
		t.Errorf("Báo Lai Châu %+v", bao)
	}
	for _, a := range b.Agencies {
		if a.Agency == "Đài Phát thanh và Truyền hình tỉnh" && a != (AgencySummary{Agency: a.Agency, Due: 1, NotReported: 1}) {
			t.Errorf("a co-lead that did not report is credited: %+v", a)
		}
	}
	// Vietnamese order: Báo < Đài < Sở < Văn.
	var names []string
	for _, a := range b.Agencies {
		names = append(names, a.Agency)
	}
	if !reflect.DeepEqual(names, []string{"Báo Lai Châu", "Đài Phát thanh và Truyền hình tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh"}) {
		t.Errorf("agency order %v", names)
	}
}

func TestBuildCumulative(t *testing.T) {
	subs := []Submission{
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-10"),
			Figures: []Figure{{"tin bài", 10, "bài"}, {"hội nghị", 1, "hội nghị"}}},
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q2", Revision: 1, Status: InProgress, SubmittedAt: day("2024-06-10"),
			Figures: []Figure{{"tin bài", 14, "bài"}}},
		{TaskID: 4, Agency: "Sở Nội vụ", Period: "2024-Q2", Revision: 1, Status: Done, CompletedOn: "2024-05-30", SubmittedAt: day("2024-06-10")},
	}
	b := Build(plan(), period.Period{Year: 2024, Kind: period.Half}, subs, day("2024-06-14"))
	var r1 Row
	for _, r := range b.Rows {
		if r.TaskID == 1 {
			r1 = r
		}
	}
	want := []Figure{{"tin bài", 24, "bài"}, {"hội nghị", 1, "hội nghị"}}
	if !reflect.DeepEqual(r1.Figures, want) || r1.Status != InProgress {
		t.Errorf("6-month task 1: %+v", r1)
	}
	if len(b.Rows) != 5 || b.Counts[Done] != 1 {
		t.Errorf("6 months: %d rows, counts %v", len(b.Rows), b.Counts)
	}
}

func TestDeadlineBeforeDay(t *testing.T) {
	m := doc.Deadline{Text: "Trước ngày 16 tháng 3, 6, 9, 12 năm 2024"}.Meaning(2024)
	if got := deadlineEnd(m, period.Period{Year: 2024, Kind: period.Half}); !got.Equal(day("2024-06-15")) {
		t.Errorf("6 months: %s", got)
	}
	if got := deadlineEnd(m, period.Period{Year: 2024, Kind: period.Q1}); !got.Equal(day("2024-03-15")) {
		t.Errorf("Q1: %s", got)
	}
}
