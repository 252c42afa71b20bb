package period

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCutOff(t *testing.T) {
	q1 := Period{2024, Q1}
	if got := q1.CutOff(16); !got.Equal(day(2024, 3, 15)) { // "trước ngày 16"
		t.Errorf("Lai Châu Q1 cut-off %v", got)
	}
	if got := q1.CutOff(0); !got.Equal(day(2024, 3, 15)) { // Decree 09 default
		t.Errorf("default Q1 cut-off %v", got)
	}
	if got := (Period{2024, Half}).CutOff(11); !got.Equal(day(2024, 6, 10)) {
		t.Errorf("H1 cut-off before the 11th %v", got)
	}
	if got := (Period{2024, Whole}).FirstDay(); !got.Equal(day(2024, 1, 1)) {
		t.Errorf("year's first day %v", got)
	}
	if got := (Period{2024, Q3}).FirstDay(); !got.Equal(day(2024, 7, 1)) {
		t.Errorf("Q3's first day %v", got)
	}
}

func TestDefaultAsOf(t *testing.T) {
	q2 := Period{2024, Q2}
	cases := []struct {
		name  string
		today time.Time
		want  time.Time
	}{
		{"past period: the cut-off", time.Date(2024, 11, 29, 10, 0, 0, 0, Vietnam), day(2024, 6, 15)},
		{"the day after the cut-off", time.Date(2024, 6, 16, 0, 30, 0, 0, Vietnam), day(2024, 6, 15)},
		{"on the cut-off day: today", time.Date(2024, 6, 15, 23, 0, 0, 0, Vietnam), day(2024, 6, 15)},
		{"current period: today", time.Date(2024, 5, 2, 9, 0, 0, 0, Vietnam), day(2024, 5, 2)},
		// 20:00 UTC on 1 May is already 2 May in Vietnam.
		{"today is Vietnam's day", time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC), day(2024, 5, 2)},
	}
	for _, c := range cases {
		if got := DefaultAsOf(q2, 16, c.today); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckIssueDate(t *testing.T) {
	q1 := Period{2024, Q1}
	today := time.Date(2024, 4, 10, 9, 0, 0, 0, Vietnam)
	for _, ok := range []time.Time{day(2024, 3, 15), day(2024, 3, 20), day(2024, 4, 10)} {
		if err := CheckIssueDate(q1, 16, ok, today); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
	for _, c := range []struct {
		date time.Time
		word string
	}{{day(2024, 3, 14), "cut-off"}, {day(2024, 1, 5), "cut-off"}, {day(2024, 4, 11), "future"}} {
		err := CheckIssueDate(q1, 16, c.date, today)
		var de *DateError
		if !errors.As(err, &de) || !strings.Contains(de.English, c.word) || de.Vietnamese == "" {
			t.Errorf("%v: %v", c.date, err)
		}
	}
	// The plan's own due day moves the cut-off.
	if err := CheckIssueDate(q1, 11, day(2024, 3, 10), today); err != nil {
		t.Errorf("due before the 11th, issued on the 10th: %v", err)
	}
}

func TestCheckAsOf(t *testing.T) {
	h1 := Period{2024, Half}
	today := time.Date(2024, 7, 1, 9, 0, 0, 0, Vietnam)
	for _, ok := range []time.Time{day(2024, 1, 1), day(2024, 6, 15), day(2024, 7, 1)} {
		if err := CheckAsOf(h1, ok, today); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
	for _, bad := range []time.Time{day(2023, 12, 31), day(2024, 7, 2)} {
		if err := CheckAsOf(h1, bad, today); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestCovering(t *testing.T) {
	codes := func(ps []Period) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Code())
		}
		return strings.Join(s, " ")
	}
	if got := codes((Period{2024, Q2}).Covering()); got != "2024-Q2 2024-H1 2024-9M 2024-Y" {
		t.Errorf("Q2 covered by %s", got)
	}
	if got := codes((Period{2024, Q4}).Covering()); got != "2024-Q4 2024-Y" {
		t.Errorf("Q4 covered by %s", got)
	}
	if got := codes((Period{2024, Half}).Covering()); got != "2024-H1 2024-9M 2024-Y" {
		t.Errorf("H1 covered by %s", got)
	}
}

func TestDayEnd(t *testing.T) {
	if got := DayEnd(day(2024, 3, 15)); !got.Equal(time.Date(2024, 3, 15, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("end of 15/3 in Vietnam: %v", got.UTC())
	}
}
