// Package period models the periodic reporting periods of Decree
// 09/2019/NĐ-CP: quarters, 6 months, 9 months and the year, with their
// codes, Vietnamese names, data cut-off windows and due dates, and which
// tasks of a plan fall due in each.
package period

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"baocao/reports/doc"
)

// Kind is the kind of a period.
type Kind string

// Period kinds and their code suffixes.
const (
	Q1    Kind = "Q1"
	Q2    Kind = "Q2"
	Q3    Kind = "Q3"
	Q4    Kind = "Q4"
	Half  Kind = "H1" // 6 tháng
	Nine  Kind = "9M" // 9 tháng
	Whole Kind = "Y"  // năm
)

// Period is one reporting period of one year.
type Period struct {
	Year int
	Kind Kind
}

var codeRe = regexp.MustCompile(`^(\d{4})-(Q[1-4]|H1|9M|Y)$`)

// Parse reads a code: 2024-Q1, 2024-H1, 2024-9M, 2024-Y.
func Parse(code string) (Period, error) {
	m := codeRe.FindStringSubmatch(code)
	if m == nil {
		return Period{}, fmt.Errorf("period %q: want YYYY-Q1…Q4, YYYY-H1, YYYY-9M or YYYY-Y", code)
	}
	y, _ := strconv.Atoi(m[1])
	if y < 1945 || y > 9999 {
		return Period{}, fmt.Errorf("period %q: year out of range", code)
	}
	return Period{Year: y, Kind: Kind(m[2])}, nil
}

// Code is the period's code: 2024-Q1.
func (p Period) Code() string { return fmt.Sprintf("%04d-%s", p.Year, p.Kind) }

func (p Period) String() string { return p.Code() }

// Name is the Vietnamese name: "Quý I năm 2024", "6 tháng đầu năm 2024",
// "9 tháng năm 2024", "năm 2024".
func (p Period) Name() string {
	switch p.Kind {
	case Q1, Q2, Q3, Q4:
		return fmt.Sprintf("Quý %s năm %d", [...]string{"I", "II", "III", "IV"}[p.quarter()-1], p.Year)
	case Half:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case Nine:
		return fmt.Sprintf("9 tháng năm %d", p.Year)
	}
	return fmt.Sprintf("năm %d", p.Year)
}

// quarter is 1–4 for a quarter, 0 otherwise.
func (p Period) quarter() int {
	switch p.Kind {
	case Q1:
		return 1
	case Q2:
		return 2
	case Q3:
		return 3
	case Q4:
		return 4
	}
	return 0
}

// LastMonth is the last month the period covers (3, 6, 9 or 12).
func (p Period) LastMonth() int {
	if q := p.quarter(); q > 0 {
		return 3 * q
	}
	return map[Kind]int{Half: 6, Nine: 9, Whole: 12}[p.Kind]
}

// FirstMonth is the first month the period covers.
func (p Period) FirstMonth() int {
	if q := p.quarter(); q > 0 {
		return 3*q - 2
	}
	return 1
}

// Quarters are the quarters the period is built from: Q1 for Q1, Q1–Q2
// for 6 tháng, Q1–Q3 for 9 tháng, Q1–Q4 for the year.
func (p Period) Quarters() []Period {
	var out []Period
	for q := p.FirstMonth()/3 + 1; q <= p.LastMonth()/3; q++ {
		out = append(out, Period{Year: p.Year, Kind: Kind(fmt.Sprintf("Q%d", q))})
	}
	return out
}

// Cumulative reports whether the period adds up several quarters.
func (p Period) Cumulative() bool { return p.quarter() == 0 }

// Window is the data cut-off window of Decree 09/2019/NĐ-CP, Art. 12: from
// the 15th of the month before the period to the 14th of its last month,
// both days included. From is the first day, To the last.
func (p Period) Window() (from, to time.Time) {
	from = time.Date(p.Year, time.Month(p.FirstMonth()-1), 15, 0, 0, 0, 0, time.UTC)
	to = time.Date(p.Year, time.Month(p.LastMonth()), 14, 0, 0, 0, 0, time.UTC)
	return from, to
}

// Contains reports whether a day falls in the period's data window.
func (p Period) Contains(t time.Time) bool {
	from, to := p.Window()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return !d.Before(from) && !d.After(to)
}

