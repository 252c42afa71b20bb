// Package report writes the periodic report (Báo cáo) of a plan for a
// reporting period: its body from a Markdown template over the aggregated
// progress and the secretariat's narrative, and its two appendix tables.
package report

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/richtext"
	"baocao/reports/vn"
)

// Narrative holds the parts of a report that the data cannot write; the
// secretariat fills them in on the draft (Markdown).
//
// Each part left empty is drafted from the data (see Drafted); the
// secretariat edits the draft before issuing.
type Narrative struct {
	Assessment   string `json:"assessment,omitempty"`   // đánh giá chung
	Results      string `json:"results,omitempty"`      // kết quả thực hiện các nhiệm vụ
	Shortcomings string `json:"shortcomings,omitempty"` // tồn tại, hạn chế
	Causes       string `json:"causes,omitempty"`       // nguyên nhân
	Directions   string `json:"directions,omitempty"`   // nhiệm vụ, phương hướng kỳ tới
	Proposals    string `json:"proposals,omitempty"`    // đề xuất, kiến nghị
	// Addressees ("Kính gửi") and Recipients ("Nơi nhận") of the report;
	// empty: drafted from the plan (see Addressees).
	Addressees []string `json:"addressees,omitempty"`
	Recipients []string `json:"recipients,omitempty"`
}

// Input is what a report is made from.
type Input struct {
	Plan      *doc.Document
	Period    period.Period
	Board     *progress.Board
	Narrative Narrative
	// Title overrides the default title.
	Title string
	// Number is the report's number, 0 while it is a draft.
	Number int
	// Date is the report's date; a draft may leave the day blank.
	Date doc.Date
	// AsOf is the day the board was computed for.
	AsOf time.Time
	// Replaces names the issued report this one replaces (Decree 30 art.
	// 18), nil for none.
	Replaces *Replaced
	// DetailedUpTo is the most tasks due the drafted sections go through
	// one by one; beyond it they summarise. 0 means the package's
	// DetailedUpTo, a negative value always summarises.
	DetailedUpTo int
}

// Replaced is an issued report that a new one replaces.
type Replaced struct {
	Number int
	Symbol string // "BC-UBND"
	Date   doc.Date
}

// DefaultTitle is "Kết quả thực hiện Kế hoạch tuyên truyền … Quý I năm 2024".
func DefaultTitle(plan *doc.Document, p period.Period) string {
	title := LowerFirst(plan.Title)
	title = strings.TrimSuffix(title, fmt.Sprintf(" năm %d", p.Year))
	return fmt.Sprintf("Kết quả thực hiện %s %s %s", plan.KindName(), title, p.Name())
}

// LowerFirst lowers a sentence's first letter to go on after other words
// ("Tuyên truyền …" → "tuyên truyền …"), keeping acronyms ("UBND").
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	// Keep proper nouns and acronyms: only a capital followed by a small
	// letter is lowered ("Tuyên truyền" → "tuyên truyền", "UBND" stays).
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Funcs are the helpers templates use.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"date": func(t time.Time) string { return vn.DateWords(t.Year(), int(t.Month()), t.Day()) },
		"number": func(v any) string {
			switch x := v.(type) {
			case int:
				return vn.Int(int64(x))
			case int64:
				return vn.Int(x)
			case float64:
				return vn.Number(x, 2)
			}
			return fmt.Sprint(v)
		},
		"percent":    func(part, whole int) string { return vn.Percent(float64(part), float64(whole)) },
		"words":      func(n int) string { return vn.Words(int64(n)) },
		"agencies":   joinAgencies,
		"status":     func(s string) string { return strings.ToLower(progress.StatusNames[s]) },
		"plain":      plainInline,
		"lowerFirst": LowerFirst,
		"figure":     figure,
		"upper":      vn.Upper,
	}
}

// figure writes a quantity: "24 tin bài", or "lượt người tham dự: 350
// lượt" when the unit is not the thing counted.
func figure(f progress.Figure) string {
	v := vn.Number(f.Value, 2)
	if f.Unit == "" || f.Unit == f.Name {
		return escapeMD(v + " " + f.Name)
	}
	return escapeMD(f.Name + ": " + v + " " + f.Unit)
}

// joinAgencies lists names in Vietnamese order: "A, B và C".
func joinAgencies(names []string) string {
	n := append([]string(nil), names...)
	sortVietnamese(n)
	return joinPlain(n)
}

// sortVietnamese sorts names in Vietnamese order.
func sortVietnamese(names []string) { collate.New(language.Vietnamese).SortStrings(names) }

var spaces = regexp.MustCompile(`\s+`)

// plainInline is Markdown flattened to one line without markup, its final
// stop removed so that a sentence can go on.
func plainInline(md string) string {
	var b strings.Builder
	for _, blk := range richtext.Parse(md) {
		t := strings.TrimSpace(strings.TrimPrefix(blk.Text(), blk.Marker))
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			// After "trong đó:" the list goes on; otherwise parts are
			// separated by semicolons.
			if s := b.String(); !strings.HasSuffix(s, ":") {
				b.WriteString(";")
			}
			b.WriteString(" ")
		}
		b.WriteString(strings.TrimRight(t, ".;"))
	}
	return escapeMD(spaces.ReplaceAllString(strings.TrimRight(b.String(), ":"), " "))
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`, `[`, `\[`)

func escapeMD(s string) string { return mdSpecial.Replace(s) }

// Reference is the replaced report's number and symbol: "01/BC-UBND".
func (r Replaced) Reference() string { return doc.Reference(r.Number, r.Symbol) }

// Kind is a periodic report's kind (Decree 30, App. III: Báo cáo).
const Kind = "BC"

// Symbol is the symbol of a plan's reports: "BC-UBND".
func Symbol(plan *doc.Document) string {
	return (&doc.Document{Kind: Kind, Agency: plan.Agency}).FullSymbol()
}
