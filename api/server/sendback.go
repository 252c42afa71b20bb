package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	textrule "baocao/reports/text"
)

// returnInput is the body of POST …/progress/{submission}/return.
type returnInput struct {
	Comment string `json:"comment"`
}

// returnProgress sends a submission back to its agency ("cần bổ sung")
// with a comment (workflow.Service.SendBack).
func (s *Server) returnProgress(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(c, "submission")
	if err != nil {
		return err
	}
	var in returnInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	r, err := s.wf.SendBack(c.Request().Context(), actorOf(c), id, sid, in.Comment)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, returnDetail(r))
	return c.JSON(http.StatusCreated, r)
}

// returnDetail is a send-back's detail in the audit trail.
func returnDetail(r domain.Return) string {
	return fmt.Sprintf("nhiệm vụ %d, %s, lần %d: %s", r.TaskID, periodName(r.Period), r.Revision, summary(r.Comment, 200))
}

// ownReturns leaves a reporter its own agency's returns.
func ownReturns(c echo.Context, list []domain.Return) []domain.Return {
	pr := principal(c)
	if pr == nil || pr.Role != auth.RoleReporter {
		return list
	}
	out := list[:0]
	for _, r := range list {
		if r.AgencyID == pr.AgencyID {
			out = append(out, r)
		}
	}
	return out
}

// sendBackPost is the progress page's "Yêu cầu bổ sung": the secretariat
// sends the submission back with its comment; a refusal is shown on the
// page in Vietnamese with the comment kept.
func (s *Server) sendBackPost(c echo.Context) error {
	plan, task, p, err := s.progressTarget(c)
	if err != nil {
		return err
	}
	sid, err := pathID(c, "submission")
	if err != nil {
		return err
	}
	comment := c.FormValue("comment")
	r, err := s.wf.SendBack(c.Request().Context(), actorOf(c), plan.ID, sid, comment)
	if pe := answerOf(err); pe != nil && pe.Status != http.StatusInternalServerError && pe.Status != http.StatusServiceUnavailable {
		why := sendBackProblemVI(pe)
		return s.showProgress(c, pe.Status, plan, task, p, nil, map[string]string{"comment": why, "comment_text": comment,
			"comment_for": fmt.Sprint(sid)}, "Chưa gửi trả được: "+why)
	}
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, returnDetail(r))
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks/%d/progress?period=%s#history", plan.ID, task.ID, p.Code()),
		fmt.Sprintf("Đã gửi trả báo cáo lần %d của %s để bổ sung.", r.Revision, s.agencyOfReturn(c, r)))
}

// sendBackProblemVI words a refused send-back in Vietnamese.
func sendBackProblemVI(pe *Problem) string {
	switch {
	case pe.Status == http.StatusUnprocessableEntity && len(pe.Errors) > 0:
		if r, ok := runeOf(pe.Errors[0]); ok {
			return textrule.ProblemVI(r)
		}
		return vietnamesePart(pe.Errors[0].Problem)
	case pe.Type == problemBase+"period-locked":
		return "kỳ báo cáo đã khóa vì báo cáo đã ban hành; hãy mở lại kỳ trước."
	case pe.Status == http.StatusConflict:
		return vietnamesePart(pe.Detail)
	case pe.Status == http.StatusNotFound:
		return "không tìm thấy lần báo cáo này."
	}
	return "yêu cầu không hợp lệ."
}

// agencyOfReturn names the agency whose submission was sent back.
func (s *Server) agencyOfReturn(c echo.Context, r domain.Return) string {
	if a, err := s.store.GetAgency(c.Request().Context(), r.AgencyID); err == nil {
		return a.Name
	}
	return "cơ quan"
}
