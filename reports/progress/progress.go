// Package progress aggregates lead agencies' progress on a plan's tasks for
// a reporting period into one Board: the status of each task due, the
// status of each lead agency on it, counts, shares, the per-agency tally,
// the agencies that have not reported, their difficulties and proposals and
// the tasks due next. Every figure of a report, of its workbook, of the
// status API and of the plan page is read off one Board, so they agree.
//
// The rules:
//   - Only submissions made on or before the board's as-of day (Vietnam
//     time) count; the latest revision per task, agency and period code.
//   - A cumulative period (6 tháng, 9 tháng, năm) is read quarter by
//     quarter: a task not done needs a report for the period's latest
//     quarter (or for the cumulative period itself), else it is "chưa báo
//     cáo"; a task reported done in an earlier quarter stays done with its
//     date; figures add up across quarters only when every quarter of the
//     period reported a figure of that name and unit.
//   - A task with several lead agencies is done only when every one of them
//     reports it done, "chưa báo cáo" while any has not reported, otherwise
//     the least advanced; the per-agency tally counts agency–task pairs.
//   - An ongoing task ("Thường xuyên", "Định kỳ …") is never overdue: it
//     is "đang thực hiện" or "đã thực hiện" in the period.
package progress

import (
	"fmt"
	"sort"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/richtext"
)

// Statuses a lead agency reports.
const (
	NotStarted = "not_started"
	InProgress = "in_progress"
	Done       = "done"
)

// ReportedNames are the Vietnamese names of the reported statuses.
var ReportedNames = map[string]string{
	NotStarted: "Chưa thực hiện", InProgress: "Đang thực hiện", Done: "Hoàn thành",
}

// Statuses of a task (or of one lead agency on it) for a period, named as
// government task tracking names them (QĐ 42/2014/QĐ-TTg).
const (
	DoneOnTime  = "done_on_time" // hoàn thành đúng hạn
	DoneLate    = "done_late"    // hoàn thành quá hạn
	InTime      = "in_time"      // đang thực hiện, trong hạn
	Overdue     = "overdue"      // quá hạn: deadline passed, not done
	NotReported = "not_reported" // no report for the period
	Ongoing     = "ongoing"      // ongoing task, đang thực hiện
	CarriedOut  = "carried_out"  // ongoing task, đã thực hiện in the period
)

// Statuses lists every status of a task in the order tables show them;
// the statuses partition the tasks due.
var Statuses = []string{DoneOnTime, DoneLate, InTime, Overdue, NotReported, CarriedOut, Ongoing}

// StatusNames are the Vietnamese names of the statuses, used by every page,
// export, document and the API's status_name.
var StatusNames = map[string]string{
	DoneOnTime:  "Hoàn thành đúng hạn",
	DoneLate:    "Hoàn thành quá hạn",
	InTime:      "Đang thực hiện (trong hạn)",
	Overdue:     "Quá hạn",
	NotReported: "Chưa báo cáo",
	CarriedOut:  "Đã thực hiện (thường xuyên)",
	Ongoing:     "Đang thực hiện (thường xuyên)",
}

// rank orders statuses from the least advanced; a task with several leads
// takes the least advanced of theirs.
var rank = map[string]int{NotReported: 0, Overdue: 1, InTime: 2, Ongoing: 2, DoneLate: 3, DoneOnTime: 4, CarriedOut: 4}

// IsDone reports whether a status counts as done.
func IsDone(s string) bool { return s == DoneOnTime || s == DoneLate || s == CarriedOut }

// Figure is a named quantity with its unit. Scope names the part of the
// period it covers when that is not the whole period ("Quý I").
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Scope string  `json:"scope,omitempty"`
}

// Submission is the part of a stored submission that aggregation reads.
type Submission struct {
	TaskID      int64
	Agency      string // the lead agency's name (its identity)
	Period      string
	Revision    int
	Status      string
	CompletedOn string
	Result      string
	Figures     []Figure
	Difficulty  string
	Proposal    string
	SubmittedAt time.Time
	Late        bool
}

