package importxlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The package is read with encoding/xml's token stream, never whole:
// excelize would unpack every part into memory (reserving the size the
// zip declares), pad a row up to its last cell (Rows.Columns, and
// GetCellRichText's whole-sheet load), and unescape "_xHHHH_" in
// quadratic time. Only number formats go to excelize, one value at a
// time, in a scratch workbook of its own.

// xmlReader is a token stream with a bound on the nesting of elements.
type xmlReader struct {
	d     *xml.Decoder
	name  string
	depth int
}

func newXMLReader(r io.Reader, name string) *xmlReader {
	return &xmlReader{d: xml.NewDecoder(r), name: name}
}

// next returns the next token; io.EOF at the end.
func (x *xmlReader) next() (xml.Token, error) {
	t, err := x.d.Token()
	if err != nil {
		var fe *FileError
		if err == io.EOF || errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("not an XLSX file: %s: %w", x.name, err)
	}
	switch t.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > maxDepth {
			return nil, refused("phần %s lồng quá %d cấp thẻ XML", "the part %s nests XML elements more than %d deep", x.name, maxDepth)
		}
	case xml.EndElement:
		x.depth--
	}
	return t, nil
}

// text reads the character data up to the end of the element just
// started, at most MaxCellBytes.
func (x *xmlReader) text(where loc) (string, error) {
	base := x.depth
	var b strings.Builder
	for {
		t, err := x.next()
		if err != nil {
			return "", eof(err, x.name)
		}
		switch e := t.(type) {
		case xml.CharData:
			if b.Len()+len(e) > MaxCellBytes {
				return "", cellTooLong(where)
			}
			b.Write(e)
		case xml.EndElement:
			if x.depth < base {
				return b.String(), nil
			}
		}
	}
}

func eof(err error, name string) error {
	if err == io.EOF {
		return fmt.Errorf("not an XLSX file: %s ends too early", name)
	}
	return err
}

// loc names a place of the file in Vietnamese and in English.
type loc struct{ vi, en string }

func cellTooLong(where loc) error {
	return &FileError{Vi: fmt.Sprintf("%s dài hơn %s", where.vi, mb(MaxCellBytes)), En: fmt.Sprintf("%s is longer than %s", where.en, mb(MaxCellBytes))}
}

// run is a piece of a cell's rich text.
type run struct {
	text         string
	bold, italic bool
}

