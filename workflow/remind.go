package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/period"
	"baocao/reports/xlsx"
)

// KindLetter is the numbering of công văn (Decree 30: a sequence of its
// own, though its symbol carries no kind abbreviation).
const KindLetter Kind = doc.KindLetter

// overseers may read letters: everyone but a reporter.
var overseers = []Role{RoleAdmin, RoleSecretariat, RoleAuditor}

// LetterInput is a reminder letter's draft as the secretariat writes it:
// a new one (ID 0) for a plan's period, or draft ID at its version.
type LetterInput struct {
	PlanID  int64
	ID      int64
	Period  period.Period
	Parts   letter.Parts
	Version int64
}

// SaveLetter creates a reminder letter's draft for a period or edits
// one: the text rule at the door on every part, blank addressees and
// recipients dropped, the limits of a report draft, a unit that is a
// symbol. A new letter needs an agency to remind as of today (else a
// *NobodyLateError); an issued letter takes no edit (domain.ErrIssued), a
// stale version none (domain.ErrStale).
func (w *Service) SaveLetter(ctx context.Context, actor Actor, in LetterInput) (domain.Letter, error) {
	if err := actor.may("write reminder letters", editors...); err != nil {
		return domain.Letter{}, err
	}
	parts, err := w.cleanParts(in.Parts)
	if err != nil {
		return domain.Letter{}, err
	}
	plan, err := w.Store.GetPlan(ctx, in.PlanID)
	if err != nil {
		return domain.Letter{}, err
	}
	data, _ := json.Marshal(parts)
	if in.ID != 0 {
		return w.Store.SaveLetter(ctx, domain.LetterDraft{PlanID: in.PlanID, ID: in.ID, Parts: string(data), Version: in.Version})
	}
	board, err := w.Board(ctx, plan, in.Period, w.today())
	if err != nil {
		return domain.Letter{}, err
	}
	if len(letter.LateAgencies(board)) == 0 {
		return domain.Letter{}, nobodyLate(in.Period, w.today())
	}
	return w.Store.CreateLetter(ctx, domain.LetterDraft{PlanID: in.PlanID, Period: in.Period.Code(), Parts: string(data), CreatedBy: actor.Name})
}

// NobodyLateError refuses a letter that would remind nobody: no lead
// agency of the period is late or has not reported as of Day (409).
type NobodyLateError struct {
	Period period.Period
	Day    time.Time
}

func (e *NobodyLateError) Error() string {
	return fmt.Sprintf("đến ngày %s, không có cơ quan nào chưa báo cáo hoặc có nhiệm vụ quá hạn trong %s: không có ai để đôn đốc / "+
		"as of %s no lead agency of %s is late or has not reported: there is nobody to remind", dmy(e.Day), e.Period.Name(),
		e.Day.Format(time.DateOnly), e.Period.Code())
}

func nobodyLate(p period.Period, day time.Time) error { return &NobodyLateError{Period: p, Day: day} }

// cleanParts applies the rule at the door and the limits to a letter's
// parts.
func (w *Service) cleanParts(parts letter.Parts) (letter.Parts, error) {
	fields := []TextField{{"parts.title", &parts.Title}, {"parts.opening", &parts.Opening}, {"parts.request", &parts.Request},
		{"parts.unit", &parts.Unit}}
	errs := w.cleanTexts(fields...)
	for _, f := range fields {
		if len([]rune(*f.V)) > MaxDraftText {
			errs = append(errs, doc.FieldError{Field: f.Name, Problem: fmt.Sprintf("dài quá %d ký tự / is longer than %d characters", MaxDraftText, MaxDraftText)})
		}
	}
	if parts.Unit != "" && !doc.ValidSymbol(parts.Unit) {
		errs = append(errs, doc.FieldError{Field: "parts.unit", Problem: doc.SymbolProblem})
	}
	errs = append(errs, w.cleanList("parts.addressees", &parts.Addressees)...)
	errs = append(errs, w.cleanList("parts.recipients", &parts.Recipients)...)
	if len(errs) > 0 {
		return parts, invalid(errs...)
	}
	return parts, nil
}

// cleanList applies the rule at the door to a list's items, drops blank
// ones and checks the limits of a report draft's lists.
func (w *Service) cleanList(name string, items *[]string) []doc.FieldError {
	var errs []doc.FieldError
	for i := range *items {
		errs = append(errs, w.cleanTexts(TextField{fmt.Sprintf("%s[%d]", name, i), &(*items)[i]})...)
	}
	*items = nonEmpty(*items)
	if len(*items) > MaxDraftItems {
		errs = append(errs, doc.FieldError{Field: name, Problem: fmt.Sprintf("có quá %d mục / has more than %d items", MaxDraftItems, MaxDraftItems)})
	}
	for i, it := range *items {
		if len([]rune(it)) > MaxDraftItem {
			errs = append(errs, doc.FieldError{Field: fmt.Sprintf("%s[%d]", name, i), Problem: fmt.Sprintf("dài quá %d ký tự / is longer than %d characters", MaxDraftItem, MaxDraftItem)})
		}
	}
	return errs
}

