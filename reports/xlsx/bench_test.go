package xlsx_test

import (
	"testing"

	"baocao/reports/doc"
	"baocao/reports/xlsx"
)

// BenchmarkSeedAppendix renders the appendix of the largest seed plan.
func BenchmarkSeedAppendix(b *testing.B) {
	d, err := doc.ReadFile("../../testdata/plans/ninh-thuan-2022.json")
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
