package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"baocao/reports/layout"
)

// Namespaces and types of the parts (ECMA-376 Part 1 and Part 2, OPC).
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsCT  = "http://schemas.openxmlformats.org/package/2006/content-types"

	relDoc      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore     = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relApp      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
	relStyles   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	relSettings = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
	relFonts    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
	relHeader   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"

	ctMain     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	ctStyles   = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
	ctSettings = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
	ctFonts    = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
	ctHeader   = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
	ctCore     = "application/vnd.openxmlformats-package.core-properties+xml"
	ctApp      = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
	ctRels     = "application/vnd.openxmlformats-package.relationships+xml"
)

// ContentType is a DOCX file's media type.
const ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// finish closes the last section and writes the package.
func (w *writer) finish(created time.Time) ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if err := w.ctx.Err(); err != nil {
		return nil, err
	}
	if w.sect == nil {
		return nil, fmt.Errorf("docx: nothing to write")
	}
	// The body ends with a paragraph (a table may not end it) and the
	// last section's properties.
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Rule"/></w:pPr></w:p>`)
	w.sectPr()
	parts := map[string]string{
		"word/document.xml": xmlHead + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>` + w.b.String() + `</w:body></w:document>`,
		"word/styles.xml":   w.styles(),
		"word/settings.xml": xmlHead + `<w:settings xmlns:w="` + nsW + `"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`,
		"word/fontTable.xml": xmlHead + `<w:fonts xmlns:w="` + nsW + `"><w:font w:name="` + attr(w.font) +
			`"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>`,
		"docProps/core.xml": w.core(created),
		"docProps/app.xml":  xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>baocao</Application></Properties>`,
		"_rels/.rels": rels([][2]string{{relDoc, "word/document.xml"}, {relCore, "docProps/core.xml"}, {relApp, "docProps/app.xml"}},
			[]string{"rIdDocument", "rIdCore", "rIdApp"}),
	}
	docRels := [][2]string{{relStyles, "styles.xml"}, {relSettings, "settings.xml"}, {relFonts, "fontTable.xml"}}
	ids := []string{"rIdStyles", "rIdSettings", "rIdFonts"}
	overrides := map[string]string{"/word/document.xml": ctMain, "/word/styles.xml": ctStyles, "/word/settings.xml": ctSettings,
		"/word/fontTable.xml": ctFonts, "/docProps/core.xml": ctCore, "/docProps/app.xml": ctApp}
	for i, h := range w.parts {
		parts["word/"+h.name] = xmlHead + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + h.xml + `</w:hdr>`
		docRels = append(docRels, [2]string{relHeader, h.name})
		ids = append(ids, headerID(i))
		overrides["/word/"+h.name] = ctHeader
	}
	parts["word/_rels/document.xml.rels"] = rels(docRels, ids)
	var ct strings.Builder
	ct.WriteString(xmlHead + `<Types xmlns="` + nsCT + `"><Default Extension="rels" ContentType="` + ctRels + `"/><Default Extension="xml" ContentType="application/xml"/>`)
	for _, name := range sortedKeys(overrides) {
		fmt.Fprintf(&ct, `<Override PartName="%s" ContentType="%s"/>`, name, overrides[name])
	}
	ct.WriteString(`</Types>`)
	return zipParts(ct.String(), parts, created)
}

// zipParts writes the package: [Content_Types].xml first, then the parts
// by name, deflated, every entry with the same time.
func zipParts(contentTypes string, parts map[string]string, created time.Time) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	at := zipTime(created)
	write := func(name, data string) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
		if err != nil {
			return fmt.Errorf("docx: %s: %w", name, err)
		}
		if _, err := f.Write([]byte(data)); err != nil {
			return fmt.Errorf("docx: %s: %w", name, err)
		}
		return nil
	}
	if err := write("[Content_Types].xml", contentTypes); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(parts) {
		if err := write(name, parts[name]); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return buf.Bytes(), nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func rels(targets [][2]string, ids []string) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<Relationships xmlns="` + nsRel + `">`)
	for i, t := range targets {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s" Target="%s"/>`, ids[i], t[0], t[1])
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// attr escapes s for an attribute value or text.
func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}

