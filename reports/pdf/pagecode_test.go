package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"os"
	"regexp"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/pdf/internal/fpdf"
	"baocao/reports/sample"
)

// pageCorpus is the page content of what the page code is made from: the
// seeds' plans and appendices and a generated 200-task appendix (prose,
// headings, tables), read back from the rendered files.
func pageCorpus(t *testing.T) [][]byte {
	t.Helper()
	r := renderer(t)
	type job struct {
		d        *doc.Document
		appendix bool
	}
	var jobs []job
	for _, file := range fixtures(t) {
		d := loadSample(t, file)
		jobs = append(jobs, job{d, false})
		if len(d.Printed().Appendices) > 0 {
			jobs = append(jobs, job{d, true})
		}
	}
	jobs = append(jobs, job{sample.Plan(200), true})
	var pages [][]byte
	for _, j := range jobs {
		render := r.Document
		if j.appendix {
			render = r.Appendix
		}
		out, err := render(context.Background(), j.d)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, pageContents(t, out)...)
	}
	return pages
}

var flateStream = regexp.MustCompile(`<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// pageContents are the page content streams of a PDF baocao wrote: the
// streams with no dictionary entry but their filter and length that are
// not a ToUnicode map.
func pageContents(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var pages [][]byte
	for _, m := range flateStream.FindAllSubmatchIndex(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1]:]))
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(content, []byte("begincmap")) {
			pages = append(pages, content)
		}
	}
	if len(pages) == 0 {
		t.Fatal("no page content found")
	}
	return pages
}

const pageCodeFile = "internal/fpdf/pagecode_table.go"

// TestPageCode checks that the page code (internal/fpdf/pagezip.go, its
// table pagecode_table.go) still suits the pages baocao writes: coded with
// it, the corpus's symbols take at most 2% more bits than with a code made
// from the corpus as it is now. When the layout has changed enough for
// this to fail, run
//
//	go test ./reports/pdf -run 'TestPageCode$|TestGolden' -update
//
// then once more with -update for the golden hashes (the table is
// compiled into the test binary that wrote them).
func TestPageCode(t *testing.T) {
	var s fpdf.PageSymbols
	for _, p := range pageCorpus(t) {
		s.Add(p)
	}
	if *update {
		if err := os.WriteFile(pageCodeFile, s.Source(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s rewritten; run the tests again with -update for the golden hashes", pageCodeFile)
		return
	}
	current, best := s.Bits(true), s.Bits(false)
	t.Logf("the corpus's symbols: %d bytes with the page code, %d with a code made for it", current/8, best/8)
	if float64(current) > 1.02*float64(best) {
		t.Errorf("the page code takes %.1f%% more bits than a code made from today's pages; remake it (see the comment of TestPageCode)",
			100*(float64(current)/float64(best)-1))
	}
}