// Lead is one lead agency's standing on a task.
type Lead struct {
	Agency      string   `json:"agency"`
	Status      string   `json:"status"`
	StatusName  string   `json:"status_name"`
	CompletedOn string   `json:"completed_on,omitempty"`
	Result      string   `json:"result,omitempty"` // from the latest report
	Figures     []Figure `json:"figures,omitempty"`
	Difficulty  string   `json:"difficulties,omitempty"`
	Proposal    string   `json:"proposals,omitempty"`
	ReportedOn  string   `json:"reported_on,omitempty"` // day of the latest report counted
	// ReportedFor names the period of that report ("Quý II năm 2024").
	ReportedFor string `json:"reported_for,omitempty"`
	Late        bool   `json:"late_report"` // that report came after its due date
	// Quarters is the status by quarter of a cumulative period.
	Quarters []QuarterStatus `json:"quarters,omitempty"`
}

// QuarterStatus is what one lead reported for one quarter.
type QuarterStatus struct {
	Period     string `json:"period"`
	Name       string `json:"name"`
	Status     string `json:"status"` // a reported status, or not_reported
	StatusName string `json:"status_name"`
}

// Row is one task due in the period with its aggregated progress.
type Row struct {
	Number      int      `json:"number"` // STT in the appendix
	TaskID      int64    `json:"task_id"`
	Content     string   `json:"content"` // Markdown
	Leads       []string `json:"leads"`   // lead agencies, as identified
	Deadline    string   `json:"deadline"`
	Due         string   `json:"due"` // deadline end for the period, YYYY-MM-DD
	Ongoing     bool     `json:"ongoing"`
	Status      string   `json:"status"`
	StatusName  string   `json:"status_name"`
	CompletedOn string   `json:"completed_on,omitempty"`
	// Figures are the figures of every lead, added up by name, unit and
	// scope.
	Figures  []Figure `json:"figures,omitempty"`
	Agencies []Lead   `json:"agencies"`
	// Assigned is the lead column as the plan writes it, for a task whose
	// leads name no agency that can report ("Các sở, ban, ngành tỉnh").
	Assigned []string `json:"assigned,omitempty"`
	Reported []string `json:"reported"` // lead agencies that reported
	Missing  []string `json:"missing"`  // lead agencies that did not
	Late     bool     `json:"late_report"`
}

// AgencySummary counts one lead agency's agency–task pairs by status; the
// statuses add up to Due.
type AgencySummary struct {
	Agency string         `json:"agency"`
	Due    int            `json:"due"`
	Counts map[string]int `json:"counts"`
}

// Done is the pairs done (on time, late, or carried out).
func (a AgencySummary) Done() int {
	return a.Counts[DoneOnTime] + a.Counts[DoneLate] + a.Counts[CarriedOut]
}

// Note is a difficulty or proposal an agency reported on a task.
type Note struct {
	Agency string `json:"agency"`
	Number int    `json:"number"` // the task's STT
	Text   string `json:"text"`
	// Period names the period of the report it comes from.
	Period string `json:"period"`
}

// Upcoming is a task due in the next period, not done yet.
type Upcoming struct {
	Number   int      `json:"number"`
	Content  string   `json:"content"`
	Leads    []string `json:"leads"`
	Deadline string   `json:"deadline"`
	Ongoing  bool     `json:"ongoing"`
}

// Board is the state of a plan for one period as of one day.
type Board struct {
	Period     string `json:"period"`
	PeriodName string `json:"period_name"`
	AsOf       string `json:"as_of"`
	// Latest is the quarter (or period) whose report a task not done needs.
	Latest     string `json:"latest_period"`
	LatestName string `json:"latest_period_name"`
	Rows       []Row  `json:"rows"`
	Due        int    `json:"due"`
	// Counts has every status (zero included); Shares are the counts as
	// fractions of the tasks due (0.714 = 71,4%).
	Counts map[string]int     `json:"counts"`
	Shares map[string]float64 `json:"shares"`
	// WithDeadline and OngoingDue split the tasks due.
	WithDeadline int             `json:"with_deadline"`
	OngoingDue   int             `json:"ongoing"`
	Agencies     []AgencySummary `json:"agencies"`
	// Pairs is the number of agency–task pairs (the per-agency table's unit).
	Pairs        int            `json:"pairs"`
	PairCounts   map[string]int `json:"pair_counts"`
	NotReported  []string       `json:"not_reported"` // agencies with a task not reported
	Overdue      []int64        `json:"overdue"`
	Difficulties []Note         `json:"difficulties"`
	Proposals    []Note         `json:"proposals"`
	Next         string         `json:"next_period_name"`
	Upcoming     []Upcoming     `json:"upcoming"`
}

