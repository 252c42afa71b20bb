package server

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/workflow"
)

// A plan issued and signed (README "Digital signatures and PDF/A", "A
// plan issued"): the handlers only translate; workflow.IssuePlan,
// workflow.ReopenPlan and workflow.SignService hold the rules.

// planIssueJSON is a plan's issue as the API shows it, with its links.
type planIssueJSON struct {
	domain.PlanIssue
	Links map[string]string `json:"links"`
}

func planIssueOut(is domain.PlanIssue) planIssueJSON {
	base := "/api/v1/plans/" + itoa64(is.PlanID)
	links := map[string]string{"plan": base, "document_pdf": base + "/document.pdf"}
	if is.Current() {
		links["to_sign"] = base + "/to-sign.pdf"
		links["signatures"] = base + "/signatures"
		links["reopen"] = base + "/reopen"
	}
	if is.AppendixSHA256 != "" {
		links["appendix_pdf"] = base + "/appendix.pdf"
	}
	return planIssueJSON{PlanIssue: is, Links: links}
}

// issuePlan issues the plan of the version sent (If-Match or a body
// {"version": n}).
func (s *Server) issuePlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.readVersion(c)
	if err != nil {
		return err
	}
	issued, err := s.wf.IssuePlan(c.Request().Context(), actorOf(c), s.renderer(c), id, v)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, issued.Detail)
	return c.JSON(http.StatusOK, planIssueOut(issued.Issue))
}

// reopenInput is why an issued plan is reopened.
type reopenInput struct {
	Reason string `json:"reason"`
}

// reopenPlan ends the plan's current issue, with a reason.
func (s *Server) reopenPlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reopenInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	reopened, err := s.wf.ReopenPlan(c.Request().Context(), actorOf(c), id, in.Reason)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, reopened.Detail)
	return c.JSON(http.StatusOK, planIssueOut(reopened.Issue))
}

// listPlanIssues lists a plan's issues, the current one last.
func (s *Server) listPlanIssues(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	issues, err := s.store.PlanIssues(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	items := make([]planIssueJSON, len(issues))
	for i, is := range issues {
		items[i] = planIssueOut(is)
	}
	return c.JSON(http.StatusOK, struct {
		Items []planIssueJSON `json:"items"`
	}{items})
}

// planSigning: the signing routes of a plan, /plans/{id}/….
var planSigning = signable{ref: (*Server).planDocRef}

// planDocRef names a plan's current issue for signing (ID 0 when it is
// not issued: the workflow refuses it).
func (s *Server) planDocRef(c echo.Context) (workflow.DocRef, string, error) {
	p, err := s.planFromPath(c)
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	is, _, err := workflow.PlanIssueOf(c.Request().Context(), s.store, p.ID, false)
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	return workflow.DocRef{Kind: workflow.DocPlan, ID: is.ID, PlanID: p.ID}, fileName(p.Doc, "plan", "pdf"), nil
}

// issuedPlanFile is the file a plan's PDF download serves while it is
// issued (what: "plan" or "appendix"): the last signed file, else the
// issued one; ok false when the plan is not issued (render it).
func (s *Server) issuedPlanFile(ctx context.Context, p domain.Plan, what string) (data []byte, ok bool, err error) {
	is, ok, err := workflow.PlanIssueOf(ctx, s.store, p.ID, true)
	if err != nil || !ok {
		return nil, false, err
	}
	if what == "appendix" {
		if is.AppendixPDF == nil {
			return nil, false, nil
		}
		data, err = s.signer.SeparateCurrent(ctx, workflow.DocPlanAppendix, is.ID, is.AppendixPDF)
		return data, err == nil, err
	}
	data, _, err = s.signer.Current(ctx, workflow.DocRef{Kind: workflow.DocPlan, ID: is.ID, PlanID: p.ID}, is.PDF)
	return data, err == nil, err
}
