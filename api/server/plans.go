package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

// planJSON is a stored plan as the API shows it.
type planJSON struct {
	ID        int64             `json:"id"`
	Version   int64             `json:"version"`
	AgencyID  int64             `json:"agency_id"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	Links     map[string]string `json:"links"`
	Document  *doc.Document     `json:"document"`
	// ArchivedTasks lists the tasks an update with ?archive_tasks=true
	// archived (with their progress submissions).
	ArchivedTasks []domain.TaskRef `json:"archived_tasks,omitempty"`
	// Issue is the plan's current issue (GET only; none: not issued).
	Issue *planIssueJSON `json:"issue,omitempty"`
}

func planOut(p domain.Plan) planJSON {
	base := "/api/v1/plans/" + itoa64(p.ID)
	links := map[string]string{"self": base, "tasks": base + "/tasks", "document_pdf": base + "/document.pdf"}
	if len(p.Doc.Appendices) > 0 {
		links["appendix_pdf"] = base + "/appendix.pdf"
		links["appendix_xlsx"] = base + "/appendix.xlsx"
	}
	return planJSON{ID: p.ID, Version: p.Version, AgencyID: p.AgencyID, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Links: links, Document: p.Doc}
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Server) sendPlan(c echo.Context, status int, p domain.Plan) error {
	c.Response().Header().Set("ETag", etagOf(p.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set("Location", "/api/v1/plans/"+itoa64(p.ID))
	}
	return c.JSON(status, planOut(p))
}

// planInput is a document with the version its sender read.
type planInput struct {
	Version int64 `json:"version,omitempty"`
	doc.Document
}

// readDocument decodes a document body; the workflow normalises and
// validates it.
func (s *Server) readDocument(c echo.Context) (*planInput, error) {
	var in planInput
	if err := s.decodeStrict(c, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

func (s *Server) createPlan(c echo.Context) error {
	in, err := s.readDocument(c)
	if err != nil {
		return err
	}
	if in.Version != 0 {
		return validation(doc.FieldError{Field: "version", Problem: "is set by the server; leave it out when creating"})
	}
	p, err := s.wf.CreatePlan(c.Request().Context(), actorOf(c), &in.Document)
	if err != nil {
		return err
	}
	return s.sendPlan(c, http.StatusCreated, p)
}

// planFromPath reads the plan the path's :id names.
func (s *Server) planFromPath(c echo.Context) (domain.Plan, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Plan{}, err
	}
	return s.store.GetPlan(c.Request().Context(), id)
}

func (s *Server) getPlan(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	if match(c.Request().Header.Get("If-None-Match"), etagOf(p.Version)) {
		return c.NoContent(http.StatusNotModified)
	}
	is, issued, err := workflow.PlanIssueOf(c.Request().Context(), s.store, p.ID, false)
	if err != nil {
		return err
	}
	out := planOut(p)
	if issued {
		j := planIssueOut(is)
		out.Issue = &j
	}
	c.Response().Header().Set("ETag", etagOf(p.Version))
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updatePlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := s.readDocument(c)
	if err != nil {
		return err
	}
	v, err := version(c, in.Version)
	if err != nil {
		return err
	}
	opt, err := archiveOption(c)
	if err != nil {
		return err
	}
	pc, err := s.wf.UpdatePlan(c.Request().Context(), actorOf(c), id, v, &in.Document, opt)
	if err != nil {
		return err
	}
	noteArchived(c, pc.Archived)
	c.Response().Header().Set("ETag", etagOf(pc.Plan.Version))
	out := planOut(pc.Plan)
	out.ArchivedTasks = pc.Archived
	return c.JSON(http.StatusOK, out)
}

// archiveOption reads ?archive_tasks=true: a change that drops a task
// with progress submissions archives it with them instead of being
// refused.
func archiveOption(c echo.Context) (domain.UpdateOptions, error) {
	switch v := c.QueryParam("archive_tasks"); v {
	case "", "false":
		return domain.UpdateOptions{}, nil
	case "true":
		return domain.UpdateOptions{ArchiveTasks: true}, nil
	default:
		return domain.UpdateOptions{}, validation(doc.FieldError{Field: "archive_tasks", Problem: fmt.Sprintf("must be true or false, not %q", v)})
	}
}

// noteArchived records the archived tasks in the change's audit entry.
func noteArchived(c echo.Context, archived []domain.TaskRef) {
	if len(archived) == 0 {
		return
	}
	parts := make([]string, len(archived))
	for i, t := range archived {
		parts[i] = fmt.Sprintf("%d (phụ lục %d, STT %d, %d lần báo cáo)", t.ID, t.Appendix+1, t.Number, t.Submissions)
	}
	c.Set(auditDetailKey, "lưu trữ nhiệm vụ "+strings.Join(parts, ", "))
}

func (s *Server) deletePlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := version(c, 0)
	if err != nil {
		return err
	}
	if err := s.wf.DeletePlan(c.Request().Context(), actorOf(c), id, v); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listPlans(c echo.Context) error {
	var f domain.PlanFilter
	var err error
	if f.Year, err = queryInt(c, "year", 0, 1945, 9999); err != nil {
		return err
	}
	agency, err := queryInt(c, "agency_id", 0, 1, 1<<31-1)
	if err != nil {
		return err
	}
	f.AgencyID = int64(agency)
	if k := c.QueryParam("kind"); k != "" {
		if _, ok := doc.KindOf(k); !ok {
			return validation(doc.FieldError{Field: "kind", Problem: fmt.Sprintf("unknown document kind %q", k)})
		}
		f.Kind = k
	}
	if f.Query = c.QueryParam("q"); len([]rune(f.Query)) > 200 {
		return validation(doc.FieldError{Field: "q", Problem: "is longer than 200 characters"})
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	if p := principal(c); p.Role == auth.RoleReporter {
		f.Involves = p.AgencyID // a reporter sees the plans that involve its agency
	}
	items, total, err := s.store.ListPlans(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": total, "page": f.Offset/f.Limit + 1, "per_page": f.Limit})
}

// match reports whether an If-None-Match header names etag.
func match(header, etag string) bool {
	if header == "" {
		return false
	}
	if header == "*" {
		return true
	}
	for _, part := range strings.Split(header, ",") {
		if part = strings.TrimSpace(part); part == etag || part == "W/"+etag {
			return true
		}
	}
	return false
}
