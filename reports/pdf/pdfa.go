package pdf

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"slices"
	"strings"
	"time"

	"baocao/reports/doc"
	"baocao/reports/pdf/internal/fpdf"
)

// PDF/A-2b (ISO 19005-2, TCVN 14159-2:2024) for issued documents and, as an
// option, for any render: see README "Digital signatures and PDF/A".
//
// What makes a baocao file PDF/A-2b, beside what every file already has
// (every font embedded as a TrueType subset with its widths and ToUnicode
// map, no encryption, no transparency, no JavaScript, actions or
// annotations, device colours only):
//   - an XMP packet (the catalog's /Metadata, uncompressed) with the PDF/A
//     identification (pdfaid:part 2, conformance B) and, in predefined
//     schemas only, the document's title (dc:title), number and symbol
//     (dc:identifier), issuing agency (dc:creator, dc:publisher) and date
//     (dc:date), repeating exactly the Info dictionary's Title, Author,
//     Subject, Keywords, Creator, Producer, CreationDate and ModDate;
//   - an output intent GTS_PDFA1 with the sRGB IEC61966-2.1 profile
//     (icc/sRGB.icc, Zlib licence, see icc/README.md), which covers the
//     DeviceRGB and DeviceGray colours the pages use;
//   - a file identifier (/ID) in the trailer;
//   - no empty name tree (fpdf's /EmbeddedFiles).

//go:embed icc/sRGB.icc
var srgbProfile []byte

// srgbCondition names the output intent's profile.
const srgbCondition = "sRGB IEC61966-2.1"

// producer is the Producer and Creator of every file.
const producer = "baocao"

// Archival says what a PDF/A file's metadata says of the document.
type Archival struct {
	// Title is the document's kind and summary: "Báo cáo Kết quả …".
	Title string
	// Number is the number and symbol, "01/BC-UBND" ("" for a draft).
	Number string
	// Agency is the issuing agency's full name.
	Agency string
	// Date is the document's date, "2024-06-20" (as much as it gives).
	Date string
}

// ArchivalOf is what d's PDF/A metadata says.
func ArchivalOf(d *doc.Document) Archival {
	a := Archival{Title: strings.TrimSpace(d.KindName() + " " + d.Title), Agency: d.Agency.Name, Date: d.Date.String()}
	if d.Number > 0 {
		a.Number = d.NumberAndSymbol()
	}
	return a
}

// subject is the Info Subject and dc:description: "Số 01/BC-UBND ngày
// 20/06/2024 của Ủy ban nhân dân tỉnh Lai Châu" (a person reads it in the
// document's properties: the date as Vietnamese write it; dc:date keeps
// ISO 8601).
func (a Archival) subject() string {
	var b strings.Builder
	if a.Number != "" {
		b.WriteString("Số " + a.Number + " ")
	}
	if a.Date != "" {
		b.WriteString("ngày " + dayMonthYear(a.Date) + " ")
	}
	if a.Agency != "" {
		b.WriteString("của " + a.Agency)
	}
	return strings.TrimSpace(b.String())
}

// keywords are the Info Keywords and pdf:Keywords.
func (a Archival) keywords() string {
	var parts []string
	for _, s := range []string{a.Number, a.Agency, dayMonthYear(a.Date)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// dayMonthYear writes an ISO date, whole or in part, as Vietnamese write
// it: 2024-06-20 → 20/06/2024, 2024-06 → 06/2024, 2024 → 2024.
func dayMonthYear(iso string) string {
	parts := strings.Split(iso, "-")
	slices.Reverse(parts)
	return strings.Join(parts, "/")
}

// PDFA returns a renderer like r whose files are PDF/A-2b.
func (r *Renderer) PDFA() *Renderer {
	c := *r
	c.pdfa = true
	return &c
}

// setArchive hands the archival parts to fpdf before the file is written.
func (w *writer) setArchive() {
	a := w.archival
	if a == nil {
		return
	}
	w.f.SetArchive(&fpdf.Archive{
		Title: a.Title, Author: a.Agency, Subject: a.subject(), Keywords: a.keywords(),
		XMP: a.xmp(w.created), ICC: srgbProfile, OutputCondition: srgbCondition,
	})
}

// xmpDate is an XMP date as the Info dictionary's (fpdf's pdfDate) reads.
func xmpDate(t time.Time) string {
	if _, off := t.Zone(); off == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

// xmp is the metadata packet: the PDF/A identification, then the document
// in the Dublin Core, XMP basic and Adobe PDF schemas (predefined by
// PDF/A, so no extension schema is needed), each Info entry repeated in
// its XMP property.
func (a Archival) xmp(created time.Time) []byte {
	var b strings.Builder
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s)) // a bytes.Buffer does not fail
		return e.String()
	}
	date := xmpDate(created)
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
`)
	b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(a.Title) + "</rdf:li></rdf:Alt></dc:title>\n")
	if a.Agency != "" {
		b.WriteString("<dc:creator><rdf:Seq><rdf:li>" + esc(a.Agency) + "</rdf:li></rdf:Seq></dc:creator>\n")
		b.WriteString("<dc:publisher><rdf:Bag><rdf:li>" + esc(a.Agency) + "</rdf:li></rdf:Bag></dc:publisher>\n")
	}
	if s := a.subject(); s != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(s) + "</rdf:li></rdf:Alt></dc:description>\n")
	}
	if a.Number != "" {
		b.WriteString("<dc:identifier>" + esc(a.Number) + "</dc:identifier>\n")
	}
	if a.Date != "" {
		b.WriteString("<dc:date><rdf:Seq><rdf:li>" + esc(a.Date) + "</rdf:li></rdf:Seq></dc:date>\n")
	}
	b.WriteString(`<dc:language><rdf:Bag><rdf:li>vi-VN</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
`)
	b.WriteString("<xmp:CreateDate>" + date + "</xmp:CreateDate>\n<xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n")
	b.WriteString("<xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n<xmp:CreatorTool>" + producer + "</xmp:CreatorTool>\n")
	b.WriteString(`</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
`)
	b.WriteString("<pdf:Producer>" + producer + "</pdf:Producer>\n")
	if k := a.keywords(); k != "" {
		b.WriteString("<pdf:Keywords>" + esc(k) + "</pdf:Keywords>\n")
	}
	b.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n")
	// Room for an editor to change the packet in place, as XMP asks.
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 20))
	b.WriteString(`<?xpacket end="w"?>`)
	return []byte(b.String())
}
