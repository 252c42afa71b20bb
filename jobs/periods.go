package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/reports/agency"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/vn"
	"baocao/workflow"
)

// The reminders.
const (
	WhenBefore  = "before"  // before the due date
	WhenOverdue = "overdue" // once the due date has passed
)

// ReportingPeriods are the periods whose reports fall due in year: the
// reports of Decree 09/2019/NĐ-CP, Art. 12 (Quý I, 6 tháng, 9 tháng,
// năm), one per due date; each covers the quarter that ends then.
func ReportingPeriods(year int) []period.Period {
	return []period.Period{{Year: year, Kind: period.Q1}, {Year: year, Kind: period.Half},
		{Year: year, Kind: period.Nine}, {Year: year, Kind: period.Whole}}
}

// ScanArgs looks at every plan's due dates (periodic).
type ScanArgs struct{}

// Kind is the job's kind.
func (ScanArgs) Kind() string { return kindScan }

// InsertOpts: a failed scan is tried twice more; the next hour's scan
// comes anyway.
func (ScanArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// RemindArgs e-mails the reporters of every lead agency with tasks due in
// a plan's period.
type RemindArgs struct {
	PlanID int64  `json:"plan_id"`
	Period string `json:"period"`
	When   string `json:"when"` // WhenBefore or WhenOverdue
}

// Kind is the job's kind.
func (RemindArgs) Kind() string { return kindRemind }

// InsertOpts makes a reminder unique while it is queued, running or
// done, tried 10 times (River's waits, attempt⁴ seconds: about 7 hours in
// all, e.g. while the SMTP server is down).
func (RemindArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// PrepareArgs drafts a plan's report for a period that has ended and
// tells the secretariat.
type PrepareArgs struct {
	PlanID int64  `json:"plan_id"`
	Period string `json:"period"`
}

// Kind is the job's kind.
func (PrepareArgs) Kind() string { return kindPrepare }

// InsertOpts makes a period's drafting unique while queued, running or
// done, tried 10 times (as RemindArgs).
func (PrepareArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Due is one piece of scheduled work found by Scan.
type Due struct {
	Args river.JobArgs
	Mark string // its kind of mark
	Key  string // its subject
}

// Scan lists the reminders and drafts due at now for every plan and
// enqueues those not done yet; it returns what it enqueued.
func (s *Service) Scan(ctx context.Context) ([]Due, error) {
	today := period.Day(s.now())
	var out []Due
	for offset := 0; ; offset += 100 {
		list, _, err := s.st.ListPlans(ctx, domain.PlanFilter{Limit: 100, Offset: offset})
		if err != nil {
			return out, err
		}
		for _, ps := range list {
			plan, err := s.st.GetPlan(ctx, ps.ID)
			if errors.Is(err, domain.ErrNotFound) {
				continue
			}
			if err != nil {
				return out, err
			}
			for _, d := range s.dueFor(plan, today) {
				done, err := s.st.Marked(ctx, d.Mark, d.Key)
				if err != nil {
					return out, err
				}
				if done {
					continue
				}
				res, err := s.q.Insert(ctx, d.Args, nil)
				if err != nil {
					return out, fmt.Errorf("enqueue %s: %w", d.Args.Kind(), err)
				}
				if !res.UniqueSkippedAsDuplicate {
					s.metrics.enqueued.WithLabelValues(d.Args.Kind()).Inc()
					out = append(out, d)
				}
			}
		}
		if len(list) < 100 {
			return out, nil
		}
	}
}

// dueFor is the work due on day today for a plan: a reminder from
// RemindBefore before each period's due date to that date, and once the
// date has passed (up to CatchUp later) a reminder of what is still
// missing and the period's draft.
func (s *Service) dueFor(plan domain.Plan, today time.Time) []Due {
	first, last, ok := period.PlanYears(plan.Doc)
	if !ok {
		return nil
	}
	var out []Due
	for y := first; y <= last; y++ {
		for _, p := range ReportingPeriods(y) {
			due := p.Due(plan.Doc.ReportDueDay)
			key := fmt.Sprintf("%d/%s", plan.ID, p.Code())
			if !today.Before(due.Add(-s.cfg.RemindBefore)) && !today.After(due) {
				out = append(out, Due{RemindArgs{PlanID: plan.ID, Period: p.Code(), When: WhenBefore}, "remind-" + WhenBefore, key})
			}
			if today.After(due) && !today.After(due.Add(s.cfg.CatchUp)) {
				out = append(out, Due{RemindArgs{PlanID: plan.ID, Period: p.Code(), When: WhenOverdue}, "remind-" + WhenOverdue, key},
					Due{PrepareArgs{PlanID: plan.ID, Period: p.Code()}, "prepare", key})
			}
		}
	}
	return out
}

// Reminder is the e-mail to one lead agency's reporters.
type Reminder struct {
	Agency string
	Tasks  []progress.Row // the agency's tasks due and not done
	Message
}

// Reminders drafts the reminders of a plan's period as of now: one per
// lead agency with tasks due not reported or not done (by its own status), to its
// reporters that have an e-mail address (none: To is empty); see
// remindOf.
func (s *Service) Reminders(ctx context.Context, a RemindArgs) ([]Reminder, error) {
	plan, p, err := s.planPeriod(ctx, a.PlanID, a.Period)
	if err != nil {
		return nil, err
	}
	board, err := s.wf.Board(ctx, plan, p, period.Day(s.now()))
	if err != nil {
		return nil, err
	}
	byAgency := map[string][]progress.Row{}
	var agencies []string
	for _, row := range board.Rows {
		for _, l := range row.Agencies {
			if !remindOf(l.Status) {
				continue
			}
			if _, ok := byAgency[l.Agency]; !ok {
				agencies = append(agencies, l.Agency)
			}
			r := row
			r.Status, r.StatusName = l.Status, l.StatusName
			byAgency[l.Agency] = append(byAgency[l.Agency], r)
		}
	}
	slices.Sort(agencies)
	reporters, err := s.reporters(ctx, plan)
	if err != nil {
		return nil, err
	}
	due := p.Due(plan.Doc.ReportDueDay)
	var out []Reminder
	for _, ag := range agencies {
		m := reminderMail(plan, p, due, a.When, ag, byAgency[ag], s.cfg.BaseURL)
		m.To = reporters(ag)
		out = append(out, Reminder{Agency: ag, Tasks: byAgency[ag], Message: m})
	}
	return out, nil
}

// reporters gives the addresses a lead agency of a plan's board reaches:
// its reporters (enabled, with an address). A reporter is the agency's
// when its account's agency is that agency, by id (the plan's lead
// agencies by identity, store.LeadAgencyIDs), or is another record of
// it within the plan's province or ministry (the agencies under the
// plan's issuing agency's top agency): one whose name or alias is the
// agency's name or one of its aliases, case and spacing aside (the
// agency directory of the plan's lead agencies, agency.Directory). A
// same-named agency of another province is another agency.
func (s *Service) reporters(ctx context.Context, plan domain.Plan) (func(agency string) []string, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	leads, err := s.st.LeadAgencyIDs(ctx, plan.ID)
	if err != nil {
		return nil, err
	}
	list, err := s.st.ListAgencies(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]domain.Agency{}
	for _, a := range list {
		byID[a.ID] = a
	}
	root := func(id int64) int64 {
		for range 32 { // the store keeps parents free of cycles; this bounds it anyway
			a, ok := byID[id]
			if !ok || a.ParentID == nil {
				return id
			}
			id = *a.ParentID
		}
		return id
	}
	top := root(plan.AgencyID)
	var entries []agency.Entry
	for _, a := range list { // in the store's order: the same directory every time
		for _, ids := range leads {
			if slices.Contains(ids, a.ID) {
				entries = append(entries, agency.Entry{Name: a.Name, Aliases: a.Aliases})
				break
			}
		}
	}
	dir, err := agency.NewDirectory(entries)
	if err != nil {
		// Two lead agencies share an alias: names are compared as they
		// are (folded), ids still decide.
		s.log.Warn("the plan's lead agencies share a name or alias", "plan", plan.ID, "error", err)
		dir = nil
	}
	names := func(a domain.Agency) []string { return append([]string{a.Name}, a.Aliases...) }
	return func(ag string) []string {
		var to []string
		for _, u := range users {
			if u.Role != auth.RoleReporter || u.Disabled || u.Email == "" || u.AgencyID == 0 {
				continue
			}
			mine := slices.Contains(leads[ag], u.AgencyID)
			if a, ok := byID[u.AgencyID]; !mine && ok && root(a.ID) == top {
				mine = slices.ContainsFunc(names(a), func(n string) bool { return dir.Same(n, ag) })
			}
			if mine {
				to = append(to, u.Email)
			}
		}
		return to
	}, nil
}

// remindOf reports whether a lead's status on a task is one to remind
// of: not reported for the period, or reported not done (in time or
// overdue). Done, carried out and ongoing tasks (a regular task reported
// in progress) are not.
func remindOf(status string) bool {
	return status == progress.NotReported || status == progress.InTime || status == progress.Overdue
}

// Remind sends the reminders of a plan's period, each agency's once.
func (s *Service) Remind(ctx context.Context, a RemindArgs) error {
	mark, key := "remind-"+a.When, fmt.Sprintf("%d/%s", a.PlanID, a.Period)
	if done, err := s.st.Marked(ctx, mark, key); err != nil || done {
		return err
	}
	if !s.mail.Enabled() {
		s.log.Warn("no SMTP server configured: reminders not sent", "plan", a.PlanID, "period", a.Period, "when", a.When)
		return nil
	}
	rems, err := s.Reminders(ctx, a)
	if err != nil {
		return err
	}
	for _, r := range rems {
		sub := key + "/" + r.Agency
		if done, err := s.st.Marked(ctx, mark, sub); err != nil {
			return err
		} else if done {
			continue
		}
		if len(r.To) == 0 {
			s.metrics.mails.WithLabelValues(kindRemind, "no_recipient").Inc()
			s.log.Warn("no reporter with an e-mail address: reminder not sent", "agency", r.Agency, "plan", a.PlanID, "period", a.Period)
			continue
		}
		if err := s.mail.Send(ctx, r.Message); err != nil {
			s.metrics.mails.WithLabelValues(kindRemind, "error").Inc()
			return err
		}
		s.metrics.mails.WithLabelValues(kindRemind, "sent").Inc()
		if err := s.st.Mark(ctx, mark, sub); err != nil {
			return err
		}
	}
	return s.st.Mark(ctx, mark, key)
}

func (s *Service) planPeriod(ctx context.Context, planID int64, code string) (domain.Plan, period.Period, error) {
	p, err := period.Parse(code)
	if err != nil {
		return domain.Plan{}, p, river.JobCancel(err)
	}
	plan, err := s.st.GetPlan(ctx, planID)
	if errors.Is(err, domain.ErrNotFound) {
		return plan, p, river.JobCancel(err)
	}
	return plan, p, err
}

// planRef cites a plan: "Kế hoạch số 12/KH-UBND ngày 05/01/2024 về …".
func planRef(plan domain.Plan) string {
	d := plan.Doc
	ref := d.KindName()
	if d.Number > 0 {
		ref += " số " + strings.TrimSpace(d.NumberAndSymbol())
	}
	if d.Date.Day > 0 {
		ref += " ngày " + fmt.Sprintf("%02d/%02d/%d", d.Date.Day, d.Date.Month, d.Date.Year)
	}
	return ref + " " + lowerFirst(strings.TrimSpace(d.Title))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] == 'K' && strings.HasPrefix(s, "Kế hoạch") || r[0] == 'V' && strings.HasPrefix(s, "Về") {
		r[0] = []rune(strings.ToLower(string(r[0])))[0]
	}
	return string(r)
}

func dmy(t time.Time) string { return t.Format("02/01/2006") }

// asOfDMY writes a board's as-of date ("2024-06-15") as dd/mm/yyyy.
func asOfDMY(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return dmy(t)
	}
	return s
}

// reminderMail is the reminder to one agency, in Vietnamese.
func reminderMail(plan domain.Plan, p period.Period, due time.Time, when, agency string, rows []progress.Row, base string) Message {
	var subj string
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi: %s\n\n", agency)
	if when == WhenOverdue {
		subj = fmt.Sprintf("Quá hạn báo cáo %s (hạn ngày %s)", p.Name(), dmy(due))
		fmt.Fprintf(&b, "Đã quá hạn báo cáo %s theo %s (hạn ngày %s). ", p.Name(), planRef(plan), dmy(due))
	} else {
		subj = fmt.Sprintf("Nhắc báo cáo %s: hạn ngày %s", p.Name(), dmy(due))
		fmt.Fprintf(&b, "Hạn báo cáo %s theo %s là ngày %s. ", p.Name(), planRef(plan), dmy(due))
	}
	fmt.Fprintf(&b, "Đơn vị còn %s nhiệm vụ đến hạn chưa báo cáo hoặc chưa hoàn thành:\n\n", vn.Count(len(rows)))
	for _, r := range rows {
		fmt.Fprintf(&b, "%d. %s\n   Thời hạn: %s. Tình trạng: %s.\n", r.Number, oneLine(progress.Plain(r.Content)), r.Deadline, r.StatusName)
	}
	fmt.Fprintf(&b, "\nĐề nghị đơn vị cập nhật tiến độ tại %s/plans/%d.\n\n", strings.TrimRight(base, "/"), plan.ID)
	b.WriteString("Trân trọng.\n\n-- \nThư gửi tự động từ hệ thống baocao; xin đừng trả lời thư này.\n")
	return Message{Subject: subj, Body: b.String()}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// systemActor is who drafts the period's reports: the secretariat's
// role, named as the background work.
var systemActor = workflow.Actor{Kind: workflow.ActorUser, Name: "baocao (tự động)", Role: workflow.RoleSecretariat}

// Prepare drafts a plan's report for an ended period when it has none
// (through workflow.SaveDraft: the drafted parts come from the data),
// drafts the reminder letter to the agencies late (DraftLetter) and
// tells the secretariat of both, once.
func (s *Service) Prepare(ctx context.Context, a PrepareArgs) error {
	key := fmt.Sprintf("%d/%s", a.PlanID, a.Period)
	if done, err := s.st.Marked(ctx, "prepare", key); err != nil || done {
		return err
	}
	plan, p, err := s.planPeriod(ctx, a.PlanID, a.Period)
	if err != nil {
		return err
	}
	lt, err := s.DraftLetter(ctx, plan, p)
	if err != nil {
		return err
	}
	rec, err := s.st.GetReport(ctx, plan.ID, p.Code())
	created := false
	if errors.Is(err, domain.ErrNotFound) {
		rec, err = s.wf.SaveDraft(ctx, systemActor, workflow.DraftInput{PlanID: plan.ID, Period: p})
		if err != nil {
			return fmt.Errorf("draft %s: %w", key, err)
		}
		created = true
		_ = s.st.Audit(ctx, store.AuditEntry{Actor: systemActor.Name, Role: string(systemActor.Role), Action: "report.save",
			Resource: fmt.Sprintf("plan/%d/reports/%s", plan.ID, p.Code()), Detail: "drafted at the end of the period"})
	} else if err != nil {
		return err
	}
	reportDraft := workflow.StatusOf(rec) == workflow.StatusDraft
	if !reportDraft && lt == nil {
		return s.st.Mark(ctx, "prepare", key)
	}
	asOf, _ := workflow.ReportAsOf(plan, p, rec, s.now())
	board, err := s.wf.Board(ctx, plan, p, asOf)
	if err != nil {
		return err
	}
	to, err := s.secretariat(ctx)
	if err != nil {
		return err
	}
	switch {
	case !s.mail.Enabled():
		s.log.Warn("no SMTP server configured: the secretariat is not told of the draft", "plan", plan.ID, "period", p.Code())
	case len(to) == 0:
		s.metrics.mails.WithLabelValues(kindPrepare, "no_recipient").Inc()
		s.log.Warn("no secretariat account with an e-mail address: the draft is not announced", "plan", plan.ID, "period", p.Code())
	default:
		m := noticeMail(plan, p, board, notice{created: created, reportDraft: reportDraft, letter: lt}, s.cfg.BaseURL)
		m.To = to
		if err := s.mail.Send(ctx, m); err != nil {
			s.metrics.mails.WithLabelValues(kindPrepare, "error").Inc()
			return err
		}
		s.metrics.mails.WithLabelValues(kindPrepare, "sent").Inc()
	}
	return s.st.Mark(ctx, "prepare", key)
}

// secretariat are the addresses told of the drafts.
func (s *Service) secretariat(ctx context.Context) ([]string, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	to := slices.Clone(s.cfg.NotifyTo)
	for _, u := range users {
		if u.Role == auth.RoleSecretariat && !u.Disabled && u.Email != "" && !slices.Contains(to, u.Email) {
			to = append(to, u.Email)
		}
	}
	return to, nil
}

// notice is what the secretariat's notice tells of: the report's draft
// (made now, or waiting) or an issued report, and the reminder letter
// drafted (nil: none).
type notice struct {
	created, reportDraft bool
	letter               *DraftedLetter
}

// noticeMail tells the secretariat a period's draft is ready, and the
// reminder letter drafted, with their links.
func noticeMail(plan domain.Plan, p period.Period, board *progress.Board, n notice, base string) Message {
	base = strings.TrimRight(base, "/")
	var b strings.Builder
	b.WriteString("Kính gửi: Văn phòng (thường trực)\n\n")
	switch {
	case !n.reportDraft:
		fmt.Fprintf(&b, "Kỳ báo cáo %s đã kết thúc. Báo cáo theo %s đã ban hành.\n\n", p.Name(), planRef(plan))
	case n.created:
		fmt.Fprintf(&b, "Kỳ báo cáo %s đã kết thúc. Hệ thống đã lập dự thảo báo cáo theo %s từ số liệu các cơ quan đã báo cáo.\n\n", p.Name(), planRef(plan))
	default:
		fmt.Fprintf(&b, "Kỳ báo cáo %s đã kết thúc. Dự thảo báo cáo theo %s đang chờ hoàn thiện.\n\n", p.Name(), planRef(plan))
	}
	fmt.Fprintf(&b, "Số liệu đến ngày %s: %s nhiệm vụ đến hạn; hoàn thành %s; quá hạn %s; chưa báo cáo %s.\n",
		asOfDMY(board.AsOf), vn.Count(board.Due), vn.Count(board.Counts[progress.DoneOnTime]+board.Counts[progress.DoneLate]+board.Counts[progress.CarriedOut]),
		vn.Count(board.Counts[progress.Overdue]), vn.Count(board.Counts[progress.NotReported]))
	if len(board.NotReported) > 0 {
		fmt.Fprintf(&b, "Cơ quan chưa báo cáo: %s.\n", strings.Join(board.NotReported, "; "))
	}
	if n.reportDraft {
		fmt.Fprintf(&b, "\nXem và hoàn thiện dự thảo tại %s/plans/%d/reports/%s.\n", base, plan.ID, p.Code())
	}
	if l := n.letter; l != nil {
		var names []string
		for _, a := range l.Late {
			names = append(names, a.Agency)
		}
		fmt.Fprintf(&b, "\nHệ thống đã lập dự thảo công văn đôn đốc %s cơ quan chưa báo cáo hoặc có nhiệm vụ quá hạn (%s). "+
			"Xem, sửa và ban hành công văn tại %s/plans/%d/letters/%d.\n", vn.Count(len(l.Late)), strings.Join(names, "; "), base, plan.ID, l.Letter.ID)
	}
	b.WriteString("\n-- \nThư gửi tự động từ hệ thống baocao; xin đừng trả lời thư này.\n")
	subject := fmt.Sprintf("Dự thảo báo cáo %s: %s", p.Name(), oneLine(plan.Doc.Title))
	if !n.reportDraft {
		subject = fmt.Sprintf("Dự thảo công văn đôn đốc báo cáo %s: %s", p.Name(), oneLine(plan.Doc.Title))
	}
	return Message{Subject: subject, Body: b.String()}
}

// DraftedLetter is the reminder letter the jobs drafted for a plan's
// period, with the agencies it reminds as of the day it was drafted.
type DraftedLetter struct {
	Letter domain.Letter
	Late   []letter.Late
}

// DraftLetter drafts the reminder letter (công văn đôn đốc) of a plan's
// period once its due date has passed, through the letters workflow as
// the secretariat would (workflow.SaveLetter, acting as the system): to
// the lead agencies late or not reported as of today. Nobody late: no
// letter (nil). Never twice for a plan and period: the mark "letter"
// records it, and a letter the system drafted for the period before a
// crash kept it from being marked is taken as the one.
func (s *Service) DraftLetter(ctx context.Context, plan domain.Plan, p period.Period) (*DraftedLetter, error) {
	key := fmt.Sprintf("%d/%s", plan.ID, p.Code())
	marked, err := s.st.Marked(ctx, "letter", key)
	if err != nil {
		return nil, err
	}
	l, found, err := s.systemLetter(ctx, plan.ID, p)
	if err != nil {
		return nil, err
	}
	if marked && !found {
		return nil, nil // nobody was late
	}
	if !found {
		l, err = s.wf.SaveLetter(ctx, systemActor, workflow.LetterInput{PlanID: plan.ID, Period: p})
		var nobody *workflow.NobodyLateError
		switch {
		case errors.As(err, &nobody):
			return nil, s.st.Mark(ctx, "letter", key)
		case err != nil:
			return nil, fmt.Errorf("reminder letter %s: %w", key, err)
		}
		_ = s.st.Audit(ctx, store.AuditEntry{Actor: systemActor.Name, Role: string(systemActor.Role), Action: "letter.create",
			Resource: fmt.Sprintf("plan/%d/letters/%d", plan.ID, l.ID), Detail: fmt.Sprintf("drafted when %s was due, %s", p.Code(), key)})
	}
	if err := s.st.Mark(ctx, "letter", key); err != nil {
		return nil, err
	}
	asOf := s.wf.LetterAsOf(l)
	c, err := s.wf.ComposeLetter(ctx, plan, l, asOf, l.Number, doc.Date{Year: asOf.Year()})
	if err != nil {
		return nil, err
	}
	return &DraftedLetter{Letter: l, Late: c.Late}, nil
}

// systemLetter finds the letter the system drafted for a plan's period.
func (s *Service) systemLetter(ctx context.Context, planID int64, p period.Period) (domain.Letter, bool, error) {
	list, err := s.st.ListLetters(ctx, planID)
	if err != nil {
		return domain.Letter{}, false, err
	}
	for _, l := range list {
		if l.Period == p.Code() && l.CreatedBy == systemActor.Name {
			return l, true, nil
		}
	}
	return domain.Letter{}, false, nil
}
