package period

import (
	"slices"
	"testing"
	"time"

	"baocao/reports/doc"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestCodesAndNames(t *testing.T) {
	cases := []struct{ code, name string }{
		{"2024-Q1", "Quý I năm 2024"}, {"2024-Q2", "Quý II năm 2024"}, {"2024-Q3", "Quý III năm 2024"},
		{"2024-Q4", "Quý IV năm 2024"}, {"2024-H1", "6 tháng đầu năm 2024"}, {"2024-9M", "9 tháng năm 2024"},
		{"2024-Y", "năm 2024"},
	}
	for _, c := range cases {
		p, err := Parse(c.code)
		if err != nil {
			t.Fatal(err)
		}
		if p.Code() != c.code || p.Name() != c.name {
			t.Errorf("%s: code %s name %q", c.code, p.Code(), p.Name())
		}
	}
	for _, bad := range []string{"", "2024", "2024-Q5", "2024-q1", "24-Q1", "2024-H2", "2024-Y1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestWindows(t *testing.T) {
	cases := []struct {
		code     string
		from, to time.Time
	}{
		{"2024-Q1", day(2023, 12, 15), day(2024, 3, 14)}, // across the year end
		{"2024-Q2", day(2024, 3, 15), day(2024, 6, 14)},
		{"2024-Q3", day(2024, 6, 15), day(2024, 9, 14)},
		{"2024-Q4", day(2024, 9, 15), day(2024, 12, 14)},
		{"2024-H1", day(2023, 12, 15), day(2024, 6, 14)},
		{"2024-9M", day(2023, 12, 15), day(2024, 9, 14)},
		{"2024-Y", day(2023, 12, 15), day(2024, 12, 14)},
	}
	for _, c := range cases {
		p, _ := Parse(c.code)
		from, to := p.Window()
		if !from.Equal(c.from) || !to.Equal(c.to) {
			t.Errorf("%s: %s – %s", c.code, from.Format(time.DateOnly), to.Format(time.DateOnly))
		}
	}
	q1, _ := Parse("2024-Q1")
	// 29 February of a leap year lies inside Q1's window.
	if !q1.Contains(day(2024, 2, 29)) || q1.Contains(day(2024, 3, 15)) || !q1.Contains(day(2023, 12, 15)) || q1.Contains(day(2023, 12, 14)) {
		t.Error("Q1 window bounds")
	}
	if got := q1.Due(16); !got.Equal(day(2024, 3, 15)) {
		t.Errorf("Q1 due %s", got)
	}
	if got := (Period{2024, Whole}).Due(0); !got.Equal(day(2024, 12, 15)) {
		t.Errorf("year due %s", got)
	}
}

func TestQuarters(t *testing.T) {
	p, _ := Parse("2024-9M")
	qs := p.Quarters()
	if len(qs) != 3 || qs[0].Code() != "2024-Q1" || qs[2].Code() != "2024-Q3" || !p.Cumulative() {
		t.Errorf("9M quarters %v", qs)
	}
	if q, _ := Parse("2024-Q2"); len(q.Quarters()) != 1 || q.Cumulative() {
		t.Error("Q2 quarters")
	}
}

func TestDue(t *testing.T) {
	m := func(s string) doc.Meaning { return doc.Deadline{Text: s}.Meaning(2024) }
	cases := []struct {
		deadline string
		due      []string // of 2024: Q1 Q2 H1 Q3 9M Q4 Y
	}{
		{"Thường xuyên", []string{"Q1", "Q2", "H1", "Q3", "9M", "Q4", "Y"}},
		{"Quý II", []string{"Q2", "H1", "9M", "Y"}},
		{"Tháng 4/2024", []string{"Q2", "H1", "9M", "Y"}},
		{"Tháng 4/2023", nil},
		{"30/9/2024", []string{"Q3", "9M", "Y"}},
		{"Quý I, 6 tháng, Quý III, năm", []string{"Q1", "H1", "Q3", "9M", "Y"}},
		{"Trước ngày 16 tháng 3, 6, 9, 12 năm 2024", []string{"Q1", "Q2", "H1", "Q3", "9M", "Q4", "Y"}},
		{"Năm 2024", []string{"Y"}},
		{"Khi có yêu cầu", []string{"Y"}},
	}
	for _, c := range cases {
		want := map[string]bool{}
		for _, k := range c.due {
			want[k] = true
		}
		for _, p := range All(2024) {
			if got := Due(m(c.deadline), p); got != want[string(p.Kind)] {
				t.Errorf("%q in %s: due=%v", c.deadline, p.Code(), got)
			}
		}
	}
}

func TestOrder(t *testing.T) {
	codes := []string{"2025-Q1", "2024-Y", "2024-H1", "2024-Q2", "x", "2024-Q1", "2024-9M", "2024-Q4", "2024-Q3"}
	slices.SortFunc(codes, Order)
	want := []string{"2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024-Y", "2025-Q1", "x"}
	if !slices.Equal(codes, want) {
		t.Errorf("sorted %v, want %v", codes, want)
	}
}
