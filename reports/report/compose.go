package report

import (
	"fmt"
	"strings"
	"time"

	"baocao/reports/doc"
	"baocao/reports/progress"
	"baocao/reports/table"
	"baocao/reports/vn"
	"baocao/templates"
)

// StatusPhrases are the words that follow a count in the report's
// sentences: "03 nhiệm vụ hoàn thành đúng hạn (21,4%)". Tests read the
// figures back through them.
var StatusPhrases = map[string]string{
	progress.DoneOnTime:  "hoàn thành đúng hạn",
	progress.DoneLate:    "hoàn thành quá hạn",
	progress.InTime:      "đang thực hiện trong hạn",
	progress.Overdue:     "quá hạn",
	progress.NotReported: "chưa có báo cáo kết quả",
	progress.CarriedOut:  "thường xuyên đã thực hiện",
	progress.Ongoing:     "thường xuyên đang thực hiện",
}

// shortNames are the statuses as a sentence about one task says them.
var shortNames = map[string]string{
	progress.DoneOnTime: "hoàn thành đúng hạn", progress.DoneLate: "hoàn thành quá hạn",
	progress.InTime: "đang thực hiện, trong hạn", progress.Overdue: "quá hạn", progress.NotReported: "chưa báo cáo",
	progress.CarriedOut: "đã thực hiện", progress.Ongoing: "đang thực hiện",
}

// statusWords is a lead's status in a sentence; "chưa báo cáo" names the
// quarter it has not reported for.
func statusWords(status string, b *progress.Board) string {
	if status == progress.NotReported {
		return "chưa báo cáo " + b.LatestName
	}
	return shortNames[status]
}

// view is the data the body template sees: sentences and sections
// already written from the one board, the secretariat's parts in place of
// the drafted ones where it wrote them.
type view struct {
	Plan      *doc.Document
	Period    string // "Quý I năm 2024"
	Agency    string
	AsOf      time.Time
	Board     *progress.Board
	Narrative Narrative // each part either the secretariat's or drafted
	// PlanRef cites the plan: its number and date, or its title and date
	// when it has no number.
	PlanRef  string
	Summary  string // the counts sentence
	Reported string // who has not reported, or that all have
	Replaces string // the sentence naming the report replaced, or ""
}

// Drafted are the parts of a report, from the data: task by task up to
// DetailedUpTo tasks due, summarised beyond.
func Drafted(b *progress.Board) Narrative { return drafted(b, 0) }

func drafted(b *progress.Board, upTo int) Narrative {
	if summarised(len(b.Rows), upTo) {
		return draftSummary(b)
	}
	return Narrative{
		Results:      results(b),
		Shortcomings: shortcomings(b),
		Causes:       causes(b),
		Directions:   directions(b),
		Proposals:    proposals(b),
	}
}

// Build makes the report document and its appendix tables.
func Build(set *templates.Set, in Input) (*doc.Document, []*table.Table, error) {
	b := in.Board
	nar := in.Narrative
	def := drafted(b, in.DetailedUpTo)
	for _, f := range []struct{ own, def *string }{{&nar.Results, &def.Results}, {&nar.Shortcomings, &def.Shortcomings},
		{&nar.Causes, &def.Causes}, {&nar.Directions, &def.Directions}, {&nar.Proposals, &def.Proposals}} {
		if strings.TrimSpace(*f.own) == "" {
			*f.own = *f.def
		}
	}
	v := view{Plan: in.Plan, Period: in.Period.Name(), Agency: in.Plan.IssuerName(), AsOf: in.AsOf, Board: b,
		Narrative: nar, PlanRef: PlanReference(in.Plan), Summary: Summary(b, in.Period.Name()),
		Reported: reportedLine(b, in.AsOf, summarised(len(b.Rows), in.DetailedUpTo))}
	if r := in.Replaces; r != nil {
		v.Replaces = fmt.Sprintf("Báo cáo này thay thế Báo cáo số %s %s của %s.", r.Reference(),
			vn.DateWords(r.Date.Year, r.Date.Month, r.Date.Day), in.Plan.IssuerName())
	}
	body, err := set.Execute(templates.PeriodicReport, v)
	if err != nil {
		return nil, nil, err
	}
	title := in.Title
	if title == "" {
		title = DefaultTitle(in.Plan, in.Period)
	}
	addressees, recipients := Addressees(in.Plan)
	if len(nar.Addressees) > 0 {
		addressees = nar.Addressees
	}
	if len(nar.Recipients) > 0 {
		recipients = nar.Recipients
	}
	d := &doc.Document{
		Kind: Kind, Number: in.Number, Date: in.Date, Agency: in.Plan.Agency, Issuer: in.Plan.Issuer,
		Title: title, Body: strings.TrimSpace(body), Addressees: addressees, Recipients: recipients, Archive: Archive(in.Plan),
		Signature: in.Plan.Signature, Draft: in.Number == 0,
	}
	if d.Date.Year == 0 {
		d.Date = doc.Date{Year: in.Period.Year}
	}
	d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	attached := d.AttachedLine()
	tables := []*table.Table{
		b.TaskTable("Phụ lục I", attached),
		b.AgencyTable("Phụ lục II", attached),
	}
	return d, tables, nil
}

