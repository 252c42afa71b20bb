package pdf

import (
	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/layout"
	"baocao/reports/richtext"
	"baocao/reports/vn"
)

// Sizes in points and spacing, within Decree 30's ranges: the choices all
// renderers share (reports/layout, README: "Layout choices").
const (
	sizeAgency     = layout.SizeAgency
	sizeNational   = layout.SizeNational
	sizeMotto      = layout.SizeMotto
	sizeNumber     = layout.SizeNumber
	sizeDate       = layout.SizeDate
	sizeKind       = layout.SizeKind
	sizeBody       = layout.SizeBody
	sizeRecipients = layout.SizeRecipients
	sizeRecipItems = layout.SizeRecipItems
	sizeSigner     = layout.SizeSigner
	sizeStamp      = layout.SizeStamp
	sizeSubject    = layout.SizeSubject

	bodyIndent  = layout.BodyIndent
	paraSpacing = layout.ParaSpacing * ptToMM
	// closingSpace is the blank above "Nơi nhận" and the signature.
	closingSpace = layout.ClosingSpace * ptToMM
	bodyLeading  = layout.BodyLeading
)

var bodyStyle = pstyle{size: sizeBody, leading: bodyLeading, indent: bodyIndent, align: alignJustify, after: paraSpacing}

// columns returns the left (agency) and right (national) header columns
// as x and width.
func (w *writer) columns() (lx, lw, rx, rw float64) {
	lx, lw, rx, rw = layout.Columns(w.textWidth())
	return w.left + lx, lw, w.left + rx, rw
}

// document lays out one document from a new page: header, kind and title,
// legal bases, body, recipients and signature.
func (w *writer) document(d *doc.Document) {
	w.newPage(false, true)
	if d.Draft {
		w.draftMark()
	}
	w.header(d)
	if !d.IsLetter() { // a công văn has no kind name: its summary is in the header
		w.titleBlock(d)
	}
	if d.Authority != "" {
		w.flow([]richtext.Block{{Kind: richtext.Paragraph, Runs: []richtext.Run{{Text: d.Authority, Bold: true}}}},
			pstyle{size: sizeBody, leading: bodyLeading, align: alignCenter, after: paraSpacing}, 0)
		w.y += paraSpacing
	}
	if len(d.LegalBases) > 0 {
		var blocks []richtext.Block
		for _, l := range d.LegalBases {
			blocks = append(blocks, richtext.Block{Kind: richtext.Paragraph, Runs: []richtext.Run{{Text: l, Italic: true}}})
		}
		w.flow(blocks, bodyStyle, 0)
		w.y += paraSpacing
	}
	w.addressees(d)
	cl := w.closingLines(d)
	w.flow(richtext.Parse(d.Body), bodyStyle, cl.height())
	w.closing(cl)
}

// addressees prints "Kính gửi: …" centred under the title; several
// addressees go one per line under "Kính gửi:", from the middle of the
// text width (as on a công văn, Decree 30 App. I, Mẫu 1.5).
func (w *writer) addressees(d *doc.Document) {
	lines := d.AddresseeLines()
	if len(lines) == 0 {
		return
	}
	st := pstyle{size: sizeBody, leading: bodyLeading, align: alignCenter}
	if len(lines) == 1 {
		w.flow([]richtext.Block{{Kind: richtext.Paragraph, Runs: []richtext.Run{{Text: lines[0]}}}}, st, 0)
	} else {
		tw := w.textWidth()
		label := w.measure(lines[0], fonts.Regular, sizeBody)
		x := w.left + tw*layout.AddresseesAt
		w.text(lines[0], fonts.Regular, sizeBody, x, w.y+baselineOffset(sizeBody))
		for _, l := range lines[1:] {
			w.text(l, fonts.Regular, sizeBody, x+label+layout.AddresseeGap, w.y+baselineOffset(sizeBody))
			w.y += sizeBody * bodyLeading * ptToMM
		}
	}
	w.y += paraSpacing * 2
}

// draftMark prints "DỰ THẢO" bold in a frame in the top margin of the
// first page, at the right.
func (w *writer) draftMark() {
	const text = layout.DraftMark
	tw := w.measure(text, fonts.Bold, sizeKind)
	h := sizeKind * ptToMM * 1.5
	x := w.left + w.textWidth() - tw - layout.DraftMarkSpace
	w.f.SetLineWidth(0.3)
	w.f.Rect(x, 6, tw+layout.DraftMarkSpace, h, "D")
	w.text(text, fonts.Bold, sizeKind, x+2, 6+(h-sizeKind*ptToMM)/2+baselineOffset(sizeKind))
}

