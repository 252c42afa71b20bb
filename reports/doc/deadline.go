package doc

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Deadline is a task's time as the plan words it ("Thường xuyên", "Quý II",
// "Tháng 4/2022", "Quý I, 6 tháng, Quý III, năm"…). The words are kept as
// written; Meaning says what they mean for reporting.
type Deadline struct {
	Text string
}

// DeadlineKind classifies what a deadline means.
type DeadlineKind string

// Deadline kinds.
const (
	Regular  DeadlineKind = "regular" // Thường xuyên: due in every period
	OnDate   DeadlineKind = "date"    // a day: 30/6/2024, ngày 15 tháng 6 năm 2024
	InMonth  DeadlineKind = "month"   // Tháng 4/2022
	InMonths DeadlineKind = "months"  // Trước ngày 16 tháng 3, 6, 9, 12; Tháng 6 và tháng 12/2024
	Quarter  DeadlineKind = "quarter" // Quý II
	Periods  DeadlineKind = "periods" // Quý I, 6 tháng, Quý III, năm; Quý IV/2025 - Quý II/2026
	Year     DeadlineKind = "year"    // Năm 2024
	FreeText DeadlineKind = "text"    // anything else
	// Invalid words look like a date but name one that does not exist
	// ("31/02/2024", "Tháng 13/2024", "Quý V"): Problem says why, and
	// Validate refuses them.
	Invalid DeadlineKind = "invalid"
)

// Period codes used in a Meaning: Q1–Q4, H1 (6 tháng), 9M (9 tháng), Y (năm).
const (
	PeriodQ1 = "Q1"
	PeriodQ2 = "Q2"
	PeriodQ3 = "Q3"
	PeriodQ4 = "Q4"
	PeriodH1 = "H1"
	Period9M = "9M"
	PeriodY  = "Y"
)

// Meaning is the parsed sense of a deadline.
type Meaning struct {
	Kind DeadlineKind `json:"kind"`
	// Year is the year the words name, else the plan's; for a range across
	// years, its first year.
	Year int `json:"year,omitempty"`
	// Date is set for OnDate: the day named ("Trước ngày 30/6/2024" is
	// 30 June).
	Date time.Time `json:"date,omitzero"`
	// Day is the day of month for InMonths ("trước ngày 16": the task is
	// due by the 15th of each month listed); 0 when the words name months
	// only ("Tháng 6 và tháng 12"): due by each month's last day.
	Day    int   `json:"day,omitempty"`
	Months []int `json:"months,omitempty"`
	// Quarter is 1–4 for Quarter.
	Quarter int `json:"quarter,omitempty"`
	// Periods are the reporting periods of Year the task is due in ("Q1",
	// "H1", "Y"…) or, when the words span several years, full period codes
	// ("2025-Q4", "2026-Q1").
	Periods []string `json:"periods,omitempty"`
	// Times is how often the words say the task is done ("02 lần vào Quý
	// II và Quý IV": 2), 0 when they do not count. It is shown, not
	// checked: the task is due in the periods the words name.
	Times int `json:"times,omitempty"`
	// Problem says, for Invalid, what does not exist, in Vietnamese and
	// English: "ngày 31 tháng 2 không có / there is no 31 February".
	Problem string `json:"problem,omitempty"`
}

// MarshalJSON writes the words as a JSON string.
func (d Deadline) MarshalJSON() ([]byte, error) { return json.Marshal(d.Text) }

// UnmarshalJSON reads the words from a JSON string.
func (d *Deadline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want the deadline as the plan words it, a string")
	}
	d.Text = s
	return nil
}

// Check returns an error when the words look like a date but name one that
// does not exist (31/02/2024, ngày 45 tháng 6, tháng 13, quý V, a range that
// ends before it starts); year is the plan's year, used when the words name
// none (29/2 is refused in 2023, not in 2024).
func (d Deadline) Check(year int) error {
	if m := d.Meaning(year); m.Kind == Invalid {
		return errors.New(m.Problem)
	}
	return nil
}