// Warnings are what a clerk should know before issuing: today, that the
// plan has no number, so the report cites it by title and date.
func Warnings(plan *doc.Document) []string {
	var w []string
	if plan.Number == 0 {
		w = append(w, "Kế hoạch chưa có số, ký hiệu: báo cáo dẫn Kế hoạch theo tên và ngày ban hành; hãy bổ sung số của Kế hoạch trước khi phát hành báo cáo.")
	}
	return w
}

// PlanReference cites the plan: "Kế hoạch số 15/KH-UBND ngày 05 tháng 01
// năm 2024 của UBND tỉnh Lai Châu về …"; a plan without a number by its
// title and date instead of blanks.
func PlanReference(plan *doc.Document) string {
	if plan.Number > 0 {
		return plan.Reference() + " về " + LowerFirst(plan.Title)
	}
	date := ""
	if plan.Date.Complete() {
		date = " ngày " + fmt.Sprintf("%02d/%02d/%d", plan.Date.Day, plan.Date.Month, plan.Date.Year)
	} else if plan.Date.Year > 0 && !strings.Contains(plan.Title, fmt.Sprint(plan.Date.Year)) {
		date = fmt.Sprintf(" năm %d", plan.Date.Year)
	}
	return fmt.Sprintf("%s %s%s của %s", plan.KindName(), LowerFirst(plan.Title), date, plan.IssuerName())
}

// superiors are how the names of bodies a report goes up to begin.
var superiors = []string{"Bộ ", "Văn phòng Chính phủ", "Thủ tướng", "Ủy ban nhân dân tỉnh", "UBND tỉnh", "Sở Nội vụ"}

// Addressees drafts a report's "Kính gửi" and "Nơi nhận" from its plan:
// the plan's governing agency and the superior bodies among the plan's
// recipients (Bộ …, UBND tỉnh, Sở Nội vụ) are addressed; the recipients
// are "Như trên" and, when nothing is addressed, none.
func Addressees(plan *doc.Document) (addressees, recipients []string) {
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] && n != plan.Agency.Name {
			seen[n] = true
			addressees = append(addressees, n)
		}
	}
	if plan.Agency.Parent != nil {
		add(plan.Agency.Parent.Name)
	}
	for _, r := range plan.Recipients {
		r = strings.TrimRight(strings.TrimSpace(r), ";,.")
		for _, p := range superiors {
			if strings.HasPrefix(r, p) {
				add(r)
				break
			}
		}
	}
	if len(addressees) > 0 {
		recipients = []string{"Như trên"}
	}
	return addressees, recipients
}

// Archive is the report's "Lưu:" line: the plan's, or "VT".
func Archive(plan *doc.Document) string {
	if plan.Archive != "" {
		return plan.Archive
	}
	return "VT"
}

