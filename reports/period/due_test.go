package period

import (
	"strings"
	"testing"

	"baocao/reports/doc"
)

// TestDueForms: the deadline forms of issue 10 fall due in the periods
// they name, across years when they span two.
func TestDueForms(t *testing.T) {
	cases := []struct {
		deadline string
		due      []string // codes over 2024–2026
	}{
		{"02 lần vào Quý II và Quý IV", []string{"2024-Q2", "2024-H1", "2024-9M", "2024-Q4", "2024-Y"}},
		{"01 lần/quý", []string{"2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024-Y"}},
		{"2 lần trong năm", []string{"2024-Y"}},
		{"Quý II - Quý III năm 2024", []string{"2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Y"}},
		{"Quý IV/2025 - Quý II/2026", []string{"2025-Q4", "2025-Y", "2026-Q1", "2026-Q2", "2026-H1", "2026-9M", "2026-Y"}},
		{"Từ Quý III/2024 đến Quý I/2025", []string{"2024-Q3", "2024-9M", "2024-Q4", "2024-Y", "2025-Q1", "2025-H1", "2025-9M", "2025-Y"}},
		{"Năm 2024 - 2025", []string{"2024-Y", "2025-Y"}},
		{"Tháng 6 và tháng 12/2024", []string{"2024-Q2", "2024-H1", "2024-9M", "2024-Q4", "2024-Y"}},
		{"Trước ngày 30/6/2024", []string{"2024-Q2", "2024-H1", "2024-9M", "2024-Y"}},
		{"ngày 15 tháng 6 năm 2025", []string{"2025-Q2", "2025-H1", "2025-9M", "2025-Y"}},
		{"Trước ngày 20 hằng tháng", []string{"2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024-Y"}},
		{"6 tháng đầu năm 2024", []string{"2024-H1", "2024-9M", "2024-Y"}},
		// Refused on input; a plan stored before is read like free text.
		{"31/02/2024", []string{"2024-Y"}},
	}
	for _, c := range cases {
		m := doc.Deadline{Text: c.deadline}.Meaning(2024)
		var got []string
		for y := 2024; y <= 2026; y++ {
			for _, p := range All(y) {
				if Due(m, p) {
					got = append(got, p.Code())
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(c.due, " ") {
			t.Errorf("%q (%+v): due in %v, want %v", c.deadline, m, got, c.due)
		}
	}
}