// Meaning parses the words; year is the plan's year, used when the words
// name none. It never panics: words it does not understand are FreeText,
// words naming a day, month or quarter that does not exist are Invalid.
//
// Counted occurrences are due in the periods they name: "02 lần vào Quý II
// và Quý IV" in Q2 and Q4, "01 lần/quý" in every quarter, "01 lần/tháng"
// every month, "2 lần trong năm" (or a count alone) in the year report. A
// range is due in each of its quarters (months, years): "Quý II - Quý III
// năm 2024" in Q2 and Q3, "Quý IV/2025 - Quý II/2026" in 2025's Q4 and
// 2026's Q1 and Q2; "Quý IV - Quý II/2026" starts in 2025. "Trước", "đến",
// "chậm nhất", "trong", "vào" before a date, month or quarter read as "by
// the end of" it.
func (d Deadline) Meaning(year int) Meaning {
	s := normDeadline(d.Text)
	if s == "" {
		return Meaning{Kind: FreeText}
	}
	m := parseDeadline(s, year, 0)
	if m.Kind == "" || m.Kind == FreeText || m.Kind == Regular {
		// A date-like part that does not exist is refused even in free
		// text: "Khi có yêu cầu, chậm nhất 31/02/2024".
		if p := impossibleIn(s, year); p != "" {
			return Meaning{Kind: Invalid, Year: year, Problem: p}
		}
	}
	if m.Kind == "" {
		return Meaning{Kind: FreeText, Year: year}
	}
	return m
}

var dashes = strings.NewReplacer("–", "-", "—", "-", "−", "-", "‐", "-", "‑", "-")

func normDeadline(text string) string {
	s := strings.ToLower(strings.Join(strings.Fields(dashes.Replace(text)), " "))
	return strings.Trim(s, " .;:,")
}

// Pieces of the grammar.
const (
	rNum     = `0*(\d{1,4})`
	rRoman   = `([ivxl]+|\d{1,2})`
	rYearEnd = `(?:\s*(?:/|năm)\s*(\d{4}))?` // "/2024", " năm 2024"
	rSep     = `\s*(?:,|;|&|\s+và\s+|\s+hoặc\s+)\s*`
)

