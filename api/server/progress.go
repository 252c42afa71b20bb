package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/vn"
	"baocao/workflow"
)

// submitProgress stores a lead agency's report on a task for a period.
func (s *Server) submitProgress(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in domain.SubmitInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	sub, err := s.submit(c, id, in)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, progressDetail(sub))
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/plans/%d/progress?period=%s", id, sub.Period))
	return c.JSON(http.StatusCreated, sub)
}

// submit stores a submission as the caller (workflow.Submit).
func (s *Server) submit(c echo.Context, planID int64, in domain.SubmitInput) (domain.Submission, error) {
	return s.wf.Submit(c.Request().Context(), actorOf(c), planID, in)
}

// progressDetail is a submission's detail in the audit trail:
// "nhiệm vụ 3, Quý I năm 2024, lần 2".
func progressDetail(sub domain.Submission) string {
	return fmt.Sprintf("nhiệm vụ %d, %s, lần %d", sub.TaskID, periodName(sub.Period), sub.Revision)
}

// periodParam reads the required ?period= code.
func periodParam(c echo.Context) (period.Period, error) {
	code := c.QueryParam("period")
	if code == "" {
		return period.Period{}, validation(doc.FieldError{Field: "period", Problem: "is required, e.g. 2024-Q1, 2024-H1, 2024-9M, 2024-Y"})
	}
	p, err := period.Parse(code)
	if err != nil {
		return period.Period{}, validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	return p, nil
}

// listProgress lists every submission (the history) of a plan for a
// period and, for a cumulative period, its quarters.
func (s *Server) listProgress(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := periodParam(c)
	if err != nil {
		return err
	}
	if _, err := s.store.GetPlan(c.Request().Context(), id); err != nil {
		return err
	}
	subs, err := s.store.Submissions(c.Request().Context(), id, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	if pr := principal(c); pr.Role == auth.RoleReporter {
		// A reporter reads its own agency's reports; of the others it sees
		// the status board (who reported, each task's status), not the texts.
		own := subs[:0]
		for _, sb := range subs {
			if sb.AgencyID == pr.AgencyID {
				own = append(own, sb)
			}
		}
		subs = own
	}
	returns, err := s.store.Returns(c.Request().Context(), id, workflow.PeriodCodes(p)...)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"period": p.Code(), "period_name": p.Name(), "items": subs,
		"returns": ownReturns(c, returns)})
}

// statusBoard answers who reported what for a period
// (workflow.Service.StatusBoard): as_of, typed dd/mm/yyyy or YYYY-MM-DD,
// by default the as-of date of the period's report; a reporter gets its
// own agency's results and figures only.
func (s *Server) statusBoard(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := periodParam(c)
	if err != nil {
		return err
	}
	var asOf time.Time
	if v := c.QueryParam("as_of"); v != "" {
		if asOf, err = vn.ParseDate(v); err != nil {
			return validation(doc.FieldError{Field: "as_of", Problem: "phải là một ngày dd/mm/yyyy hoặc YYYY-MM-DD / must be a date dd/mm/yyyy or YYYY-MM-DD"})
		}
	}
	b, err := s.wf.StatusBoard(c.Request().Context(), actorOf(c), id, p, asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}
