// Package progress aggregates lead agencies' progress on a plan's tasks for
// a reporting period: the status of each task due, counts and shares, a
// summary per lead agency, overdue tasks and agencies that have not
// reported, with cumulative periods built from their quarters.
package progress

import (
	"sort"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/richtext"
)

// Reported statuses, and the ones derived from dates.
const (
	NotStarted  = "not_started"
	InProgress  = "in_progress"
	Done        = "done"
	DoneLate    = "done_late"    // done after the deadline
	Overdue     = "overdue"      // not done and the deadline has passed
	NotReported = "not_reported" // no submission for the period
)

// StatusNames are the Vietnamese names of the statuses.
var StatusNames = map[string]string{
	NotStarted: "Chưa thực hiện", InProgress: "Đang thực hiện", Done: "Hoàn thành",
	DoneLate: "Hoàn thành chậm", Overdue: "Quá hạn", NotReported: "Chưa báo cáo",
}

// Figure is a named quantity with its unit.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Submission is the part of a stored submission that aggregation reads.
type Submission struct {
	TaskID      int64
	Agency      string // the lead agency's name
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

// Row is one task due in the period with its aggregated progress.
type Row struct {
	Number   int    `json:"number"` // STT in the appendix
	TaskID   int64  `json:"task_id"`
	Content  string `json:"content"` // Markdown
	Leads    []string
	Deadline string   `json:"deadline"`
	Status   string   `json:"status"` // one of the statuses above
	Result   string   `json:"result,omitempty"`
	Figures  []Figure `json:"figures,omitempty"`
	Late     bool     `json:"late_report"` // the last report came after the due date
	Reported []string `json:"reported"`    // lead agencies that reported
	Missing  []string `json:"missing"`     // lead agencies that did not
	Due      string   `json:"due"`         // deadline end for the period, YYYY-MM-DD
}

// AgencySummary counts one lead agency's tasks.
type AgencySummary struct {
	Agency      string `json:"agency"`
	Due         int    `json:"due"`
	Done        int    `json:"done"`
	OnTime      int    `json:"on_time"`
	Late        int    `json:"late"`
	Overdue     int    `json:"overdue"`
	NotReported int    `json:"not_reported"`
}

// Board is the state of a plan for one period.
type Board struct {
	Period     string         `json:"period"`
	PeriodName string         `json:"period_name"`
	AsOf       string         `json:"as_of"`
	Rows       []Row          `json:"rows"`
	Counts     map[string]int `json:"counts"`
	// Shares are the counts as fractions of the tasks due (0.714 = 71,4%).
	Shares      map[string]float64 `json:"shares"`
	Agencies    []AgencySummary    `json:"agencies"`
	NotReported []string           `json:"not_reported"`
	Overdue     []int64            `json:"overdue"`
}

// Build aggregates subs for the tasks of d due in p, as of a day: for a
// cumulative period the latest report of each quarter counts, figures add
// up across quarters, and the status is the latest one reported.
func Build(d *doc.Document, p period.Period, subs []Submission, asOf time.Time) *Board {
	b := &Board{Period: p.Code(), PeriodName: p.Name(), AsOf: asOf.Format(time.DateOnly), Counts: map[string]int{}}
	codes := map[string]bool{p.Code(): true}
	for _, q := range p.Quarters() {
		codes[q.Code()] = true
	}
	// Latest revision per task, agency and period code.
	type key struct {
		task   int64
		agency string
		period string
	}
	latest := map[key]Submission{}
	for _, s := range subs {
		if !codes[s.Period] {
			continue
		}
		k := key{s.TaskID, s.Agency, s.Period}
		if cur, ok := latest[k]; !ok || s.Revision > cur.Revision {
			latest[k] = s
		}
	}
	agencies := map[string]*AgencySummary{}
	missing := map[string]bool{}
	n := 0
	for ai := range d.Appendices {
		for _, t := range d.Appendices[ai].Tasks {
			n++
			m := t.Deadline.Meaning(d.Date.Year)
			if !period.Due(m, p) {
				continue
			}
			end := deadlineEnd(m, p)
			row := Row{Number: n, TaskID: t.ID, Content: t.Content, Leads: t.Lead, Deadline: t.Deadline.Text, Due: end.Format(time.DateOnly)}
			var last *Submission
			figures := map[[2]string]float64{}
			var order [][2]string
			var results []string
			for _, lead := range t.Lead {
				reported := false
				for _, s := range subsFor(latest, t.ID, lead, p) {
					s := s
					reported = true
					if last == nil || s.SubmittedAt.After(last.SubmittedAt) {
						last = &s
					}
					for _, f := range s.Figures {
						k := [2]string{f.Name, f.Unit}
						if _, ok := figures[k]; !ok {
							order = append(order, k)
						}
						figures[k] += f.Value
					}
					if s.Result != "" {
						results = append(results, s.Result)
					}
				}
				if reported {
					row.Reported = append(row.Reported, lead)
				} else {
					row.Missing = append(row.Missing, lead)
					missing[lead] = true
				}
			}
			for _, k := range order {
				row.Figures = append(row.Figures, Figure{Name: k[0], Unit: k[1], Value: figures[k]})
			}
			row.Result = strings.Join(results, "\n\n")
			row.Status = status(last, end, asOf)
			if last != nil {
				row.Late = last.Late
			}
			b.Rows = append(b.Rows, row)
			b.Counts[row.Status]++
			if row.Status == Overdue {
				b.Overdue = append(b.Overdue, t.ID)
			}
			for _, lead := range t.Lead {
				a := agencies[lead]
				if a == nil {
					a = &AgencySummary{Agency: lead}
					agencies[lead] = a
				}
				a.Due++
				if contains(row.Missing, lead) {
					// An agency that did not report is not credited with
					// what its co-leads did.
					a.NotReported++
					continue
				}
				switch row.Status {
				case Done:
					a.Done++
					a.OnTime++
				case DoneLate:
					a.Done++
					a.Late++
				case Overdue:
					a.Overdue++
				}
			}
		}
	}
	b.Shares = map[string]float64{}
	for k, n := range b.Counts {
		b.Shares[k] = float64(n) / float64(len(b.Rows))
	}
	col := collate.New(language.Vietnamese)
	for _, a := range agencies {
		b.Agencies = append(b.Agencies, *a)
	}
	sort.Slice(b.Agencies, func(i, j int) bool { return col.CompareString(b.Agencies[i].Agency, b.Agencies[j].Agency) < 0 })
	for a := range missing {
		b.NotReported = append(b.NotReported, a)
	}
	sort.Slice(b.NotReported, func(i, j int) bool { return col.CompareString(b.NotReported[i], b.NotReported[j]) < 0 })
	return b
}

// subsFor returns the latest submissions of a task by one agency in the
// codes of p, in period order.
func subsFor[K comparable](latest map[K]Submission, task int64, agency string, p period.Period) []Submission {
	var out []Submission
	codes := []string{}
	for _, q := range p.Quarters() {
		codes = append(codes, q.Code())
	}
	if p.Cumulative() {
		codes = append(codes, p.Code())
	}
	for _, s := range latest {
		if s.TaskID != task || s.Agency != agency {
			continue
		}
		for _, c := range codes {
			if s.Period == c {
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SubmittedAt.Before(out[j].SubmittedAt) })
	return out
}

// status derives a task's status from its last report, its deadline and
// the day of the board.
func status(last *Submission, end, asOf time.Time) string {
	if last == nil {
		if asOf.After(end) {
			return Overdue
		}
		return NotReported
	}
	switch last.Status {
	case Done:
		if done, err := time.Parse(time.DateOnly, last.CompletedOn); err == nil && done.After(end) {
			return DoneLate
		}
		return Done
	default:
		if asOf.After(end) {
			return Overdue
		}
		return last.Status
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
		// period's last listed month.
		for i := len(m.Months) - 1; i >= 0; i-- {
			if mo := m.Months[i]; mo >= p.FirstMonth() && mo <= p.LastMonth() && m.Day > 1 {
				return time.Date(m.Year, time.Month(mo), m.Day-1, 0, 0, 0, 0, time.UTC)
			}
		}
	}
	return lastDay(p.Year, p.LastMonth())
}

// Plain is a Markdown text without markup, for summaries.
func Plain(md string) string { return richtext.Plain(md) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