var (
	// Words that make a task ongoing: due in every period, never overdue.
	regularPrefixes = []string{"thường xuyên", "hằng tháng", "hàng tháng", "hằng quý", "hàng quý", "định kỳ",
		"cả năm", "trong năm", "liên tục", "hằng ngày", "hàng ngày", "hằng tuần", "hàng tuần", "suốt năm"}
	// Words before a time that do not change it.
	reLead = regexp.MustCompile(`^(?:(?:hoàn thành|thực hiện|triển khai|tổ chức|dự kiến|trước|đến hết|đến|tới|chậm nhất là|chậm nhất|muộn nhất|trong|vào|hạn chót|hạn|thời hạn|kể từ|giai đoạn)\s*:?\s+)+`)

	reCountFirst = regexp.MustCompile(`^(?:(?:tổ chức|thực hiện|ít nhất|tối thiểu|khoảng)\s+)*` + rNum + `\s*lần\s*(.*)$`)
	reCountLast  = regexp.MustCompile(`^(.+?)\s*[,:(-]?\s*\(?\s*(?:tổ chức\s+|thực hiện\s+)?` + rNum + `\s*lần\s*\)?$`)
	reCountEvery = regexp.MustCompile(`^(?:mỗi|hằng|hàng|một|01|1)\s+(quý|tháng|năm)` + rYearEnd + `\s*[,:]?\s*` + rNum + `\s*lần$`)
	reCountUnit  = regexp.MustCompile(`^(?:/|mỗi\s+|một\s+|trên\s+|hằng\s+|hàng\s+|trong\s+(?:mỗi\s+|một\s+)?|(?:0*1)\s+|/\s*0*1\s+)*\s*(quý|tháng|năm|6 tháng|06 tháng|sáu tháng)(?:\s*(?:/|năm)?\s*(\d{4}))?$`)

	reDMY        = regexp.MustCompile(`^(?:ngày\s+)?0*(\d{1,2})\s*([/.-])\s*0*(\d{1,2})(?:\s*([/.-])\s*(\d{4}))?$`)
	reDayMonths  = regexp.MustCompile(`^ngày\s+` + rNum + `\s+(?:của\s+)?(?:các\s+)?tháng\s+(\d{1,4}(?:` + rSep + `(?:tháng\s+)?\d{1,4})*)` + rYearEnd + `$`)
	reDayEvery   = regexp.MustCompile(`^ngày\s+` + rNum + `\s+(?:của\s+)?(?:hằng|hàng|mỗi|các)\s+tháng` + rYearEnd + `$`)
	reDayQuarEnd = regexp.MustCompile(`^ngày\s+` + rNum + `\s+(?:của\s+)?(?:các\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+|các\s+)?quý` + rYearEnd + `$`)
	reMonthList  = regexp.MustCompile(`^tháng\s+(\d{1,4}(?:` + rSep + `(?:tháng\s+)?\d{1,4})*)` + rYearEnd + `$`)
	reMonthYear  = regexp.MustCompile(`^` + rNum + `\s*/\s*(\d{4})$`)
	reYear       = regexp.MustCompile(`^(?:năm\s+)?(\d{4})$`)
	reYearTail   = regexp.MustCompile(`\s*(?:/|năm)\s*(\d{4})$`)
	reSepTail    = regexp.MustCompile(`(?:\s*(?:,|;|&)|\s+và|\s+hoặc)$`)
	reListSep    = regexp.MustCompile(rSep)
	reQItem      = regexp.MustCompile(`^(?:quý\s+)?` + rRoman + rYearEnd + `$`)
	reRange      = regexp.MustCompile(`^(?:từ\s+)?(.+?)(?:\s*-\s*|\s+(?:đến|tới)(?:\s+hết)?\s+)(.+)$`)
	reEndQ       = regexp.MustCompile(`^(quý\s+)?` + rRoman + rYearEnd + `$`)
	reEndM       = regexp.MustCompile(`^(tháng\s+)?` + rNum + rYearEnd + `$`)
	reEndY       = regexp.MustCompile(`^(năm\s+)?(\d{4})$`)
	reEndD       = regexp.MustCompile(`^(?:ngày\s+)?0*(\d{1,2})\s*/\s*0*(\d{1,2})(?:\s*/\s*(\d{4}))?$`)
	reDigits     = regexp.MustCompile(`\d+`)

	// Date-like parts of free text, checked for days that do not exist.
	reFreeDMY   = regexp.MustCompile(`(?:^|[^\d/.-])(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[^\d/])`)
	reFreeDM    = regexp.MustCompile(`ngày\s+(\d{1,2})\s*(?:/|tháng\s+)(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?`)
	reFreeMonth = regexp.MustCompile(`(?:^|\s)tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*\d{4}|\s*$|\s*[,;.)])`)
	reFreeQ     = regexp.MustCompile(`(?:^|\s)quý\s+([ivxl]+|\d{1,2})(?:\s*(?:/|năm)\s*\d{4}|\s*$|\s*[,;.)-])`)
)

var romans = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4, "01": 1, "02": 2, "03": 3, "04": 4}

var periodWords = map[string][]string{
	"quý i": {PeriodQ1}, "quý ii": {PeriodQ2}, "quý iii": {PeriodQ3}, "quý iv": {PeriodQ4},
	"6 tháng": {PeriodH1}, "06 tháng": {PeriodH1}, "sáu tháng": {PeriodH1},
	"6 tháng đầu năm": {PeriodH1}, "06 tháng đầu năm": {PeriodH1}, "6 tháng đầu": {PeriodH1}, "06 tháng đầu": {PeriodH1},
	"6 tháng cuối năm": {PeriodQ3, PeriodQ4}, "06 tháng cuối năm": {PeriodQ3, PeriodQ4}, "6 tháng cuối": {PeriodQ3, PeriodQ4},
	"06 tháng cuối": {PeriodQ3, PeriodQ4},
	"9 tháng":       {Period9M}, "09 tháng": {Period9M}, "chín tháng": {Period9M}, "9 tháng đầu năm": {Period9M},
	"năm": {PeriodY}, "cả năm": {PeriodY}, "hằng năm": {PeriodY}, "hàng năm": {PeriodY}, "cuối năm": {PeriodY},
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// Limits on what the words may span.
const (
	maxRangeYears = 20
	maxDepth      = 3
)

func atoi(v string, def int) int {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return def
}

func invalid(year int, format string, args ...any) Meaning {
	return Meaning{Kind: Invalid, Year: year, Problem: fmt.Sprintf(format, args...)}
}

// noMonth is the problem of a month that does not exist.
func noMonth(mo int) string {
	return fmt.Sprintf("tháng %d không có / there is no month %d", mo, mo)
}

// noDay is the problem of day dd of month mo (1–12) that does not exist in
// year y (0: in no year).
func noDay(dd, mo, y int) string {
	if dd == 29 && mo == 2 && y != 0 {
		return fmt.Sprintf("ngày 29 tháng 2 năm %d không có / there is no 29 February %d", y, y)
	}
	return fmt.Sprintf("ngày %d tháng %d không có / there is no %d %s", dd, mo, dd, monthNames[mo])
}

// dayProblem says what is wrong with day dd of month mo of year y, or "".
// Year 0 is a leap year, so 29/2 with no year known passes.
func dayProblem(dd, mo, y int) string {
	if mo < 1 || mo > 12 {
		return noMonth(mo)
	}
	if dd < 1 || dd > 31 || time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC).Day() != dd {
		return noDay(dd, mo, y)
	}
	return ""
}