// PartsOf reads a letter's stored parts; a record that does not decode
// is an error, never empty parts that would print.
func PartsOf(l domain.Letter) (letter.Parts, error) {
	var parts letter.Parts
	if l.Parts == "" {
		return parts, nil
	}
	if err := json.Unmarshal([]byte(l.Parts), &parts); err != nil {
		return parts, fmt.Errorf("letter %d: stored parts: %w", l.ID, err)
	}
	return parts, nil
}

// LetterAsOf is the day whose data a letter shows: an issued letter's
// date, a draft's today.
func (w *Service) LetterAsOf(l domain.Letter) time.Time {
	if t, err := time.Parse(time.DateOnly, l.IssuedOn); err == nil && l.Status == domain.ReportIssued {
		return t
	}
	return w.today()
}

// today is the day in Vietnam, as midnight UTC.
func (w *Service) today() time.Time { return period.Day(w.now()) }

// issueDate is the date a document is issued on: the one given, else
// today in Vietnam.
func (w *Service) issueDate(d doc.Date) doc.Date {
	if d != (doc.Date{}) {
		return d
	}
	day := w.today()
	return doc.Date{Year: day.Year(), Month: int(day.Month()), Day: day.Day()}
}

// ComposedLetter is a letter ready for the renderers, with the board it
// was written from and the agencies it reminds.
type ComposedLetter struct {
	*Composed
	Late  []letter.Late
	Parts letter.Parts // the parts as printed: the secretariat's, else drafted
}

// ComposeLetter makes the letter l of plan as of a day, with a number
// and date (0 and the year alone for a draft).
func (w *Service) ComposeLetter(ctx context.Context, plan domain.Plan, l domain.Letter, asOf time.Time, number int, date doc.Date) (*ComposedLetter, error) {
	p, err := period.Parse(l.Period)
	if err != nil {
		return nil, fmt.Errorf("letter %d: %w", l.ID, err)
	}
	parts, err := PartsOf(l)
	if err != nil {
		return nil, err
	}
	board, err := w.Board(ctx, plan, p, asOf)
	if err != nil {
		return nil, err
	}
	repaired := repairBoard(board, w.Fonts)
	return composeLetter(letter.Input{Plan: plan.Doc, Period: p, Board: board, Parts: parts, Number: number, Date: date, AsOf: asOf}, repaired)
}

func composeLetter(in letter.Input, repaired []doc.Replaced) (*ComposedLetter, error) {
	d, err := letter.Compose(in)
	if err != nil {
		return nil, err
	}
	drafted := letter.Drafted(in)
	printed := in.Parts
	for _, f := range []struct{ own, def *string }{{&printed.Title, &drafted.Title}, {&printed.Opening, &drafted.Opening},
		{&printed.Request, &drafted.Request}, {&printed.Unit, &drafted.Unit}} {
		if *f.own == "" {
			*f.own = *f.def
		}
	}
	if len(printed.Addressees) == 0 {
		printed.Addressees = drafted.Addressees
	}
	if len(printed.Recipients) == 0 {
		printed.Recipients = drafted.Recipients
	}
	return &ComposedLetter{
		Composed: &Composed{Doc: d, Board: in.Board, Repaired: repaired, Letter: true,
			Sheet: xlsx.ReportInfo{Title: "Công văn " + d.Title, Created: created(d.Date)}},
		Late: letter.LateAgencies(in.Board), Parts: printed,
	}, nil
}

// PreviewLetter renders a letter: a draft as of today, marked "DỰ THẢO"
// with a blank number, in the format asked. An issued letter's files are
// its frozen ones (store.LetterFile).
func (w *Service) PreviewLetter(ctx context.Context, actor Actor, r Renderer, plan domain.Plan, l domain.Letter, f Format) ([]byte, error) {
	if err := actor.may("read reminder letters", overseers...); err != nil {
		return nil, err
	}
	asOf := w.LetterAsOf(l)
	c, err := w.ComposeLetter(ctx, plan, l, asOf, 0, doc.Date{Year: asOf.Year()})
	if err != nil {
		return nil, err
	}
	if f == FormatXLSX && len(c.Late) == 0 {
		return nil, &NotFoundError{What: "the workbook of a letter that reminds nobody"}
	}
	files, err := r.Render(ctx, c.Composed, f)
	if err != nil {
		return nil, err
	}
	return files[f], nil
}

