// Package importxlsx reads an appendix task table from an XLSX file: the
// layout baocao's Excel renderer writes (a title block, a header row, one
// row per task) or any plain table whose header row names the columns in
// Vietnamese ("Nội dung", "Cơ quan chủ trì", …). Styled runs come back as
// Markdown, so a round trip keeps italics, bold and lists.
package importxlsx

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/text"
)

// RowError says why a row could not be read; Row is the spreadsheet's row
// number (from 1).
type RowError struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Result is what a file held.
type Result struct {
	Sheet   string     `json:"sheet"`
	Header  int        `json:"header_row"`
	Columns []string   `json:"columns"` // the fields recognised, in sheet order
	Tasks   []doc.Task `json:"tasks"`
	Errors  []RowError `json:"errors,omitempty"`
	// Rows are the spreadsheet rows (from 1) of the tasks.
	Rows []int `json:"-"`
}

// CheckFont refuses, by row, the tasks holding a character fam cannot
// draw (their texts are already cleaned by Read): each becomes a
// RowError, and the tasks left are those that can be printed.
func (res *Result) CheckFont(fam *fonts.Family) {
	var tasks []doc.Task
	var rows []int
	for i := range res.Tasks {
		errs := res.Tasks[i].Undrawable(fam)
		if len(errs) == 0 {
			tasks, rows = append(tasks, res.Tasks[i]), append(rows, res.Rows[i])
			continue
		}
		var problems []string
		for _, fe := range errs {
			problems = append(problems, fmt.Sprintf("the column %q %s", columnLabel(fe.Field), fe.Problem))
		}
		res.Errors = append(res.Errors, RowError{Row: res.Rows[i], Reason: strings.Join(problems, "; ")})
	}
	if tasks == nil {
		tasks = []doc.Task{}
	}
	res.Tasks, res.Rows = tasks, rows
	sort.SliceStable(res.Errors, func(a, b int) bool { return res.Errors[a].Row < res.Errors[b].Row })
}

// columnLabel names a task field ("lead[1]") by its usual column label.
func columnLabel(field string) string {
	name, _, _ := strings.Cut(field, "[")
	for _, c := range doc.DefaultColumns() {
		if c.Field == name {
			return c.Label
		}
	}
	return field
}

// labels maps folded header texts to task fields.
var labels = map[string]string{
	"stt": doc.FieldSTT, "tt": doc.FieldSTT, "so thu tu": doc.FieldSTT,
	"noi dung": doc.FieldContent, "noi dung cong viec": doc.FieldContent, "noi dung tuyen truyen": doc.FieldContent,
	"nhiem vu": doc.FieldContent, "ten nhiem vu": doc.FieldContent, "noi dung nhiem vu": doc.FieldContent,
	"co quan chu tri": doc.FieldLead, "don vi chu tri": doc.FieldLead, "chu tri": doc.FieldLead,
	"co quan phoi hop": doc.FieldCooperating, "don vi phoi hop": doc.FieldCooperating, "phoi hop": doc.FieldCooperating,
	"ket qua/san pham": doc.FieldOutput, "ket qua san pham": doc.FieldOutput, "san pham": doc.FieldOutput,
	"ket qua": doc.FieldOutput, "san pham du kien": doc.FieldOutput, "ket qua du kien": doc.FieldOutput,
	"thoi gian hoan thanh": doc.FieldDeadline, "thoi gian thuc hien": doc.FieldDeadline, "thoi gian": doc.FieldDeadline,
	"thoi han": doc.FieldDeadline, "thoi han hoan thanh": doc.FieldDeadline, "tien do": doc.FieldDeadline,
	"ghi chu": doc.FieldNote,
}