// quarterOf reads a quarter numeral, "" and ok when it exists, else the
// problem.
func quarterOf(v string) (int, string) {
	if q, ok := romans[v]; ok {
		return q, ""
	}
	return 0, fmt.Sprintf("quý %s không có / there is no quarter %s", strings.ToUpper(v), strings.ToUpper(v))
}

// parseDeadline reads normalised words; Kind "" means not understood.
func parseDeadline(s string, year, depth int) Meaning {
	if depth > maxDepth || s == "" {
		return Meaning{}
	}
	// Counted occurrences: "02 lần vào Quý II và Quý IV", "01 lần/quý",
	// "Quý II và Quý IV (02 lần)", "mỗi quý 01 lần".
	if m := counted(s, year, depth); m.Kind != "" {
		return m
	}
	// "Định kỳ Quý I, 06 tháng, 09 tháng, năm": the periods named.
	if rest, ok := strings.CutPrefix(s, "định kỳ "); ok {
		if m := parseDeadline(strings.TrimLeft(rest, " :,"), year, depth+1); m.Kind != "" && m.Kind != Regular {
			return m
		}
	}
	for _, w := range regularPrefixes {
		if strings.HasPrefix(s, w) {
			return Meaning{Kind: Regular, Year: year}
		}
	}
	core := reLead.ReplaceAllString(s, "")
	if core == "" {
		return Meaning{}
	}
	if m := dateForms(core, year); m.Kind != "" {
		return m
	}
	if m := rangeOf(core, year); m.Kind != "" {
		return m
	}
	return periodList(core, year)
}

// counted reads a count of occurrences and what it is counted over.
func counted(s string, year, depth int) Meaning {
	times, rest := 0, ""
	if m := reCountEvery.FindStringSubmatch(s); m != nil {
		times, rest = atoi(m[3], 0), "/"+m[1]
		if m[2] != "" {
			rest += "/" + m[2]
		}
	} else if m := reCountFirst.FindStringSubmatch(s); m != nil {
		times, rest = atoi(m[1], 0), strings.Trim(m[2], " :,()")
	} else if m := reCountLast.FindStringSubmatch(s); m != nil {
		times, rest = atoi(m[2], 0), strings.Trim(m[1], " :,(")
	} else {
		return Meaning{}
	}
	if times < 1 {
		return Meaning{}
	}
	if rest == "" {
		return Meaning{Kind: Year, Year: year, Times: times}
	}
	if u := reCountUnit.FindStringSubmatch(rest); u != nil {
		y := atoi(u[2], year)
		switch u[1] {
		case "quý":
			return Meaning{Kind: Periods, Year: y, Periods: []string{PeriodQ1, PeriodQ2, PeriodQ3, PeriodQ4}, Times: times}
		case "tháng":
			return Meaning{Kind: InMonths, Year: y, Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Times: times}
		case "năm":
			return Meaning{Kind: Year, Year: y, Times: times}
		default: // 6 tháng: the first half and the year
			return Meaning{Kind: Periods, Year: y, Periods: []string{PeriodH1, PeriodY}, Times: times}
		}
	}
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(rest, "/"), "trong "))
	m := parseDeadline(rest, year, depth+1)
	switch m.Kind {
	case "", FreeText, Regular:
		return Meaning{}
	case Invalid:
		return m
	}
	m.Times = times
	return m
}

