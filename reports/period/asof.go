package period

import (
	"fmt"
	"time"
)

// The as-of date of a periodic report: the day whose data the report
// shows. A report is computed from the submissions made up to that day,
// and the status of each task is judged on it, so that the preview, the
// issued files and the status board of a period agree.
//
// Dates here are calendar days, represented as midnight UTC of that day
// (like Due and doc.Date.Time); "today" is the day in Vietnam.

// CutOff is the end of the period's reporting window: the last day
// agencies report on (the plan's due date, "trước ngày 16" → the 15th of
// the period's last month; by default the 15th, Decree 09/2019/NĐ-CP
// Art. 12). An issued report is dated on or after it.
func (p Period) CutOff(dueDay int) time.Time { return p.Due(dueDay) }

// FirstDay is the first day of the period's first month.
func (p Period) FirstDay() time.Time {
	return time.Date(p.Year, time.Month(p.FirstMonth()), 1, 0, 0, 0, 0, time.UTC)
}

// Day is the calendar day of t in Vietnam, as midnight UTC.
func Day(t time.Time) time.Time {
	t = t.In(Vietnam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// DayEnd is the moment a calendar day (midnight UTC, as above) ends in
// Vietnam: what was submitted before it counts for that day.
func DayEnd(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, Vietnam)
}

// DefaultAsOf is a draft's as-of date when the secretariat has not set
// one: the period's cut-off once that day is past, else today (in
// Vietnam).
func DefaultAsOf(p Period, dueDay int, today time.Time) time.Time {
	cut, day := p.CutOff(dueDay), Day(today)
	if cut.Before(day) {
		return cut
	}
	return day
}

// DateError is a date that breaks a rule of the period, worded in
// Vietnamese and in English.
type DateError struct {
	Vietnamese, English string
}

func (e *DateError) Error() string { return e.Vietnamese + " / " + e.English }

func dmy(t time.Time) string { return t.Format("02/01/2006") }

// CheckAsOf checks an as-of date the secretariat sets on a draft: not in
// the future, not before the period's first day.
func CheckAsOf(p Period, date, today time.Time) error {
	date, day := Day(date), Day(today)
	if date.After(day) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày lấy số liệu %s chưa đến (hôm nay là %s)", dmy(date), dmy(day)),
			English: fmt.Sprintf("the as-of date %s is in the future (today is %s)", date.Format(time.DateOnly), day.Format(time.DateOnly))}
	}
	if first := p.FirstDay(); date.Before(first) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày lấy số liệu %s trước ngày đầu của kỳ %s (%s)", dmy(date), p.Name(), dmy(first)),
			English: fmt.Sprintf("the as-of date %s is before the period's first day %s", date.Format(time.DateOnly), first.Format(time.DateOnly))}
	}
	return nil
}

// CheckIssueDate checks the issue date of a periodic report or a
// reminder letter: on or after the period's cut-off (the report due
// date) and not in the future.
func CheckIssueDate(p Period, dueDay int, date, today time.Time) error {
	date, day := Day(date), Day(today)
	if date.After(day) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày ban hành %s chưa đến (hôm nay là %s)", dmy(date), dmy(day)),
			English: fmt.Sprintf("the issue date %s is in the future (today is %s)", date.Format(time.DateOnly), day.Format(time.DateOnly))}
	}
	if cut := p.CutOff(dueDay); date.Before(cut) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày ban hành %s trước hạn báo cáo của kỳ %s (%s): báo cáo, công văn đôn đốc của kỳ được ban hành từ ngày chốt số liệu trở đi", dmy(date), p.Name(), dmy(cut)),
			English: fmt.Sprintf("the issue date %s is before the period's cut-off, the report due date %s", date.Format(time.DateOnly), cut.Format(time.DateOnly))}
	}
	return nil
}

// Covering lists the periods of p's year whose report covers p: p itself
// and the cumulative periods containing it (for 2024-Q2: 2024-Q2, 2024-H1,
// 2024-9M and 2024-Y). An issued report of any of them locks p.
func (p Period) Covering() []Period {
	var out []Period
	for _, q := range All(p.Year) {
		if q.Covers(p) {
			out = append(out, q)
		}
	}
	return out
}