// fold reduces a header text to lower-case ASCII words ("Cơ quan chủ
// trì" -> "co quan chu tri"); a text longer than any label folds to "".
func fold(s string) string {
	if len(s) > 200 {
		return ""
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Read reads the first sheet that holds a task table, within the limits
// (limits.go): a file beyond one is refused with a *FileError naming it.
func Read(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge("tệp lớn hơn %s", "the file is larger than %s", mb(MaxFileBytes))
	}
	a, err := checkZip(data)
	if err != nil {
		return nil, err
	}
	wb, err := a.workbook()
	if err != nil {
		return nil, err
	}
	im := &importer{a: a, wb: wb}
	defer im.close()
	for _, sh := range wb.sheets {
		res, err := im.readSheet(sh)
		if err != nil {
			return nil, err
		}
		if res != nil {
			return res, nil
		}
	}
	return nil, fmt.Errorf("no sheet has a header row with the columns \"Nội dung\" and \"Cơ quan chủ trì\"")
}

// importer reads the sheets of one file.
type importer struct {
	a      *archive
	wb     *workbook
	sst    *sharedStrings
	styles *styles
	nf     *numberFormatter
}

func (im *importer) close() {
	if im.nf != nil {
		im.nf.close()
	}
}

// value is the text of a cell as GetRows gave it (numbers in their
// format), with the runs of a rich string.
func (im *importer) value(c *cell) (string, []run, error) {
	switch c.typ {
	case "s":
		if im.sst == nil {
			sst, err := im.a.sharedStrings(im.wb.sst)
			if err != nil {
				return "", nil, err
			}
			im.sst = sst
		}
		i, err := strconv.Atoi(strings.TrimSpace(c.v))
		if err != nil {
			return "", nil, nil
		}
		plain, runs, _ := im.sst.item(i)
		return plain, runs, nil
	case "inlineStr":
		return c.v, c.runs, nil
	case "b":
		switch c.v {
		case "1":
			return "TRUE", nil, nil
		case "0":
			return "FALSE", nil, nil
		}
		return c.v, nil, nil
	case "str", "e", "d":
		return c.v, nil, nil
	}
	if !numeric(c.typ) {
		return c.v, nil, nil
	}
	if im.styles == nil {
		st, err := im.a.styles(im.wb.styles)
		if err != nil {
			return "", nil, err
		}
		im.styles = st
	}
	if im.nf == nil {
		im.nf = newNumberFormatter(im.styles, im.wb.date1904)
	}
	return im.nf.format(c.v, c.style), nil, nil
}

// numeric tells the cell types excelize formats as numbers.
func numeric(typ string) bool { return typ == "" || typ == "n" }

// readSheet returns nil when the sheet has no task table. The rows are
// handled as they are read: none is kept but the tasks.
func (im *importer) readSheet(sh sheetRef) (*Result, error) {
	var (
		res  *Result
		cols map[int]string // column (from 0) -> field
	)
	err := im.a.scanSheet(sh.name, sh.part, func(rowNum int, cells []cell) (bool, error) {
		if res == nil && rowNum > 30 {
			return true, nil // no header row among the first 30
		}
		row := make([]string, 0, MaxColumn)
		var runs [][]run
		for i := range cells {
			c := &cells[i]
			// A number outside the table's columns needs no format.
			v, rs, err := c.v, []run(nil), error(nil)
			if res == nil || cols[c.col-1] != "" || !numeric(c.typ) {
				v, rs, err = im.value(c)
			}
			if err != nil {
				return false, err
			}
			for len(row) < c.col-1 {
				row, runs = append(row, ""), append(runs, nil)
			}
			row, runs = append(row, v), append(runs, rs)
		}
		if res == nil {
			found := map[int]string{}
			seen := map[string]bool{}
			for j, v := range row {
				if field, ok := labels[fold(v)]; ok && !seen[field] {
					found[j], seen[field] = field, true
				}
			}
			if seen[doc.FieldContent] && seen[doc.FieldLead] {
				cols = found
				res = &Result{Sheet: sh.name, Header: rowNum, Tasks: []doc.Task{}}
				for j := range row {
					if f, ok := cols[j]; ok {
						res.Columns = append(res.Columns, f)
					}
				}
			}
			return false, nil
		}
		if blank(row) || isHeader(row, cols) {
			return false, nil
		}
		res.addRow(rowNum, row, runs, cols)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// addRow reads one row of the table into a task, or a row error.
func (res *Result) addRow(rowNum int, row []string, runs [][]run, cols map[int]string) {
	t := doc.Task{}
	var problems []string
	for j, field := range cols {
		if j >= len(row) || strings.TrimSpace(row[j]) == "" {
			continue
		}
		switch field {
		case doc.FieldContent:
			t.Content = markdown(runs[j], row[j])
		case doc.FieldOutput:
			t.Output = markdown(runs[j], row[j])
		case doc.FieldNote:
			t.Note = markdown(runs[j], row[j])
		case doc.FieldLead:
			t.Lead = agencies(row[j])
		case doc.FieldCooperating:
			t.Cooperating = agencies(row[j])
		case doc.FieldDeadline:
			t.Deadline = doc.Deadline{Text: strings.Join(strings.Fields(text.Clean(row[j])), " ")}
		}
	}
	if t.Content == "" {
		problems = append(problems, "the column \"Nội dung\" is empty")
	}
	if len(t.Lead) == 0 {
		problems = append(problems, "the column \"Cơ quan chủ trì\" is empty")
	}
	if len([]rune(t.Content)) > 100000 {
		problems = append(problems, "the content is longer than 100000 characters")
	}
	if len(problems) > 0 {
		res.Errors = append(res.Errors, RowError{Row: rowNum, Reason: strings.Join(problems, "; ")})
		return
	}
	t.Normalize()
	res.Tasks = append(res.Tasks, t)
	res.Rows = append(res.Rows, rowNum)
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// isHeader recognises a header row repeated inside the table.
func isHeader(row []string, cols map[int]string) bool {
	for j, field := range cols {
		if j < len(row) && labels[fold(row[j])] == field && field == doc.FieldContent {
			return true
		}
	}
	return false
}

var (
	listMarker = regexp.MustCompile(`^\s*(?:[-+•–]\s+|\d{1,3}[.)]\s+)`)
	numbered   = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+`)
	// leadingNumber would make a line an ordered list item.
	leadingNumber = regexp.MustCompile(`^\d{1,9}[.)]`)
)

// agencies splits a cell into agency names: one per line or per ";",
// without list markers and closing punctuation.
func agencies(s string) []string {
	var out []string
	items := strings.FieldsFunc(text.Clean(s), func(r rune) bool { return r == '\n' || r == ';' })
	for _, line := range items {
		// A dash is always a marker; a number only in a list of several
		// (a lone "2. Các ban, phòng" is the plan's own wording).
		if len(items) > 1 || !numbered.MatchString(line) {
			line = listMarker.ReplaceAllString(line, "")
		}
		line = strings.TrimSpace(line)
		line = strings.TrimSpace(strings.TrimRight(line, ";.,"))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// markdown turns a cell's rich text into Markdown: one paragraph or list
// item per line, bold and italic runs marked.
func markdown(runs []run, plain string) string {
	if len(runs) == 0 {
		runs = []run{{text: plain}}
	}
	var lines []string
	var cur strings.Builder
	for _, r := range runs {
		bold, italic := r.bold, r.italic
		parts := strings.Split(text.Clean(r.text), "\n")
		for k, p := range parts {
			if k > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			cur.WriteString(styled(p, bold, italic, cur.Len() == 0))
		}
	}
	lines = append(lines, cur.String())
	var blocks []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			blocks = append(blocks, l)
		}
	}
	return strings.Join(blocks, "\n\n")
}

// styled escapes a run and marks its style, keeping spaces outside the
// markers as Markdown requires.
func styled(s string, bold, italic, lineStart bool) string {
	core := strings.TrimSpace(s)
	if core == "" {
		return s
	}
	lead := s[:strings.Index(s, core)]
	trail := s[len(lead)+len(core):]
	marker := ""
	if lineStart && lead == "" {
		// A list marker stays a marker; other leading text is escaped.
		if m := listMarker.FindString(core); m != "" && (strings.HasPrefix(m, "-") || strings.HasPrefix(m, "+")) {
			marker, core = m, core[len(m):]
		}
	}
	core = escape(core, lineStart && marker == "" && lead == "")
	switch {
	case bold && italic:
		core = "***" + core + "***"
	case bold:
		core = "**" + core + "**"
	case italic:
		core = "*" + core + "*"
	}
	return lead + marker + core + trail
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`, `[`, `\[`)

// escape keeps plain text from being read as Markdown.
func escape(s string, lineStart bool) string {
	s = mdSpecial.Replace(s)
	if lineStart {
		if strings.HasPrefix(s, "#") || strings.HasPrefix(s, ">") || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			s = `\` + s
		}
		if m := leadingNumber.FindString(s); m != "" {
			s = m[:len(m)-1] + `\` + s[len(m)-1:]
		}
	}
	return s
}