// dateForms reads days, months and years.
func dateForms(s string, year int) Meaning {
	if m := reMonthYear.FindStringSubmatch(s); m != nil {
		mo, y := atoi(m[1], 0), atoi(m[2], year)
		if mo < 1 || mo > 12 {
			return invalid(y, "%s", noMonth(mo))
		}
		return Meaning{Kind: InMonth, Year: y, Months: []int{mo}}
	}
	if m := reDMY.FindStringSubmatch(s); m != nil && (m[4] == "" || m[4] == m[2]) {
		dd, mo, y := atoi(m[1], 0), atoi(m[3], 0), atoi(m[5], year)
		if m[4] == "" && m[2] != "/" {
			return Meaning{} // "6-9", "1.5": not a day
		}
		if p := dayProblem(dd, mo, y); p != "" {
			return invalid(y, "%s", p)
		}
		return Meaning{Kind: OnDate, Year: y, Date: time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC)}
	}
	day := func(v string) int { return atoi(v, 0) }
	var dd, y int
	var months []int
	switch {
	case reDayEvery.MatchString(s):
		m := reDayEvery.FindStringSubmatch(s)
		dd, y = day(m[1]), atoi(m[2], year)
		if dd < 1 || dd > 31 {
			return invalid(y, "ngày %d không có / there is no day %d", dd, dd)
		}
		// A day that some months lack is the last day of those months.
		return Meaning{Kind: InMonths, Year: y, Day: dd, Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	case reDayQuarEnd.MatchString(s):
		m := reDayQuarEnd.FindStringSubmatch(s)
		dd, y, months = day(m[1]), atoi(m[2], year), []int{3, 6, 9, 12}
	case reDayMonths.MatchString(s):
		m := reDayMonths.FindStringSubmatch(s)
		dd, y = day(m[1]), atoi(m[3], year)
		for _, f := range reDigits.FindAllString(m[2], -1) {
			months = append(months, atoi(f, 0))
		}
	case reMonthList.MatchString(s):
		m := reMonthList.FindStringSubmatch(s)
		y = atoi(m[2], year)
		for _, f := range reDigits.FindAllString(m[1], -1) {
			months = append(months, atoi(f, 0))
		}
	case reYear.MatchString(s):
		return Meaning{Kind: Year, Year: atoi(reYear.FindStringSubmatch(s)[1], year)}
	default:
		return Meaning{}
	}
	for _, mo := range months {
		if mo < 1 || mo > 12 {
			return invalid(y, "%s", noMonth(mo))
		}
		if dd != 0 {
			if p := dayProblem(dd, mo, y); p != "" {
				return invalid(y, "%s", p)
			}
		}
	}
	months = sortedUnique(months)
	switch {
	case len(months) == 1 && dd != 0:
		return Meaning{Kind: OnDate, Year: y, Date: time.Date(y, time.Month(months[0]), dd, 0, 0, 0, 0, time.UTC)}
	case len(months) == 1:
		return Meaning{Kind: InMonth, Year: y, Months: months}
	}
	return Meaning{Kind: InMonths, Year: y, Day: dd, Months: months}
}

func sortedUnique(v []int) []int {
	slices.Sort(v)
	return slices.Compact(v)
}

// An end of a range: a quarter, month, year or day, with its year when the
// words give one.
type rangeEnd struct {
	unit    byte // 'q', 'm', 'y', 'd'
	n, day  int
	year    int
	named   bool // the unit word is written ("quý", "tháng")
	problem string
	hasYear bool
}

func endOf(s string) (rangeEnd, bool) {
	s = strings.TrimSpace(reLead.ReplaceAllString(s, ""))
	if m := reEndD.FindStringSubmatch(s); m != nil {
		e := rangeEnd{unit: 'd', day: atoi(m[1], 0), n: atoi(m[2], 0), year: atoi(m[3], 0), hasYear: m[3] != ""}
		return e, true
	}
	if m := reEndY.FindStringSubmatch(s); m != nil {
		return rangeEnd{unit: 'y', year: atoi(m[2], 0), hasYear: true, named: m[1] != ""}, true
	}
	if m := reEndQ.FindStringSubmatch(s); m != nil && (m[1] != "" || !reDigits.MatchString(m[2])) {
		q, p := quarterOf(m[2])
		return rangeEnd{unit: 'q', n: q, problem: p, year: atoi(m[3], 0), hasYear: m[3] != "", named: m[1] != ""}, true
	}
	if m := reEndM.FindStringSubmatch(s); m != nil {
		e := rangeEnd{unit: 'm', n: atoi(m[2], 0), year: atoi(m[3], 0), hasYear: m[3] != "", named: m[1] != ""}
		if e.n < 1 || e.n > 12 {
			e.problem = noMonth(e.n)
		}
		return e, true
	}
	return rangeEnd{}, false
}

