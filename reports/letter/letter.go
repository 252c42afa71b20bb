// Package letter writes the reminder letter (công văn đôn đốc) of a plan
// for a reporting period: a công văn (Decree 30/2020/NĐ-CP, App. III,
// Mẫu 1.1) to the lead agencies that have tasks overdue or not reported,
// listing each agency's tasks, composed into the one document model
// (doc.Document, kind doc.KindLetter) that the PDF and Excel renderers
// draw: the list of tasks is its appendix.
//
// Who is late is read off the period's one aggregation
// (progress.Compute's Board), never counted again here.
package letter

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/report"
	"baocao/reports/vn"
)

// Parts are what the secretariat writes on a letter; a part left empty
// is drafted from the plan and the board (see Drafted).
type Parts struct {
	// Title is the summary printed after "V/v" under the number.
	Title string `json:"title,omitempty"`
	// Opening is the paragraph before the list of agencies; Request the
	// one after it (what the agencies are asked to do, by when).
	Opening string `json:"opening,omitempty"`
	Request string `json:"request,omitempty"`
	// Addressees ("Kính gửi") and Recipients ("Nơi nhận").
	Addressees []string `json:"addressees,omitempty"`
	Recipients []string `json:"recipients,omitempty"`
	// Unit is the drafting unit's symbol after the agency's in the
	// letter's symbol: "KSTT" makes "UBND-KSTT".
	Unit string `json:"unit,omitempty"`
}

// Task is one task an agency is late on.
type Task struct {
	Number   int    `json:"number"` // the task's STT in the plan
	TaskID   int64  `json:"task_id"`
	Content  string `json:"content"` // Markdown
	Deadline string `json:"deadline"`
	Due      string `json:"due"` // YYYY-MM-DD
	// Status is progress.Overdue or progress.NotReported.
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
}

// Late is one lead agency with its tasks overdue or not reported, in the
// plan's order.
type Late struct {
	Agency string `json:"agency"`
	Tasks  []Task `json:"tasks"`
}

// IsLate reports whether a lead's status on a task calls for a reminder:
// not reported for the period, or overdue (its deadline passed, not done).
func IsLate(status string) bool { return status == progress.NotReported || status == progress.Overdue }

// LateAgencies are the board's lead agencies that have a task overdue or
// not reported, in Vietnamese alphabetical order.
func LateAgencies(b *progress.Board) []Late {
	by := map[string]*Late{}
	var names []string
	for _, r := range b.Rows {
		for _, l := range r.Agencies {
			if !IsLate(l.Status) {
				continue
			}
			a := by[l.Agency]
			if a == nil {
				a = &Late{Agency: l.Agency}
				by[l.Agency] = a
				names = append(names, l.Agency)
			}
			a.Tasks = append(a.Tasks, Task{Number: r.Number, TaskID: r.TaskID, Content: r.Content, Deadline: r.Deadline,
				Due: r.Due, Status: l.Status, StatusName: progress.StatusNames[l.Status]})
		}
	}
	collate.New(language.Vietnamese).SortStrings(names)
	out := make([]Late, len(names))
	for i, n := range names {
		out[i] = *by[n]
	}
	return out
}

// Input is what a letter is made from.
type Input struct {
	Plan   *doc.Document
	Period period.Period
	Board  *progress.Board
	Parts  Parts
	// Number is the letter's number, 0 while it is a draft; Date its date
	// (the year alone for a draft).
	Number int
	Date   doc.Date
	// AsOf is the day the board was computed for.
	AsOf time.Time
}

// ReplyDays are the days an agency is given to report, from the
// letter's date, in the drafted request.
const ReplyDays = 7

// Drafted are the letter's parts written from the plan and the board:
// what the letter prints where the secretariat left a part empty.
func Drafted(in Input) Parts {
	late := LateAgencies(in.Board)
	var to []string
	for _, l := range late {
		to = append(to, l.Agency)
	}
	plan, p := in.Plan, in.Period
	due := p.Due(plan.ReportDueDay)
	opening := fmt.Sprintf("Thực hiện %s, các cơ quan chủ trì thực hiện nhiệm vụ báo cáo kết quả %s về %s trước ngày %s. ",
		report.PlanReference(plan), p.Name(), plan.IssuerName(), dmy(due))
	if len(late) == 0 {
		opening += fmt.Sprintf("Đến ngày %s, tất cả các cơ quan chủ trì đã báo cáo, không có nhiệm vụ quá hạn.", dmy(in.AsOf))
	} else {
		opening += fmt.Sprintf("Tuy nhiên, đến ngày %s, còn %s cơ quan có nhiệm vụ chưa báo cáo kết quả hoặc quá hạn chưa hoàn thành, cụ thể như sau:",
			dmy(in.AsOf), vn.Count(len(late)))
	}
	by := in.AsOf.AddDate(0, 0, ReplyDays)
	if in.Date.Complete() {
		by = in.Date.Time().AddDate(0, 0, ReplyDays)
	}
	request := fmt.Sprintf("Để bảo đảm tiến độ thực hiện %s, %s đề nghị Thủ trưởng các cơ quan nêu trên khẩn trương chỉ đạo hoàn thành các nhiệm vụ "+
		"quá hạn và gửi báo cáo kết quả thực hiện %s (chi tiết các nhiệm vụ tại Phụ lục kèm theo) về %s trước ngày %s./.",
		plan.KindName(), plan.IssuerName(), p.Name(), plan.IssuerName(), dmy(by))
	title := "đôn đốc báo cáo " + report.LowerFirst(report.DefaultTitle(plan, p))
	if plan.Number > 0 {
		title = fmt.Sprintf("đôn đốc báo cáo kết quả thực hiện %s số %s %s", plan.KindName(), plan.NumberAndSymbol(), p.Name())
	}
	return Parts{
		Title:      title,
		Opening:    opening,
		Request:    request,
		Addressees: to,
		Recipients: []string{"Như trên"},
		Unit:       Unit(plan),
	}
}