// Summary is the counts sentence: the tasks due, split by kind, and how
// many are in each status with its share of the tasks due. Statuses with
// no task are left out; "không có nhiệm vụ quá hạn" is said when no task
// with a deadline is overdue.
func Summary(b *progress.Board, periodName string) string {
	var s strings.Builder
	fmt.Fprintf(&s, "Trong %s, có %s (%s) nhiệm vụ đến hạn thực hiện", periodName, vn.Count(b.Due), vn.Words(int64(b.Due)))
	switch {
	case b.Due == 0:
		s.WriteString(".")
		return s.String()
	case b.WithDeadline > 0 && b.OngoingDue > 0:
		fmt.Fprintf(&s, ", gồm %s nhiệm vụ có thời hạn và %s nhiệm vụ thường xuyên", vn.Count(b.WithDeadline), vn.Count(b.OngoingDue))
	case b.OngoingDue > 0:
		s.WriteString(", đều là nhiệm vụ thường xuyên")
	}
	s.WriteString(". Kết quả: ")
	var parts []string
	for _, st := range progress.Statuses {
		if n := b.Counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s nhiệm vụ %s (%s)", vn.Count(n), StatusPhrases[st], vn.Percent(float64(n), float64(b.Due))))
		}
	}
	reported := false // a task with a deadline some lead reported on
	for _, r := range b.Rows {
		reported = reported || (!r.Ongoing && r.Status != progress.NotReported)
	}
	if reported && b.Counts[progress.Overdue] == 0 {
		parts = append(parts, "không có nhiệm vụ quá hạn")
	}
	s.WriteString(strings.Join(parts, "; "))
	s.WriteString(".")
	return s.String()
}

// reportedLine names the agencies that have not reported for the latest
// quarter, or says that all have.
// A summarised report names only the first few.
func reportedLine(b *progress.Board, asOf time.Time, summary bool) string {
	day := vn.DateWords(asOf.Year(), int(asOf.Month()), asOf.Day())
	if len(b.NotReported) == 0 {
		if b.Due == 0 {
			return ""
		}
		return fmt.Sprintf("Đến %s, tất cả các cơ quan chủ trì đã báo cáo kết quả %s.", day, b.LatestName)
	}
	names := joinAgencies(b.NotReported)
	if summary {
		names = someAgencies(b.NotReported)
	}
	return fmt.Sprintf("Đến %s, còn %s cơ quan chưa báo cáo kết quả %s: %s.", day, vn.Count(len(b.NotReported)),
		b.LatestName, names)
}