// IssueLetterInput says which letter draft to issue and when.
type IssueLetterInput struct {
	PlanID  int64
	ID      int64
	Version int64 // the draft's version
	// Date is the issue date; zero: today in Vietnam.
	Date doc.Date
}

// IssuedLetter is an issued letter, its plan and the agencies it
// reminds; Detail is the audit trail's account.
type IssuedLetter struct {
	Letter domain.Letter
	Plan   domain.Plan
	Late   []letter.Late
	Detail string
}

// IssueLetter numbers a letter draft of the version given with the next
// number of the plan's agency's công văn, renders it as of the issue
// date — from the period's report due date (before it nobody is late)
// to today, period.CheckIssueDate — and freezes its files
// (store.IssueLetter, numbered as reports are). A letter that would
// remind nobody is refused.
func (w *Service) IssueLetter(ctx context.Context, actor Actor, r Renderer, in IssueLetterInput) (IssuedLetter, error) {
	if err := actor.may("issue reminder letters", editors...); err != nil {
		return IssuedLetter{}, err
	}
	date := w.issueDate(in.Date)
	plan, err := w.Store.GetPlan(ctx, in.PlanID)
	if err != nil {
		return IssuedLetter{}, err
	}
	l, err := w.Store.GetLetter(ctx, in.PlanID, in.ID)
	if err != nil {
		return IssuedLetter{}, err
	}
	if l.Status != domain.ReportDraft {
		return IssuedLetter{}, fmt.Errorf("%w as number %d", domain.ErrIssued, l.Number)
	}
	p, err := period.Parse(l.Period)
	if err != nil {
		return IssuedLetter{}, err
	}
	if err := period.CheckIssueDate(p, plan.Doc.ReportDueDay, date.Time(), w.now()); err != nil {
		return IssuedLetter{}, invalid(doc.FieldError{Field: "date", Problem: err.Error()})
	}
	asOf := date.Time()
	first, err := w.ComposeLetter(ctx, plan, l, asOf, 0, date)
	if err != nil {
		return IssuedLetter{}, err
	}
	if len(first.Late) == 0 {
		return IssuedLetter{}, nobodyLate(p, asOf)
	}
	issued, err := w.Store.IssueLetter(ctx, domain.LetterIssue{PlanID: plan.ID, ID: l.ID, Version: in.Version, AgencyID: plan.AgencyID,
		Kind: string(KindLetter), Symbol: first.Doc.FullSymbol(), Date: date.Time(),
		Render: frozenFiles(ctx, r, func(number int) (*Composed, error) {
			c, err := composeLetter(letter.Input{Plan: plan.Doc, Period: p, Board: first.Board, Parts: first.Parts, Number: number,
				Date: date, AsOf: asOf}, first.Repaired)
			if err != nil {
				return nil, err
			}
			return c.Composed, nil
		})})
	if err != nil {
		return IssuedLetter{}, err
	}
	var names []string
	for _, a := range first.Late {
		names = append(names, a.Agency)
	}
	return IssuedLetter{Letter: issued, Plan: plan, Late: first.Late,
		Detail: fmt.Sprintf("công văn số %s, %s, %d cơ quan", LetterReference(issued), p.Code(), len(names))}, nil
}

// LetterReference is an issued letter's number and symbol, "01/UBND-KSTT"
// ("" for a draft).
func LetterReference(l domain.Letter) string {
	if l.Number == 0 {
		return ""
	}
	return doc.Reference(l.Number, l.Symbol)
}

// frozenFiles is the render of an issued document's frozen files (PDF
// and XLSX) with the number its numbering gives (domain.IssueRequest's and
// domain.LetterIssue's Render): compose makes the document with it.
func frozenFiles(ctx context.Context, r Renderer, compose func(number int) (*Composed, error)) func(int) ([]byte, []byte, error) {
	return func(number int) ([]byte, []byte, error) {
		c, err := compose(number)
		if err != nil {
			return nil, nil, err
		}
		c.Archival = true // issued files are PDF/A-2b
		files, err := r.Render(ctx, c, Formats...)
		if err != nil {
			return nil, nil, err
		}
		pdfFile, err := withSignatureField(files[FormatPDF], c.SignatureField)
		if err != nil {
			return nil, nil, err
		}
		return pdfFile, files[FormatXLSX], nil
	}
}

func dmy(t time.Time) string { return t.Format("02/01/2006") }
