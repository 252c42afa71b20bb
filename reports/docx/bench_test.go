package docx_test

import (
	"context"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/sample"
)

// BenchmarkSeedPlan renders the largest seed plan (Ninh Thuận) with its
// appendix as DOCX.
func BenchmarkSeedPlan(b *testing.B) {
	r := renderer(b)
	d, err := doc.ReadFile("../../testdata/plans/ninh-thuan-2022.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Document(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendix1000 renders a 1,000-task appendix as DOCX.
func BenchmarkAppendix1000(b *testing.B) {
	r := renderer(b)
	d := sample.Plan(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Appendix(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}
