package pdf

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"baocao/reports/pdf/pdfatest"
)

// TestPDFA renders every seed plan and its separate appendix as PDF/A-2b
// and checks each property the standard asks, one by one
// (pdfatest.Check), that the XMP names the document as its header does,
// that two renders are byte-identical, and that the same document
// rendered without the option has none of it.
func TestPDFA(t *testing.T) {
	pdfatest.Need(t)
	r := renderer(t).PDFA()
	ctx := context.Background()
	for _, path := range fixtures(t) {
		d := loadSample(t, path)
		t.Run(filepath.Base(path), func(t *testing.T) {
			out, err := r.Document(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			x := pdfatest.Check(t, out)
			a := ArchivalOf(d.Printed())
			if x.Title != a.Title || x.Creator != d.Agency.Name || x.Identifier != a.Number || x.Date != d.Date.String() {
				t.Errorf("XMP names %q %q %q %q, want %q %q %q %q", x.Title, x.Creator, x.Identifier, x.Date,
					a.Title, d.Agency.Name, a.Number, d.Date.String())
			}
			if d.Number > 0 && !strings.Contains(x.Identifier, "/"+d.FullSymbol()) {
				t.Errorf("dc:identifier %q lacks the symbol %s", x.Identifier, d.FullSymbol())
			}
			again, _ := r.Document(ctx, d)
			if !bytes.Equal(out, again) {
				t.Error("two PDF/A renders differ")
			}
			plain, err := renderer(t).Document(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(plain, []byte("/Metadata")) || bytes.Contains(plain, []byte("/OutputIntents")) {
				t.Error("a render without PDFA() has PDF/A parts")
			}
			if len(d.Printed().Appendices) == 0 {
				return
			}
			app, err := r.Appendix(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			x = pdfatest.Check(t, app)
			if !strings.HasPrefix(x.Title, "Phụ lục kèm theo ") {
				t.Errorf("the appendix's dc:title %q", x.Title)
			}
		})
	}
}

// TestXMPEscapes: a title with XML's special characters stays
// well-formed and reads back as written.
func TestXMPEscapes(t *testing.T) {
	a := Archival{Title: `Kế hoạch <số 1> & "mẫu"`, Agency: "Sở A & B", Number: "01/KH-SAB", Date: "2024-01-05"}
	packet := a.xmp(loadSample(t, "../../testdata/plans/lai-chau-2024.json").Date.Created())
	var v any
	if err := xml.Unmarshal(bytes.TrimPrefix(packet[bytes.IndexByte(packet, '\n')+1:], nil), &v); err != nil &&
		!strings.Contains(err.Error(), "EOF") {
		t.Fatalf("XMP is not XML: %v", err)
	}
	if !bytes.Contains(packet, []byte("Kế hoạch &lt;số 1&gt; &amp; &#34;mẫu&#34;")) {
		t.Errorf("title not escaped:\n%s", packet)
	}
}

// TestSignatureField: the renderer tells where the signature goes — on
// the page of the signature block, across the signature column, between
// the last title line ("PHÓ CHỦ TỊCH") and the signer's name, as
// pdftotext's word boxes show them.
func TestSignatureField(t *testing.T) {
	need(t, "pdftotext")
	d := loadSample(t, "../../testdata/plans/lai-chau-2024.json")
	var fields []SignatureField
	out, err := renderer(t).OnSignature(func(s SignatureField) { fields = append(fields, s) }).Document(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 1 {
		t.Fatalf("told %d times, want once", len(fields))
	}
	f := fields[0]
	p := writeTemp(t, "plan.pdf", out)
	bbox, err := exec.Command("pdftotext", "-bbox", "-f", strconv.Itoa(f.Page), "-l", strconv.Itoa(f.Page), p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	const pageTop = 841.89
	var above, below float64 // the bottom of "PHÓ CHỦ TỊCH", the top of the name
	for _, line := range strings.Split(string(bbox), "\n") {
		attr := func(k string) float64 {
			i := strings.Index(line, k+`="`)
			if i < 0 {
				return 0
			}
			v, _ := strconv.ParseFloat(line[i+len(k)+2:i+len(k)+2+strings.IndexByte(line[i+len(k)+2:], '"')], 64)
			return v
		}
		switch {
		case strings.Contains(line, ">TỊCH</word>"):
			above = pageTop - attr("yMax")
		case strings.Contains(line, ">Hải</word>"):
			below = pageTop - attr("yMin")
			if attr("xMin") < f.Left || attr("xMax") > f.Right {
				t.Errorf("the name (%v–%v) is not under the field %+v", attr("xMin"), attr("xMax"), f)
			}
		}
	}
	if above == 0 || below == 0 {
		t.Fatalf("title or name not found on page %d:\n%s", f.Page, bbox)
	}
	if f.Top > above+1 || f.Bottom < below-1 || f.Height() < 60 {
		t.Errorf("field %+v (height %.1f) is not between the title (bottom %.1f) and the name (top %.1f)", f, f.Height(), above, below)
	}
	if os.Getenv("BAOCAO_KEEP") != "" {
		t.Logf("field %+v", f)
	}
}
