package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

// Problem is an RFC 9457 problem document. Type is a stable identifier a
// client can switch on; Errors lists the fields of a failed validation.
type Problem struct {
	Type     string           `json:"type"`
	Title    string           `json:"title"`
	Status   int              `json:"status"`
	Detail   string           `json:"detail,omitempty"`
	Instance string           `json:"instance,omitempty"`
	Errors   []doc.FieldError `json:"errors,omitempty"`
	// Tasks lists the stored tasks with progress that a change would
	// drop (type has-progress).
	Tasks     []domain.TaskRef `json:"tasks,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
	// retryAfter, in seconds, is sent as the Retry-After header.
	retryAfter int
	// authenticate asks for credentials (WWW-Authenticate).
	authenticate bool
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// problemBase prefixes the problem types; they resolve relative to the API.
const problemBase = "/api/v1/problems/"

func problem(status int, kind, title, detail string) *Problem {
	return &Problem{Type: problemBase + kind, Title: title, Status: status, Detail: detail}
}

func validation(fields ...doc.FieldError) *Problem {
	p := problem(http.StatusUnprocessableEntity, "validation", "Dữ liệu không hợp lệ / Invalid data",
		"one or more fields are invalid; see errors")
	p.Errors = fields
	return p
}

func notFound(what string) *Problem {
	return problem(http.StatusNotFound, "not-found", "Không tìm thấy / Not found", what+" does not exist")
}

// answerOf is the problem err is answered with, nil for none.
func answerOf(err error) *Problem {
	if err == nil {
		return nil
	}
	return fromError(err)
}

// fromError maps an error of the store, the document model or Echo to a
// problem.
func fromError(err error) *Problem {
	var p *Problem
	var ve *doc.ValidationError
	var he *echo.HTTPError
	var ce *domain.ConflictError
	var pe *domain.ProgressError
	var fe *workflow.ForbiddenError
	var we *workflow.NotFoundError
	var cf *workflow.ConflictError
	var le *workflow.LockedError
	var re *workflow.RowsError
	var nl *workflow.NobodyLateError
	var ni *workflow.NotIssuedError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &pe):
		return progressProblem(pe)
	case errors.As(err, &fe):
		return forbidden(fe.Detail)
	case errors.As(err, &we):
		return notFound(we.What)
	case errors.As(err, &cf):
		return problem(http.StatusConflict, "stale-version", "Phiên bản đã cũ / Stale version", cf.Detail)
	case errors.As(err, &le):
		return lockedProblem(le.Plan, le.LockedError)
	case errors.As(err, &ni):
		return problem(http.StatusConflict, "not-issued", "Văn bản chưa ban hành / Not issued", ni.Detail)
	case errors.As(err, &nl):
		return problem(http.StatusConflict, "nobody-late", "Không có cơ quan nào cần đôn đốc / Nobody to remind", nl.Error())
	case errors.As(err, &re):
		p := validation()
		p.Detail = re.Error()
		for _, e := range re.Rows {
			p.Errors = append(p.Errors, doc.FieldError{Field: fmt.Sprintf("row %d", e.Row), Problem: e.Reason})
		}
		return p
	case errors.Is(err, domain.ErrHasProgress):
		return problem(http.StatusConflict, "has-progress", "Đã có báo cáo tiến độ / Progress has been reported",
			"Không thể xóa: các báo cáo tiến độ được giữ lại. / "+err.Error())
	case errors.As(err, &ce):
		d := problem(http.StatusConflict, "duplicate", "Đã tồn tại / Already exists", ce.Error())
		d.Errors = []doc.FieldError{{Field: ce.Field, Problem: ce.Problem}}
		return d
	case errors.As(err, &ve):
		return validation(ve.Fields...)
	case errors.Is(err, domain.ErrNotFound):
		return notFound(err.Error())
	case errors.Is(err, domain.ErrStale):
		return problem(http.StatusPreconditionFailed, "stale-version", "Phiên bản đã cũ / Stale version",
			"the resource was changed by someone else since you read it; read it again and reapply your change")
	case errors.Is(err, domain.ErrInUse):
		return problem(http.StatusConflict, "in-use", "Đang được sử dụng / In use", err.Error())
	case errors.Is(err, domain.ErrDuplicate):
		return problem(http.StatusConflict, "duplicate", "Đã tồn tại / Already exists", err.Error())
	case errors.Is(err, domain.ErrPlanIssued):
		return problem(http.StatusConflict, "plan-issued", "Kế hoạch đã ban hành / Plan issued",
			"Kế hoạch đã ban hành: không sửa được nội dung, thông tin văn bản và phụ lục, nhiệm vụ cho đến khi mở lại (reopen). / "+err.Error())
	case errors.Is(err, domain.ErrIssued):
		return problem(http.StatusConflict, "issued", "Văn bản đã ban hành / Document issued", err.Error()+"; an issued document cannot change")
	case errors.Is(err, domain.ErrNotLocked):
		return problem(http.StatusConflict, "not-locked", "Kỳ báo cáo không bị khóa / Period not locked", err.Error())
	case errors.Is(err, domain.ErrLocked):
		return problem(http.StatusConflict, "period-locked", "Kỳ báo cáo đã khóa / Reporting period locked", err.Error())
	case errors.Is(err, domain.ErrForbidden):
		return problem(http.StatusForbidden, "forbidden", "Không được phép / Forbidden", err.Error())
	case errors.Is(err, domain.ErrOrder):
		return problem(http.StatusConflict, "signature-order", "Sai thứ tự ký / Signature out of order", err.Error())
	case errors.Is(err, workflow.ErrSigningOff):
		return problem(http.StatusServiceUnavailable, "signing-not-configured", "Chưa cấu hình chữ ký số / Digital signatures not configured",
			err.Error()+": see baocao serve's --trust, --sign-pkcs12 / --sign-pkcs11-module and --seal")
	case errors.Is(err, domain.ErrInvalid):
		return problem(http.StatusUnprocessableEntity, "invalid-reference", "Tham chiếu không hợp lệ / Invalid reference", err.Error())
	case store.Unavailable(err):
		p := problem(http.StatusServiceUnavailable, "unavailable", "Cơ sở dữ liệu tạm thời không sẵn sàng / Database unavailable",
			"the database is down, restarting or too slow to answer; nothing was changed; try again shortly")
		p.retryAfter = 5
		return p
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return problem(he.Code, "no-route", "Không tìm thấy / Not found", "no such resource")
		case http.StatusMethodNotAllowed:
			return problem(he.Code, "method-not-allowed", "Phương thức không được hỗ trợ / Method not allowed", fmt.Sprint(he.Message))
		case http.StatusRequestEntityTooLarge:
			return problem(he.Code, "too-large", "Dữ liệu quá lớn / Request too large", fmt.Sprint(he.Message))
		}
		return problem(he.Code, "http", http.StatusText(he.Code), fmt.Sprint(he.Message))
	}
	return problem(http.StatusInternalServerError, "internal", "Lỗi hệ thống / Internal error", "the server could not complete the request; it has been logged")
}

// stored answers a request whose change was committed before a later
// step failed (reading the result back from a database that went away):
// 503 without Retry-After, saying the change is stored and must not be
// sent again.
func stored(err error) *Problem {
	slog.Warn("a change was stored but the request failed after", "error", err)
	return problem(http.StatusServiceUnavailable, "stored", "Đã lưu, chưa đọc lại được / Stored, not read back",
		"the change was stored, but reading it back failed: do not send it again; read the resource (GET) once the database answers")
}

// wantsPage tells a browser opening an API link from the pages (a
// download button: a GET whose Accept asks for HTML) from an API client,
// so that a failed download shows a page in Vietnamese, not JSON. API
// clients (curl's */*, application/json, application/pdf) still get RFC
// 9457 problems.
func wantsPage(c echo.Context) bool {
	r := c.Request()
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.Contains(r.Header.Get(echo.HeaderAccept), "text/html")
}

// errorHandler answers every error as application/problem+json.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := *fromError(err)
	if commits, _ := c.Get(commitsKey).(*store.Commits); p.Status >= 500 && commits.Any() {
		// The change was committed but what followed (reading it back)
		// failed: not an error to retry, which would store it twice.
		p = *stored(err)
	}
	p.Instance = c.Request().URL.Path
	p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if p.Status == http.StatusInternalServerError {
		slog.ErrorContext(c.Request().Context(), "request failed", "error", err, "path", p.Instance, "request_id", p.RequestID)
	}
	if p.authenticate {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="baocao"`)
	}
	if p.retryAfter > 0 {
		c.Response().Header().Set("Retry-After", fmt.Sprint(p.retryAfter))
	}
	if (isPage(c) || wantsPage(c)) && p.Status != http.StatusMethodNotAllowed {
		s.errorPage(c, &p)
		return
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method != http.MethodHead {
		_ = jsonEncode(c.Response(), p)
	}
}

