package workflow

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"baocao/domain"
	"baocao/reports/agency"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
)

// The period dashboard: for one reporting period, every plan the actor
// may see with its counts, and every lead agency with what it has and has
// not reported. Every figure is read off each plan's status board
// (progress.Compute, as of the period's report date, like the plan page),
// never counted again from the submissions.

// PlanLister lists plans.
type PlanLister interface {
	ListPlans(ctx context.Context, f domain.PlanFilter) ([]domain.PlanSummary, int64, error)
}

// Count kinds: what a dashboard count counts, and which items stand
// behind it.
const (
	CountDue         = "due"
	CountReported    = "reported"
	CountDone        = "done"
	CountOverdue     = "overdue"
	CountNotReported = "not_reported"
	CountLate        = "late"
)

// CountKinds are the count kinds in the order a dashboard shows them.
var CountKinds = []string{CountDue, CountReported, CountDone, CountOverdue, CountNotReported, CountLate}

// CountNames are the count kinds' Vietnamese names.
var CountNames = map[string]string{
	CountDue: "Đến hạn", CountReported: "Đã báo cáo", CountDone: "Hoàn thành", CountOverdue: "Quá hạn",
	CountNotReported: "Chưa báo cáo", CountLate: "Báo cáo muộn",
}

// Counts are a dashboard line's figures, by count kind.
type Counts map[string]int

// countsOf reads a line's counts off a board's counts by status (of
// tasks, or of one agency's agency–task pairs) and its late reports.
func countsOf(due int, byStatus map[string]int, late int) Counts {
	return Counts{
		CountDue:         due,
		CountReported:    due - byStatus[progress.NotReported],
		CountDone:        byStatus[progress.DoneOnTime] + byStatus[progress.DoneLate] + byStatus[progress.CarriedOut],
		CountOverdue:     byStatus[progress.Overdue],
		CountNotReported: byStatus[progress.NotReported],
		CountLate:        late,
	}
}

// Counted reports whether an item of this status (and late mark) stands
// behind a count of kind k.
func Counted(k, status string, late bool) bool {
	switch k {
	case CountDue:
		return true
	case CountReported:
		return status != progress.NotReported
	case CountDone:
		return progress.IsDone(status)
	case CountOverdue:
		return status == progress.Overdue
	case CountNotReported:
		return status == progress.NotReported
	case CountLate:
		return late
	}
	return false
}

// DashboardItem is a task due in the period, for the whole task (Agency
// "": a plan line's item) or for one of its lead agencies.
type DashboardItem struct {
	PlanID     int64
	PlanRef    string
	TaskID     int64
	Number     int    // STT in the plan
	Content    string // Markdown, whole
	Deadline   string // as the plan writes it
	Due        string // the last day it may be done in the period, YYYY-MM-DD
	Ongoing    bool
	Leads      []string
	Agency     string // the lead agency, for an agency's item
	AgencyKey  string
	Status     string
	StatusName string
	Late       bool   // a report counted came after its due date
	ReportedOn string // the agency's latest report counted, YYYY-MM-DD
}

// DashboardPlan is one plan's line.
type DashboardPlan struct {
	ID        int64
	Reference string
	Title     string
	AsOf      time.Time
	Counts    Counts
	// ReportDue is the day the period's reports are due under the plan.
	ReportDue time.Time
}

// DashboardAgency is one lead agency's line: its agency–task pairs across
// the plans. Key tells apart agencies of one name in different provinces;
// Label adds the province where names repeat.
type DashboardAgency struct {
	Key, Name, Label string
	Counts           Counts
	Reported         []DashboardItem
	Missing          []DashboardItem
}

// Dashboard is the state of every visible plan for one period.
type Dashboard struct {
	Period   period.Period
	Plans    []DashboardPlan
	Agencies []DashboardAgency
	// Tasks are the plans' items (one per task; for a reporter, one per
	// task its agency leads), Pairs the agencies' (one per agency–task).
	Tasks []DashboardItem
	Pairs []DashboardItem
	// Years are the years the visible plans report in, oldest first.
	Years []int
}

// dashboardPlanLimit bounds the plans one dashboard reads.
const dashboardPlanLimit = 500

// CurrentPeriod is the quarter being reported on today: the one whose
// data window (15th of the month before it to the 14th of its last month)
// holds today in Vietnam.
func CurrentPeriod(now time.Time) period.Period {
	t := now.In(period.Vietnam)
	for _, y := range []int{t.Year(), t.Year() + 1} {
		for _, p := range period.All(y) {
			if !p.Cumulative() && p.Contains(t) {
				return p
			}
		}
	}
	return period.Period{Year: t.Year(), Kind: period.Q4}
}

// CurrentPeriod is the service's current period (its clock).
func (w *Service) CurrentPeriod() period.Period { return CurrentPeriod(w.now()) }

