package doc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"baocao/reports/text"
)

// Limits on field lengths, in characters.
const (
	maxLine  = 1000
	maxText  = 100000
	maxItems = 5000
)

// Normalize applies the rule of every text entering baocao (package
// text: line breaks to LF, tabs to spaces, invisible format characters
// removed, Unicode NFC) and trims each text, so that text typed with
// combining marks or pasted from Word renders and compares like text
// typed plainly.
func (d *Document) Normalize() {
	n := func(s *string) { *s = clean(*s) }
	d.EachText(func(_ func() string, s *string) { n(s) })
	n(&d.Kind)
	for pd := d; pd != nil; pd = pd.PromulgatedBy {
		for i := range pd.Appendices {
			ap := &pd.Appendices[i]
			n(&ap.AgencyList)
			for j := range ap.Columns {
				n(&ap.Columns[j].Field)
			}
		}
		if pd.PromulgatedBy != nil {
			n(&pd.PromulgatedBy.Kind)
		}
	}
}

// Normalize applies the text rule to the task's texts (see
// Document.Normalize).
func (t *Task) Normalize() {
	t.EachText(func(_ func() string, s *string) { *s = clean(*s) })
}

func clean(s string) string { return strings.TrimSpace(text.Clean(s)) }

// Validate checks the document and returns a *ValidationError listing every
// problem with its field, or nil.
func (d *Document) Validate() error {
	v := &validator{}
	v.document("", d)
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.errs}
}

type validator struct{ errs []FieldError }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) text(field, s string, required bool, limit int) {
	switch {
	case required && s == "":
		v.add(field, "is required")
	case utf8.RuneCountInString(s) > limit:
		v.add(field, "is longer than %d characters", limit)
	case !utf8.ValidString(s):
		v.add(field, "is not valid UTF-8")
	}
}

func (v *validator) list(field string, items []string, required bool) {
	if required && len(items) == 0 {
		v.add(field, "needs at least one item")
	}
	if len(items) > maxItems {
		v.add(field, "has more than %d items", maxItems)
	}
	for i, s := range items {
		v.text(fmt.Sprintf("%s[%d]", field, i), s, true, maxLine)
	}
}

func (v *validator) document(p string, d *Document) {
	if _, ok := KindOf(d.Kind); !ok {
		if d.Kind == "" {
			v.add(p+"kind", "is required (a Decree-30 abbreviation such as KH, BC, QĐ)")
		} else {
			v.add(p+"kind", "unknown document kind %q (want a Decree-30 abbreviation such as KH, BC, QĐ)", d.Kind)
		}
	}
	if d.Number < 0 || d.Number > 999999 {
		v.add(p+"number", "must be between 1 and 999999, or absent for a draft")
	}
	switch {
	case d.Date.invalid != nil:
		v.add(p+"date", "%v", d.Date.invalid)
	case d.Date.Year == 0:
		v.add(p+"date", "is required (at least the year, e.g. \"2024\")")
	}
	if d.ReportDueDay < 0 || d.ReportDueDay > 28 {
		v.add(p+"report_due_day", "must be a day from 1 to 28, or absent")
	}
	v.text(p+"symbol", d.Symbol, false, 50)
	if d.Symbol != "" && !ValidSymbol(d.Symbol) {
		v.add(p+"symbol", "%s", SymbolProblem)
	}
	v.agency(p+"agency", &d.Agency, true)
	v.text(p+"issuer", d.Issuer, false, maxLine)
	v.text(p+"title", d.Title, true, maxLine)
	v.text(p+"authority", d.Authority, false, maxLine)
	v.list(p+"legal_bases", d.LegalBases, false)
	v.text(p+"body", d.Body, false, maxText*10)
	v.list(p+"recipients", d.Recipients, false)
	v.list(p+"addressees", d.Addressees, false)
	v.text(p+"archive", d.Archive, false, maxLine)
	if s := d.Signature; s != nil {
		v.list(p+"signature.authority", s.Authority, true)
		v.text(p+"signature.signer", s.Signer, true, 200)
	}
	if len(d.Appendices) > 50 {
		v.add(p+"appendices", "has more than 50 appendices")
	}
	for i := range d.Appendices {
		v.appendix(fmt.Sprintf("%sappendices[%d]", p, i), &d.Appendices[i], d.Date.Year)
	}
	if d.PromulgatedBy != nil {
		if d.PromulgatedBy.PromulgatedBy != nil {
			v.add(p+"promulgated_by.promulgated_by", "a promulgating decision cannot itself be attached to another")
		}
		v.document(p+"promulgated_by.", d.PromulgatedBy)
	}
}

func (v *validator) agency(p string, a *Agency, issuing bool) {
	v.text(p+".name", a.Name, true, 300)
	v.text(p+".short_name", a.ShortName, false, 300)
	v.list(p+".header", a.Header, false)
	if issuing {
		v.text(p+".symbol", a.Symbol, true, 30)
		v.text(p+".place", a.Place, true, 100)
		if a.Symbol != "" && !ValidSymbol(a.Symbol) {
			v.add(p+".symbol", "%s", SymbolProblem)
		}
	}
	if a.Parent != nil {
		if a.Parent.Parent != nil {
			v.add(p+".parent.parent", "only one parent agency is printed")
		}
		v.agency(p+".parent", a.Parent, false)
	}
}

var knownFields = map[string]bool{FieldSTT: true, FieldContent: true, FieldLead: true, FieldCooperating: true, FieldOutput: true, FieldDeadline: true, FieldNote: true}

// appendix checks an appendix and its tasks; year is the plan's, for
// deadlines that name none.
func (v *validator) appendix(p string, a *Appendix, year int) {
	v.text(p+".heading", a.Heading, false, 200)
	v.text(p+".title", a.Title, true, maxLine)
	switch a.AgencyList {
	case "", "dash", "number":
	default:
		v.add(p+".agency_list", "must be \"dash\" or \"number\", not %q", a.AgencyList)
	}
	seen := map[string]bool{}
	for i, c := range a.Columns {
		f := fmt.Sprintf("%s.columns[%d]", p, i)
		if !knownFields[c.Field] {
			v.add(f+".field", "unknown column %q (want stt, content, lead, cooperating, output, deadline or note)", c.Field)
		} else if seen[c.Field] {
			v.add(f+".field", "column %q appears twice", c.Field)
		}
		seen[c.Field] = true
		v.text(f+".label", c.Label, true, 200)
		if c.Width < 0 || c.Width > 1000 {
			v.add(f+".width", "must be between 0 and 1000")
		}
	}
	if len(a.Tasks) > 100000 {
		v.add(p+".tasks", "has more than 100000 tasks")
	}
	for i := range a.Tasks {
		t := &a.Tasks[i]
		f := fmt.Sprintf("%s.tasks[%d]", p, i)
		v.text(f+".content", t.Content, true, maxText)
		v.list(f+".lead", t.Lead, true)
		v.list(f+".cooperating", t.Cooperating, false)
		v.text(f+".output", t.Output, false, maxText)
		v.text(f+".deadline", t.Deadline.Text, false, maxLine)
		if err := t.Deadline.Check(year); err != nil {
			// A day, month or quarter that does not exist: "ngày 31 tháng 2
			// không có / there is no 31 February".
			v.add(f+".deadline", "%v", err)
		}
		v.text(f+".note", t.Note, false, maxText)
	}
}
