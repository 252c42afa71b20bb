package period

import (
	"errors"
	"strings"
	"testing"
	"time"

	"baocao/reports/doc"
)

func TestPlanYears(t *testing.T) {
	plan := func(year int, deadlines ...string) *doc.Document {
		d := &doc.Document{Date: doc.Date{Year: year}}
		a := doc.Appendix{}
		for _, dl := range deadlines {
			a.Tasks = append(a.Tasks, doc.Task{Deadline: doc.Deadline{Text: dl}})
		}
		d.Appendices = []doc.Appendix{a}
		return d
	}
	cases := []struct {
		name        string
		d           *doc.Document
		first, last int
	}{
		{"a 2024 plan", plan(2024, "Thường xuyên", "Quý II", "30/6/2024"), 2024, 2024},
		{"deadlines into 2025", plan(2024, "Quý I/2025", "Thường xuyên"), 2024, 2025},
		{"a date in 2026", plan(2024, "31/3/2026"), 2024, 2026},
		{"a year", plan(2023, "Năm 2024"), 2023, 2024},
		{"a typing error far off is ignored", plan(2024, "Quý I/2204"), 2024, 2024},
	}
	for _, c := range cases {
		first, last, ok := PlanYears(c.d)
		if !ok || first != c.first || last != c.last {
			t.Errorf("%s: %d–%d %v, want %d–%d", c.name, first, last, ok, c.first, c.last)
		}
	}
	if _, _, ok := PlanYears(&doc.Document{}); ok {
		t.Error("a plan without a year has years")
	}
}

func TestCheckPlanPeriod(t *testing.T) {
	if err := CheckPlanPeriod(2024, 2024, Period{2024, Q3}); err != nil {
		t.Error(err)
	}
	if err := CheckPlanPeriod(2024, 2025, Period{2025, Q1}); err != nil {
		t.Error(err)
	}
	for _, p := range []Period{{2099, Q1}, {2023, Whole}, {2025, Q1}} {
		err := CheckPlanPeriod(2024, 2024, p)
		var de *DateError
		if !errors.As(err, &de) || !strings.Contains(de.Vietnamese, "ngoài thời gian của kế hoạch") || !strings.Contains(de.English, p.Code()) {
			t.Errorf("%s on a 2024 plan: %v", p, err)
		}
	}
}

func TestCheckCompletedOn(t *testing.T) {
	today := time.Date(2024, 5, 2, 9, 0, 0, 0, Vietnam)
	for _, ok := range []time.Time{day(2024, 5, 2), day(2024, 1, 1), day(2024, 3, 31)} {
		if err := CheckCompletedOn(2024, ok, today); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	for _, c := range []struct {
		d    time.Time
		word string
	}{{day(2024, 5, 3), "chưa đến"}, {day(2099, 1, 1), "chưa đến"}, {day(2023, 12, 31), "trước năm của kế hoạch"}, {day(1999, 1, 1), "trước năm"}} {
		err := CheckCompletedOn(2024, c.d, today)
		if err == nil || !strings.Contains(err.Error(), c.word) || !strings.Contains(err.Error(), " / ") {
			t.Errorf("%v: %v, want %q", c.d, err, c.word)
		}
	}
	// 20:00 UTC on 1 May is 2 May in Vietnam: 2 May is not in the future.
	if err := CheckCompletedOn(2024, day(2024, 5, 2), time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("Vietnam's today refused: %v", err)
	}
}

func TestCheckBoardAsOf(t *testing.T) {
	q1 := Period{2024, Q1}
	late := time.Date(2024, 11, 1, 9, 0, 0, 0, Vietnam)
	early := time.Date(2024, 2, 1, 9, 0, 0, 0, Vietnam)
	cases := []struct {
		name  string
		date  time.Time
		today time.Time
		ok    bool
	}{
		{"in the period", day(2024, 2, 10), late, true},
		{"today, long after", day(2024, 11, 1), late, true},
		{"the first day", day(2024, 1, 1), late, true},
		{"before the period", day(2023, 12, 31), late, false},
		{"the future", day(2024, 11, 2), late, false},
		{"2099", day(2099, 1, 1), late, false},
		{"the cut-off, ahead of today", day(2024, 3, 15), early, true},
		{"after the cut-off, ahead of today", day(2024, 3, 16), early, false},
	}
	for _, c := range cases {
		err := CheckBoardAsOf(q1, 16, c.date, c.today)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