// rangeOf reads "Quý IV/2025 - Quý II/2026", "Từ Quý III/2024 đến Quý
// I/2025", "Quý II - Quý III năm 2024", "Tháng 6 - tháng 9/2024", "Năm 2024
// - 2025", "Từ ngày 01/6 đến ngày 30/6/2024".
func rangeOf(s string, year int) Meaning {
	m := reRange.FindStringSubmatch(s)
	if m == nil {
		return Meaning{}
	}
	a, ok1 := endOf(m[1])
	b, ok2 := endOf(m[2])
	if !ok1 || !ok2 {
		return Meaning{}
	}
	// A bare number takes the unit of the other end: "Quý II - III", "tháng 6 - 9/2024".
	if a.unit != b.unit {
		switch {
		case a.unit == 'q' && a.named && b.unit == 'm' && !b.named && b.n >= 1 && b.n <= 4:
			b = rangeEnd{unit: 'q', n: b.n, year: b.year, hasYear: b.hasYear}
		case b.unit == 'q' && b.named && a.unit == 'm' && !a.named && a.n >= 1 && a.n <= 4:
			a = rangeEnd{unit: 'q', n: a.n, year: a.year, hasYear: a.hasYear}
		default:
			return Meaning{}
		}
	}
	if a.unit == 'm' && !a.named && !b.named {
		return Meaning{} // "6 - 9": not clearly months
	}
	if a.unit == 'q' && !a.named && !b.named {
		return Meaning{}
	}
	for _, e := range []rangeEnd{a, b} {
		if e.problem != "" {
			return invalid(year, "%s", e.problem)
		}
	}
	// Years: each end's own, else the other end's, else the plan's.
	switch {
	case !a.hasYear && !b.hasYear:
		a.year, b.year = year, year
	case !a.hasYear:
		a.year = b.year
	case !b.hasYear:
		b.year = a.year
	}
	if a.unit == 'd' {
		for _, e := range []rangeEnd{a, b} {
			if p := dayProblem(e.day, e.n, e.year); p != "" {
				return invalid(e.year, "%s", p)
			}
		}
		from := time.Date(a.year, time.Month(a.n), a.day, 0, 0, 0, 0, time.UTC)
		to := time.Date(b.year, time.Month(b.n), b.day, 0, 0, 0, 0, time.UTC)
		if to.Before(from) {
			return invalid(year, "khoảng thời gian kết thúc trước khi bắt đầu / the range ends before it starts")
		}
		// A task done over some days is due by the last of them.
		return Meaning{Kind: OnDate, Year: b.year, Date: to}
	}
	// Ends as counts of quarters, months or years since year 0.
	per := map[byte]int{'q': 4, 'm': 12, 'y': 1}[a.unit]
	idx := func(e rangeEnd) int {
		if e.unit == 'y' {
			return e.year
		}
		return e.year*per + e.n - 1
	}
	from, to := idx(a), idx(b)
	if from > to && !a.hasYear {
		// "Quý IV - Quý II/2026": from the year before; "Quý IV - Quý II":
		// into the next year.
		if b.hasYear {
			a.year--
		} else {
			b.year++
		}
		from, to = idx(a), idx(b)
	}
	if a.year < 0 {
		return Meaning{}
	}
	if from > to {
		return invalid(year, "khoảng thời gian kết thúc trước khi bắt đầu / the range ends before it starts")
	}
	if to-from >= maxRangeYears*per {
		return invalid(year, "khoảng thời gian dài hơn %d năm / the range spans more than %d years", maxRangeYears, maxRangeYears)
	}
	if a.year == b.year {
		switch a.unit {
		case 'y':
			return Meaning{Kind: Year, Year: a.year}
		case 'q':
			if a.n == b.n {
				return Meaning{Kind: Quarter, Year: a.year, Quarter: a.n}
			}
			var ps []string
			for q := a.n; q <= b.n; q++ {
				ps = append(ps, fmt.Sprintf("Q%d", q))
			}
			return Meaning{Kind: Periods, Year: a.year, Periods: ps}
		default:
			var ms []int
			for mo := a.n; mo <= b.n; mo++ {
				ms = append(ms, mo)
			}
			if len(ms) == 1 {
				return Meaning{Kind: InMonth, Year: a.year, Months: ms}
			}
			return Meaning{Kind: InMonths, Year: a.year, Months: ms}
		}
	}
	// Across years: full period codes.
	var ps []string
	for i := from; i <= to; i++ {
		var code string
		switch a.unit {
		case 'y':
			code = fmt.Sprintf("%04d-Y", i)
		case 'q':
			code = fmt.Sprintf("%04d-Q%d", i/4, i%4+1)
		default: // a month: its quarter
			code = fmt.Sprintf("%04d-Q%d", i/12, (i%12)/3+1)
		}
		if len(ps) == 0 || ps[len(ps)-1] != code {
			ps = append(ps, code)
		}
	}
	return Meaning{Kind: Periods, Year: a.year, Periods: ps}
}