// rich reads a string item (<si> or <is>, just started): its plain text,
// and its runs when it has any (<r>). Phonetic runs are left out, like
// Excel shows them.
func (x *xmlReader) rich(where loc) (string, []run, error) {
	base := x.depth
	var plain strings.Builder
	var runs []run
	var cur strings.Builder
	var stack []string
	inRun := false
	for {
		t, err := x.next()
		if err != nil {
			return "", nil, eof(err, x.name)
		}
		switch e := t.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			switch {
			case len(stack) == 1 && e.Name.Local == "r":
				runs, inRun = append(runs, run{}), true
				cur.Reset()
			case len(stack) == 3 && inRun && stack[1] == "rPr" && (e.Name.Local == "b" || e.Name.Local == "i"):
				on := true
				for _, a := range e.Attr {
					if a.Name.Local == "val" {
						on = a.Value == "1" || a.Value == "true"
					}
				}
				if e.Name.Local == "b" {
					runs[len(runs)-1].bold = on
				} else {
					runs[len(runs)-1].italic = on
				}
			}
		case xml.CharData:
			if (len(stack) == 1 && stack[0] == "t") || (len(stack) == 2 && inRun && stack[1] == "t") {
				if plain.Len()+len(e) > MaxCellBytes {
					return "", nil, cellTooLong(where)
				}
				plain.Write(e)
				if inRun {
					cur.Write(e)
				}
			}
		case xml.EndElement:
			if x.depth < base {
				if len(runs) == 0 {
					return unescape(plain.String()), nil, nil
				}
				return unescape(plain.String()), runs, nil
			}
			if len(stack) == 1 && inRun {
				runs[len(runs)-1].text, inRun = unescape(cur.String()), false
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// unescape decodes OOXML's "_xHHHH_" escapes ("_x000D_" is a CR,
// "_x005F_" an underscore), in one pass.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(v))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// sheetRef is a worksheet of the workbook, in order.
type sheetRef struct {
	name string
	part *zip.File
}

// workbook reads the sheet list, the date system and where the shared
// strings and styles are.
type workbook struct {
	sheets   []sheetRef
	sst      *zip.File
	styles   *zip.File
	date1904 bool
}

// rels reads a relationships part: id -> (type, target resolved against dir).
func (a *archive) rels(name, dir string) (map[string][2]string, error) {
	out := map[string][2]string{}
	f := a.part(name)
	if f == nil {
		return out, nil
	}
	err := a.each(f, func(x *xmlReader, e xml.StartElement) error {
		if e.Name.Local != "Relationship" {
			return nil
		}
		var id, typ, target string
		for _, at := range e.Attr {
			switch at.Name.Local {
			case "Id":
				id = at.Value
			case "Type":
				typ = at.Value
			case "Target":
				target = at.Value
			}
		}
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		if len(out) < 4*MaxSheets {
			out[id] = [2]string{typ, target}
		}
		return nil
	})
	return out, err
}

// each calls fn for every start element of a part.
func (a *archive) each(f *zip.File, fn func(x *xmlReader, e xml.StartElement) error) error {
	rc, err := a.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	x := newXMLReader(rc, f.Name)
	for {
		t, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if e, ok := t.(xml.StartElement); ok {
			if err := fn(x, e); err != nil {
				return err
			}
		}
	}
}

func (a *archive) workbook() (*workbook, error) {
	root, err := a.rels("_rels/.rels", "")
	if err != nil {
		return nil, err
	}
	wbPath := "xl/workbook.xml"
	for _, r := range root {
		if strings.HasSuffix(r[0], "/officeDocument") {
			wbPath = r[1]
		}
	}
	wbf := a.part(wbPath)
	if wbf == nil {
		return nil, fmt.Errorf("not an XLSX file: it has no workbook")
	}
	dir := path.Dir(wbf.Name)
	rels, err := a.rels(path.Join(dir, "_rels", path.Base(wbf.Name)+".rels"), dir)
	if err != nil {
		return nil, err
	}
	wb := &workbook{sst: a.part(path.Join(dir, "sharedStrings.xml")), styles: a.part(path.Join(dir, "styles.xml"))}
	for _, r := range rels {
		switch {
		case strings.HasSuffix(r[0], "/sharedStrings") && a.part(r[1]) != nil:
			wb.sst = a.part(r[1])
		case strings.HasSuffix(r[0], "/styles") && a.part(r[1]) != nil:
			wb.styles = a.part(r[1])
		}
	}
	err = a.each(wbf, func(x *xmlReader, e xml.StartElement) error {
		switch e.Name.Local {
		case "workbookPr":
			for _, at := range e.Attr {
				if at.Name.Local == "date1904" {
					wb.date1904 = at.Value == "1" || at.Value == "true"
				}
			}
		case "sheet":
			if len(wb.sheets) >= MaxSheets {
				return refused("bảng tính có hơn %d trang", "the workbook has more than %d sheets", MaxSheets)
			}
			var name, id string
			for _, at := range e.Attr {
				switch {
				case at.Name.Local == "name":
					name = at.Value
				case at.Name.Local == "id" && at.Name.Space != "":
					id = at.Value
				}
			}
			if r, ok := rels[id]; ok && a.part(r[1]) != nil {
				wb.sheets = append(wb.sheets, sheetRef{name: name, part: a.part(r[1])})
			}
		}
		return nil
	})
	return wb, err
}

// sharedStrings is the shared-string table, packed: the texts one after
// another, and the runs of the items that have any.
type sharedStrings struct {
	text   []byte
	start  []uint32 // item i is text[start[i]:start[i+1]]
	runAt  []uint32 // item i's runs are runs[runAt[i]:runAt[i+1]]
	runs   []packedRun
	loaded bool
}

type packedRun struct {
	end          uint32 // in text
	bold, italic bool
}

func (a *archive) sharedStrings(f *zip.File) (*sharedStrings, error) {
	s := &sharedStrings{start: []uint32{0}, runAt: []uint32{0}, loaded: true}
	if f == nil {
		return s, nil
	}
	err := a.each(f, func(x *xmlReader, e xml.StartElement) error {
		if e.Name.Local != "si" {
			return nil
		}
		n := len(s.start) - 1
		if n >= MaxSharedStrings {
			return refused("bảng chuỗi dùng chung có hơn %d mục", "the shared-string table has more than %d items", MaxSharedStrings)
		}
		plain, runs, err := x.rich(loc{fmt.Sprintf("chuỗi dùng chung %d", n), fmt.Sprintf("the shared string %d", n)})
		if err != nil {
			return err
		}
		if len(runs) > 0 {
			for _, r := range runs {
				s.text = append(s.text, r.text...)
				s.runs = append(s.runs, packedRun{end: uint32(len(s.text)), bold: r.bold, italic: r.italic})
			}
		} else {
			s.text = append(s.text, plain...)
		}
		s.start = append(s.start, uint32(len(s.text)))
		s.runAt = append(s.runAt, uint32(len(s.runs)))
		return nil
	})
	return s, err
}

// item returns shared string i; ok is false outside the table.
func (s *sharedStrings) item(i int) (string, []run, bool) {
	if i < 0 || i >= len(s.start)-1 {
		return "", nil, false
	}
	from := s.start[i]
	plain := string(s.text[from:s.start[i+1]])
	var runs []run
	for _, r := range s.runs[s.runAt[i]:s.runAt[i+1]] {
		runs = append(runs, run{text: string(s.text[from:r.end]), bold: r.bold, italic: r.italic})
		from = r.end
	}
	return plain, runs, true
}

// styles are the number formats of the cell formats (cellXfs).
type styles struct {
	numFmt []int          // by cell format
	custom map[int]string // custom number formats by id
}

func (a *archive) styles(f *zip.File) (*styles, error) {
	st := &styles{custom: map[int]string{}}
	if f == nil {
		return st, nil
	}
	inXfs := false
	err := a.each(f, func(x *xmlReader, e xml.StartElement) error {
		switch e.Name.Local {
		case "cellXfs":
			inXfs = true
		case "cellStyles", "dxfs", "tableStyles", "colors", "extLst":
			inXfs = false
		case "numFmt":
			id, code := -1, ""
			for _, at := range e.Attr {
				switch at.Name.Local {
				case "numFmtId":
					id, _ = strconv.Atoi(at.Value)
				case "formatCode":
					code = at.Value
				}
			}
			if len(code) > maxFormatCode {
				return refused("tệp có định dạng số dài hơn %d ký tự", "the file has a number format longer than %d characters", maxFormatCode)
			}
			if id >= 0 && len(st.custom) < MaxStyles {
				st.custom[id] = code
			}
		case "xf":
			if !inXfs {
				return nil
			}
			if len(st.numFmt) >= MaxStyles {
				return refused("tệp có hơn %d định dạng ô", "the file has more than %d cell formats", MaxStyles)
			}
			id := 0
			for _, at := range e.Attr {
				if at.Name.Local == "numFmtId" {
					id, _ = strconv.Atoi(at.Value)
				}
			}
			st.numFmt = append(st.numFmt, id)
		}
		return nil
	})
	return st, err
}

// cell is a cell of a row being read: its column (from 1), type, style
// and text (<v>, or an inline string's plain text and runs).
type cell struct {
	col   int
	typ   string
	style int
	v     string
	runs  []run
}

// scanSheet streams a worksheet's rows to fn, with the cells of each
// (up to MaxColumn, with a value) in column order. It refuses, as soon
// as it meets one, a cell with a value beyond MaxColumn or MaxRows, a
// cell longer than MaxCellBytes, and rows or cells out of order. fn
// returns stop to end the reading early.
func (a *archive) scanSheet(sheet string, f *zip.File, fn func(row int, cells []cell) (stop bool, err error)) error {
	rc, err := a.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	x := newXMLReader(rc, f.Name)
	var (
		stack        []string
		inData       bool
		row, lastCol int
		cells        []cell
		cur          *cell
		hasValue     bool
	)
	// valued checks a cell that has a value: within the columns and rows read.
	valued := func() error {
		name, _ := excelize.CoordinatesToCellName(cur.col, row)
		if cur.col > MaxColumn {
			last, _ := excelize.ColumnNumberToName(MaxColumn)
			return refused("trang %q: ô %s nằm ngoài cột %s; bảng chỉ được đọc từ cột A đến cột %s",
				"sheet %q: the cell %s is beyond column %s; the table is read from column A to column %s", sheet, name, last, last)
		}
		if row > MaxRows {
			return refused("trang %q: ô %s nằm sau dòng %d; chỉ đọc %d dòng đầu", "sheet %q: the cell %s is below row %d; only the first %d rows are read",
				sheet, name, MaxRows, MaxRows)
		}
		hasValue = true
		return nil
	}
	where := func() loc {
		name, _ := excelize.CoordinatesToCellName(cur.col, row)
		return loc{fmt.Sprintf("trang %q: ô %s", sheet, name), fmt.Sprintf("sheet %q: the cell %s", sheet, name)}
	}
	for {
		t, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, e.Name.Local)
			switch {
			case e.Name.Local == "sheetData":
				inData = true
			case inData && parent == "sheetData" && e.Name.Local == "row":
				r := row + 1
				for _, at := range e.Attr {
					if at.Name.Local == "r" {
						if r, err = strconv.Atoi(at.Value); err != nil || r <= row || r > excelize.TotalRows {
							return refused("trang %q: dòng %q sai thứ tự hoặc không hợp lệ", "sheet %q: the row %q is out of order or invalid", sheet, at.Value)
						}
					}
				}
				row, lastCol, cells = r, 0, cells[:0]
			case inData && parent == "row" && e.Name.Local == "c":
				c := cell{col: lastCol + 1}
				for _, at := range e.Attr {
					switch at.Name.Local {
					case "r":
						col, _, err := excelize.CellNameToCoordinates(at.Value)
						if err != nil || col <= lastCol {
							return refused("trang %q: ô %q sai thứ tự hoặc không hợp lệ", "sheet %q: the cell %q is out of order or invalid", sheet, at.Value)
						}
						c.col = col
					case "t":
						c.typ = at.Value
					case "s":
						c.style, _ = strconv.Atoi(at.Value)
					}
				}
				if c.col > excelize.MaxColumns {
					return refused("trang %q: dòng %d có quá nhiều ô", "sheet %q: the row %d has too many cells", sheet, row)
				}
				lastCol, cur, hasValue = c.col, &c, false
			case cur != nil && parent == "c" && e.Name.Local == "f":
				if err := valued(); err != nil {
					return err
				}
			case cur != nil && parent == "c" && e.Name.Local == "v":
				if err := valued(); err != nil {
					return err
				}
				if cur.v, err = x.text(where()); err != nil {
					return err
				}
				stack = stack[:len(stack)-1]
			case cur != nil && parent == "c" && e.Name.Local == "is":
				if err := valued(); err != nil {
					return err
				}
				if cur.v, cur.runs, err = x.rich(where()); err != nil {
					return err
				}
				stack = stack[:len(stack)-1]
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch {
			case !inData:
			case e.Name.Local == "c" && cur != nil:
				if hasValue && cur.v != "" {
					cells = append(cells, *cur)
				}
				cur = nil
			case e.Name.Local == "row" && row > 0:
				if stop, err := fn(row, cells); stop || err != nil {
					return err
				}
			case e.Name.Local == "sheetData":
				return nil
			}
		}
	}
}

// numberFormatter formats numbers as excelize does (GetRows), in a
// scratch workbook holding only the number format of the cell: excelize
// never reads the uploaded file.
type numberFormatter struct {
	st       *styles
	date1904 bool
	f        *excelize.File
	ids      map[int]int // upload's cell format -> scratch style
}

const scratchSheet = "Sheet1"

func newNumberFormatter(st *styles, date1904 bool) *numberFormatter {
	return &numberFormatter{st: st, date1904: date1904, ids: map[int]int{}}
}

func (n *numberFormatter) close() {
	if n.f != nil {
		_ = n.f.Close()
	}
}

func (n *numberFormatter) format(v string, style int) string {
	v = strings.TrimSpace(v)
	if _, err := strconv.ParseFloat(v, 64); err != nil || len(v) > 64 {
		return v
	}
	if n.f == nil {
		n.f = excelize.NewFile(excelize.Options{UnzipSizeLimit: 1 << 20, UnzipXMLSizeLimit: 1 << 20})
		if n.date1904 {
			on := true
			_ = n.f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on})
		}
	}
	id, ok := n.ids[style]
	if !ok {
		id = 0
		if style > 0 && style < len(n.st.numFmt) {
			s := &excelize.Style{NumFmt: n.st.numFmt[style]}
			if code, ok := n.st.custom[n.st.numFmt[style]]; ok {
				s = &excelize.Style{CustomNumFmt: &code}
			}
			if sid, err := n.f.NewStyle(s); err == nil {
				id = sid
			}
		}
		n.ids[style] = id
	}
	if n.f.SetCellDefault(scratchSheet, "A1", v) != nil || n.f.SetCellStyle(scratchSheet, "A1", "A1", id) != nil {
		return v
	}
	out, err := n.f.GetCellValue(scratchSheet, "A1")
	if err != nil {
		return v
	}
	return out
}
