package benchcmp

import (
	"context"
	"strings"
	"testing"
	"time"

	upstream "codeberg.org/go-pdf/fpdf"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/sample"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// renderUpstream draws the appendix as one would with upstream fpdf:
// the four faces added from their bytes for every document, the title
// block centred, a header row repeated on each page, each cell's plain
// text split into lines with SplitText and drawn with MultiCell, a row
// moved whole to the next page when it does not fit. No rich text within
// a cell and no row split across pages: less than baocao does.
func renderUpstream(fam *fonts.Family, d *doc.Document) ([]byte, error) {
	t := table.FromAppendix(d.Printed(), 0)
	f := upstream.New("L", "mm", "A4", "")
	f.SetMargins(20, 20, 15)
	f.SetAutoPageBreak(false, 15)
	f.SetCompression(true)
	f.SetCreationDate(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
	for i, st := range []string{"", "B", "I", "BI"} {
		f.AddUTF8FontFromBytes("serif", st, fam.Faces[i])
	}
	const lineH = 12 * 1.2 * 25.4 / 72
	tw := 297.0 - 20 - 15
	widths := t.Widths(tw)
	f.AddPage()
	f.SetFont("serif", "B", 14)
	for _, s := range []string{t.Heading, vn.Upper(t.Title)} {
		f.MultiCell(0, 14*1.2*25.4/72, s, "", "C", false)
	}
	if t.Attached != "" {
		f.SetFont("serif", "I", 14)
		f.MultiCell(0, 14*1.2*25.4/72, t.Attached, "", "C", false)
	}
	f.Ln(6)
	lines := func(style string, texts []string) ([][]string, float64) {
		f.SetFont("serif", style, 12)
		out := make([][]string, len(texts))
		n := 1
		for i, s := range texts {
			for _, para := range strings.Split(s, "\n") {
				out[i] = append(out[i], f.SplitText(para, widths[i]-3)...)
			}
			n = max(n, len(out[i]))
		}
		return out, float64(n)*lineH + 2.4
	}
	drawRow := func(style string, cells [][]string, h float64) {
		f.SetFont("serif", style, 12)
		x, y := f.GetX(), f.GetY()
		for i, c := range cells {
			f.Rect(x, y, widths[i], h, "D")
			f.SetXY(x, y+1.2)
			f.MultiCell(widths[i], lineH, strings.Join(c, "\n"), "", "L", false)
			x += widths[i]
		}
		f.SetXY(20, y+h)
	}
	labels := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		labels[i] = c.Label
	}
	head, headH := lines("B", labels)
	drawRow("B", head, headH)
	texts := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			texts[i] = c.Text()
		}
		cells, h := lines("", texts)
		if f.GetY()+h > 210-15 {
			f.AddPage()
			drawRow("B", head, headH)
		}
		drawRow("", cells, h)
	}
	var b strings.Builder
	if err := f.Output(&b); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// BenchmarkUpstream renders the same appendix with baocao and with
// upstream fpdf, one after the other in each iteration so that both meet
// the same load, and reports each one's time and upstream's time over
// baocao's ("times-faster").
func BenchmarkUpstream(b *testing.B) {
	fam, err := fonts.Default()
	if err != nil {
		b.Fatal(err)
	}
	seed, err := doc.ReadFile("../../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		b.Fatal(err)
	}
	r := pdf.New(fam)
	for _, c := range []struct {
		name string
		d    *doc.Document
	}{{"lai-chau", seed}, {"tasks=1000", sample.Plan(1000)}} {
		b.Run(c.name, func(b *testing.B) {
			if _, err := r.Appendix(context.Background(), c.d); err != nil { // the font repertoire, once
				b.Fatal(err)
			}
			var ours, theirs time.Duration
			for b.Loop() {
				pdf.DropCaches() // as if rendered for the first time
				t0 := time.Now()
				if _, err := r.Appendix(context.Background(), c.d); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := renderUpstream(fam, c.d); err != nil {
					b.Fatal(err)
				}
				ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
			}
			n := float64(b.N)
			b.ReportMetric(ours.Seconds()*1e3/n, "baocao-ms")
			b.ReportMetric(theirs.Seconds()*1e3/n, "upstream-ms")
			b.ReportMetric(float64(theirs)/float64(ours), "times-faster")
		})
	}
}

// TestUpstreamRenders: the comparison draws the whole appendix, every
// task's text (so that the benchmark compares like with like).
func TestUpstreamRenders(t *testing.T) {
	fam, _ := fonts.Default()
	d := sample.Plan(30)
	out, err := renderUpstream(fam, d)
	if err != nil || !strings.HasPrefix(string(out), "%PDF") {
		t.Fatalf("%v, %.10q", err, out)
	}
	if n := strings.Count(string(out), "/Type /Page\n"); n < 2 {
		t.Errorf("%d pages for 30 tasks", n)
	}
}
