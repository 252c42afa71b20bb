package pdf

import (
	"context"
	"syscall"
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

// seedAppendix is the seed plan with the longest printed appendix (Lai
// Châu, 14 tasks; Ninh Thuận keeps its tasks for tracking only).
const seedAppendix = "../../testdata/plans/lai-chau-2024.json"

// BenchmarkSeedAppendix renders the longest printed appendix of the seeds.
func BenchmarkSeedAppendix(b *testing.B) {
	benchRender(b, loadSample(b, seedAppendix), (*Renderer).Appendix)
}

// BenchmarkSeedAppendixAgain renders it again and again, its fonts' work
// remembered from the first time: the service's case of a plan
// downloaded after each edit, or an application rendering from one
// template.
func BenchmarkSeedAppendixAgain(b *testing.B) {
	benchRenderCached(b, loadSample(b, seedAppendix), (*Renderer).Appendix, true)
}

func benchRender(b *testing.B, d *doc.Document, render func(*Renderer, context.Context, *doc.Document) ([]byte, error)) {
	benchRenderCached(b, d, render, false)
}

func benchRenderCached(b *testing.B, d *doc.Document, render func(*Renderer, context.Context, *doc.Document) ([]byte, error), again bool) {
	fam, _ := fonts.Default()
	r := New(fam)
	out, err := render(r, context.Background(), d) // builds the font repertoire once
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ReportMetric(float64(len(out)), "bytes/file")
	cpu := cpuTime()
	for b.Loop() {
		if !again {
			DropCaches() // each render as if the first: no subset cut before
		}
		if _, err := render(r, context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used (user and system, every
// thread, the collector's included), in nanoseconds: on a machine shared
// with other work it moves far less than the wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkAppendix1000 renders the appendix of a generated plan of 1,000
// tasks with realistic Vietnamese text.
func BenchmarkAppendix1000(b *testing.B) { benchRender(b, sample.Plan(1000), (*Renderer).Appendix) }
