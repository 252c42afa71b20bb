package xlsx_test

import (
	"testing"

	"baocao/reports/doc"
	"baocao/reports/xlsx"
)

// BenchmarkSeedAppendix renders the longest printed appendix of the seeds
// (Lai Châu, 14 tasks; Ninh Thuận keeps its tasks for tracking only).
func BenchmarkSeedAppendix(b *testing.B) {
	d, err := doc.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := xlsx.Appendices(d, xlsx.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