// Due is the due date of the period's report when a plan sets reports due
// before day dueDay of the period's last month (Lai Châu: before the 16th,
// so the last day to report is the 15th); dueDay 0 means the default, the
// day after the window closes plus one working day, i.e. the 15th.
func (p Period) Due(dueDay int) time.Time {
	if dueDay <= 1 {
		dueDay = 16
	}
	return time.Date(p.Year, time.Month(p.LastMonth()), dueDay-1, 0, 0, 0, 0, time.UTC)
}

// All lists the periods of a year in reporting order.
func All(year int) []Period {
	return []Period{{year, Q1}, {year, Q2}, {year, Half}, {year, Q3}, {year, Nine}, {year, Q4}, {year, Whole}}
}

// Order compares two period codes in reporting order: by year, then as
// All lists them (Quý I, Quý II, 6 tháng, Quý III, 9 tháng, Quý IV, năm),
// not as the codes sort ("2024-H1" before "2024-Q1"); a code that does
// not parse comes last, by its text.
func Order(a, b string) int {
	pa, ea := Parse(a)
	pb, eb := Parse(b)
	switch {
	case ea != nil || eb != nil:
		if (ea == nil) != (eb == nil) {
			if ea == nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	case pa.Year != pb.Year:
		return pa.Year - pb.Year
	}
	return pa.rank() - pb.rank()
}

// rank is a period's place in All.
func (p Period) rank() int {
	for i, q := range All(p.Year) {
		if q.Kind == p.Kind {
			return i
		}
	}
	return len(All(p.Year))
}

// Covers reports whether the period p includes the quarter or period q
// (the same kinds of the same year, or a quarter inside a cumulative
// period).
func (p Period) Covers(q Period) bool {
	if p.Year != q.Year {
		return false
	}
	return q.FirstMonth() >= p.FirstMonth() && q.LastMonth() <= p.LastMonth()
}

// Due reports whether a task with this deadline falls due in period p: a
// regular task in every period; a task for a quarter, month or date in the
// period that contains it and the cumulative periods after; a task for a
// list of periods in those periods and the cumulative periods that contain
// them (a range across years, "Quý IV/2025 - Quý II/2026", lists the
// periods of each year); a task for a year in that year's year report; an
// Invalid deadline (refused on input, so only in plans stored before) like
// free text.
func Due(m doc.Meaning, p Period) bool {
	year := m.Year
	if year == 0 {
		year = p.Year
	}
	switch m.Kind {
	case doc.Regular:
		return year == p.Year
	case doc.Quarter:
		return p.Covers(Period{Year: year, Kind: Kind(fmt.Sprintf("Q%d", m.Quarter))})
	case doc.InMonth:
		return year == p.Year && len(m.Months) > 0 && p.coversMonth(m.Months[0])
	case doc.InMonths:
		if year != p.Year {
			return false
		}
		for _, mo := range m.Months {
			if p.coversMonth(mo) {
				return true
			}
		}
		return false
	case doc.OnDate:
		return m.Date.Year() == p.Year && p.coversMonth(int(m.Date.Month()))
	case doc.Periods:
		for _, code := range m.Periods {
			// "Q2" is a period of the deadline's year, "2026-Q2" names its own.
			q := Period{Year: year, Kind: Kind(code)}
			if y, k, ok := strings.Cut(code, "-"); ok {
				q.Year, _ = strconv.Atoi(y)
				q.Kind = Kind(k)
			}
			if p.Covers(q) || q == p {
				return true
			}
		}
		return false
	case doc.Year:
		return year == p.Year && p.Kind == Whole
	}
	// Free text: shown in the year's report, where the secretariat judges it.
	return year == p.Year && p.Kind == Whole
}

// coversMonth reports whether month m of the period's year lies in it.
func (p Period) coversMonth(m int) bool { return m >= p.FirstMonth() && m <= p.LastMonth() }

// Vietnam is the offices' time zone (UTC+7, no daylight saving).
var Vietnam = time.FixedZone("ICT", 7*3600)

// DueEnd is the moment the due day ends in Vietnam: a report submitted
// after it is late.
func (p Period) DueEnd(dueDay int) time.Time {
	d := p.Due(dueDay)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, Vietnam)
}
