package workflow

import (
	"context"
	"errors"
	"fmt"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
)

// reporters may report progress: a lead agency's reporter, and the admin
// (for any agency).
var reporters = []Role{RoleAdmin, RoleReporter}

// Submit stores a lead agency's report on a task for a period as the
// next revision. The text rule applies at the door; a reporter reports
// for its own agency only, and a person is recorded as the submitter (a
// key's application may name the person in submitted_by); the period
// must lie within the plan's years and a completion date not in the
// future; a period locked by an issued report takes none (*LockedError).
func (w *Service) Submit(ctx context.Context, actor Actor, planID int64, in domain.SubmitInput) (domain.Submission, error) {
	if err := actor.may("report progress", reporters...); err != nil {
		return domain.Submission{}, err
	}
	in.Normalize()
	if fe := doc.CheckText(w.Fonts, "agency", in.Agency); fe != nil {
		// Before the agency is compared or looked up: a name with a
		// control character names no agency (and PostgreSQL refuses it).
		return domain.Submission{}, invalid(*fe)
	}
	if actor.Reporter() {
		if (in.AgencyID != 0 && in.AgencyID != actor.AgencyID) || (in.Agency != "" && domain.Fold(in.Agency) != domain.Fold(actor.AgencyName)) {
			return domain.Submission{}, &ForbiddenError{Detail: fmt.Sprintf("a reporter of %s reports for that agency only", actor.AgencyName)}
		}
		in.AgencyID, in.Agency = actor.AgencyID, ""
	}
	if actor.Kind == ActorUser || in.SubmittedBy == "" {
		in.SubmittedBy = actor.Name
	}
	plan, err := w.Store.GetPlan(ctx, planID)
	if err != nil {
		return domain.Submission{}, err
	}
	errs := domain.ValidateSubmit(&in)
	if first, last, ok := period.PlanYears(plan.Doc); ok {
		errs = append(errs, domain.ValidateSubmitDates(first, last, &in, w.now())...)
	}
	in.Texts(func(field, v string) {
		if fe := doc.CheckText(w.Fonts, field, v); fe != nil {
			errs = append(errs, *fe)
		}
	})
	if len(errs) > 0 {
		return domain.Submission{}, invalid(errs...)
	}
	sub, err := w.Store.Submit(ctx, planID, in, plan.Doc.ReportDueDay)
	var le *domain.LockedError
	if errors.As(err, &le) {
		return sub, &LockedError{Plan: plan, LockedError: le}
	}
	return sub, err
}
