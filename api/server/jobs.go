package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/jobs"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/workflow"
)

// Background jobs (package jobs): the asynchronous render, the job
// resource, its result, the administrators' list.

// asyncParam reads ?async=true|false (absent: false).
func asyncParam(c echo.Context) (bool, error) {
	switch v := c.QueryParam("async"); strings.ToLower(v) {
	case "", "false", "0":
		if c.QueryParam("webhook") != "" {
			return false, validation(doc.FieldError{Field: "webhook", Problem: "is only for a render in the background (async=true)"})
		}
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, validation(doc.FieldError{Field: "async", Problem: fmt.Sprintf("must be true or false, not %q", v)})
	}
}

// noJobs answers when this server has no job queue.
func noJobs() *Problem {
	p := problem(http.StatusServiceUnavailable, "no-jobs", "Không có hàng đợi công việc / No job queue",
		"background jobs are not enabled on this server")
	p.retryAfter = 60
	return p
}

// ownerOf names the caller as a job's owner: its key or its account.
func ownerOf(c echo.Context) string {
	p := principal(c)
	switch {
	case p == nil:
		return ""
	case p.Kind == "key":
		return "key:" + strconv.FormatInt(p.KeyID, 10)
	}
	return "user:" + strconv.FormatInt(p.UserID, 10)
}

// renderAsync reads and checks the document as the render at once does,
// stores it and enqueues its render: 202 with the job.
func (s *Server) renderAsync(c echo.Context, what, format string, pdfa bool) error {
	if s.cfg.Jobs == nil {
		return noJobs()
	}
	in, err := s.readDocument(c)
	if err != nil {
		return err
	}
	if in.Version != 0 {
		return validation(doc.FieldError{Field: "version", Problem: "unknown field"})
	}
	if what == "appendix" && len(in.Appendices) == 0 {
		return problem(http.StatusNotFound, "no-appendix", "Không có phụ lục / No appendix", "the document has no appendix")
	}
	j, err := s.cfg.Jobs.EnqueueRender(c.Request().Context(), jobs.RenderRequest{Doc: &in.Document, What: what,
		Format: workflow.Format(format), PDFA: pdfa, Name: fileName(&in.Document, what, format), ContentType: contentType(format),
		Owner: ownerOf(c), Webhook: c.QueryParam("webhook")})
	if errors.Is(err, jobs.ErrQueueFull) {
		s.metrics.busy.Inc()
		p := problem(http.StatusServiceUnavailable, "busy", "Máy chủ đang bận / Server busy",
			"too many documents are waiting to be rendered in the background; try again later")
		p.retryAfter = 30
		return p
	}
	if err != nil {
		return err
	}
	warnUnsignable(c, &in.Document, what)
	c.Response().Header().Set(echo.HeaderLocation, j.Href)
	return c.JSON(http.StatusAccepted, j)
}

// ownJob reads the job of the path: the caller's own, or any for an
// administrator; another's is not found.
func (s *Server) ownJob(c echo.Context) (jobs.Job, error) {
	if s.cfg.Jobs == nil {
		return jobs.Job{}, noJobs()
	}
	id, err := pathID(c, "id")
	if err != nil {
		return jobs.Job{}, err
	}
	j, err := s.cfg.Jobs.Get(c.Request().Context(), id)
	if errors.Is(err, jobs.ErrNotFound) {
		return j, notFound(fmt.Sprintf("job %d", id))
	}
	if err != nil {
		return j, err
	}
	if p := principal(c); p == nil || (p.Role != auth.RoleAdmin && (j.Owner == "" || j.Owner != ownerOf(c))) {
		return jobs.Job{}, notFound(fmt.Sprintf("job %d", id))
	}
	return j, nil
}

func (s *Server) getJob(c echo.Context) error {
	j, err := s.ownJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, j)
}

