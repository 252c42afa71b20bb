package workflow

import (
	"context"
	"fmt"

	"baocao/domain"
	"baocao/reports/period"
)

// Replace makes a draft that replaces period p's issued report of the
// version given (Decree 30/2020/NĐ-CP Art. 18): once issued, it takes a
// new number and the old report is marked replaced by it.
func (w *Service) Replace(ctx context.Context, actor Actor, plan domain.Plan, p period.Period, version int64) (Changed, error) {
	if err := actor.may("replace reports", editors...); err != nil {
		return Changed{}, err
	}
	rec, err := w.Store.Replace(ctx, plan.ID, p.Code(), version)
	if err != nil {
		return Changed{}, err
	}
	old, _ := w.Store.GetReportByID(ctx, plan.ID, rec.Replaces)
	return Changed{Report: rec, Detail: fmt.Sprintf("%s, dự thảo thay thế số %s", p.Name(), Reference(old, plan))}, nil
}