// Input is what a board is built from.
type Input struct {
	Plan        *doc.Document
	Period      period.Period
	Submissions []Submission
	// AsOf is the board's day: submissions made after it (Vietnam time)
	// are left out, and deadlines before it have passed.
	AsOf time.Time
	// Leads are the lead agencies of each task by identity (aliases
	// resolved, each agency once, text that names no agency left out), as
	// the store's LeadAgencies gives them; nil keeps the names the plan
	// writes.
	Leads map[int64][]string
}

// leadsOf are a task's lead agencies.
func (in Input) leadsOf(t doc.Task) []string {
	if in.Leads != nil {
		return in.Leads[t.ID]
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range t.Lead {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Build aggregates subs for the tasks of d due in p as of a day.
func Build(d *doc.Document, p period.Period, subs []Submission, asOf time.Time) *Board {
	return Compute(Input{Plan: d, Period: p, Submissions: subs, AsOf: asOf})
}

// slot is one period code whose reports a board reads.
type slot struct {
	p     period.Period
	inner bool // inside the board's period (else an earlier one of its year)
}

// Compute builds the board.
func Compute(in Input) *Board {
	p, d := in.Period, in.Plan
	asOf := dayOf(in.AsOf)
	cut := asOf.AddDate(0, 0, 1) // reports made before the end of the as-of day
	latest := latestSlot(p)
	b := &Board{Period: p.Code(), PeriodName: p.Name(), AsOf: asOf.Format(time.DateOnly),
		Latest: latest.Code(), LatestName: latest.Name(),
		Counts: map[string]int{}, Shares: map[string]float64{}, PairCounts: map[string]int{}}
	for _, s := range Statuses {
		b.Counts[s], b.PairCounts[s] = 0, 0
	}
	slots := slotsOf(p)
	// The latest revision per task, agency and period code, as of the day.
	type key struct {
		task   int64
		agency string
		period string
	}
	latestRev := map[key]Submission{}
	for _, s := range in.Submissions {
		if _, ok := slots[s.Period]; !ok || !s.SubmittedAt.Before(cut) {
			continue
		}
		k := key{s.TaskID, s.Agency, s.Period}
		if cur, ok := latestRev[k]; !ok || s.Revision > cur.Revision {
			latestRev[k] = s
		}
	}
	// What each deadline means, read once per text: a plan repeats its
	// deadlines ("Thường xuyên", "Quý II"), and reading one is most of the
	// work of a large board. The meanings are only read.
	meanings := map[string]doc.Meaning{}
	meaning := func(dl doc.Deadline) doc.Meaning {
		m, ok := meanings[dl.Text]
		if !ok {
			m = dl.Meaning(d.Date.Year)
			meanings[dl.Text] = m
		}
		return m
	}
	agencies := map[string]*AgencySummary{}
	notReported := map[string]bool{}
	n := 0
	for ai := range d.Appendices {
		for _, t := range d.Appendices[ai].Tasks {
			n++
			m := meaning(t.Deadline)
			if !period.Due(m, p) {
				continue
			}
			row := Row{Number: n, TaskID: t.ID, Content: t.Content, Deadline: t.Deadline.Text,
				Due: deadlineEnd(m, p).Format(time.DateOnly), Ongoing: m.Kind == doc.Regular}
			for _, name := range in.leadsOf(t) {
				row.Leads = append(row.Leads, name)
				var reports []Submission
				for _, q := range period.All(p.Year) {
					if s, ok := latestRev[key{t.ID, name, q.Code()}]; ok {
						reports = append(reports, s)
					}
				}
				l := leadStatus(name, m, p, slots, latest, reports, asOf)
				row.Agencies = append(row.Agencies, l)
				if l.Status == NotReported {
					row.Missing = append(row.Missing, name)
					notReported[name] = true
				} else {
					row.Reported = append(row.Reported, name)
				}
				row.Late = row.Late || l.Late
				for _, text := range []struct {
					s    string
					list *[]Note
				}{{l.Difficulty, &b.Difficulties}, {l.Proposal, &b.Proposals}} {
					if text.s != "" {
						*text.list = append(*text.list, Note{Agency: name, Number: n, Text: text.s, Period: l.ReportedFor})
					}
				}
				a := agencies[name]
				if a == nil {
					a = &AgencySummary{Agency: name, Counts: map[string]int{}}
					for _, s := range Statuses {
						a.Counts[s] = 0
					}
					agencies[name] = a
				}
				a.Due++
				a.Counts[l.Status]++
				b.Pairs++
				b.PairCounts[l.Status]++
			}
			if len(row.Leads) == 0 {
				row.Assigned = t.Lead
			}
			combine(&row)
			b.Rows = append(b.Rows, row)
			b.Counts[row.Status]++
			if row.Ongoing {
				b.OngoingDue++
			} else {
				b.WithDeadline++
			}
			if row.Status == Overdue {
				b.Overdue = append(b.Overdue, t.ID)
			}
		}
	}
	b.Due = len(b.Rows)
	for _, s := range Statuses {
		b.Shares[s] = Share(b.Counts[s], b.Due)
	}
	col := collate.New(language.Vietnamese)
	for _, a := range agencies {
		b.Agencies = append(b.Agencies, *a)
	}
	sort.Slice(b.Agencies, func(i, j int) bool { return col.CompareString(b.Agencies[i].Agency, b.Agencies[j].Agency) < 0 })
	for a := range notReported {
		b.NotReported = append(b.NotReported, a)
	}
	sort.Slice(b.NotReported, func(i, j int) bool { return col.CompareString(b.NotReported[i], b.NotReported[j]) < 0 })
	b.upcoming(in, p, meaning)
	b.listsNotNull()
	return b
}

// listsNotNull makes every list of the board an empty list rather than
// nil, so that a board with nothing due reads "rows": [] in JSON, not null
// (clients iterate over the lists without checking).
func (b *Board) listsNotNull() {
	orEmpty(&b.Rows)
	orEmpty(&b.Agencies)
	orEmpty(&b.NotReported)
	orEmpty(&b.Overdue)
	orEmpty(&b.Difficulties)
	orEmpty(&b.Proposals)
	orEmpty(&b.Upcoming)
	for i := range b.Rows {
		r := &b.Rows[i]
		orEmpty(&r.Leads)
		orEmpty(&r.Agencies)
		orEmpty(&r.Reported)
		orEmpty(&r.Missing)
	}
	for i := range b.Upcoming {
		orEmpty(&b.Upcoming[i].Leads)
	}
}

func orEmpty[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// Share is part/whole, 0 when whole is 0: the one rounding-free share every
// figure uses.
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// dayOf is the Vietnam calendar day of t (a date given as UTC midnight
// names that day), as midnight in Vietnam, so that comparisons with
// submission times are exact.
func dayOf(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	v := t.In(period.Vietnam)
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		v = t // a date given as UTC midnight names that day
	}
	return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, period.Vietnam)
}

// latestSlot is the quarter a task not done must be reported for: the
// period's last quarter.
func latestSlot(p period.Period) period.Period {
	qs := p.Quarters()
	return qs[len(qs)-1]
}

// slotsOf lists the period codes whose reports count for p: the periods
// of its year that end no later than it. Those inside p (its quarters, p
// itself and the cumulative periods it contains) are inner; earlier ones
// only carry a task's completion forward.
func slotsOf(p period.Period) map[string]slot {
	out := map[string]slot{}
	for _, q := range period.All(p.Year) {
		if q.LastMonth() > p.LastMonth() {
			continue
		}
		out[q.Code()] = slot{p: q, inner: p.Covers(q)}
	}
	return out
}

// oneOff reports whether a deadline is met once (a date, month, quarter,
// year, or free text), so that a task done stays done; a recurring one
// ("trước ngày 16 tháng 3, 6, 9, 12", a list of periods) is due again.
func oneOff(m doc.Meaning) bool {
	switch m.Kind {
	case doc.Regular, doc.InMonths:
		return false
	case doc.Periods:
		return len(m.Periods) == 1
	}
	return true
}

// leadStatus is one lead agency's status on a task from its reports (the
// latest revision per period code, as of the day).
func leadStatus(agency string, m doc.Meaning, p period.Period, slots map[string]slot, latest period.Period,
	reports []Submission, asOf time.Time) Lead {
	l := Lead{Agency: agency}
	// Order by the end of the period reported on, then by time.
	sort.Slice(reports, func(i, j int) bool {
		pi, pj := slots[reports[i].Period].p, slots[reports[j].Period].p
		if pi.LastMonth() != pj.LastMonth() {
			return pi.LastMonth() < pj.LastMonth()
		}
		if pi.Cumulative() != pj.Cumulative() { // the quarter, then the period that ends with it
			return !pi.Cumulative()
		}
		return reports[i].SubmittedAt.Before(reports[j].SubmittedAt)
	})
	var current *Submission // the report for the latest quarter, or p itself
	var doneAt *Submission  // the first report of the task done
	var lastInner *Submission
	for i := range reports {
		r := &reports[i]
		sl := slots[r.Period]
		if r.Status == Done && doneAt == nil && (oneOff(m) || sl.p.LastMonth() == p.LastMonth()) {
			doneAt = r
		}
		if !sl.inner {
			continue
		}
		lastInner = r
		if sl.p.LastMonth() == p.LastMonth() {
			current = r
		}
	}
	if p.Cumulative() {
		for _, q := range p.Quarters() {
			qs := QuarterStatus{Period: q.Code(), Name: quarterName(q), Status: NotReported}
			for _, r := range reports {
				if r.Period == q.Code() {
					qs.Status = r.Status
				}
			}
			if qs.Status == NotReported {
				qs.StatusName = StatusNames[NotReported]
			} else {
				qs.StatusName = ReportedNames[qs.Status]
			}
			l.Quarters = append(l.Quarters, qs)
		}
	}
	// What the agency said last within the period.
	if lastInner != nil {
		l.Result, l.Difficulty, l.Proposal = lastInner.Result, lastInner.Difficulty, lastInner.Proposal
		l.ReportedOn = lastInner.SubmittedAt.In(period.Vietnam).Format(time.DateOnly)
		l.ReportedFor = slots[lastInner.Period].p.Name()
		l.Late = lastInner.Late
	}
	l.Figures = figuresOf(p, reports, slots)
	switch {
	case m.Kind == doc.Regular:
		switch {
		case current == nil:
			l.Status = NotReported
		case anyDone(reports, slots):
			l.Status = CarriedOut
		default:
			l.Status = Ongoing
		}
	case doneAt != nil:
		l.CompletedOn = doneAt.CompletedOn
		end := deadlineEnd(m, slots[doneAt.Period].p)
		if done, err := time.Parse(time.DateOnly, doneAt.CompletedOn); err == nil && done.After(end) {
			l.Status = DoneLate
		} else {
			l.Status = DoneOnTime
		}
		if lastInner == nil { // done before the period: say so
			l.Result = doneAt.Result
			l.ReportedOn = doneAt.SubmittedAt.In(period.Vietnam).Format(time.DateOnly)
			l.ReportedFor = slots[doneAt.Period].p.Name()
		}
	case current == nil:
		l.Status = NotReported
	case asOf.After(inVietnam(deadlineEnd(m, p))):
		l.Status = Overdue
	default:
		l.Status = InTime
	}
	l.StatusName = StatusNames[l.Status]
	return l
}

func inVietnam(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, period.Vietnam)
}

func anyDone(reports []Submission, slots map[string]slot) bool {
	for _, r := range reports {
		if r.Status == Done && slots[r.Period].inner {
			return true
		}
	}
	return false
}

// quarterName is "Quý I".
func quarterName(q period.Period) string {
	return "Quý " + [...]string{"I", "II", "III", "IV"}[q.LastMonth()/3-1]
}

// figuresOf gives a lead's figures for the period: those of a report on
// the cumulative period itself when there is one; else, for a cumulative
// period, a figure added up over its quarters when every quarter reported
// it, else each quarter's figure with its quarter named; for a quarter,
// its latest report's.
func figuresOf(p period.Period, reports []Submission, slots map[string]slot) []Figure {
	byCode := map[string]Submission{}
	for _, r := range reports {
		if slots[r.Period].inner {
			byCode[r.Period] = r
		}
	}
	if r, ok := byCode[p.Code()]; ok {
		return append([]Figure(nil), r.Figures...)
	}
	qs := p.Quarters()
	type fk struct{ name, unit string }
	var order []fk
	per := map[fk]map[string]float64{}
	for _, q := range qs {
		r, ok := byCode[q.Code()]
		if !ok {
			continue
		}
		for _, f := range r.Figures {
			k := fk{f.Name, f.Unit}
			if per[k] == nil {
				per[k] = map[string]float64{}
				order = append(order, k)
			}
			per[k][q.Code()] += f.Value
		}
	}
	var out []Figure
	for _, k := range order {
		if len(per[k]) == len(qs) {
			sum := 0.0
			for _, q := range qs {
				sum += per[k][q.Code()]
			}
			out = append(out, Figure{Name: k.name, Unit: k.unit, Value: sum})
			continue
		}
		for _, q := range qs {
			if v, ok := per[k][q.Code()]; ok {
				scope := ""
				if len(qs) > 1 {
					scope = quarterName(q)
				}
				out = append(out, Figure{Name: k.name, Unit: k.unit, Value: v, Scope: scope})
			}
		}
	}
	return out
}

// combine gives a task the one status of its lead agencies and adds up
// their figures.
func combine(row *Row) {
	if len(row.Agencies) == 0 { // a task without a lead: nobody can report
		row.Status = NotReported
		row.StatusName = StatusNames[row.Status]
		return
	}
	st := row.Agencies[0].Status
	for _, l := range row.Agencies[1:] {
		if rank[l.Status] < rank[st] || (rank[l.Status] == rank[st] && l.Status == DoneLate) {
			st = l.Status
		}
	}
	allDone := true
	for _, l := range row.Agencies {
		allDone = allDone && IsDone(l.Status)
	}
	if allDone && !row.Ongoing {
		// Done when the last lead finished; late if any was late.
		st = DoneOnTime
		for _, l := range row.Agencies {
			if l.Status == DoneLate {
				st = DoneLate
			}
			if l.CompletedOn > row.CompletedOn {
				row.CompletedOn = l.CompletedOn
			}
		}
	}
	row.Status, row.StatusName = st, StatusNames[st]
	type fk struct{ name, unit, scope string }
	sums := map[fk]float64{}
	var order []fk
	for _, l := range row.Agencies {
		for _, f := range l.Figures {
			k := fk{f.Name, f.Unit, f.Scope}
			if _, ok := sums[k]; !ok {
				order = append(order, k)
			}
			sums[k] += f.Value
		}
	}
	for _, k := range order {
		row.Figures = append(row.Figures, Figure{Name: k.name, Unit: k.unit, Scope: k.scope, Value: sums[k]})
	}
}

// upcoming lists the tasks due in the period after p that are not done:
// the next quarter after a quarter, the rest of the year after a
// cumulative period.
func (b *Board) upcoming(in Input, p period.Period, meaning func(doc.Deadline) doc.Meaning) {
	var next []period.Period
	switch {
	case p.LastMonth() == 12:
		b.Next = fmt.Sprintf("năm %d", p.Year+1)
		next = []period.Period{{Year: p.Year + 1, Kind: period.Whole}}
	case !p.Cumulative():
		q := period.Period{Year: p.Year, Kind: period.Kind(fmt.Sprintf("Q%d", p.LastMonth()/3+1))}
		next, b.Next = []period.Period{q}, q.Name()
	default:
		for m := p.LastMonth() + 3; m <= 12; m += 3 {
			next = append(next, period.Period{Year: p.Year, Kind: period.Kind(fmt.Sprintf("Q%d", m/3))})
		}
		switch p.Kind {
		case period.Half:
			b.Next = fmt.Sprintf("6 tháng cuối năm %d", p.Year)
		default:
			b.Next = fmt.Sprintf("Quý IV năm %d", p.Year)
		}
	}
	done := map[int64]bool{}
	for _, r := range b.Rows {
		if !r.Ongoing && (r.Status == DoneOnTime || r.Status == DoneLate) {
			done[r.TaskID] = true
		}
	}
	d := in.Plan
	n := 0
	for ai := range d.Appendices {
		for _, t := range d.Appendices[ai].Tasks {
			n++
			m := meaning(t.Deadline)
			due := false
			for _, q := range next {
				due = due || period.Due(m, q)
			}
			if !due || (done[t.ID] && oneOff(m)) {
				continue
			}
			b.Upcoming = append(b.Upcoming, Upcoming{Number: n, Content: t.Content, Leads: in.leadsOf(t),
				Deadline: t.Deadline.Text, Ongoing: m.Kind == doc.Regular})
		}
	}
}

// deadlineEnd is the last day a task may be done in period p: the date,
// month, quarter or year its deadline names, else the period's last day.
func deadlineEnd(m doc.Meaning, p period.Period) time.Time {
	lastDay := func(y, month int) time.Time { return time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC) }
	switch m.Kind {
	case doc.OnDate:
		return m.Date
	case doc.InMonth:
		return lastDay(m.Year, m.Months[0])
	case doc.Quarter:
		return lastDay(m.Year, 3*m.Quarter)
	case doc.Year:
		return lastDay(m.Year, 12)
	case doc.InMonths:
		// "Trước ngày 16 tháng 3, 6, 9, 12": the day before, in the
		// period's last listed month ("trước ngày 31 hằng tháng": at most
		// the month's last day); "Tháng 6 và tháng 12": the month's last day.
		for i := len(m.Months) - 1; i >= 0; i-- {
			mo := m.Months[i]
			if mo < p.FirstMonth() || mo > p.LastMonth() {
				continue
			}
			if m.Day > 1 {
				if end := lastDay(m.Year, mo); m.Day-1 < end.Day() {
					return time.Date(m.Year, time.Month(mo), m.Day-1, 0, 0, 0, 0, time.UTC)
				}
			}
			if m.Day == 0 || m.Day > 1 {
				return lastDay(m.Year, mo)
			}
		}
	}
	return lastDay(p.Year, p.LastMonth())
}

