package pdf

import (
	"os"
	"testing"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

func loadSample(tb testing.TB, path string) *doc.Document {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	d, err := doc.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func BenchmarkSample(b *testing.B) {
	d := loadSample(b, "testdata/sample.json")
	fam, _ := fonts.Default()
	r := New(fam)
	if _, err := r.Document(d); err != nil { // builds the font repertoire once
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Document(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendix1000 renders the appendix of a generated plan of 1,000
// tasks with realistic Vietnamese text.
func BenchmarkAppendix1000(b *testing.B) {
	d := sample.Plan(1000)
	fam, _ := fonts.Default()
	r := New(fam)
	if _, err := r.Appendix(d); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Appendix(d); err != nil {
			b.Fatal(err)
		}
	}
}
