package progress

import (
	"bytes"
	"encoding/json"
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

func statuses(b *Board) map[int64]string {
	got := map[int64]string{}
	for _, r := range b.Rows {
		got[r.TaskID] = r.Status
	}
	return got
}

func TestBuildQuarter(t *testing.T) {
	subs := []Submission{
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-01"),
			Figures: []Figure{{Name: "tin bài", Value: 10, Unit: "bài"}}},
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 2, Status: Done, CompletedOn: "2024-03-10", SubmittedAt: day("2024-03-12"),
			Figures: []Figure{{Name: "tin bài", Value: 24, Unit: "bài"}}},
		{TaskID: 2, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: Done, CompletedOn: "2024-04-02", SubmittedAt: day("2024-03-14")},
		{TaskID: 3, Agency: "Văn phòng UBND tỉnh", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-14")},
		{TaskID: 5, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-14")},
		// After the as-of day: left out.
		{TaskID: 5, Agency: "Đài Phát thanh và Truyền hình tỉnh", Period: "2024-Q1", Revision: 1, Status: Done,
			CompletedOn: "2024-03-01", SubmittedAt: day("2024-03-21")},
	}
	b := Build(plan(), period.Period{Year: 2024, Kind: period.Q1}, subs, day("2024-03-20"))
	if len(b.Rows) != 4 || b.Due != 4 { // task 4 (Quý II) is not due in Q1
		t.Fatalf("%d rows", len(b.Rows))
	}
	want := map[int64]string{1: CarriedOut, 2: DoneLate, 3: Overdue, 5: NotReported}
	if got := statuses(b); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if f := b.Rows[0].Figures; len(f) != 1 || f[0].Value != 24 {
		t.Errorf("task 1 figures %v: the latest revision counts", f)
	}
	if !reflect.DeepEqual(b.NotReported, []string{"Đài Phát thanh và Truyền hình tỉnh"}) {
		t.Errorf("not reported %v", b.NotReported)
	}
	for _, s := range Statuses {
		w := map[string]int{CarriedOut: 1, DoneLate: 1, Overdue: 1, NotReported: 1}[s]
		if b.Counts[s] != w || b.Shares[s] != float64(w)/4 {
			t.Errorf("%s: count %d share %v, want %d", s, b.Counts[s], b.Shares[s], w)
		}
	}
	var bao AgencySummary
	for _, a := range b.Agencies {
		if a.Agency == "Báo Lai Châu" {
			bao = a
		}
	}
	if bao.Due != 2 || bao.Counts[DoneLate] != 1 || bao.Counts[Ongoing] != 1 || bao.Done() != 1 {
		t.Errorf("Báo Lai Châu %+v", bao)
	}
	if b.Pairs != 5 {
		t.Errorf("pairs %d, want 5 (task 5 has two leads)", b.Pairs)
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

// An ongoing task is never overdue, and a task nobody reported on is "chưa
// báo cáo", not "quá hạn".
func TestOngoingAndUnreported(t *testing.T) {
	d := &doc.Document{Kind: "KH", Date: doc.Date{Year: 2017}, Appendices: []doc.Appendix{{Tasks: []doc.Task{
		{ID: 1, Content: "a", Lead: []string{"Sở Nội vụ"}, Deadline: doc.Deadline{Text: "Thường xuyên trong năm 2017"}},
		{ID: 2, Content: "b", Lead: []string{"Sở Nội vụ"}, Deadline: doc.Deadline{Text: "Quý I năm 2017"}},
		{ID: 3, Content: "c", Lead: []string{"Sở Nội vụ"}, Deadline: doc.Deadline{Text: "Thường xuyên"}},
	}}}}
	subs := []Submission{{TaskID: 3, Agency: "Sở Nội vụ", Period: "2017-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2017-03-10")}}
	b := Build(d, period.Period{Year: 2017, Kind: period.Q1}, subs, day("2017-06-30"))
	want := map[int64]string{1: NotReported, 2: NotReported, 3: Ongoing}
	if got := statuses(b); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

// Several leads: done only when all are; the least advanced otherwise.
func TestSeveralLeads(t *testing.T) {
	d := &doc.Document{Kind: "KH", Date: doc.Date{Year: 2024}, Appendices: []doc.Appendix{{Tasks: []doc.Task{
		{ID: 1, Content: "a", Lead: []string{"A", "B"}, Deadline: doc.Deadline{Text: "Quý I"}},
		{ID: 2, Content: "b", Lead: []string{"A", "B"}, Deadline: doc.Deadline{Text: "Quý I"}},
		{ID: 3, Content: "c", Lead: []string{"A", "B"}, Deadline: doc.Deadline{Text: "Quý I"}},
	}}}}
	sub := func(task int64, agency, status, done string) Submission {
		return Submission{TaskID: task, Agency: agency, Period: "2024-Q1", Revision: 1, Status: status, CompletedOn: done, SubmittedAt: day("2024-03-10")}
	}
	subs := []Submission{
		sub(1, "A", Done, "2024-03-01"), sub(1, "B", Done, "2024-04-05"),
		sub(2, "A", Done, "2024-03-01"), sub(2, "B", InProgress, ""),
		sub(3, "A", Done, "2024-03-01"),
	}
	b := Build(d, period.Period{Year: 2024, Kind: period.Q1}, subs, day("2024-03-15"))
	want := map[int64]string{1: DoneLate, 2: InTime, 3: NotReported}
	if got := statuses(b); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if b.Rows[0].CompletedOn != "2024-04-05" {
		t.Errorf("done when the last lead finished: %q", b.Rows[0].CompletedOn)
	}
	b = Build(d, period.Period{Year: 2024, Kind: period.Q1}, subs, day("2024-04-10"))
	if got := statuses(b)[2]; got != Overdue {
		t.Errorf("task 2 after its deadline: %s", got)
	}
}

func TestBuildCumulative(t *testing.T) {
	subs := []Submission{
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q1", Revision: 1, Status: InProgress, SubmittedAt: day("2024-03-10"),
			Figures: []Figure{{Name: "tin bài", Value: 10, Unit: "bài"}, {Name: "hội nghị", Value: 1, Unit: "hội nghị"}}},
		{TaskID: 1, Agency: "Sở Nội vụ", Period: "2024-Q2", Revision: 1, Status: InProgress, SubmittedAt: day("2024-06-10"),
			Figures: []Figure{{Name: "tin bài", Value: 14, Unit: "bài"}}},
		{TaskID: 4, Agency: "Sở Nội vụ", Period: "2024-Q2", Revision: 1, Status: Done, CompletedOn: "2024-07-30", SubmittedAt: day("2024-06-10")},
		{TaskID: 2, Agency: "Báo Lai Châu", Period: "2024-Q1", Revision: 1, Status: Done, CompletedOn: "2024-03-30", SubmittedAt: day("2024-03-10")},
	}
	b := Build(plan(), period.Period{Year: 2024, Kind: period.Half}, subs, day("2024-06-14"))
	var r1 Row
	for _, r := range b.Rows {
		if r.TaskID == 1 {
			r1 = r
		}
	}
	// "tin bài" was reported in both quarters: added up; "hội nghị" only in
	// Q1: shown as Q1's.
	want := []Figure{{Name: "tin bài", Value: 24, Unit: "bài"}, {Name: "hội nghị", Value: 1, Unit: "hội nghị", Scope: "Quý I"}}
	if !reflect.DeepEqual(r1.Figures, want) || r1.Status != Ongoing {
		t.Errorf("6-month task 1: %+v", r1)
	}
	st := statuses(b)
	if st[2] != DoneOnTime || st[4] != DoneLate {
		t.Errorf("6 months: %v", st)
	}
	// 9 months, no Q3 report: the task done in Q1 stays done, the late one
	// stays late, the ongoing one has not reported Q3.
	b = Build(plan(), period.Period{Year: 2024, Kind: period.Nine}, subs, day("2024-09-14"))
	st = statuses(b)
	if st[1] != NotReported || st[2] != DoneOnTime || st[4] != DoneLate {
		t.Errorf("9 months: %v", st)
	}
	for _, r := range b.Rows {
		if r.TaskID == 1 {
			if q := r.Agencies[0].Quarters; len(q) != 3 || q[2].Status != NotReported || q[0].Status != InProgress {
				t.Errorf("9 months by quarter: %+v", q)
			}
			for _, f := range r.Figures {
				if f.Scope == "" {
					t.Errorf("9 months: figure %+v added up over a quarter without a report", f)
				}
			}
		}
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

// A board with nothing due, or redacted to nothing, reads as empty lists in
// JSON, never null: clients iterate over them without checking.
func TestBoardListsAreNeverNull(t *testing.T) {
	empty := &doc.Document{Kind: "KH", Date: doc.Date{Year: 2024, Month: 1, Day: 5}}
	for name, b := range map[string]*Board{
		"nothing due": Build(empty, period.Period{Year: 2024, Kind: period.Q1}, nil, day("2024-03-20")),
		"redacted":    Build(plan(), period.Period{Year: 2024, Kind: period.Q1}, nil, day("2024-03-20")),
	} {
		b.RedactFor("Sở Nội vụ")
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("null")) {
			t.Errorf("%s: board has null lists: %s", name, out)
		}
	}
}