// jobResult sends a render's file while it is kept.
func (s *Server) jobResult(c echo.Context) error {
	j, err := s.ownJob(c)
	if err != nil {
		return err
	}
	res, err := s.cfg.Jobs.Result(c.Request().Context(), j.ID)
	if errors.Is(err, domain.ErrNotFound) {
		if j.State == "completed" {
			return problem(http.StatusGone, "expired", "Kết quả đã hết hạn / Result expired",
				fmt.Sprintf("the result of job %d is no longer kept", j.ID))
		}
		return problem(http.StatusNotFound, "no-result", "Chưa có kết quả / No result",
			fmt.Sprintf("job %d is %s and has no result", j.ID, j.State))
	}
	if err != nil {
		return err
	}
	return sendFile(c, res.Data, res.ContentType, res.Name)
}

// jobFilter reads the list's filters.
func jobFilter(c echo.Context) (jobs.Filter, error) {
	f := jobs.Filter{Kind: c.QueryParam("kind"), State: c.QueryParam("state")}
	var errs []doc.FieldError
	if f.Kind != "" && !contains(jobs.Kinds, f.Kind) {
		errs = append(errs, doc.FieldError{Field: "kind", Problem: "must be one of " + strings.Join(jobs.Kinds, ", ")})
	}
	if f.State != "" && !contains(jobs.States, f.State) {
		errs = append(errs, doc.FieldError{Field: "state", Problem: "must be one of " + strings.Join(jobs.States, ", ")})
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs = append(errs, doc.FieldError{Field: "limit", Problem: fmt.Sprintf("must be from 1 to 500, not %q", v)})
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		return f, validation(errs...)
	}
	return f, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *Server) listJobs(c echo.Context) error {
	if s.cfg.Jobs == nil {
		return noJobs()
	}
	f, err := jobFilter(c)
	if err != nil {
		return err
	}
	list, err := s.cfg.Jobs.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// jobKindNames and jobStateNames word the jobs page.
var (
	jobKindNames = map[string]string{"render": "Tạo văn bản", "webhook": "Gọi webhook", "scan": "Xét hạn báo cáo",
		"remind": "Nhắc báo cáo", "prepare": "Lập dự thảo báo cáo", "cleanup": "Dọn dữ liệu hết hạn"}
	jobStateNames = map[string]string{"available": "Chờ chạy", "scheduled": "Hẹn giờ", "pending": "Chờ",
		"running": "Đang chạy", "retryable": "Lỗi, sẽ thử lại", "completed": "Xong", "cancelled": "Huỷ (không thử lại)",
		"discarded": "Bỏ (hết lượt thử)"}
)

// jobsPage lists the latest jobs for the administrator.
func (s *Server) jobsPage(c echo.Context) error {
	if s.cfg.Jobs == nil {
		return s.page(c, http.StatusOK, "jobs", "Công việc nền", view{Data: map[string]any{"Off": true}})
	}
	f, err := jobFilter(c)
	if err != nil {
		return err
	}
	f.Limit = 100
	list, err := s.cfg.Jobs.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	type row struct {
		ID                                                 int64
		Kind, Subject, State, StateName, Created, Finished string
		LastError                                          string
		Attempt, MaxAttempts                               int
	}
	when := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(period.Vietnam).Format("02/01/2006 15:04:05")
	}
	rows := make([]row, len(list))
	for i, j := range list {
		rows[i] = row{ID: j.ID, Kind: jobKindNames[j.Kind], Subject: j.Subject, State: j.State, StateName: jobStateNames[j.State],
			Created: when(&j.CreatedAt), Finished: when(j.FinalizedAt), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts}
		if n := len(j.Errors); n > 0 {
			rows[i].LastError = j.Errors[n-1].Error
		}
	}
	type option struct {
		Code, Name string
		Selected   bool
	}
	var kinds, states []option
	for _, k := range jobs.Kinds {
		kinds = append(kinds, option{k, jobKindNames[k], k == f.Kind})
	}
	for _, st := range jobs.States {
		states = append(states, option{st, jobStateNames[st], st == f.State})
	}
	return s.page(c, http.StatusOK, "jobs", "Công việc nền", view{Data: map[string]any{"Items": rows, "Kinds": kinds, "States": states}})
}