// Plain is a Markdown text without markup, for summaries.
func Plain(md string) string { return richtext.Plain(md) }

// RedactFor keeps what one agency may read of the board: its own results,
// figures, difficulties and proposals; every other agency's, on shared
// tasks too, are blanked, and a task's figures are the agency's own. The
// statuses, who reported and the counts stay whole.
func (b *Board) RedactFor(agency string) {
	for i := range b.Rows {
		r := &b.Rows[i]
		r.Figures = nil
		for j := range r.Agencies {
			l := &r.Agencies[j]
			if l.Agency == agency {
				r.Figures = append([]Figure(nil), l.Figures...)
				continue
			}
			l.Result, l.Figures, l.Difficulty, l.Proposal = "", nil, "", ""
		}
	}
	filter := func(notes []Note) []Note {
		var out []Note
		for _, n := range notes {
			if n.Agency == agency {
				out = append(out, n)
			}
		}
		return out
	}
	b.Difficulties, b.Proposals = filter(b.Difficulties), filter(b.Proposals)
	b.listsNotNull()
}

// EachText calls fn with every text of the board a document prints and
// its path, so that a renderer can check or repair them all (the report's
// workbook draws them as they are).
func (b *Board) EachText(fn func(path string, s *string)) {
	at := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
	for i := range b.Rows {
		r := &b.Rows[i]
		fn(at("rows[%d].content", i), &r.Content)
		for j := range r.Leads {
			fn(at("rows[%d].leads[%d]", i, j), &r.Leads[j])
		}
		for j := range r.Assigned {
			fn(at("rows[%d].assigned[%d]", i, j), &r.Assigned[j])
		}
		for j := range r.Missing {
			fn(at("rows[%d].missing[%d]", i, j), &r.Missing[j])
		}
		for j := range r.Figures {
			fn(at("rows[%d].figures[%d].name", i, j), &r.Figures[j].Name)
			fn(at("rows[%d].figures[%d].unit", i, j), &r.Figures[j].Unit)
		}
		for j := range r.Agencies {
			l := &r.Agencies[j]
			fn(at("rows[%d].agencies[%d].agency", i, j), &l.Agency)
			fn(at("rows[%d].agencies[%d].result", i, j), &l.Result)
			fn(at("rows[%d].agencies[%d].difficulties", i, j), &l.Difficulty)
			fn(at("rows[%d].agencies[%d].proposals", i, j), &l.Proposal)
			for k := range l.Figures {
				fn(at("rows[%d].agencies[%d].figures[%d].name", i, j, k), &l.Figures[k].Name)
				fn(at("rows[%d].agencies[%d].figures[%d].unit", i, j, k), &l.Figures[k].Unit)
			}
		}
	}
	for i := range b.Agencies {
		fn(at("agencies[%d].agency", i), &b.Agencies[i].Agency)
	}
	for i := range b.NotReported {
		fn(at("not_reported[%d]", i), &b.NotReported[i])
	}
	for _, list := range []struct {
		name  string
		notes []Note
	}{{"difficulties", b.Difficulties}, {"proposals", b.Proposals}} {
		for i := range list.notes {
			fn(at("%s[%d].agency", list.name, i), &list.notes[i].Agency)
			fn(at("%s[%d].text", list.name, i), &list.notes[i].Text)
		}
	}
	for i := range b.Upcoming {
		fn(at("upcoming[%d].content", i), &b.Upcoming[i].Content)
		for j := range b.Upcoming[i].Leads {
			fn(at("upcoming[%d].leads[%d]", i, j), &b.Upcoming[i].Leads[j])
		}
	}
}
