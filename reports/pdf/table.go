package pdf

import (
	"runtime"
	"sync"

	"baocao/fonts"
	"baocao/reports/richtext"
	"baocao/reports/table"
	"baocao/reports/vn"
)

// Table text and spacing.
const (
	sizeTable   = 12  // table cells and header
	cellPadH    = 1.5 // mm, left and right
	cellPadV    = 1.2 // mm, top and bottom
	cellParaGap = 1.0 // mm between paragraphs of a cell
	sizeHeading = 14  // PHỤ LỤC, its title and the "Kèm theo" line
)

func cellStyle(a table.Align, bold bool) pstyle {
	st := pstyle{size: sizeTable, leading: 1.2, after: cellParaGap, bold: bold, listsLeft: true}
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

// appendix lays out one appendix from a new page: its title block and table.
func (w *writer) appendix(t *table.Table) {
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
	lines := w.typeset(head, tw*0.85, pstyle{size: sizeHeading, leading: 1.2, align: alignCenter})
	w.y = w.drawLines(lines, w.left+tw*0.075, w.y)
	last := lines[len(lines)-1]
	ruleW := max(last.natural/3, 25)
	w.y += 1.5
	w.rule(w.left+(tw-ruleW)/2, w.left+(tw+ruleW)/2, w.y)
	w.y += 6
	w.table(t)
}

// table draws a table: the header row on every page, rows never cut
// through a line, a row taller than a page split between its lines.
func (w *writer) table(t *table.Table) {
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
	// Keep the header with at least one line of the first row.
	w.ensure(headH + 2*cellPadV + sizeTable*1.2*ptToMM)
	drawHead()
	rows := w.typesetRows(t, widths)
	w.stop() // the workers return early when the render is cancelled
	for r, cells := range rows {
		if r%checkEvery == 0 {
			w.stop()
		}
		h := rowHeight(cells)
		if w.y+h > w.limit() && h <= w.limit()-w.top-headH {
			w.newPage(w.landscape, false)
			drawHead()
		}
		if w.y+h <= w.limit() {
			w.drawRow(cells, widths, w.y, h, false)
			w.y += h
			continue
		}
		w.splitRow(cells, widths, drawHead)
	}
}

// typesetRows breaks every cell into lines. Typesetting reads only the
// font metrics, so rows are set in parallel, one worker per processor:
// it is most of the work of a long table.
func (w *writer) typesetRows(t *table.Table, widths []float64) [][][]tline {
	out := make([][][]tline, len(t.Rows))
	set := func(r int) {
		if r%checkEvery == 0 && w.cancelled() {
			return // the caller stops the render
		}
		row := t.Rows[r]
		cells := make([][]tline, len(row))
		for i, c := range row {
			cells[i] = w.typeset(c.Blocks, widths[i]-2*cellPadH, cellStyle(t.Columns[i].Align, false))
		}
		out[r] = cells
	}
	workers := min(runtime.GOMAXPROCS(0), len(t.Rows)/50+1)
	if workers <= 1 {
		for r := range t.Rows {
			set(r)
		}
		return out
	}
	var wg sync.WaitGroup
	next := make(chan int, len(t.Rows))
	for r := range t.Rows {
		next <- r
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				set(r)
			}
		}()
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

// splitRow draws a row taller than the space left, page by page, cutting
// it only between lines of text.
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
	for !done() {
		w.stop()
		avail := w.limit() - w.y - 2*cellPadV
		part := make([][]tline, len(cells))
		took := false
		for i, c := range cells {
			used := 0.0
			for next[i] < len(c) {
				l := c[next[i]]
				if len(part[i]) == 0 {
					l.before = 0 // no paragraph gap at the top of a piece
				}
				if used+l.before+l.h > avail {
					break
				}
				part[i] = append(part[i], l)
				used += l.before + l.h
				next[i]++
				took = true
			}
		}
		if !took {
			w.newPage(w.landscape, false)
			drawHead()
			continue
		}
		h := rowHeight(part)
		if !done() {
			h = w.limit() - w.y // the piece runs to the foot of the page
		}
		// Pieces are drawn top-aligned so that they read on across pages.
		w.drawPiece(part, widths, w.y, h)
		w.y += h
		if !done() {
			w.newPage(w.landscape, false)
			drawHead()
		}
	}
}

// drawPiece draws part of a split row, text from the top.
func (w *writer) drawPiece(cells [][]tline, widths []float64, y, h float64) {
	x := w.left
	for i, c := range cells {
		w.f.Rect(x, y, widths[i], h, "D")
		w.drawLines(c, x+cellPadH, y+cellPadV)
		x += widths[i]
	}
}