// results drafts section I.2: by lead agency, each task with its status
// and the agency's latest result; a figure is added only when the result
// does not already give its value (a cumulative total, say).
func results(b *progress.Board) string {
	type item struct {
		number int
		text   string
	}
	by := map[string][]item{}
	for _, r := range b.Rows {
		for _, l := range r.Agencies {
			var s strings.Builder
			fmt.Fprintf(&s, "- Nhiệm vụ %d: %s (*%s*)", r.Number, plainInline(r.Content), statusWords(l.Status, b))
			res := plainInline(l.Result)
			switch {
			case res == "":
			case l.ReportedFor != "" && (l.Status == progress.NotReported || b.Latest != b.Period):
				// A cumulative report quotes a quarter's words ("trong quý
				// có …"): say which quarter.
				fmt.Fprintf(&s, "; theo báo cáo %s: %s", l.ReportedFor, LowerFirst(res))
			default:
				s.WriteString(": " + LowerFirst(res))
			}
			var extra []string
			for _, f := range l.Figures {
				if !strings.Contains(l.Result, vn.Number(f.Value, 2)) {
					extra = append(extra, escapeMD(progress.FigureText(f)))
				}
			}
			if len(extra) > 0 {
				if res != "" {
					s.WriteString("; ")
				} else {
					s.WriteString(": ")
				}
				s.WriteString("số liệu " + periodShort(b) + ": " + strings.Join(extra, "; "))
			}
			s.WriteString(".")
			by[l.Agency] = append(by[l.Agency], item{r.Number, s.String()})
		}
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sortVietnamese(names)
	var out []string
	for i, n := range names {
		out = append(out, fmt.Sprintf("**%c) %s**", 'a'+rune(i%26), escapeMD(n)))
		var lines []string
		for _, it := range by[n] {
			lines = append(lines, it.text)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	if len(out) == 0 {
		return "Trong kỳ không có nhiệm vụ đến hạn."
	}
	return strings.Join(out, "\n\n")
}

// periodShort is how a figure's scope is named: "trong Quý I năm 2024".
func periodShort(b *progress.Board) string { return "trong " + b.PeriodName }

// shortcomings drafts section II.1 from the facts: tasks overdue, tasks
// without a report, late reports.
func shortcomings(b *progress.Board) string {
	var lines []string
	if n := b.Counts[progress.Overdue]; n > 0 {
		lines = append(lines, fmt.Sprintf("- Còn %s nhiệm vụ quá hạn chưa hoàn thành: %s.", vn.Count(n), taskList(b, progress.Overdue)))
	}
	if n := b.Counts[progress.DoneLate]; n > 0 {
		lines = append(lines, fmt.Sprintf("- %s nhiệm vụ hoàn thành sau thời hạn: %s.", vn.Count(n), taskList(b, progress.DoneLate)))
	}
	if len(b.NotReported) > 0 {
		lines = append(lines, fmt.Sprintf("- %s cơ quan chưa báo cáo kết quả %s: %s.", vn.Count(len(b.NotReported)),
			b.LatestName, joinAgencies(b.NotReported)))
	}
	late := map[string]bool{}
	for _, r := range b.Rows {
		for _, l := range r.Agencies {
			if l.Late {
				late[l.Agency] = true
			}
		}
	}
	if len(late) > 0 {
		var names []string
		for n := range late {
			names = append(names, n)
		}
		lines = append(lines, fmt.Sprintf("- Một số cơ quan báo cáo chậm so với thời hạn: %s.", joinAgencies(names)))
	}
	if len(lines) == 0 {
		return "Các nhiệm vụ đến hạn đều được thực hiện và báo cáo đúng thời hạn."
	}
	return strings.Join(lines, "\n")
}

// taskList is "nhiệm vụ số 3 (Sở Nội vụ), nhiệm vụ số 7 (…)".
func taskList(b *progress.Board, status string) string {
	var parts []string
	for _, r := range b.Rows {
		if r.Status == status {
			parts = append(parts, fmt.Sprintf("nhiệm vụ số %d (%s)", r.Number, joinAgencies(r.Leads)))
		}
	}
	return strings.Join(parts, "; ")
}

// causes drafts section II.2 from the difficulties the agencies reported,
// each attributed.
func causes(b *progress.Board) string {
	if len(b.Difficulties) == 0 {
		return "Các cơ quan chủ trì không báo cáo khó khăn, vướng mắc trong kỳ."
	}
	return "Khó khăn, vướng mắc các cơ quan chủ trì đã báo cáo:\n\n" + notes(b.Difficulties)
}

// proposals drafts section IV from the agencies' proposals.
func proposals(b *progress.Board) string {
	if len(b.Proposals) == 0 {
		return "Không có đề xuất, kiến nghị."
	}
	return notes(b.Proposals)
}

// notes lists agencies' texts, each attributed and numbered by its task;
// one agency's same text on several tasks is said once.
func notes(list []progress.Note) string {
	type key struct{ agency, period, text string }
	tasks := map[key][]string{}
	var order []key
	for _, n := range list {
		k := key{n.Agency, n.Period, plainInline(n.Text)}
		if _, ok := tasks[k]; !ok {
			order = append(order, k)
		}
		tasks[k] = append(tasks[k], fmt.Sprint(n.Number))
	}
	var lines []string
	for _, k := range order {
		from := ""
		if k.period != "" {
			from = ", báo cáo " + k.period
		}
		lines = append(lines, fmt.Sprintf("- %s (nhiệm vụ số %s%s): %s.", escapeMD(k.agency), strings.Join(tasks[k], ", "), from, k.text))
	}
	return strings.Join(lines, "\n")
}

// directions drafts section III: the tasks with a deadline due next, with
// their lead agencies, the overdue ones to finish, and the ongoing ones.
func directions(b *progress.Board) string {
	var lines []string
	ongoing := 0
	for _, u := range b.Upcoming {
		if u.Ongoing {
			ongoing++
			continue
		}
		lines = append(lines, fmt.Sprintf("- %s (%s; thời hạn: %s).", plainInline(u.Content), joinAgencies(u.Leads), escapeMD(u.Deadline)))
	}
	var out []string
	if n := b.Counts[progress.Overdue]; n > 0 {
		out = append(out, fmt.Sprintf("Các cơ quan chủ trì khẩn trương hoàn thành %s nhiệm vụ quá hạn: %s.", vn.Count(n), taskList(b, progress.Overdue)))
	}
	if len(lines) > 0 {
		out = append(out, fmt.Sprintf("Trong %s, tập trung thực hiện các nhiệm vụ sau:", b.Next), strings.Join(lines, "\n"))
	}
	if ongoing > 0 {
		out = append(out, fmt.Sprintf("Tiếp tục thực hiện %s nhiệm vụ thường xuyên theo Kế hoạch.", vn.Count(ongoing)))
	}
	if len(out) == 0 {
		return "Tiếp tục theo dõi, đôn đốc thực hiện Kế hoạch."
	}
	return strings.Join(out, "\n\n")
}
