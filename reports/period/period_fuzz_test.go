package period

import (
	"testing"

	"baocao/reports/doc"
)

// FuzzPeriodParse: a code Parse accepts is exactly its period's Code, and
// reads back to the same period.
func FuzzPeriodParse(f *testing.F) {
	for _, s := range []string{"2024-Q1", "2024-Q4", "2024-H1", "2024-9M", "2024-Y", "1945-Y", "9999-Q2",
		"1944-Q1", "0000-Y", "2024-Q5", "2024-H2", "2024-q1", "2024-Q1\n", " 2024-Q1", "２０２４-Q1", "2024", "", "-Y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if p.Code() != s {
			t.Fatalf("%q read as %+v, code %q", s, p, p.Code())
		}
		if q, err := Parse(p.Code()); err != nil || q != p {
			t.Fatalf("%q: %+v, then %+v %v", s, p, q, err)
		}
		if p.Name() == "" || p.FirstMonth() < 1 || p.LastMonth() > 12 || p.FirstMonth() > p.LastMonth() || len(p.Quarters()) == 0 {
			t.Fatalf("%q: %+v", s, p)
		}
		from, to := p.Window()
		if !to.After(from) || !p.Contains(to) || !p.Due(0).After(to) {
			t.Fatalf("%q: window %v–%v, due %v", s, from, to, p.Due(0))
		}
		Due(doc.Deadline{Text: "Quý IV/2025 - Quý II/2026"}.Meaning(p.Year), p)
	})
}
