package workflow

import (
	"context"
	"fmt"

	"baocao/domain"
	"baocao/reports/period"
)

// Changed is a report a workflow changed, with the audit trail's account
// of the change.
type Changed struct {
	Report domain.Report
	Detail string
}

// Reopen opens period p of plan, locked by its issued report of the
// version given, to progress again; the report stays issued. A period
// not locked is refused (domain.ErrNotLocked).
func (w *Service) Reopen(ctx context.Context, actor Actor, plan domain.Plan, p period.Period, version int64) (Changed, error) {
	if err := actor.may("reopen reporting periods", editors...); err != nil {
		return Changed{}, err
	}
	rec, err := w.Store.Reopen(ctx, plan.ID, p.Code(), version)
	if err != nil {
		return Changed{}, err
	}
	return Changed{Report: rec, Detail: fmt.Sprintf("%s, số %s", p.Name(), Reference(rec, plan))}, nil
}
