package period

import (
	"fmt"
	"time"

	"baocao/reports/doc"
)

// Dates within reason: the years a plan is reported on, the periods its
// progress may be reported for, and the days a task may be said to be
// done on or a board computed for.

// PlanYears is the span of years a plan's progress is reported in: from
// the plan's year to the latest year its tasks' deadlines name (a 2024
// plan with a task due "Quý I/2025" spans 2024–2025); a deadline naming an
// earlier year widens it back. ok is false when the plan has no year (no
// rule can be drawn).
func PlanYears(d *doc.Document) (first, last int, ok bool) {
	var deadlines []doc.Deadline
	for _, a := range d.Appendices {
		for _, t := range a.Tasks {
			deadlines = append(deadlines, t.Deadline)
		}
	}
	return YearSpan(d.Date.Year, deadlines)
}

// YearSpan is PlanYears from a plan's year and its tasks' deadlines.
func YearSpan(year int, deadlines []doc.Deadline) (first, last int, ok bool) {
	if year <= 0 {
		return 0, 0, false
	}
	first, last = year, year
	for _, dl := range deadlines {
		m := dl.Meaning(year)
		y := m.Year
		if m.Kind == doc.OnDate && !m.Date.IsZero() {
			y = m.Date.Year()
		}
		// A year far from the plan's is a typing error in the deadline,
		// not a reason to accept any period: a plan spans at most 10 years.
		if y <= 0 || y < year-10 || y > year+10 {
			continue
		}
		first, last = min(first, y), max(last, y)
	}
	return first, last, true
}

// CheckPlanPeriod checks that progress reported for p falls within the
// plan's years (first–last, from PlanYears).
func CheckPlanPeriod(first, last int, p Period) error {
	if p.Year >= first && p.Year <= last {
		return nil
	}
	years, nam := fmt.Sprint(first), fmt.Sprintf("năm %d", first)
	if last != first {
		years, nam = fmt.Sprintf("%d–%d", first, last), fmt.Sprintf("các năm %d–%d", first, last)
	}
	return &DateError{Vietnamese: fmt.Sprintf("kỳ báo cáo %s (%s) nằm ngoài thời gian của kế hoạch (%s)", p.Code(), p.Name(), nam),
		English: fmt.Sprintf("the period %s is outside the plan's years %s", p.Code(), years)}
}

// CheckCompletedOn checks the day a task is reported done: not in the
// future (in Vietnam) and not before the plan's first year.
func CheckCompletedOn(first int, date, today time.Time) error {
	date, day := Day(date), Day(today)
	if date.After(day) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày hoàn thành %s chưa đến (hôm nay là %s)", dmy(date), dmy(day)),
			English: fmt.Sprintf("the completion date %s is in the future (today is %s)", date.Format(time.DateOnly), day.Format(time.DateOnly))}
	}
	if start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC); first > 0 && date.Before(start) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày hoàn thành %s trước năm của kế hoạch (%d)", dmy(date), first),
			English: fmt.Sprintf("the completion date %s is before the plan's year %d", date.Format(time.DateOnly), first)}
	}
	return nil
}

// CheckBoardAsOf checks the day a status board is computed for (the
// status API's as_of, the command line's --as-of): not before the
// period's first day, and not after today (in Vietnam) or, when it is
// later, the period's cut-off (the report due date, the default of an
// offline report), so that a board may look ahead to its period's due
// date but not to any day.
func CheckBoardAsOf(p Period, dueDay int, date, today time.Time) error {
	date, day := Day(date), Day(today)
	limit := day
	if cut := p.CutOff(dueDay); cut.After(limit) {
		limit = cut
	}
	if date.After(limit) {
		if limit.Equal(day) {
			return &DateError{Vietnamese: fmt.Sprintf("ngày lấy số liệu %s chưa đến (hôm nay là %s)", dmy(date), dmy(day)),
				English: fmt.Sprintf("the as-of date %s is in the future (today is %s)", date.Format(time.DateOnly), day.Format(time.DateOnly))}
		}
		return &DateError{Vietnamese: fmt.Sprintf("ngày lấy số liệu %s sau hạn báo cáo của kỳ %s (%s)", dmy(date), p.Name(), dmy(limit)),
			English: fmt.Sprintf("the as-of date %s is after the period's report due date %s", date.Format(time.DateOnly), limit.Format(time.DateOnly))}
	}
	if first := p.FirstDay(); date.Before(first) {
		return &DateError{Vietnamese: fmt.Sprintf("ngày lấy số liệu %s trước ngày đầu của kỳ %s (%s)", dmy(date), p.Name(), dmy(first)),
			English: fmt.Sprintf("the as-of date %s is before the period's first day %s", date.Format(time.DateOnly), first.Format(time.DateOnly))}
	}
	return nil
}
