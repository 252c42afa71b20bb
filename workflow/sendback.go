package workflow

import (
	"context"
	"errors"
	"unicode/utf8"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
)

// Returns sends submissions back and reads the exchange.
type Returns interface {
	ReturnSubmission(ctx context.Context, planID, submissionID int64, comment, by string) (domain.Return, error)
	Returns(ctx context.Context, planID int64, periods ...string) ([]domain.Return, error)
	OpenReturns(ctx context.Context, agencyID int64, period string) ([]domain.Return, error)
}

// MaxReturnComment bounds a send-back comment (characters).
const MaxReturnComment = 4000

// SendBack marks a submission "cần bổ sung" with the secretariat's
// comment: the agency sees it on its tasks and answers with a new
// revision. Only the secretariat and the admin may; the comment is
// required and goes through the text rule at the door; only the latest
// revision may be sent back, once (*ConflictError), and not in a period
// locked by an issued report (*LockedError).
func (w *Service) SendBack(ctx context.Context, actor Actor, planID, submissionID int64, comment string) (domain.Return, error) {
	if err := actor.may("send a submission back", editors...); err != nil {
		return domain.Return{}, err
	}
	errs := w.cleanTexts(TextField{Name: "comment", V: &comment})
	switch {
	case comment == "":
		errs = append(errs, doc.FieldError{Field: "comment", Problem: "hãy ghi cần bổ sung gì / is required: say what is missing"})
	case utf8.RuneCountInString(comment) > MaxReturnComment:
		errs = append(errs, doc.FieldError{Field: "comment", Problem: "dài quá 4.000 ký tự / is longer than 4000 characters"})
	}
	if len(errs) > 0 {
		return domain.Return{}, invalid(errs...)
	}
	plan, err := w.Store.GetPlan(ctx, planID)
	if err != nil {
		return domain.Return{}, err
	}
	r, err := w.Store.ReturnSubmission(ctx, planID, submissionID, comment, actor.Name)
	var le *domain.LockedError
	switch {
	case errors.As(err, &le):
		return r, &LockedError{Plan: plan, LockedError: le}
	case errors.Is(err, domain.ErrSuperseded):
		return r, &ConflictError{Detail: "đã có lần báo cáo sau; chỉ gửi trả được lần báo cáo mới nhất / " + err.Error()}
	case errors.Is(err, domain.ErrDuplicate):
		return r, &ConflictError{Detail: "lần báo cáo này đã được gửi trả / " + err.Error()}
	}
	return r, err
}

// OpenReturns are the reporter's submissions of period p sent back and
// not answered yet, by plan and task.
func (w *Service) OpenReturns(ctx context.Context, actor Actor, p period.Period) (map[[2]int64]domain.Return, error) {
	out := map[[2]int64]domain.Return{}
	if !actor.Reporter() {
		return out, nil
	}
	list, err := w.Store.OpenReturns(ctx, actor.AgencyID, p.Code())
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		out[[2]int64{r.PlanID, r.TaskID}] = r
	}
	return out, nil
}
