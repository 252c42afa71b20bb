package docx

import (
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/layout"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// Word's units: twentieths of a point (twips) for lengths, half-points for
// type sizes, eighths of a point for borders.

// twips converts mm.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// ptw converts points to twips.
func ptw(pt float64) int { return int(math.Round(pt * 20)) }

// A4 in twips.
const pageW, pageH = 11906, 16838

// ruleSize is the width of drawn rules and table borders, eighths of a
// point (0.5 pt; the PDF's rules are 0.25 mm, its table lines 0.2 mm).
const ruleSize = 4

// checkEvery is how many blocks or rows are written between two looks at
// the context.
const checkEvery = 32

// margins are a page's margins in twips.
func margins(landscape bool) (top, bottom, left, right int) {
	t, b, l, r := layout.Margins(landscape)
	return twips(t), twips(b), twips(l), twips(r)
}

// textWidth is the width between the margins in twips.
func textWidth(landscape bool) int {
	_, _, l, r := margins(landscape)
	if landscape {
		return pageH - l - r
	}
	return pageW - l - r
}

// section is the open section's page setup: its orientation and the
// header of its first page (the others carry the page number).
type section struct {
	landscape bool
	first     string // the first page's header part
}

// writer builds document.xml and the header parts of one file.
type writer struct {
	ctx   context.Context
	fam   *fonts.Family
	font  string
	title string

	b     strings.Builder // the body of document.xml
	sect  *section
	parts []headerPart // header1.xml … in order of first use
	count int          // blocks and rows written, for the context's looks
	err   error        // the context's error once it ended
}

type headerPart struct {
	name, xml string
}

func (r *Renderer) newWriter(ctx context.Context, title string) *writer {
	return &writer{ctx: ctx, fam: r.fam, font: r.font, title: title}
}

// stopped reports whether the render's context has ended, looking at it
// every checkEvery calls.
func (w *writer) stopped() bool {
	if w.err != nil {
		return true
	}
	if w.count%checkEvery == 0 {
		w.err = w.ctx.Err()
	}
	w.count++
	return w.err != nil
}

// measure is the width of s in twips.
func (w *writer) measure(s string, st fonts.Style, size float64) float64 {
	return float64(w.fam.Width(s, st)) * size / 1000 * 20
}

// header returns the relationship id of a header part with the given
// paragraphs, adding the part on first use.
func (w *writer) header(paras string) string {
	for i, p := range w.parts {
		if p.xml == paras {
			return headerID(i)
		}
	}
	w.parts = append(w.parts, headerPart{name: fmt.Sprintf("header%d.xml", len(w.parts)+1), xml: paras})
	return headerID(len(w.parts) - 1)
}

func headerID(i int) string { return "rIdHeader" + strconv.Itoa(i+1) }

// pageNumberHeader is the header of a section's pages after its first: the
// page number, centred (13 pt, from the Header style).
const pageNumberHeader = `<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>`

// emptyHeader is the header of a first page without a draft mark or stamp.
const emptyHeader = `<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p>`

// startSection closes the open section and opens one from a new page.
func (w *writer) startSection(landscape bool, first string) {
	if w.sect != nil {
		w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Rule"/>`)
		w.sectPr()
		w.b.WriteString(`</w:pPr></w:p>`)
	}
	if first == "" {
		first = emptyHeader
	}
	w.sect = &section{landscape: landscape, first: first}
}

// sectPr writes the open section's properties: its headers, A4 in its
// orientation with the decree's margins, pages numbered from 1, a
// different first page.
func (w *writer) sectPr() {
	s := w.sect
	def, first := w.header(pageNumberHeader), w.header(s.first)
	top, bottom, left, right := margins(s.landscape)
	fmt.Fprintf(&w.b, `<w:sectPr><w:headerReference w:type="default" r:id="%s"/><w:headerReference w:type="first" r:id="%s"/>`, def, first)
	if s.landscape {
		fmt.Fprintf(&w.b, `<w:pgSz w:w="%d" w:h="%d" w:orient="landscape"/>`, pageH, pageW)
	} else {
		fmt.Fprintf(&w.b, `<w:pgSz w:w="%d" w:h="%d"/>`, pageW, pageH)
	}
	fmt.Fprintf(&w.b, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		top, right, bottom, left, twips(layout.PageNumberY), twips(layout.PageNumberY))
	w.b.WriteString(`<w:pgNumType w:start="1"/><w:titlePg/></w:sectPr>`)
}

// para is one paragraph's properties; zero values leave the style's.
type para struct {
	style               string
	keepNext, keepLines bool
	box                 bool // a frame round the text (the draft mark)
	bottomRule          bool // a rule along the paragraph's foot
	before, after       int  // twips; -1: 0 explicitly
	line                int  // exact line height, twips
	left, right         int  // indents, twips
	first               int  // first-line indent, twips; -1: none
	hanging             int  // hanging indent of the first line, twips
	jc                  string
	size                float64 // pt, every run's
	tab                 int     // a left tab stop, twips from the margin
	// fits says whether a run of glued words fits on one line (nil: any
	// does); one that does not is left free to break, as the PDF
	// typesetter sets it (a narrow table column).
	fits func(string) bool
}

// run is text in one style, or a line break.
type run struct {
	text         string
	bold, italic bool
	br           bool
}

// runsOf turns rich text runs into runs, the marker first.
func runsOf(b richtext.Block, bold, italic bool) []run {
	var out []run
	if b.Marker != "" {
		out = append(out, run{text: b.Marker, bold: bold, italic: italic})
	}
	for _, r := range b.Runs {
		out = append(out, run{text: r.Text, bold: bold || r.Bold, italic: italic || r.Italic, br: r.Break})
	}
	return out
}

func plain(s string, bold, italic bool) []run { return []run{{text: s, bold: bold, italic: italic}} }

// lines are runs of several lines, broken where given.
func lines(ls []string, bold, italic bool) []run {
	var out []run
	for i, l := range ls {
		if i > 0 {
			out = append(out, run{br: true})
		}
		out = append(out, run{text: l, bold: bold, italic: italic})
	}
	return out
}

// p writes a paragraph.
func (w *writer) p(p para, runs []run) { writePara(&w.b, p, runs) }

func writePara(b *strings.Builder, p para, runs []run) {
	b.WriteString("<w:p><w:pPr>")
	if p.style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, p.style)
	}
	if p.keepNext {
		b.WriteString("<w:keepNext/>")
	}
	if p.keepLines {
		b.WriteString("<w:keepLines/>")
	}
	switch {
	case p.box:
		fmt.Fprintf(b, `<w:pBdr><w:top w:val="single" w:sz="%d" w:space="1" w:color="000000"/><w:left w:val="single" w:sz="%[1]d" w:space="4" w:color="000000"/><w:bottom w:val="single" w:sz="%[1]d" w:space="1" w:color="000000"/><w:right w:val="single" w:sz="%[1]d" w:space="4" w:color="000000"/></w:pBdr>`, ruleSize+2)
	case p.bottomRule:
		fmt.Fprintf(b, `<w:pBdr><w:bottom w:val="single" w:sz="%d" w:space="0" w:color="000000"/></w:pBdr>`, ruleSize+2)
	}
	if p.tab > 0 {
		fmt.Fprintf(b, `<w:tabs><w:tab w:val="left" w:pos="%d"/></w:tabs>`, p.tab)
	}
	if p.before != 0 || p.after != 0 || p.line != 0 {
		b.WriteString("<w:spacing")
		if p.before != 0 {
			fmt.Fprintf(b, ` w:before="%d"`, max(p.before, 0))
		}
		if p.after != 0 {
			fmt.Fprintf(b, ` w:after="%d"`, max(p.after, 0))
		}
		if p.line != 0 {
			fmt.Fprintf(b, ` w:line="%d" w:lineRule="exact"`, p.line)
		}
		b.WriteString("/>")
	}
	if p.left != 0 || p.right != 0 || p.first != 0 || p.hanging != 0 {
		b.WriteString("<w:ind")
		if p.left != 0 {
			fmt.Fprintf(b, ` w:left="%d"`, p.left)
		}
		if p.right != 0 {
			fmt.Fprintf(b, ` w:right="%d"`, p.right)
		}
		switch {
		case p.hanging > 0:
			fmt.Fprintf(b, ` w:hanging="%d"`, p.hanging)
		case p.first > 0:
			fmt.Fprintf(b, ` w:firstLine="%d"`, p.first)
		case p.first < 0:
			b.WriteString(` w:firstLine="0"`)
		}
		b.WriteString("/>")
	}
	if p.jc != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.jc)
	}
	if p.size > 0 {
		fmt.Fprintf(b, `<w:rPr>%s</w:rPr>`, sizeXML(p.size))
	}
	b.WriteString("</w:pPr>")
	for _, r := range glued(runs, p.fits) {
		writeRun(b, r, p.size)
	}
	b.WriteString("</w:p>")
}

