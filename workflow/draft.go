package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
)

// Limits of a report draft.
const (
	MaxDraftText  = 50000 // characters of the title and of each part
	MaxDraftItems = 30    // addressees, recipients
	MaxDraftItem  = 300   // characters of one of them
)

// DraftInput is a report draft as the secretariat writes it.
type DraftInput struct {
	PlanID    int64
	Period    period.Period
	Title     string
	Narrative report.Narrative
	// AsOf is the day whose data the draft shows, "YYYY-MM-DD"; "" sets
	// the default back; nil keeps the stored one.
	AsOf *string
	// Version is the draft's version; 0 creates the draft.
	Version int64
}

// SaveDraft creates or edits the period's report draft (a first draft or
// a replacement): the text rule at the door on the title and every part,
// blank addressees and recipients dropped, the limits, and an as-of date
// from the period's first day to today. A draft that exists is changed
// only with its version (domain.ErrStale); an issued report takes none
// (domain.ErrIssued).
func (w *Service) SaveDraft(ctx context.Context, actor Actor, in DraftInput) (domain.Report, error) {
	if err := actor.may("write report drafts", editors...); err != nil {
		return domain.Report{}, err
	}
	title, nar, asOf, err := w.checkDraft(in)
	if err != nil {
		return domain.Report{}, err
	}
	if _, err := w.Store.GetPlan(ctx, in.PlanID); err != nil {
		return domain.Report{}, err
	}
	data, _ := json.Marshal(nar)
	return w.Store.SaveReportDraft(ctx, domain.Draft{PlanID: in.PlanID, Period: in.Period.Code(), Title: title,
		Narrative: string(data), AsOf: asOf, Version: in.Version})
}

// checkDraft applies SaveDraft's rules to a draft: the text rule at the
// door, blank addressees and recipients dropped, the limits, the as-of
// date.
func (w *Service) checkDraft(in DraftInput) (string, report.Narrative, *string, error) {
	title, nar, asOf := in.Title, in.Narrative, in.AsOf
	fields := []TextField{{"title", &title}, {"narrative.assessment", &nar.Assessment}, {"narrative.results", &nar.Results},
		{"narrative.shortcomings", &nar.Shortcomings}, {"narrative.causes", &nar.Causes},
		{"narrative.directions", &nar.Directions}, {"narrative.proposals", &nar.Proposals}}
	for _, list := range []struct {
		name  string
		items []string
	}{{"narrative.addressees", nar.Addressees}, {"narrative.recipients", nar.Recipients}} {
		for i := range list.items {
			fields = append(fields, TextField{fmt.Sprintf("%s[%d]", list.name, i), &list.items[i]})
		}
	}
	var errs []doc.FieldError
	for _, f := range fields {
		errs = append(errs, w.cleanTexts(f)...)
		if len([]rune(*f.V)) > MaxDraftText {
			errs = append(errs, doc.FieldError{Field: f.Name, Problem: fmt.Sprintf("is longer than %d characters", MaxDraftText)})
		}
	}
	if asOf != nil {
		day, fe := w.checkAsOf(in.Period, *asOf)
		if fe != nil {
			errs = append(errs, *fe)
		}
		asOf = &day
	}
	nar.Addressees, nar.Recipients = nonEmpty(nar.Addressees), nonEmpty(nar.Recipients)
	for _, list := range []struct {
		name  string
		items []string
	}{{"narrative.addressees", nar.Addressees}, {"narrative.recipients", nar.Recipients}} {
		if len(list.items) > MaxDraftItems {
			errs = append(errs, doc.FieldError{Field: list.name, Problem: fmt.Sprintf("has more than %d items", MaxDraftItems)})
		}
		for i, it := range list.items {
			if len([]rune(it)) > MaxDraftItem {
				errs = append(errs, doc.FieldError{Field: fmt.Sprintf("%s[%d]", list.name, i), Problem: fmt.Sprintf("is longer than %d characters", MaxDraftItem)})
			}
		}
	}
	if len(errs) > 0 {
		return "", nar, nil, invalid(errs...)
	}
	return title, nar, asOf, nil
}

// checkAsOf reads a draft's as-of date: "" (the default) or a day from
// the period's first day to today.
func (w *Service) checkAsOf(p period.Period, v string) (string, *doc.FieldError) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	d, err := doc.ParseDate(v)
	if err != nil || !d.Complete() {
		return "", &doc.FieldError{Field: "as_of", Problem: "phải là một ngày YYYY-MM-DD / must be a date YYYY-MM-DD"}
	}
	if err := period.CheckAsOf(p, d.Time(), w.now()); err != nil {
		return "", &doc.FieldError{Field: "as_of", Problem: err.Error()}
	}
	return d.Time().Format(time.DateOnly), nil
}

// nonEmpty drops blank items (a textarea's empty lines).
func nonEmpty(items []string) []string {
	var out []string
	for _, it := range items {
		if strings.TrimSpace(it) != "" {
			out = append(out, it)
		}
	}
	return out
}
