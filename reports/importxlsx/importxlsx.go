// Package importxlsx reads an appendix task table from an XLSX file: the
// layout baocao's Excel renderer writes (a title block, a header row, one
// row per task) or any plain table whose header row names the columns in
// Vietnamese ("Nội dung", "Cơ quan chủ trì", …). Styled runs come back as
// Markdown, so a round trip keeps italics, bold and lists.
package importxlsx

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
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

// MaxRows bounds the rows read from one file.
const MaxRows = 20000

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

func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, s)
	out = strings.NewReplacer("đ", "d", "Đ", "d").Replace(strings.ToLower(out))
	return strings.Join(strings.Fields(out), " ")
}

// Read reads the first sheet that holds a task table.
func Read(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20+1))
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	if len(data) > 32<<20 {
		return nil, fmt.Errorf("the spreadsheet is larger than 32 MB")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not an XLSX file: %w", err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		res, err := readSheet(f, sheet)
		if err != nil {
			return nil, err
		}
		if res != nil {
			return res, nil
		}
	}
	return nil, fmt.Errorf("no sheet has a header row with the columns \"Nội dung\" and \"Cơ quan chủ trì\"")
}

// readSheet returns nil when the sheet has no task table.
func readSheet(f *excelize.File, sheet string) (*Result, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", sheet, err)
	}
	if len(rows) > MaxRows {
		return nil, fmt.Errorf("sheet %s has %d rows; at most %d are read", sheet, len(rows), MaxRows)
	}
	header, cols := -1, map[int]string{}
	for i := 0; i < len(rows) && i < 30 && header < 0; i++ {
		found := map[int]string{}
		seen := map[string]bool{}
		for j, v := range rows[i] {
			if field, ok := labels[fold(v)]; ok && !seen[field] {
				found[j], seen[field] = field, true
			}
		}
		if seen[doc.FieldContent] && seen[doc.FieldLead] {
			header, cols = i, found
		}
	}
	if header < 0 {
		return nil, nil
	}
	res := &Result{Sheet: sheet, Header: header + 1, Tasks: []doc.Task{}}
	for j := 0; j < len(rows[header]); j++ {
		if f, ok := cols[j]; ok {
			res.Columns = append(res.Columns, f)
		}
	}
	for i := header + 1; i < len(rows); i++ {
		row := rows[i]
		if blank(row) || isHeader(row, cols) {
			continue
		}
		t := doc.Task{}
		var problems []string
		for j, field := range cols {
			if j >= len(row) || strings.TrimSpace(row[j]) == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			md, err := markdown(f, sheet, cell, row[j])
			if err != nil {
				return nil, err
			}
			switch field {
			case doc.FieldContent:
				t.Content = md
			case doc.FieldOutput:
				t.Output = md
			case doc.FieldNote:
				t.Note = md
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
			res.Errors = append(res.Errors, RowError{Row: i + 1, Reason: strings.Join(problems, "; ")})
			continue
		}
		t.Normalize()
		res.Tasks = append(res.Tasks, t)
		res.Rows = append(res.Rows, i+1)
	}
	return res, nil
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
func markdown(f *excelize.File, sheet, cell, plain string) (string, error) {
	runs, err := f.GetCellRichText(sheet, cell)
	if err != nil {
		return "", fmt.Errorf("cell %s!%s: %w", sheet, cell, err)
	}
	if len(runs) == 0 {
		runs = []excelize.RichTextRun{{Text: plain}}
	}
	var lines []string
	var cur strings.Builder
	for _, r := range runs {
		bold := r.Font != nil && r.Font.Bold
		italic := r.Font != nil && r.Font.Italic
		parts := strings.Split(text.Clean(r.Text), "\n")
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
	return strings.Join(blocks, "\n\n"), nil
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
		if m := regexp.MustCompile(`^\d{1,9}[.)]`).FindString(s); m != "" {
			s = m[:len(m)-1] + `\` + s[len(m)-1:]
		}
	}
	return s
}