// core is the package's core properties: the title, the language, the
// time (the document's own date, never the clock).
func (w *writer) core(created time.Time) string {
	t := created.UTC().Format("2006-01-02T15:04:05Z")
	return xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + attr(w.title) + `</dc:title><dc:creator>baocao</dc:creator><dc:language>vi-VN</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + t + `</dcterms:modified></cp:coreProperties>`
}

// styles are the Word styles the document uses, from layout's choices:
// the body ("Normal"), headings, list items, the header block, the title,
// the appendix's heading, table text, "Nơi nhận", the signature, the page
// header and the rules.
func (w *writer) styles() string {
	hp := func(pt float64) int { return int(math.Round(pt * 2)) }
	body := ptw(layout.SizeBody * layout.BodyLeading)
	var b strings.Builder
	b.WriteString(xmlHead + `<w:styles xmlns:w="` + nsW + `">`)
	fmt.Fprintf(&b, `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/><w:sz w:val="%[2]d"/><w:szCs w:val="%[2]d"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`,
		attr(w.font), hp(layout.SizeBody))
	style := func(id, name, basedOn, ppr, rpr string, extra string) {
		def := ""
		if id == "Normal" {
			def = ` w:default="1"`
		}
		fmt.Fprintf(&b, `<w:style w:type="paragraph"%s w:styleId="%s"><w:name w:val="%s"/>`, def, id, name)
		if basedOn != "" {
			fmt.Fprintf(&b, `<w:basedOn w:val="%s"/>`, basedOn)
		}
		b.WriteString(extra)
		b.WriteString(`<w:qFormat/>`)
		if ppr != "" {
			b.WriteString(`<w:pPr>` + ppr + `</w:pPr>`)
		}
		if rpr != "" {
			b.WriteString(`<w:rPr>` + rpr + `</w:rPr>`)
		}
		b.WriteString(`</w:style>`)
	}
	sz := func(pt float64) string { return fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%[1]d"/>`, hp(pt)) }
	exact := func(pt float64, after int) string {
		return fmt.Sprintf(`<w:spacing w:before="0" w:after="%d" w:line="%d" w:lineRule="exact"/>`, after, ptw(pt))
	}
	flush := `<w:ind w:left="0" w:right="0" w:firstLine="0"/>`
	// The body: 14 pt, justified, first-line indent 1.27 cm, 6 pt between
	// paragraphs, lines 1.25 × the size; no line alone at a page's foot
	// or head.
	style("Normal", "Normal", "", fmt.Sprintf(`<w:widowControl/><w:spacing w:before="0" w:after="%d" w:line="%d" w:lineRule="exact"/><w:ind w:firstLine="%d"/><w:jc w:val="both"/>`,
		ptw(layout.ParaSpacing), body, twips(layout.BodyIndent)), sz(layout.SizeBody), "")
	// "I. …" (## ), "1. …" (### ) bold, flush with the paragraphs, kept
	// with what follows; lower levels bold italic.
	style("Heading2", "heading 2", "Normal", `<w:keepNext/><w:outlineLvl w:val="1"/>`, `<w:b/><w:bCs/>`, `<w:next w:val="Normal"/>`)
	style("Heading3", "heading 3", "Normal", `<w:keepNext/><w:outlineLvl w:val="2"/>`, `<w:b/><w:bCs/>`, `<w:next w:val="Normal"/>`)
	style("Heading4", "heading 4", "Normal", `<w:keepNext/><w:outlineLvl w:val="3"/>`, `<w:b/><w:bCs/><w:i/><w:iCs/>`, `<w:next w:val="Normal"/>`)
	style("ListParagraph", "List Paragraph", "Normal", "", "", "")
	// The header block's lines, centred in their column.
	style("HeaderBlock", "Header Block", "", exact(layout.SizeAgency*layout.HeaderLeading, 0)+flush+`<w:jc w:val="center"/>`, sz(layout.SizeAgency), "")
	// The kind and the title: 14 pt bold, centred.
	style("Title", "Title", "", exact(layout.SizeKind*layout.TitleLeading, 0)+flush+`<w:jc w:val="center"/>`, `<w:b/><w:bCs/>`+sz(layout.SizeKind), "")
	style("AppendixHeading", "Appendix Heading", "", `<w:keepNext/>`+exact(layout.SizeHeading*layout.TitleLeading, 0)+flush+`<w:jc w:val="center"/>`,
		sz(layout.SizeHeading), "")
	// Table cells: 12 pt, lines 1.2 × the size.
	style("TableText", "Table Text", "", exact(layout.SizeTable*layout.TableLeading, 0)+flush, sz(layout.SizeTable), "")
	style("TableHeading", "Table Heading", "TableText", `<w:jc w:val="center"/>`, `<w:b/><w:bCs/>`, "")
	// "Nơi nhận" items, 11 pt; the signature block, 14 pt bold centred.
	style("Recipients", "Recipients", "", `<w:keepNext/>`+exact(layout.SizeRecipItems*1.1, 0)+flush+`<w:jc w:val="left"/>`, sz(layout.SizeRecipItems), "")
	style("Signature", "Signature", "", `<w:keepNext/>`+exact(layout.SizeSigner*layout.HeaderLeading, 0)+flush+`<w:jc w:val="center"/>`,
		`<w:b/><w:bCs/>`+sz(layout.SizeSigner), "")
	// The page header: the page number, 13 pt, centred.
	style("Header", "header", "", `<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`+flush+`<w:jc w:val="center"/>`, sz(layout.SizePageNumber), "")
	// Rules and blanks: empty paragraphs of a given height.
	style("Rule", "Rule", "", `<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>`+flush, sz(1), "")
	b.WriteString(`</w:styles>`)
	return b.String()
}