func sizeXML(pt float64) string {
	hp := int(math.Round(pt * 2))
	return fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%[1]d"/>`, hp)
}

func writeRun(b *strings.Builder, r run, size float64) {
	if !r.br && r.text == "" {
		return
	}
	b.WriteString("<w:r>")
	if r.bold || r.italic || size > 0 {
		b.WriteString("<w:rPr>")
		if r.bold {
			b.WriteString("<w:b/><w:bCs/>")
		}
		if r.italic {
			b.WriteString("<w:i/><w:iCs/>")
		}
		if size > 0 {
			b.WriteString(sizeXML(size))
		}
		b.WriteString("</w:rPr>")
	}
	if r.br {
		b.WriteString("<w:br/></w:r>")
		return
	}
	// A tab character is a tab; every other text goes in w:t.
	for i, part := range strings.Split(r.text, "\t") {
		if i > 0 {
			b.WriteString("<w:tab/>")
		}
		if part == "" {
			continue
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		xml.EscapeText(b, []byte(part)) //nolint:errcheck // a strings.Builder does not fail
		b.WriteString("</w:t>")
	}
	b.WriteString("</w:r>")
}

// rule writes a rule of width twips centred between left and right
// indents: an empty paragraph of height h twips with a border at its foot,
// and after twips below it.
func (w *writer) rule(b *strings.Builder, avail, left, width, h, after int) {
	width = min(width, avail)
	l := left + (avail-width)/2
	writePara(b, para{style: "Rule", bottomRule: true, line: h, left: l, right: avail - width - (l - left), after: after}, nil)
}

// blocks writes rich text as paragraphs of the body: a heading bold (a
// centred one for "QUYẾT ĐỊNH:" and the like), kept with what follows;
// list items with their marker, deeper levels further in.
func (w *writer) blocks(blocks []richtext.Block, keepLast bool) {
	for i, b := range blocks {
		if w.stopped() {
			return
		}
		p := para{}
		bold, italic := false, false
		switch b.Kind {
		case richtext.Heading:
			bold = true
			p.style = "Heading3"
			switch {
			case b.Level == 2:
				p.style = "Heading2"
			case b.Level >= 4:
				p.style, italic = "Heading4", true
			}
			if layout.CentredHeading(b.Level, b.Text()) {
				p.jc, p.first = "center", -1
			}
		case richtext.ListItem:
			p.style = "ListParagraph"
			if b.Level > 1 {
				p.first = twips(layout.BodyIndent + layout.ListLevelIndent*float64(b.Level-1))
			}
		}
		if keepLast && i == len(blocks)-1 {
			p.keepNext = true
		}
		w.p(p, runsOf(b, bold, italic))
	}
}

// document writes one document from a new page: header, kind and title,
// legal bases, addressees, body, "Nơi nhận" and the signature.
func (w *writer) document(d *doc.Document) {
	first := ""
	if d.Draft {
		first = w.draftMark()
	}
	w.startSection(false, first)
	w.headerBlock(d)
	if d.IsLetter() {
		// A công văn has no kind name nor centred title: its summary is
		// the "V/v …" line of the header; the body starts under it.
		w.p(para{style: "Rule", line: twips(layout.HeaderAfter)}, nil)
	} else {
		w.titleBlock(d)
	}
	tw := textWidth(false)
	if d.Authority != "" {
		w.p(para{style: "Title", after: ptw(2 * layout.ParaSpacing), line: ptw(layout.SizeBody * layout.BodyLeading)}, plain(d.Authority, true, false))
	}
	for i, l := range d.LegalBases {
		p := para{}
		if i == len(d.LegalBases)-1 {
			p.after = ptw(2 * layout.ParaSpacing)
		}
		w.p(p, plain(l, false, true))
	}
	w.addressees(d, tw)
	closing := len(d.Recipients) > 0 || d.Archive != "" || d.Signature != nil
	w.blocks(richtext.Parse(d.Body), closing)
	if closing {
		w.closing(d, tw)
	}
}

// draftMark is the header of a draft's first page: "DỰ THẢO" bold in a
// frame at the right.
func (w *writer) draftMark() string {
	tw := textWidth(false)
	width := int(w.measure(layout.DraftMark, fonts.Bold, layout.SizeKind)) + twips(layout.DraftMarkSpace)
	var b strings.Builder
	writePara(&b, para{style: "Header", box: true, jc: "center", left: tw - width, size: layout.SizeKind}, plain(layout.DraftMark, true, false))
	return b.String()
}

// cell writes a table cell of width twips holding the paragraphs body
// writes.
func (w *writer) cell(width int, vcenter bool, body func(b *strings.Builder)) {
	fmt.Fprintf(&w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
	if vcenter {
		w.b.WriteString(`<w:vAlign w:val="center"/>`)
	}
	w.b.WriteString("</w:tcPr>")
	n := w.b.Len()
	body(&w.b)
	if w.b.Len() == n {
		w.b.WriteString("<w:p/>") // a cell holds a paragraph at least
	}
	w.b.WriteString("</w:tc>")
}

// layoutTable opens a borderless table of fixed columns, without cell
// margins: the header block and the closing.
func (w *writer) layoutTable(cols ...int) {
	sum := 0
	for _, c := range cols {
		sum += c
	}
	fmt.Fprintf(&w.b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>`, sum)
	w.b.WriteString(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	w.b.WriteString(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, c)
	}
	w.b.WriteString("</w:tblGrid>")
}

// headerColumns are the header block's columns in twips: the agency
// column, the gap, the national column (Mẫu 1.4's places, layout.Columns).
func headerColumns(tw int) (lw, gap, rw int) {
	_, l, rx, r := layout.Columns(float64(tw))
	lw, rw = int(math.Round(l)), int(math.Round(r))
	return lw, int(math.Round(rx)) - lw, tw - int(math.Round(rx))
}

// headerBlock writes the header of a first page as a borderless table, as
// the decree's templates do: the agencies and the number on the left, the
// Quốc hiệu, the Tiêu ngữ and the place and date on the right.
func (w *writer) headerBlock(d *doc.Document) {
	tw := textWidth(false)
	lw, gap, rw := headerColumns(tw)
	parent, issuing := d.Agency.HeaderLines()
	agencyLine := ptw(layout.SizeAgency * layout.HeaderLeading)
	w.layoutTable(lw, gap, rw)
	w.b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
	w.cell(lw, false, func(b *strings.Builder) {
		var ls []string
		for _, l := range parent {
			ls = append(ls, w.balance(l, fonts.Regular, layout.SizeAgency, lw)...)
		}
		if len(ls) > 0 {
			writePara(b, para{style: "HeaderBlock", line: agencyLine}, lines(ls, false, false))
		}
		ls, widest := nil, 0.0
		for _, l := range issuing {
			for _, part := range w.balance(l, fonts.Bold, layout.SizeAgency, lw) {
				ls = append(ls, part)
				widest = max(widest, w.measure(part, fonts.Bold, layout.SizeAgency))
			}
		}
		writePara(b, para{style: "HeaderBlock", line: agencyLine}, lines(ls, true, false))
		// The rule, a third of the widest line, 0.8 mm under it.
		w.rule(b, lw, 0, int(math.Round(layout.AgencyRule(widest))), twips(layout.AgencyRuleGap), 0)
	})
	w.cell(gap, false, func(*strings.Builder) {})
	w.cell(rw, false, func(b *strings.Builder) {
		writePara(b, para{style: "HeaderBlock", line: ptw(layout.SizeNational * layout.HeaderLeading), size: layout.SizeNational},
			plain(layout.National, true, false))
		writePara(b, para{style: "HeaderBlock", line: ptw(layout.SizeMotto * layout.HeaderLeading), size: layout.SizeMotto},
			plain(layout.Motto, true, false))
		// The rule as long as the line, clear of the descenders (about 10
		// pt under the baseline, as on Mẫu 1.4).
		w.rule(b, rw, 0, int(math.Round(w.measure(layout.Motto, fonts.Bold, layout.SizeMotto))), twips(layout.MottoRuleGap), 0)
	})
	w.b.WriteString("</w:tr>")
	if d.PromulgatedBy == nil {
		w.b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
		before := twips(layout.NumberLineGap)
		w.cell(lw, false, func(b *strings.Builder) {
			writePara(b, para{style: "HeaderBlock", before: before, line: ptw(layout.SizeDate * layout.HeaderLeading), size: layout.SizeNumber},
				plain(d.NumberLine(), false, false))
		})
		w.cell(gap, false, func(*strings.Builder) {})
		w.cell(rw, false, func(b *strings.Builder) {
			writePara(b, para{style: "HeaderBlock", before: before, line: ptw(layout.SizeDate * layout.HeaderLeading), size: layout.SizeDate},
				plain(d.DateLine(), false, true))
		})
		w.b.WriteString("</w:tr>")
	}
	// A công văn's summary, "V/v …", upright, centred under the number
	// (Mẫu 1.1): a row of its own, so that it reads after the date.
	if v := d.SubjectLine(); v != "" {
		w.b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
		w.cell(lw, false, func(b *strings.Builder) {
			writePara(b, para{style: "HeaderBlock", before: twips(layout.SubjectGap), line: ptw(layout.SizeSubject * layout.HeaderLeading),
				size: layout.SizeSubject}, lines(w.balance(v, fonts.Regular, layout.SizeSubject, lw), false, false))
		})
		w.cell(gap, false, func(*strings.Builder) {})
		w.cell(rw, false, func(*strings.Builder) {})
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
}

// balance breaks a line into balanced lines that fit width twips.
func (w *writer) balance(s string, st fonts.Style, size float64, width int) []string {
	return layout.Balance(s, float64(width), func(s string) float64 { return w.measure(s, st, size) })
}

// balanceCentred breaks a centred line (a title) into balanced lines that
// fit width twips, as the PDF typesetter does: never inside a phrase, a
// name, a date or around a dash between words (layout.Phrases, Glue).
func (w *writer) balanceCentred(s string, st fonts.Style, size float64, width int) []string {
	words := strings.Fields(s)
	glue := make([]bool, len(words))
	mark := func(i int) { glue[i] = true }
	isWord := func(int) bool { return true }
	text := func(i int) string { return words[i] }
	layout.Glue(len(words), isWord, text, mark)
	layout.Phrases(len(words), isWord, text, mark)
	var units []string
	for i, word := range words {
		if i > 0 && glue[i] {
			units[len(units)-1] += " " + word
			continue
		}
		units = append(units, word)
	}
	return layout.BalanceWords(units, float64(width), func(s string) float64 { return w.measure(s, st, size) })
}

// titleBlock writes the kind, the title (trích yếu) in balanced lines and
// the rule under them, a third of the longest line.
func (w *writer) titleBlock(d *doc.Document) {
	tw := textWidth(false)
	line := ptw(layout.SizeKind * layout.TitleLeading)
	w.p(para{style: "Title", keepNext: true, before: twips(layout.HeaderAfter), line: line}, plain(vn.Upper(d.KindName()), true, false))
	width := int(float64(tw) * layout.TitleWidth)
	side := (tw - width) / 2
	title := w.balanceCentred(d.Title, fonts.Bold, layout.SizeKind, width)
	widest := 0.0
	for _, l := range title {
		widest = max(widest, w.measure(l, fonts.Bold, layout.SizeKind))
	}
	w.p(para{style: "Title", keepNext: true, line: line, left: side, right: side}, lines(title, true, false))
	if p := d.PromulgationLine(); p != "" {
		// Italic, not bold ("Title" is bold).
		w.p(para{style: "HeaderBlock", size: layout.SizeKind, keepNext: true, line: line, left: side, right: side},
			lines(w.balanceCentred(p, fonts.Italic, layout.SizeKind, width), false, true))
	}
	w.rule(&w.b, tw, 0, twips(layout.TitleRule(widest*25.4/1440)), twips(layout.TitleRuleGap), twips(layout.TitleAfter))
}

// addressees writes "Kính gửi: …" centred under the title, or, for
// several, "Kính gửi:" with one addressee a line from the middle of the
// text width (Mẫu 1.5).
func (w *writer) addressees(d *doc.Document, tw int) {
	ls := d.AddresseeLines()
	switch len(ls) {
	case 0:
		return
	case 1:
		w.p(para{style: "HeaderBlock", size: layout.SizeBody, after: ptw(2 * layout.ParaSpacing), line: ptw(layout.SizeBody * layout.BodyLeading)},
			plain(ls[0], false, false))
		return
	}
	x := int(float64(tw) * layout.AddresseesAt)
	at := x + int(w.measure(ls[0], fonts.Regular, layout.SizeBody)) + twips(layout.AddresseeGap)
	line := ptw(layout.SizeBody * layout.BodyLeading)
	for i, l := range ls[1:] {
		p := para{style: "HeaderBlock", size: layout.SizeBody, left: at, line: line, jc: "left"}
		if i == 0 {
			// "Kính gửi:" hangs to the left of the first addressee.
			p.hanging, p.tab = at-x, at
			l = ls[0] + "\t" + l
		}
		if i == len(ls)-2 {
			p.after = ptw(2 * layout.ParaSpacing)
		}
		w.p(p, plain(l, false, false))
	}
}

// closing writes "Nơi nhận" on the left beside the signature on the
// right, their first lines level, kept on one page, after a blank.
func (w *writer) closing(d *doc.Document, tw int) {
	// The blank above: the last paragraph's spacing after, and this.
	w.p(para{style: "Rule", keepNext: true, line: ptw(layout.ClosingSpace - layout.ParaSpacing)}, nil)
	lw := int(math.Round(float64(tw) * layout.RecipientsShare))
	_, _, rw := headerColumns(tw)
	w.layoutTable(lw, tw-lw-rw, rw)
	w.b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
	w.cell(lw, false, func(b *strings.Builder) {
		if len(d.Recipients) == 0 && d.Archive == "" {
			return
		}
		writePara(b, para{style: "Recipients", line: ptw(layout.SizeRecipients * layout.HeaderLeading), size: layout.SizeRecipients},
			plain(layout.RecipientsLabel, true, true))
		for _, r := range d.RecipientLines() {
			writePara(b, para{style: "Recipients"}, plain(r, false, false))
		}
	})
	w.cell(tw-lw-rw, false, func(*strings.Builder) {})
	w.cell(rw, false, func(b *strings.Builder) {
		s := d.Signature
		if s == nil {
			return
		}
		for _, a := range s.Authority {
			writePara(b, para{style: "Signature"}, plain(a, true, false))
		}
		writePara(b, para{style: "Signature", before: twips(layout.SignSpace)}, plain(s.Signer, true, false))
	})
	w.b.WriteString("</w:tr></w:tbl>")
}

// appendix writes one appendix from a new page: its title block and its
// table, the header row repeated on every page, rows free to split.
func (w *writer) appendix(t *table.Table) {
	first := ""
	if t.Stamp != "" {
		var b strings.Builder
		writePara(&b, para{style: "Header", jc: "right", size: layout.SizeStamp}, plain(t.Stamp, false, false))
		first = b.String()
	}
	w.startSection(t.Landscape, first)
	tw := textWidth(t.Landscape)
	width := int(float64(tw) * layout.AppendixHeadWide)
	side := (tw - width) / 2
	line := ptw(layout.SizeHeading * layout.TitleLeading)
	head := para{style: "AppendixHeading", keepNext: true, line: line, left: side, right: side}
	w.p(head, lines(w.balanceCentred(t.Heading, fonts.Bold, layout.SizeHeading, width), true, false))
	last := w.balanceCentred(vn.Upper(t.Title), fonts.Bold, layout.SizeHeading, width)
	lastStyle := fonts.Bold
	w.p(head, lines(last, true, false))
	if t.Attached != "" {
		last = w.balanceCentred(t.Attached, fonts.Italic, layout.SizeHeading, width)
		lastStyle = fonts.Italic
		w.p(head, lines(last, false, true))
	}
	natural := w.measure(last[len(last)-1], lastStyle, layout.SizeHeading)
	w.rule(&w.b, tw, 0, twips(layout.TitleRule(natural*25.4/1440)), twips(layout.TitleRuleGap), twips(layout.AppendixAfter))
	w.table(t, tw)
}

// table writes an appendix table.
func (w *writer) table(t *table.Table, tw int) {
	rel := t.Widths(float64(tw))
	widths := make([]int, len(rel))
	sum := 0
	for i, x := range rel {
		widths[i] = int(math.Round(x))
		sum += widths[i]
	}
	if len(widths) > 0 {
		widths[len(widths)-1] += tw - sum
	}
	padH, padV := twips(layout.CellPadH), twips(layout.CellPadV)
	fmt.Fprintf(&w.b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>`, tw)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&w.b, `<w:%s w:val="single" w:sz="%d" w:space="0" w:color="000000"/>`, side, ruleSize)
	}
	fmt.Fprintf(&w.b, `</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="%d" w:type="dxa"/><w:left w:w="%d" w:type="dxa"/><w:bottom w:w="%[1]d" w:type="dxa"/><w:right w:w="%[2]d" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`, padV, padH)
	for _, c := range widths {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, c)
	}
	w.b.WriteString("</w:tblGrid>")
	// The header row, repeated on every page, never split.
	w.b.WriteString("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
	for i, c := range t.Columns {
		w.cell(widths[i], true, func(b *strings.Builder) {
			writePara(b, para{style: "TableHeading"}, plain(c.Label, true, false))
		})
	}
	w.b.WriteString("</w:tr>")
	gap := twips(layout.CellParaGap)
	for _, row := range t.Rows {
		if w.stopped() {
			return
		}
		w.b.WriteString("<w:tr>")
		for i, c := range row {
			align := t.Columns[i].Align
			w.cell(widths[i], false, func(b *strings.Builder) {
				room := float64(widths[i] - 2*padH)
				fits := func(s string) bool { return w.measure(s, fonts.Regular, layout.SizeTable) <= room }
				for k, blk := range c.Blocks {
					p := para{style: "TableText", jc: cellAlign(align, blk), fits: fits}
					if k < len(c.Blocks)-1 {
						p.after = gap
					}
					bold, italic := blk.Kind == richtext.Heading, blk.Kind == richtext.Heading && blk.Level >= 4
					writePara(b, p, runsOf(blk, bold, italic))
				}
			})
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
}

// cellAlign is a cell paragraph's alignment: the column's, list items
// flush left but in a justified column (as the PDF's cells).
func cellAlign(a table.Align, b richtext.Block) string {
	switch {
	case a == table.Justify:
		return "both"
	case b.Kind == richtext.ListItem:
		return "left"
	case a == table.Center:
		return "center"
	}
	return "left"
}

// glued returns runs with the spaces a line may not break at (between
// glued words, layout.Glue: around a dash between words, inside a date in
// words) made no-break spaces, so that Word breaks lines where the PDF
// renderer may; a run of glued words that fits (when given) says is wider
// than a line keeps its spaces, as the PDF typesetter sets it word by
// word.
func glued(runs []run, fits func(string) bool) []run {
	// The paragraph's text, a forced break as "\n", and its words.
	var all strings.Builder
	for _, r := range runs {
		if r.br {
			all.WriteByte('\n')
		} else {
			all.WriteString(r.text)
		}
	}
	text := all.String()
	if !strings.ContainsAny(text, "-–—") && !strings.Contains(strings.ToLower(text), "ngày") {
		return runs // nothing to glue: the common case
	}
	type word struct {
		start, end int // bytes of text; a break has start == end
		brk        bool
	}
	var ws []word
	for i := 0; i < len(text); {
		switch text[i] {
		case ' ':
			i++
		case '\n':
			ws = append(ws, word{start: i, end: i, brk: true})
			i++
		default:
			j := i
			for j < len(text) && text[j] != ' ' && text[j] != '\n' {
				j++
			}
			ws = append(ws, word{start: i, end: j})
			i = j
		}
	}
	nb := map[int]bool{} // offsets of the spaces to make no-break
	glue := make([]bool, len(ws))
	layout.Glue(len(ws), func(i int) bool { return !ws[i].brk }, func(i int) string { return text[ws[i].start:ws[i].end] },
		func(i int) {
			// One space only: the blanks of a draft's date ("ngày      tháng")
			// stay spaces (Writer draws a run of no-break spaces wider).
			if i > 0 && !ws[i-1].brk && ws[i].start-ws[i-1].end == 1 {
				glue[i] = true
			}
		})
	for i := 0; i < len(ws); {
		j := i + 1 // ws[i:j] is a run of glued words
		for j < len(ws) && glue[j] {
			j++
		}
		if j-i > 1 && (fits == nil || fits(text[ws[i].start:ws[j-1].end])) {
			for k := i + 1; k < j; k++ {
				nb[ws[k-1].end] = true
			}
		}
		i = j
	}
	if len(nb) == 0 {
		return runs
	}
	out := make([]run, len(runs))
	at := 0
	for i, r := range runs {
		out[i] = r
		if r.br {
			at++
			continue
		}
		var s strings.Builder
		for k := 0; k < len(r.text); k++ {
			if r.text[k] == ' ' && nb[at+k] {
				s.WriteString("\u00a0")
			} else {
				s.WriteByte(r.text[k])
			}
		}
		out[i].text = s.String()
		at += len(r.text)
	}
	return out
}
