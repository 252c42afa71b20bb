package progress

import (
	"testing"

	"baocao/reports/doc"
	"baocao/reports/period"
)

// TestDeadlineEndForms: the last day a task may be done in a period, for
// the deadline forms of issue 10.
func TestDeadlineEndForms(t *testing.T) {
	cases := []struct {
		deadline, period, end string
	}{
		{"Tháng 6 và tháng 12/2024", "2024-Q2", "2024-06-30"},
		{"Tháng 6 và tháng 12/2024", "2024-Y", "2024-12-31"},
		{"Tháng 2 và tháng 8/2024", "2024-Q1", "2024-02-29"},
		{"Trước ngày 20 hằng tháng", "2024-Q1", "2024-03-19"},
		{"Trước ngày 31 hằng tháng", "2024-H1", "2024-06-30"},
		{"Trước ngày 31 hằng tháng", "2024-Q1", "2024-03-30"},
		{"Trước ngày 16 tháng 3, 6, 9, 12 năm 2024", "2024-Q3", "2024-09-15"},
		{"ngày 15 tháng 6 năm 2024", "2024-Q2", "2024-06-15"},
		{"02 lần vào Quý II và Quý IV", "2024-Q2", "2024-06-30"},
		{"Quý IV/2025 - Quý II/2026", "2025-Q4", "2025-12-31"},
		{"Quý IV/2025 - Quý II/2026", "2026-H1", "2026-06-30"},
		{"2 lần trong năm", "2024-Y", "2024-12-31"},
	}
	for _, c := range cases {
		p, err := period.Parse(c.period)
		if err != nil {
			t.Fatal(err)
		}
		m := doc.Deadline{Text: c.deadline}.Meaning(2024)
		if got := deadlineEnd(m, p); !got.Equal(day(c.end)) {
			t.Errorf("%q in %s: %s, want %s", c.deadline, c.period, got.Format("2006-01-02"), c.end)
		}
	}
}
