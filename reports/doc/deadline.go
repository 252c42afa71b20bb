package doc

import (
	"encoding/json"
	"fmt"
	"regexp"
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
	OnDate   DeadlineKind = "date"    // a day: 30/6/2024
	InMonth  DeadlineKind = "month"   // Tháng 4/2022
	InMonths DeadlineKind = "months"  // Trước ngày 16 tháng 3, 6, 9, 12
	Quarter  DeadlineKind = "quarter" // Quý II
	Periods  DeadlineKind = "periods" // Quý I, 6 tháng, Quý III, năm
	Year     DeadlineKind = "year"    // Năm 2024
	FreeText DeadlineKind = "text"    // anything else
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
	Year int          `json:"year,omitempty"`
	// Date is set for OnDate (and is the last day when "trước ngày" is used
	// with a day and month).
	Date time.Time `json:"date,omitzero"`
	// Day is the day of month for InMonths ("trước ngày 16").
	Day     int      `json:"day,omitempty"`
	Months  []int    `json:"months,omitempty"`
	Quarter int      `json:"quarter,omitempty"`
	Periods []string `json:"periods,omitempty"`
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

var (
	romans    = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
	reQuarter = regexp.MustCompile(`^(?:trong\s+)?quý\s+(i|ii|iii|iv|1|2|3|4)(?:\s*(?:/|năm)\s*(\d{4}))?$`)
	// "Quý I, II năm 2017", "Quý I và Quý III".
	reQuarters = regexp.MustCompile(`^quý\s+((?:(?:quý\s+)?(?:i|ii|iii|iv|1|2|3|4)\s*(?:,|và)\s*)+(?:quý\s+)?(?:i|ii|iii|iv|1|2|3|4))(?:\s*(?:/|năm)\s*(\d{4}))?$`)
	reMonth    = regexp.MustCompile(`^(?:trong\s+)?tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?$`)
	reDate     = regexp.MustCompile(`^(?:(?:trước|đến|chậm nhất)\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})$`)
	reMonths   = regexp.MustCompile(`^(?:(?:trước|đến|chậm nhất)\s+)?ngày\s+(\d{1,2})\s+(?:các\s+)?tháng\s+([\d,\s và]+?)(?:\s+năm\s+(\d{4}))?$`)
	periodSep  = regexp.MustCompile(`\s*[,;]\s*|\s+và\s+`)
	reYear     = regexp.MustCompile(`^(?:cả\s+|trong\s+)?năm\s+(\d{4})$`)
)

var periodWords = map[string]string{
	"quý i": PeriodQ1, "quý ii": PeriodQ2, "quý iii": PeriodQ3, "quý iv": PeriodQ4,
	"6 tháng": PeriodH1, "6 tháng đầu năm": PeriodH1, "sáu tháng": PeriodH1,
	"9 tháng": Period9M, "chín tháng": Period9M,
	"năm": PeriodY, "cả năm": PeriodY, "hằng năm": PeriodY, "hàng năm": PeriodY,
}

// Meaning parses the words; year is the plan's year, used when the words
// name none.
func (d Deadline) Meaning(year int) Meaning {
	s := strings.ToLower(strings.Join(strings.Fields(d.Text), " "))
	s = strings.TrimRight(s, ".;")
	if s == "" {
		return Meaning{Kind: FreeText}
	}
	for _, w := range []string{"thường xuyên", "hằng tháng", "hàng tháng", "hằng quý", "hàng quý", "định kỳ", "cả năm", "trong năm"} {
		if strings.HasPrefix(s, w) {
			return Meaning{Kind: Regular, Year: year}
		}
	}
	atoi := func(v string, def int) int {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return def
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		return Meaning{Kind: Quarter, Year: atoi(m[2], year), Quarter: romans[m[1]]}
	}
	if m := reQuarters.FindStringSubmatch(s); m != nil {
		var periods []string
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
			if q, ok := romans[f]; ok {
				periods = append(periods, fmt.Sprintf("Q%d", q))
			}
		}
		return Meaning{Kind: Periods, Year: atoi(m[2], year), Periods: periods}
	}
	if m := reMonth.FindStringSubmatch(s); m != nil {
		if mo := atoi(m[1], 0); mo >= 1 && mo <= 12 {
			return Meaning{Kind: InMonth, Year: atoi(m[2], year), Months: []int{mo}}
		}
	}
	if m := reDate.FindStringSubmatch(s); m != nil {
		y, mo, dd := atoi(m[3], year), atoi(m[2], 0), atoi(m[1], 0)
		t := time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC)
		if mo >= 1 && mo <= 12 && t.Day() == dd {
			return Meaning{Kind: OnDate, Year: y, Date: t}
		}
	}
	if m := reMonths.FindStringSubmatch(s); m != nil {
		var months []int
		for _, f := range strings.FieldsFunc(m[2], func(r rune) bool { return r == ',' || r == ' ' }) {
			if f == "và" {
				continue
			}
			if mo := atoi(f, 0); mo >= 1 && mo <= 12 {
				months = append(months, mo)
			}
		}
		if len(months) > 0 {
			mn := Meaning{Kind: InMonths, Year: atoi(m[3], year), Day: atoi(m[1], 0), Months: months}
			if len(months) == 1 {
				mn.Kind, mn.Date = OnDate, time.Date(mn.Year, time.Month(months[0]), mn.Day, 0, 0, 0, 0, time.UTC)
			}
			return mn
		}
	}
	if m := reYear.FindStringSubmatch(s); m != nil {
		return Meaning{Kind: Year, Year: atoi(m[1], year)}
	}
	// A list of reporting periods: "Quý I, 6 tháng, Quý III, năm".
	var periods []string
	for _, part := range periodSep.Split(s, -1) {
		p, ok := periodWords[strings.TrimSpace(part)]
		if !ok {
			return Meaning{Kind: FreeText, Year: year}
		}
		periods = append(periods, p)
	}
	return Meaning{Kind: Periods, Year: year, Periods: periods}
}