// progressProblem refuses a change that would drop tasks with progress,
// naming each (its field, id, STT and submissions) in Vietnamese and
// English.
func progressProblem(pe *domain.ProgressError) *Problem {
	var vi, en []string
	var fields []doc.FieldError
	for _, t := range pe.Tasks {
		field := fmt.Sprintf("appendices[%d].tasks", t.Appendix)
		vi = append(vi, fmt.Sprintf("nhiệm vụ STT %d của %s (id %d) đã có %d báo cáo tiến độ", t.Number, field, t.ID, t.Submissions))
		en = append(en, fmt.Sprintf("task %d (STT %d of %s) has %d progress submissions", t.ID, t.Number, field, t.Submissions))
		fields = append(fields, doc.FieldError{Field: field, Problem: fmt.Sprintf("leaves out task %d (STT %d, %q), which has %d progress submissions; "+
			"keep its id in the list, or send ?archive_tasks=true to archive it with them", t.ID, t.Number, t.Content, t.Submissions)})
	}
	p := problem(http.StatusConflict, "has-progress", "Nhiệm vụ đã có báo cáo tiến độ / Task has progress reports",
		"Không thể bỏ "+strings.Join(vi, "; ")+"; giữ id của nhiệm vụ, hoặc gửi ?archive_tasks=true để lưu trữ nhiệm vụ cùng các báo cáo. / "+
			"Cannot drop "+strings.Join(en, "; ")+"; keep the task's id, or send ?archive_tasks=true to archive it with its submissions.")
	p.Errors, p.Tasks = fields, pe.Tasks
	return p
}
