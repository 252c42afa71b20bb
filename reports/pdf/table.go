package pdf

import (
	"runtime"
	"sync"
	"sync/atomic"

	"baocao/fonts"
	"baocao/reports/layout"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// Table text and spacing.
const (
	sizeTable   = layout.SizeTable
	cellPadH    = layout.CellPadH    // mm, left and right
	cellPadV    = layout.CellPadV    // mm, top and bottom
	cellParaGap = layout.CellParaGap // mm between paragraphs of a cell
	sizeHeading = layout.SizeHeading // PHỤ LỤC, its title and the "Kèm theo" line
	// cellMaxGap: a justified line of a cell whose word spaces would be
	// more than twice a plain space is set flush left.
	cellMaxGap = 2.0
)

func cellStyle(a table.Align, bold bool) pstyle {
	st := pstyle{size: sizeTable, leading: layout.TableLeading, after: cellParaGap, bold: bold, listsLeft: true, maxGap: cellMaxGap}
	switch a {
	case table.Center:
		st.align = alignCenter
	case table.Justify:
		st.align = alignJustify
	default:
		st.align = alignLeft
	}
	return st
}

// appendix lays out one appendix from a new page: its title block and
// table. A table the render owns (made from the document) lets each row
// go once it is typeset.
func (w *writer) appendix(t *table.Table, owned bool) {
	w.newPage(t.Landscape, true)
	tw := w.textWidth()
	if t.Stamp != "" {
		sw := w.measure(t.Stamp, fonts.Regular, sizeStamp)
		w.text(t.Stamp, fonts.Regular, sizeStamp, w.left+tw-sw, w.top-6)
	}
	head := []richtext.Block{
		{Runs: []richtext.Run{{Text: t.Heading, Bold: true}}},
		{Runs: []richtext.Run{{Text: vn.Upper(t.Title), Bold: true}}},
		{Runs: []richtext.Run{{Text: t.Attached, Italic: true}}},
	}
	if t.Attached == "" {
		head = head[:2]
	}
	lines := w.typeset(head, tw*layout.AppendixHeadWide, pstyle{size: sizeHeading, leading: 1.2, align: alignCenter})
	w.y = w.drawLines(lines, w.left+tw*(1-layout.AppendixHeadWide)/2, w.y)
	last := lines[len(lines)-1]
	ruleW := max(last.natural/3, 25)
	w.y += layout.TitleRuleGap
	w.rule(w.left+(tw-ruleW)/2, w.left+(tw+ruleW)/2, w.y)
	w.y += layout.AppendixAfter
	w.table(t, owned)
}

// table draws a table: the header row on every page, rows never cut
// through a line of text. A row that does not fit the space left on a page
// is split between lines where the page ends, each cell keeping at least
// two lines at the foot of a page and two at the head of the next (see
// splitRow); it moves whole to the next page only when it cannot start
// there at all.
//
// Rows stream through: they are typeset a batch at a time (the next batch
// while this one is drawn), drawn, and let go, and each page is deflated
// as soon as it is full (internal/fpdf), so a table of any length takes
// memory for a few batches of rows and the file being written.
func (w *writer) table(t *table.Table, owned bool) {
	widths := w.colWidths(t)
	headCells := make([][]tline, len(t.Columns))
	for i, c := range t.Columns {
		headCells[i] = w.typeset([]richtext.Block{{Runs: []richtext.Run{{Text: c.Label}}}}, widths[i]-2*cellPadH, cellStyle(table.Center, true))
	}
	headH := rowHeight(headCells)
	drawHead := func() {
		w.drawRow(headCells, widths, w.y, headH, true)
		w.y += headH
	}
	batches, done := w.streamRows(t, widths, owned)
	defer done()
	first := true
	for rows := range batches {
		w.stop() // the typesetter stops early when the render is cancelled
		if first {
			// Keep the header with the start of the first row.
			w.ensure(headH + startHeight(rows[0]))
			drawHead()
			first = false
		}
		for r, cells := range rows {
			if r%checkEvery == 0 {
				w.stop()
			}
			w.tableRow(cells, widths, drawHead)
			rows[r] = nil // drawn: let it go
		}
	}
	w.stop()
	if first { // no row
		w.ensure(headH + 2*cellPadV)
		drawHead()
	}
}

// tableRow draws one typeset row: where it is if it fits, else on the next
// page, else split across pages.
func (w *writer) tableRow(cells [][]tline, widths []float64, drawHead func()) {
	h := rowHeight(cells)
	if w.y+h <= w.limit()+1e-6 {
		w.drawRow(cells, widths, w.y, h, false)
		w.y += h
		return
	}
	if w.y+startHeight(cells) > w.limit()+1e-6 {
		w.newPage(w.landscape, false)
		drawHead()
		if w.y+h <= w.limit()+1e-6 {
			w.drawRow(cells, widths, w.y, h, false)
			w.y += h
			return
		}
	}
	w.splitRow(cells, widths, drawHead)
}

// rowBatch is how many rows are typeset together: enough to share among
// the processors, few enough to keep little in memory.
const rowBatch = 256

// streamRows typesets the rows of t in batches, in order: the first one
// at once (the caller would wait for it anyway; most tables are that one
// batch, and a goroutine to hand it over cost more than it saved), the
// next ones in the background, each while the caller draws the one
// before. done ends the typesetting early (the caller stopped); it must
// be called. With release set, each row of t is let go (set to nil) once
// typeset.
func (w *writer) streamRows(t *table.Table, widths []float64, release bool) (batches <-chan [][][]tline, done func()) {
	out := make(chan [][][]tline, 1)
	batch := func(start int) [][][]tline {
		end := min(start+rowBatch, len(t.Rows))
		rows := w.typesetRows(t, widths, start, end)
		if release {
			clear(t.Rows[start:end])
		}
		return rows
	}
	if !w.cancelled() {
		out <- batch(0)
	}
	if len(t.Rows) <= rowBatch || w.cancelled() {
		close(out)
		return out, func() {}
	}
	quit := make(chan struct{})
	go func() {
		defer close(out)
		for start := rowBatch; start < len(t.Rows); start += rowBatch {
			if w.cancelled() {
				return
			}
			rows := batch(start)
			select {
			case out <- rows:
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			close(quit)
			for range out { // let the typesetter finish its batch
			}
		})
	}
}

// keepLines is the fewest lines of a cell at the foot or the head of a
// page when a row is split.
const keepLines = 2

// startLines is how many lines of a cell of n lines a row split at the
// foot of a page must hold for the row to start there: all of a cell that
// cannot be split (n <= 2*keepLines-1), else keepLines.
func startLines(n int) int {
	if n < 2*keepLines {
		return n
	}
	return keepLines
}

// startHeight is the height a row needs at the foot of a page to start
// there: the start of every cell.
func startHeight(cells [][]tline) float64 {
	h := 0.0
	for _, c := range cells {
		h = max(h, linesHeight(c[:startLines(len(c))]))
	}
	return h + 2*cellPadV
}

// linesHeight is the height of lines set at the top of a cell (or of a
// piece of one): without the paragraph gap above the first.
func linesHeight(lines []tline) float64 {
	if len(lines) == 0 {
		return 0
	}
	return height(lines) - lines[0].before
}

// take is how many of the lines left in a cell go into a piece avail mm
// tall: all that fit, but never one line alone at the foot of the page
// nor one alone at the head of the next (keepLines).
func take(lines []tline, avail float64) int {
	used, fit := 0.0, 0
	for i, l := range lines {
		h := l.h
		if i > 0 {
			h += l.before
		}
		if used+h > avail+1e-6 {
			break
		}
		used += h
		fit++
	}
	if fit == len(lines) {
		return fit
	}
	n := min(fit, len(lines)-keepLines)
	if n < keepLines {
		return 0
	}
	return n
}

// typesetRows breaks every cell of rows [from, to) into lines.
// Typesetting reads only the font metrics, so rows are set in parallel,
// one worker per processor: it is most of the work of a long table.
func (w *writer) typesetRows(t *table.Table, widths []float64, from, to int) [][][]tline {
	out := make([][][]tline, to-from)
	set := func(r int, slab *lineSlab) {
		if r%checkEvery == 0 && w.cancelled() {
			return // the caller stops the render
		}
		row := t.Rows[from+r]
		cells := make([][]tline, len(row))
		for i, c := range row {
			cells[i] = slab.typeset(w, c.Parsed(), widths[i]-2*cellPadH, cellStyle(t.Columns[i].Align, false))
		}
		out[r] = cells
	}
	n := to - from
	workers := min(runtime.GOMAXPROCS(0), n/50+1)
	if workers <= 1 {
		var slab lineSlab
		for r := range n {
			set(r, &slab)
		}
		return out
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			var slab lineSlab // each worker's
			for r := int(next.Add(1) - 1); r < n; r = int(next.Add(1) - 1) {
				set(r, &slab)
			}
		})
	}
	wg.Wait()
	return out
}

