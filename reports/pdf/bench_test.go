package pdf

import (
	"context"
	"testing"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

func loadSample(tb testing.TB, path string) *doc.Document {
	d, err := doc.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// largestSeed is the longest of the seed plans (Ninh Thuận, 12 pages).
const largestSeed = "../../testdata/plans/ninh-thuan-2022.json"

// BenchmarkSeedPlan renders the whole largest seed plan: the plan and its
// appendix.
func BenchmarkSeedPlan(b *testing.B) {
	benchRender(b, loadSample(b, largestSeed), (*Renderer).Document)
}

// BenchmarkSeedAppendix renders the appendix of the largest seed plan.
func BenchmarkSeedAppendix(b *testing.B) {
	benchRender(b, loadSample(b, largestSeed), (*Renderer).Appendix)
}

func benchRender(b *testing.B, d *doc.Document, render func(*Renderer, context.Context, *doc.Document) ([]byte, error)) {
	fam, _ := fonts.Default()
	r := New(fam)
	out, err := render(r, context.Background(), d) // builds the font repertoire once
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ReportMetric(float64(len(out)), "bytes/file")
	for b.Loop() {
		DropCaches() // each render as if the first: no subset deflated before
		if _, err := render(r, context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendix1000 renders the appendix of a generated plan of 1,000
// tasks with realistic Vietnamese text.
func BenchmarkAppendix1000(b *testing.B) { benchRender(b, sample.Plan(1000), (*Renderer).Appendix) }
