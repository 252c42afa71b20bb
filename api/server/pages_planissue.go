package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

// The plan page's issue, reopen and signing steps (the same workflows as
// the API: workflow.IssuePlan, workflow.ReopenPlan, workflow.SignService).

// planPageForm is what a form sent from the plan page left to show: an alert
// above, the reason typed for reopening with its refusal beside it, the
// refusal of an uploaded signed file.
type planPageForm struct {
	Alert       string
	Reason      string
	ReasonError string
	SignError   string
}

// planIssueView is the plan page's account of its current issue.
type planIssueView struct {
	Issued      bool
	Reference   string
	IssuedOn    string
	IssuedBy    string
	HasAppendix bool
	Version     int64
	Previous    int // issues reopened before
}

// planIssueData is the plan page's issue and, when issued, its signing
// steps.
func (s *Server) planIssueData(c echo.Context, plan domain.Plan, form planPageForm) (planIssueView, any, error) {
	ctx := c.Request().Context()
	issues, err := s.store.PlanIssues(ctx, plan.ID)
	if err != nil {
		return planIssueView{}, nil, err
	}
	v := planIssueView{Version: plan.Version, Previous: len(issues)}
	if len(issues) == 0 || !issues[len(issues)-1].Current() {
		return v, nil, nil
	}
	is := issues[len(issues)-1]
	v = planIssueView{Issued: true, Reference: is.Reference, IssuedOn: dmyOf(is.IssuedOn), IssuedBy: is.IssuedBy,
		HasAppendix: is.AppendixSHA256 != "", Version: plan.Version, Previous: len(issues) - 1}
	signing, err := s.signingData(c, workflow.DocRef{Kind: workflow.DocPlan, ID: is.ID, PlanID: plan.ID}, fmt.Sprintf("/plans/%d", plan.ID), form.SignError)
	return v, signing, err
}

// planSignPage is the plan page's document for the signing steps.
func (s *Server) planSignPage(c echo.Context) (signPageDoc, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return signPageDoc{}, err
	}
	plan, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return signPageDoc{}, err
	}
	is, issued, err := workflow.PlanIssueOf(c.Request().Context(), s.store, id, false)
	return signPageDoc{ref: workflow.DocRef{Kind: workflow.DocPlan, ID: is.ID, PlanID: plan.ID}, issued: issued,
		page: fmt.Sprintf("/plans/%d", plan.ID),
		show: func(status int, signErr, alert string) error {
			return s.showPlan(c, status, plan.ID, planPageForm{SignError: signErr, Alert: alert})
		}}, err
}

// planIssuePost issues the plan from its page (the version shown).
func (s *Server) planIssuePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var v int64
	if _, err := fmt.Sscan(c.FormValue("version"), &v); err != nil || v <= 0 {
		return s.showPlan(c, http.StatusUnprocessableEntity, id, planPageForm{Alert: "Thiếu phiên bản của kế hoạch: tải lại trang rồi thử lại."})
	}
	issued, err := s.wf.IssuePlan(c.Request().Context(), actorOf(c), s.renderer(c), id, v)
	if msg := planIssueAlert(err); msg != "" {
		return s.showPlan(c, planIssueStatus(err), id, planPageForm{Alert: msg})
	}
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, issued.Detail)
	return s.redirectWith(c, fmt.Sprintf("/plans/%d", id), "Đã ban hành Kế hoạch số "+issued.Issue.Reference+" và lưu các tệp PDF/A.")
}

// planReopenPost reopens the issued plan from its page, with a reason.
func (s *Server) planReopenPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	reopened, err := s.wf.ReopenPlan(c.Request().Context(), actorOf(c), id, reason)
	var ve *doc.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.showPlan(c, http.StatusUnprocessableEntity, id, planPageForm{Reason: reason,
			ReasonError: "Hãy ghi lý do mở lại kế hoạch (tối đa 1000 ký tự, chữ in được)."})
	case err != nil:
		var ni *workflow.NotIssuedError
		if errors.As(err, &ni) {
			return s.showPlan(c, http.StatusConflict, id, planPageForm{Alert: "Kế hoạch chưa ban hành: không có gì để mở lại."})
		}
		return err
	}
	c.Set(auditDetailKey, reopened.Detail)
	return s.redirectWith(c, fmt.Sprintf("/plans/%d", id), "Đã mở lại Kế hoạch số "+reopened.Issue.Reference+" để sửa; các tệp đã ban hành, đã ký được lưu giữ.")
}

// planIssueAlert words a refusal of issuing for the page ("" for an
// error that is not a refusal).
func planIssueAlert(err error) string {
	var ve *doc.ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve):
		msg := "Chưa ban hành được: "
		for i, f := range ve.Fields {
			if i > 0 {
				msg += "; "
			}
			switch f.Field {
			case "number", "promulgated_by.number":
				msg += "kế hoạch chưa có số văn bản"
			case "date", "promulgated_by.date":
				msg += "kế hoạch chưa có ngày ban hành đầy đủ (ngày, tháng, năm)"
			default:
				msg += f.Field + ": " + f.Problem
			}
		}
		return msg + ". Nhập ở trang Sửa kế hoạch rồi ban hành."
	case errors.Is(err, domain.ErrPlanIssued):
		return "Kế hoạch đã được ban hành."
	case errors.Is(err, domain.ErrStale):
		return "Kế hoạch vừa được người khác sửa: xem lại rồi ban hành."
	}
	return ""
}

func planIssueStatus(err error) int {
	if errors.Is(err, domain.ErrPlanIssued) || errors.Is(err, domain.ErrStale) {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