// header draws the two-column header of the first page.
func (w *writer) header(d *doc.Document) {
	lx, lw, rx, rw := w.columns()
	parent, issuing := d.Agency.HeaderLines()
	lineH := sizeAgency * 1.15 * ptToMM

	// Left: parent agency upright, issuing agency bold, a short rule.
	y := w.y
	for _, l := range parent {
		for _, part := range w.wrapPlain(l, fonts.Regular, sizeAgency, lw) {
			w.centred(part, fonts.Regular, sizeAgency, lx, lw, y)
			y += lineH
		}
	}
	widest := 0.0
	for _, l := range issuing {
		for _, part := range w.wrapPlain(l, fonts.Bold, sizeAgency, lw) {
			widest = max(widest, w.centred(part, fonts.Bold, sizeAgency, lx, lw, y))
			y += lineH
		}
	}
	ruleW := layout.AgencyRule(widest)
	y += layout.AgencyRuleGap
	w.rule(lx+(lw-ruleW)/2, lx+(lw+ruleW)/2, y)
	leftBottom := y

	// Right: Quốc hiệu, Tiêu ngữ with a rule as long as the line.
	ry := w.y
	w.centred(layout.National, fonts.Bold, sizeNational, rx, rw, ry)
	ry += sizeNational * 1.15 * ptToMM
	mw := w.centred(layout.Motto, fonts.Bold, sizeMotto, rx, rw, ry)
	// The rule sits clear of the descenders, about 10 pt under the
	// baseline as on Mẫu 1.4 (11 pt there).
	ry += sizeMotto*1.15*ptToMM + layout.MottoRuleGap
	w.rule(rx+(rw-mw)/2, rx+(rw+mw)/2, ry)

	// Number on the left and place-and-date on the right, on one line.
	y = max(leftBottom, ry) + layout.NumberLineGap
	if d.PromulgatedBy == nil {
		w.centred(d.NumberLine(), fonts.Regular, sizeNumber, lx, lw, y)
		w.centred(d.DateLine(), fonts.Italic, sizeDate, rx, rw, y)
		y += sizeDate * 1.15 * ptToMM
	}
	// A công văn's summary, "V/v …", upright, centred under the number
	// (Mẫu 1.1).
	if v := d.SubjectLine(); v != "" {
		y += layout.SubjectGap
		for _, part := range w.wrapPlain(v, fonts.Regular, sizeSubject, lw) {
			w.centred(part, fonts.Regular, sizeSubject, lx, lw, y)
			y += sizeSubject * 1.15 * ptToMM
		}
	}
	w.y = y + layout.HeaderAfter
}

// titleBlock draws the kind, the summary and the rule under them.
func (w *writer) titleBlock(d *doc.Document) {
	tw := w.textWidth()
	w.centred(vn.Upper(d.KindName()), fonts.Bold, sizeKind, w.left, tw, w.y)
	w.y += sizeKind * 1.2 * ptToMM
	lines := w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: d.Title, Bold: true}}}}, tw*layout.TitleWidth,
		pstyle{size: sizeKind, leading: 1.2, align: alignCenter})
	w.y = w.drawLines(lines, w.left+tw*(1-layout.TitleWidth)/2, w.y)
	widest := 0.0
	for _, l := range lines {
		widest = max(widest, l.natural)
	}
	if p := d.PromulgationLine(); p != "" {
		pl := w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: p, Italic: true}}}}, tw*layout.TitleWidth,
			pstyle{size: sizeKind, leading: 1.2, align: alignCenter})
		w.y = w.drawLines(pl, w.left+tw*(1-layout.TitleWidth)/2, w.y)
	}
	ruleW := layout.TitleRule(widest)
	w.y += layout.TitleRuleGap
	w.rule(w.left+(tw-ruleW)/2, w.left+(tw+ruleW)/2, w.y)
	w.y += layout.TitleAfter
}

