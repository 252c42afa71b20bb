// Package export streams progress submissions to the spreadsheets auditors
// download, CSV and XLSX, one row per submission, with memory that stays
// flat whatever the row count. Text that a spreadsheet would take for a
// formula is written so that it stays text.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/reports/period"
)

// Row is one exported submission.
type Row struct {
	Plan        string
	TaskNumber  int
	Task        string
	Agency      string
	Period      string
	Status      string // Vietnamese name
	Result      string
	Figures     string // "24 tin bài; 2 hội nghị"
	SubmittedBy string
	SubmittedAt time.Time
	Revision    int
	Late        bool
}

// Header is the header row, in Vietnamese.
var Header = []string{"Kế hoạch", "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Kỳ báo cáo", "Tình trạng", "Kết quả",
	"Số liệu", "Người báo cáo", "Thời gian báo cáo", "Lần báo cáo", "Báo cáo muộn"}

func (r Row) cells() []string {
	late := "Không"
	if r.Late {
		late = "Có"
	}
	return []string{r.Plan, strconv.Itoa(r.TaskNumber), r.Task, r.Agency, r.Period, r.Status, r.Result, r.Figures,
		r.SubmittedBy, r.SubmittedAt.In(period.Vietnam).Format("02/01/2006 15:04"), strconv.Itoa(r.Revision), late}
}

// Inert makes a text that a spreadsheet would evaluate ("=…", "+…", "-…",
// "@…", or starting with a tab or carriage return) start with an
// apostrophe, which spreadsheets show as text and hide; other texts are
// unchanged.
func Inert(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// CSV writes rows as UTF-8 CSV with a byte-order mark, so that Excel shows
// Vietnamese correctly, its fields separated by sep (',' or ';': Excel
// with Vietnamese regional settings splits on ';').
func CSV(w io.Writer, rows iter.Seq2[Row, error], sep rune) error {
	return Records(w, Header, sep, func(yield func([]string, error) bool) {
		for r, err := range rows {
			if !yield(r.cells(), err) {
				return
			}
		}
	})
}

// Records writes a header and records as UTF-8 CSV with a byte-order mark;
// every cell goes through Inert.
func Records(w io.Writer, header []string, sep rune, records iter.Seq2[[]string, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if sep == ';' {
		cw.Comma = ';'
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for cells, err := range records {
		if err != nil {
			return err
		}
		for i := range cells {
			cells[i] = Inert(cells[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// XLSX writes rows as a one-sheet workbook through excelize's stream
// writer. Texts are string cells in the text number format, never
// formulas; formula-like texts also get the apostrophe of Inert, so they
// stay text when the file is saved again as CSV.
func XLSX(w io.Writer, rows iter.Seq2[Row, error], fontName string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Tiến độ"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	font := &excelize.Font{Family: fontName, Size: 11}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontName, Size: 11, Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{Font: font, NumFmt: 49})
	if err != nil {
		return err
	}
	num, err := f.NewStyle(&excelize.Style{Font: font})
	if err != nil {
		return err
	}
	// The row count is not known before streaming: filter whole columns.
	// Sheet settings come first, the stream writer keeps them.
	if err := f.AutoFilter(sheet, "A1:L1048576", nil); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range []float64{40, 6, 50, 28, 10, 16, 50, 24, 24, 17, 8, 10} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]any, len(Header))
	for i, h := range Header {
		hdr[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	n := 1
	vals := make([]any, len(Header))
	for r, err := range rows {
		if err != nil {
			return err
		}
		n++
		for i, c := range r.cells() {
			switch i {
			case 1, 10: // STT and revision: numbers
				v, _ := strconv.Atoi(c)
				vals[i] = excelize.Cell{StyleID: num, Value: v}
			default:
				vals[i] = excelize.Cell{StyleID: text, Value: Inert(c)}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("row %d: %w", n, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