// Unit is the drafting unit a plan names in its "Lưu:" line after the
// archive ("VT, KSTT" → "KSTT"), or "".
func Unit(plan *doc.Document) string {
	for part := range strings.SplitSeq(plan.Archive, ",") {
		if u := strings.TrimSpace(part); u != "" && u != "VT" && doc.ValidSymbol(u) {
			return u
		}
	}
	return ""
}

// Symbol is a letter's symbol: the agency's with the unit's ("UBND-KSTT"),
// or the agency's alone.
func Symbol(plan *doc.Document, unit string) string {
	if unit == "" {
		return plan.Agency.Symbol
	}
	return plan.Agency.Symbol + "-" + unit
}

// Compose makes the letter: the secretariat's parts, the drafted ones
// where it left them empty, the list of late agencies in the body and
// their tasks in the appendix.
func Compose(in Input) (*doc.Document, error) {
	parts, def := in.Parts, Drafted(in)
	for _, f := range []struct{ own, def *string }{{&parts.Title, &def.Title}, {&parts.Opening, &def.Opening},
		{&parts.Request, &def.Request}, {&parts.Unit, &def.Unit}} {
		if strings.TrimSpace(*f.own) == "" {
			*f.own = *f.def
		}
	}
	if len(parts.Addressees) == 0 {
		parts.Addressees = def.Addressees
	}
	if len(parts.Recipients) == 0 {
		parts.Recipients = def.Recipients
	}
	late := LateAgencies(in.Board)
	var body strings.Builder
	body.WriteString(strings.TrimSpace(parts.Opening) + "\n\n")
	for i, l := range late {
		end := ";"
		if i == len(late)-1 {
			end = "."
		}
		body.WriteString("- " + agencyLine(l) + end + "\n")
	}
	body.WriteString("\n" + strings.TrimSpace(parts.Request) + "\n")
	plan := in.Plan
	d := &doc.Document{
		Kind: doc.KindLetter, Number: in.Number, Date: in.Date, Symbol: Symbol(plan, parts.Unit), Agency: plan.Agency,
		Issuer: plan.Issuer, Title: strings.TrimPrefix(strings.TrimSpace(parts.Title), "V/v "), Body: body.String(),
		Addressees: parts.Addressees, Recipients: parts.Recipients, Archive: report.Archive(plan), Signature: plan.Signature,
		Draft: in.Number == 0,
	}
	if d.Date.Year == 0 {
		d.Date = doc.Date{Year: in.AsOf.Year()}
	}
	if len(late) > 0 {
		d.Appendices = []doc.Appendix{appendix(in, late)}
	}
	d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("letter: %w", err)
	}
	return d, nil
}

// agencyLine is one agency's line of the body: "Sở Nội vụ: 02 nhiệm vụ
// chưa báo cáo kết quả (nhiệm vụ số 3, 5); 01 nhiệm vụ quá hạn chưa
// hoàn thành (nhiệm vụ số 7)".
func agencyLine(l Late) string {
	var parts []string
	for _, st := range []string{progress.NotReported, progress.Overdue} {
		var nums []string
		for _, t := range l.Tasks {
			if t.Status == st {
				nums = append(nums, fmt.Sprint(t.Number))
			}
		}
		if len(nums) > 0 {
			parts = append(parts, fmt.Sprintf("%s nhiệm vụ %s (nhiệm vụ số %s)", vn.Count(len(nums)), statusPhrase[st], strings.Join(nums, ", ")))
		}
	}
	return doc.EscapeMarkdown(l.Agency) + ": " + strings.Join(parts, "; ")
}

var statusPhrase = map[string]string{progress.NotReported: "chưa báo cáo kết quả", progress.Overdue: "quá hạn chưa hoàn thành"}

// Columns of the appendix listing the late tasks.
var columns = []doc.Column{
	{Field: doc.FieldSTT, Label: "STT", Width: 6},
	{Field: doc.FieldLead, Label: "Cơ quan chủ trì", Width: 15},
	{Field: doc.FieldContent, Label: "Nhiệm vụ", Width: 40},
	{Field: doc.FieldDeadline, Label: "Thời hạn", Width: 13},
	{Field: doc.FieldNote, Label: "Tình trạng", Width: 16},
}

// appendix lists every late agency's tasks, agency by agency, on
// portrait pages.
func appendix(in Input, late []Late) doc.Appendix {
	portrait := false
	a := doc.Appendix{Title: "Danh sách nhiệm vụ chưa báo cáo kết quả, quá hạn chưa hoàn thành " + in.Period.Name(),
		Columns: append([]doc.Column(nil), columns...), Landscape: &portrait}
	for _, l := range late {
		for _, t := range l.Tasks {
			note := fmt.Sprintf("Nhiệm vụ số %d: quá hạn chưa hoàn thành", t.Number)
			if t.Status == progress.NotReported {
				note = fmt.Sprintf("Nhiệm vụ số %d: chưa báo cáo %s", t.Number, in.Board.LatestName)
			}
			a.Tasks = append(a.Tasks, doc.Task{ID: t.TaskID, Content: t.Content, Lead: []string{l.Agency},
				Deadline: doc.Deadline{Text: t.Deadline}, Note: doc.EscapeMarkdown(note)})
		}
	}
	return a
}

func dmy(t time.Time) string { return t.Format("02/01/2006") }