// flow sets blocks across the full text width, breaking pages between
// lines: a heading stays on a page with the start of the block after it,
// a paragraph leaves neither its first line alone at the foot of a page
// nor its last line alone at the top of the next (a paragraph of three
// lines or fewer is not split), and tail mm (the closing, which cannot
// be split) stay on a page with the last two lines.
func (w *writer) flow(blocks []richtext.Block, st pstyle, tail float64) {
	lines := w.typeset(blocks, w.textWidth(), st)
	w.stop()
	if len(lines) == 0 {
		return
	}
	// The blocks: lines[starts[k]:starts[k+1]].
	starts := []int{0}
	for i := 1; i < len(lines); i++ {
		if lines[i].first {
			starts = append(starts, i)
		}
	}
	starts = append(starts, len(lines))
	nb := len(starts) - 1
	span := func(a, b int) float64 { return height(lines[a:b]) - lines[a].before }
	// need[k]: the height block k needs on the page it starts on (without
	// the space above it).
	need := make([]float64, nb)
	for k := nb - 1; k >= 0; k-- {
		a, b := starts[k], starts[k+1]
		n := b - a
		switch {
		case lines[a].keep && k+1 < nb:
			need[k] = span(a, b) + lines[b].before + need[k+1]
		case lines[a].keep || n <= 3 && k == nb-1:
			need[k] = span(a, b) + tail
		case n <= 3:
			need[k] = span(a, b)
		default:
			need[k] = span(a, a+2)
		}
	}
	drawn := 0
	draw := func(a, b int) {
		for i := a; i < b; i++ {
			if drawn%checkEvery == 0 {
				w.stop()
			}
			drawn++
			l := lines[i]
			if w.y <= w.top+1e-6 {
				l.before = 0
			}
			w.y += l.before
			w.drawLine(l, w.left, w.y)
			w.y += l.h
		}
	}
	atTop := func() bool { return w.y <= w.top+1e-6 }
	for k := 0; k < nb; k++ {
		a, b := starts[k], starts[k+1]
		if !atTop() && w.y+lines[a].before+need[k] > w.limit()+1e-6 {
			w.newPage(w.landscape, false)
		}
		if lines[a].keep {
			draw(a, b)
			continue
		}
		last := k == nb-1
		for i := a; i < b; {
			// fit: the lines from i that fit on this page.
			room, fit := w.limit()-w.y, 0
			for j := i; j < b; j++ {
				h := lines[j].h
				if j == i && !atTop() {
					h += lines[j].before
				}
				if h > room+1e-6 {
					break
				}
				room -= h
				fit++
			}
			rem := b - i
			if fit == rem && (!last || tail <= room+1e-6) {
				draw(i, b)
				break
			}
			// Two lines at least at the foot and at the head of a page.
			take := min(fit, rem-2)
			if take < 2 {
				take = 0 // the rest of the block starts the next page
			}
			if take == 0 && atTop() {
				take = min(max(fit, 1), rem) // a page holds too little: never stop
			}
			draw(i, i+take)
			i += take
			if i < b {
				w.newPage(w.landscape, false)
			}
		}
	}
}

// closingBlock is "Nơi nhận" on the left and the signature on the right.
type closingBlock struct {
	left, right []tline
	// signer is the index in right of the signer's name, whose space
	// above is the room for the signature; -1 without a signature block.
	signer int
}

// height is the closing's height with the blank above it; 0 for none.
func (c *closingBlock) height() float64 {
	if c == nil {
		return 0
	}
	return closingSpace + max(height(c.left), height(c.right))
}

// closingLines sets "Nơi nhận" and the signature; nil if the document has
// neither.
func (w *writer) closingLines(d *doc.Document) *closingBlock {
	if len(d.Recipients) == 0 && d.Archive == "" && d.Signature == nil {
		return nil
	}
	tw := w.textWidth()
	lw := tw * layout.RecipientsShare
	_, _, _, rw := w.columns()

	var left []tline
	if len(d.Recipients) > 0 || d.Archive != "" {
		left = w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: layout.RecipientsLabel, Bold: true, Italic: true}}}}, lw,
			pstyle{size: sizeRecipients, leading: 1.15, align: alignLeft})
		var items []richtext.Block
		for _, r := range d.RecipientLines() {
			items = append(items, richtext.Block{Runs: []richtext.Run{{Text: r}}})
		}
		left = append(left, w.typeset(items, lw, pstyle{size: sizeRecipItems, leading: 1.1, align: alignLeft})...)
	}
	var right []tline
	signer := -1
	signSpace := layout.SignSpace // room for the signature and seal
	if s := d.Signature; s != nil {
		var blocks []richtext.Block
		for _, a := range s.Authority {
			blocks = append(blocks, richtext.Block{Runs: []richtext.Run{{Text: a, Bold: true}}})
		}
		right = w.typeset(blocks, rw, pstyle{size: sizeSigner, leading: 1.15, align: alignCenter})
		name := w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: s.Signer, Bold: true}}}}, rw,
			pstyle{size: sizeSigner, leading: 1.15, align: alignCenter})
		name[0].before = signSpace
		signer = len(right)
		right = append(right, name...)
	}
	return &closingBlock{left: left, right: right, signer: signer}
}

// closing draws "Nơi nhận" on the left beside the signature on the right,
// their first lines level, kept together on one page.
func (w *writer) closing(c *closingBlock) {
	if c == nil {
		return
	}
	_, _, rx, _ := w.columns()
	// A blank of about a line and a half before "Nơi nhận" and the
	// signature, as on Mẫu 1.4 (28 pt there).
	w.y += closingSpace
	w.ensure(max(height(c.left), height(c.right)))
	y := w.y
	ly := w.drawLines(c.left, w.left, y)
	ry := w.drawLines(c.right, rx, y)
	if c.signer >= 0 {
		_, _, _, rw := w.columns()
		w.signatureRoom(rx, y+height(c.right[:c.signer]), rw, c.right[c.signer].before)
	}
	w.y = max(ly, ry)
}

// wrapPlain breaks one plain line to a width (for header lines) into
// balanced lines (layout.Balance).
func (w *writer) wrapPlain(s string, st fonts.Style, size, width float64) []string {
	return layout.Balance(s, width, func(s string) float64 { return w.measure(s, st, size) })
}
