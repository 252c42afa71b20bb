package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

// Tasks are parts of their plan's document: every change to a task is a
// change of the plan, guarded by the plan's version (If-Match or the
// body's "version"), so that no two clients overwrite each other.

type taskJSON struct {
	Appendix int `json:"appendix"`
	Position int `json:"position"`
	doc.Task
}

func (s *Server) listTasks(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	items := []taskJSON{}
	for ai, a := range p.Doc.Appendices {
		for ti, t := range a.Tasks {
			items = append(items, taskJSON{Appendix: ai, Position: ti, Task: t})
		}
	}
	c.Response().Header().Set("ETag", etagOf(p.Version))
	return c.JSON(http.StatusOK, map[string]any{"plan_version": p.Version, "items": items})
}

type taskInput struct {
	Version  int64 `json:"version,omitempty"`
	Appendix int   `json:"appendix,omitempty"`
	// Position, when set on add, inserts the task there (from 0); by
	// default a task goes to the end.
	Position *int `json:"position,omitempty"`
	doc.Task
}

// planVersion reads the plan's id from the path and the version the
// client gave (If-Match or the body's), and the ?archive_tasks option.
func planVersion(c echo.Context, bodyVersion int64) (id, v int64, opt domain.UpdateOptions, err error) {
	if id, err = pathID(c, "id"); err != nil {
		return
	}
	if v, err = version(c, bodyVersion); err != nil {
		return
	}
	opt, err = archiveOption(c)
	return
}

// changed answers a change of a plan's tasks: its version as ETag, the
// archived tasks in the audit entry.
func changed(c echo.Context, pc workflow.PlanChange) {
	noteArchived(c, pc.Archived)
	c.Response().Header().Set("ETag", etagOf(pc.Plan.Version))
}

func (s *Server) addTask(c echo.Context) error {
	var in taskInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	id, v, _, err := planVersion(c, in.Version)
	if err != nil {
		return err
	}
	tc, err := s.wf.AddTask(c.Request().Context(), actorOf(c), id, v, in.Appendix, in.Position, in.Task)
	if err != nil {
		return err
	}
	changed(c, tc.PlanChange)
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/plans/%d/tasks/%d", id, tc.Task.ID))
	return c.JSON(http.StatusCreated, map[string]any{"plan_version": tc.Plan.Version, "task": taskJSON{Appendix: tc.Appendix, Position: tc.Position, Task: tc.Task}})
}

func (s *Server) updateTask(c echo.Context) error {
	tid, err := pathID(c, "task")
	if err != nil {
		return err
	}
	var in taskInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	if in.Position != nil || in.Appendix != 0 {
		return validation(doc.FieldError{Field: "position", Problem: "move tasks with PUT …/tasks/order"})
	}
	id, v, _, err := planVersion(c, in.Version)
	if err != nil {
		return err
	}
	tc, err := s.wf.UpdateTask(c.Request().Context(), actorOf(c), id, v, tid, in.Task)
	if err != nil {
		return err
	}
	changed(c, tc.PlanChange)
	return c.JSON(http.StatusOK, map[string]any{"plan_version": tc.Plan.Version, "task": taskJSON{Appendix: tc.Appendix, Position: tc.Position, Task: tc.Task}})
}

func (s *Server) deleteTask(c echo.Context) error {
	tid, err := pathID(c, "task")
	if err != nil {
		return err
	}
	id, v, opt, err := planVersion(c, 0)
	if err != nil {
		return err
	}
	pc, err := s.wf.DeleteTask(c.Request().Context(), actorOf(c), id, v, tid, opt)
	if err != nil {
		return err
	}
	changed(c, pc)
	return c.NoContent(http.StatusNoContent)
}

type orderInput struct {
	Version  int64   `json:"version,omitempty"`
	Appendix int     `json:"appendix"`
	Order    []int64 `json:"order"`
}

func (s *Server) reorderTasks(c echo.Context) error {
	var in orderInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	id, v, _, err := planVersion(c, in.Version)
	if err != nil {
		return err
	}
	pc, err := s.wf.ReorderTasks(c.Request().Context(), actorOf(c), id, v, in.Appendix, in.Order)
	if err != nil {
		return err
	}
	changed(c, pc)
	items := []taskJSON{}
	for ti, t := range pc.Plan.Doc.Appendices[in.Appendix].Tasks {
		items = append(items, taskJSON{Appendix: in.Appendix, Position: ti, Task: t})
	}
	return c.JSON(http.StatusOK, map[string]any{"plan_version": pc.Plan.Version, "items": items})
}