// Dashboard computes the dashboard of period p for the actor: the
// secretariat, the admin and the auditor see every plan and agency; a
// reporter the plans that involve its agency, and of them its own
// agency's tasks only. A plan is shown when p lies within its years.
func (w *Service) Dashboard(ctx context.Context, actor Actor, p period.Period) (*Dashboard, error) {
	if err := actor.may("read the dashboard", RoleAdmin, RoleSecretariat, RoleAuditor, RoleReporter); err != nil {
		return nil, err
	}
	f := domain.PlanFilter{Limit: dashboardPlanLimit}
	if actor.Reporter() {
		f.Involves = actor.AgencyID
	}
	list, _, err := w.Store.ListPlans(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	d := &Dashboard{Period: p}
	type agencyAcc struct {
		line   DashboardAgency
		parent string
		due    int
		status map[string]int
		late   int
	}
	agencies := map[string]*agencyAcc{}
	years := map[int]bool{}
	// Plans newest first in the list; the dashboard shows them by id.
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, ps := range list {
		plan, err := w.Store.GetPlan(ctx, ps.ID)
		if err != nil {
			return nil, fmt.Errorf("dashboard: plan %d: %w", ps.ID, err)
		}
		first, last, ok := period.PlanYears(plan.Doc)
		if ok {
			years[first], years[last] = true, true
			for y := first + 1; y < last; y++ {
				years[y] = true
			}
		}
		if !ok || p.Year < first || p.Year > last {
			continue
		}
		asOf, err := w.PeriodAsOf(ctx, plan, p)
		if err != nil {
			return nil, fmt.Errorf("dashboard: plan %d: %w", ps.ID, err)
		}
		b, err := w.Board(ctx, plan, p, asOf)
		if err != nil {
			return nil, fmt.Errorf("dashboard: plan %d: %w", ps.ID, err)
		}
		ref := PlanReference(plan)
		top := topAgency(plan.Doc.Agency)
		line := DashboardPlan{ID: plan.ID, Reference: ref, Title: plan.Doc.Title, AsOf: asOf,
			ReportDue: p.Due(plan.Doc.ReportDueDay)}
		own := func(name string) bool { return !actor.Reporter() || domain.Fold(name) == domain.Fold(actor.AgencyName) }
		if actor.Reporter() {
			line.Counts = countsOf(0, nil, 0)
			for _, a := range b.Agencies {
				if own(a.Agency) {
					line.Counts = countsOf(a.Due, a.Counts, lateOf(b, a.Agency))
				}
			}
		} else {
			late := 0
			for _, r := range b.Rows {
				if r.Late {
					late++
				}
			}
			line.Counts = countsOf(b.Due, b.Counts, late)
		}
		if line.Counts[CountDue] == 0 && actor.Reporter() {
			continue
		}
		d.Plans = append(d.Plans, line)
		for _, r := range b.Rows {
			item := DashboardItem{PlanID: plan.ID, PlanRef: ref, TaskID: r.TaskID, Number: r.Number, Content: r.Content,
				Deadline: r.Deadline, Due: r.Due, Ongoing: r.Ongoing, Leads: r.Leads}
			if !actor.Reporter() {
				t := item
				t.Status, t.StatusName, t.Late = r.Status, r.StatusName, r.Late
				d.Tasks = append(d.Tasks, t)
			}
			for _, l := range r.Agencies {
				if !own(l.Agency) {
					continue
				}
				key := agency.Key(top) + "|" + agency.Key(l.Agency)
				pair := item
				pair.Agency, pair.AgencyKey, pair.Status, pair.StatusName = l.Agency, key, l.Status, l.StatusName
				pair.Late, pair.ReportedOn = l.Late, l.ReportedOn
				d.Pairs = append(d.Pairs, pair)
				if actor.Reporter() {
					d.Tasks = append(d.Tasks, pair)
				}
				acc := agencies[key]
				if acc == nil {
					acc = &agencyAcc{line: DashboardAgency{Key: key, Name: l.Agency}, parent: top, status: map[string]int{}}
					agencies[key] = acc
				}
				if l.Status == progress.NotReported {
					acc.line.Missing = append(acc.line.Missing, pair)
				} else {
					acc.line.Reported = append(acc.line.Reported, pair)
				}
			}
		}
		// The agencies' counts are the board's per-agency tally.
		for _, a := range b.Agencies {
			if acc := agencies[agency.Key(top)+"|"+agency.Key(a.Agency)]; acc != nil {
				acc.due += a.Due
				for st, n := range a.Counts {
					acc.status[st] += n
				}
				acc.late += lateOf(b, a.Agency)
			}
		}
	}
	for y := range years {
		d.Years = append(d.Years, y)
	}
	sort.Ints(d.Years)
	labelled := make([]agency.Labelled, 0, len(agencies))
	keys := make([]string, 0, len(agencies))
	for k := range agencies {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		labelled = append(labelled, agency.Labelled{ID: int64(i), Name: agencies[k].line.Name, Parent: agencies[k].parent})
	}
	labels := agency.Labels(labelled)
	for i, k := range keys {
		acc := agencies[k]
		acc.line.Label = labels[int64(i)]
		acc.line.Counts = countsOf(acc.due, acc.status, acc.late)
		d.Agencies = append(d.Agencies, acc.line)
	}
	agency.SortByLabel(d.Agencies, func(a DashboardAgency) string { return a.Label }, func(DashboardAgency) int64 { return 0 })
	return d, nil
}

// lateOf counts an agency's late reports among a board's counted ones.
func lateOf(b *progress.Board, name string) int {
	n := 0
	for _, r := range b.Rows {
		for _, l := range r.Agencies {
			if l.Agency == name && l.Late {
				n++
			}
		}
	}
	return n
}

// topAgency is the name at the top of an agency's chain of parents: the
// province or district whose agencies a plan names.
func topAgency(a doc.Agency) string {
	for a.Parent != nil {
		a = *a.Parent
	}
	return a.Name
}

// PlanReference names a plan briefly: "Số 15/KH-UBND", or its kind,
// symbol and year when it has no number.
func PlanReference(plan domain.Plan) string {
	if plan.Doc.Number != 0 {
		return "Số " + strings.TrimSpace(strings.TrimPrefix(plan.Doc.NumberAndSymbol(), "Số:"))
	}
	return fmt.Sprintf("%s %s năm %d", plan.Doc.KindName(), plan.Doc.Agency.Symbol, plan.Doc.Date.Year)
}