// periodList reads quarters and reporting periods: "Quý II", "Quý I, II
// năm 2017", "Quý II và Quý IV", "Quý I, 6 tháng, 9 tháng, năm",
// "6 tháng đầu năm 2024", "Quý IV/2024 và Quý I/2025".
func periodList(s string, year int) Meaning {
	def := year
	if m := reYearTail.FindStringSubmatch(s); m != nil && !reYear.MatchString(s) {
		def = atoi(m[1], year)
		s = strings.TrimSpace(s[:len(s)-len(m[0])])
		if reSepTail.MatchString(s) { // "Quý I, 6 tháng, 9 tháng, năm 2022": the year report too
			s = strings.TrimSpace(reSepTail.ReplaceAllString(s, "")) + ", năm"
		}
	}
	if s == "" {
		return Meaning{}
	}
	type item struct {
		code string
		year int
	}
	var items []item
	quarters := false // the last item was a quarter: "Quý I, II"
	for _, part := range reListSep.Split(s, -1) {
		part = strings.TrimSpace(reLead.ReplaceAllString(part, ""))
		if codes, ok := periodWords[part]; ok {
			for _, c := range codes {
				items = append(items, item{c, def})
			}
			quarters = strings.HasPrefix(part, "quý")
			continue
		}
		m := reQItem.FindStringSubmatch(part)
		if m == nil || (!strings.HasPrefix(part, "quý") && !quarters) {
			return Meaning{}
		}
		q, p := quarterOf(m[1])
		if p != "" {
			return invalid(def, "%s", p)
		}
		items = append(items, item{fmt.Sprintf("Q%d", q), atoi(m[2], def)})
		quarters = true
	}
	first, same := items[0].year, true
	for _, it := range items {
		first = min(first, it.year)
		same = same && it.year == items[0].year
	}
	var codes []string
	for _, it := range items {
		c := it.code
		if !same {
			c = fmt.Sprintf("%04d-%s", it.year, it.code)
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	if len(codes) == 1 && same && strings.HasPrefix(codes[0], "Q") {
		return Meaning{Kind: Quarter, Year: first, Quarter: int(codes[0][1] - '0')}
	}
	return Meaning{Kind: Periods, Year: first, Periods: codes}
}

// impossibleIn finds, in words not otherwise understood, a date-like part
// naming a day, month or quarter that does not exist.
func impossibleIn(s string, year int) string {
	if strings.Contains(s, "âm lịch") { // lunar months have 30 days
		return ""
	}
	for _, m := range reFreeDMY.FindAllStringSubmatch(s, -1) {
		if p := dayProblem(atoi(m[1], 0), atoi(m[2], 0), atoi(m[3], year)); p != "" {
			return p
		}
	}
	for _, m := range reFreeDM.FindAllStringSubmatch(s, -1) {
		if p := dayProblem(atoi(m[1], 0), atoi(m[2], 0), atoi(m[3], year)); p != "" {
			return p
		}
	}
	for _, m := range reFreeMonth.FindAllStringSubmatch(s, -1) {
		if mo := atoi(m[1], 0); mo < 1 || mo > 12 {
			return noMonth(mo)
		}
	}
	for _, m := range reFreeQ.FindAllStringSubmatch(s, -1) {
		if _, p := quarterOf(m[1]); p != "" {
			return p
		}
	}
	return ""
}
