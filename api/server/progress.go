package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/workflow"
)

// submitProgress stores a lead agency's report on a task for a period.
func (s *Server) submitProgress(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in store.SubmitInput
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
func (s *Server) submit(c echo.Context, planID int64, in store.SubmitInput) (store.Submission, error) {
	return s.wf.Submit(c.Request().Context(), actorOf(c), planID, in)
}

// progressDetail is a submission's detail in the audit trail:
// "nhiệm vụ 3, Quý I năm 2024, lần 2".
func progressDetail(sub store.Submission) string {
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

// board aggregates a plan's progress for a period, as of a day: as_of,
// by default the as-of date of the period's report (see workflow.Service.PeriodAsOf), so
// that the board shows the report's figures.
func (s *Server) board(c echo.Context) (*store.Plan, *progress.Board, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	p, err := periodParam(c)
	if err != nil {
		return nil, nil, err
	}
	var asOf time.Time
	if v := c.QueryParam("as_of"); v != "" {
		if asOf, err = time.Parse(time.DateOnly, v); err != nil {
			return nil, nil, validation(doc.FieldError{Field: "as_of", Problem: "phải là một ngày YYYY-MM-DD / must be a date YYYY-MM-DD"})
		}
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if !asOf.IsZero() {
		if err := period.CheckBoardAsOf(p, plan.Doc.ReportDueDay, asOf, time.Now()); err != nil {
			return nil, nil, validation(doc.FieldError{Field: "as_of", Problem: err.Error()})
		}
	}
	if asOf.IsZero() {
		if asOf, err = s.wf.PeriodAsOf(c.Request().Context(), plan, p); err != nil {
			return nil, nil, err
		}
	}
	b, err := s.wf.Board(c.Request().Context(), plan, p, asOf)
	if err != nil {
		return nil, nil, err
	}
	return &plan, b, nil
}

// statusBoard answers who reported what for a period. A reporter gets its
// own agency's results and figures only, on shared tasks too.
func (s *Server) statusBoard(c echo.Context) error {
	_, b, err := s.board(c)
	if err != nil {
		return err
	}
	redactForReporter(c, b)
	return c.JSON(http.StatusOK, b)
}

// redactForReporter leaves a reporter its own agency's texts and figures.
func redactForReporter(c echo.Context, b *progress.Board) {
	if pr := principal(c); pr != nil && pr.Role == auth.RoleReporter {
		b.RedactFor(pr.AgencyName)
	}
}