// colWidths scales the column widths to the text width.
func (w *writer) colWidths(t *table.Table) []float64 { return t.Widths(w.textWidth()) }

func rowHeight(cells [][]tline) float64 {
	h := 0.0
	for _, c := range cells {
		h = max(h, height(c))
	}
	return h + 2*cellPadV
}

// drawRow draws the borders and text of a row of height h at y.
// Centred cells are also centred vertically.
func (w *writer) drawRow(cells [][]tline, widths []float64, y, h float64, header bool) {
	x := w.left
	w.f.SetLineWidth(0.2)
	for i, c := range cells {
		w.f.Rect(x, y, widths[i], h, "D")
		top := y + cellPadV
		if len(c) > 0 && (header || c[0].align == alignCenter) {
			top = y + (h-height(c))/2
		}
		w.drawLines(c, x+cellPadH, top)
		x += widths[i]
	}
}

// splitRow draws a row that does not fit the space left, page by page,
// cutting it only between lines of text. Every piece but the last runs to
// the foot of its page with its bottom border open, and every piece but
// the first continues under the repeated header with its top border open;
// the other cells of the row go on beside it.
func (w *writer) splitRow(cells [][]tline, widths []float64, drawHead func()) {
	next := make([]int, len(cells))
	done := func() bool {
		for i, c := range cells {
			if next[i] < len(c) {
				return false
			}
		}
		return true
	}
	firstPiece := true
	fresh := false // the page holds only the header row
	for !done() {
		w.stop()
		avail := w.limit() - w.y - 2*cellPadV
		part := make([][]tline, len(cells))
		whole := make([]bool, len(cells)) // the cell is all in this piece
		took := false
		for i, c := range cells {
			n := take(c[next[i]:], avail)
			part[i] = c[next[i] : next[i]+n]
			if len(part[i]) > 0 {
				part[i] = append([]tline(nil), part[i]...)
				part[i][0].before = 0 // no paragraph gap at the top of a piece
				took = true
			}
			whole[i] = next[i] == 0 && n == len(c)
			next[i] += n
		}
		if !took {
			if fresh {
				// A page cannot hold two lines of any cell: the lines
				// go one by one rather than never.
				for i, c := range cells {
					if next[i] < len(c) {
						part[i] = []tline{c[next[i]]}
						part[i][0].before = 0
						next[i]++
						break
					}
				}
			} else {
				w.newPage(w.landscape, false)
				drawHead()
				fresh = true
				continue
			}
		}
		last := done()
		h := rowHeight(part)
		if !last {
			h = w.limit() - w.y // the piece runs to the foot of the page
		}
		w.drawPiece(part, whole, widths, w.y, h, !firstPiece, !last)
		w.y += h
		firstPiece = false
		if !last {
			w.newPage(w.landscape, false)
			drawHead()
			fresh = true
		}
	}
}

// drawPiece draws part of a split row, text from the top (a cell that is
// all in this piece and centred is centred in it), with its top or bottom
// border left open where the row goes on from or to another page.
func (w *writer) drawPiece(cells [][]tline, whole []bool, widths []float64, y, h float64, openTop, openBottom bool) {
	x := w.left
	w.f.SetLineWidth(0.2)
	for i, c := range cells {
		if !openTop {
			w.f.Line(x, y, x+widths[i], y)
		}
		if !openBottom {
			w.f.Line(x, y+h, x+widths[i], y+h)
		}
		w.f.Line(x, y, x, y+h)
		top := y + cellPadV
		if whole[i] && len(c) > 0 && c[0].align == alignCenter {
			top = y + (h-linesHeight(c))/2
		}
		w.drawLines(c, x+cellPadH, top)
		x += widths[i]
	}
	w.f.Line(x, y, x, y+h)
}
