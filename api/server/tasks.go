package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
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

// editPlan applies change to the plan's document and stores it if the
// version the client gave is current; it answers with the changed task or
// the task list. A task with progress that the change drops refuses it
// (409 has-progress) unless the query says ?archive_tasks=true.
func (s *Server) editPlan(c echo.Context, bodyVersion int64, change func(d *doc.Document) (*doc.FieldError, error)) (int64, *doc.Document, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, nil, err
	}
	v, err := version(c, bodyVersion)
	if err != nil {
		return 0, nil, err
	}
	p, err := s.store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return 0, nil, err
	}
	if p.Version != v {
		return 0, nil, store.ErrStale
	}
	fe, err := change(p.Doc)
	if err != nil {
		return 0, nil, err
	}
	if fe != nil {
		return 0, nil, validation(*fe)
	}
	p.Doc.Normalize()
	if err := p.Doc.Validate(); err != nil {
		return 0, nil, err
	}
	opt, err := archiveOption(c)
	if err != nil {
		return 0, nil, err
	}
	np, archived, err := s.store.UpdatePlanWith(c.Request().Context(), id, v, p.Doc, opt)
	if err != nil {
		return 0, nil, err
	}
	noteArchived(c, archived)
	c.Response().Header().Set("ETag", etagOf(np.Version))
	return np.Version, np.Doc, nil
}

func (s *Server) addTask(c echo.Context) error {
	var in taskInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	if in.ID != 0 {
		return validation(doc.FieldError{Field: "id", Problem: "is set by the server; leave it out"})
	}
	if err := s.taskTexts(&in.Task); err != nil {
		return err
	}
	var pos int
	pv, d, err := s.editPlan(c, in.Version, func(d *doc.Document) (*doc.FieldError, error) {
		if in.Appendix < 0 || in.Appendix > len(d.Appendices) || (in.Appendix == len(d.Appendices) && in.Appendix > 0) {
			return &doc.FieldError{Field: "appendix", Problem: fmt.Sprintf("the plan has %d appendices", len(d.Appendices))}, nil
		}
		if len(d.Appendices) == 0 {
			d.Appendices = []doc.Appendix{{Title: "Các nhiệm vụ triển khai thực hiện " + d.KindName() + " " + d.Title}}
		}
		tasks := d.Appendices[in.Appendix].Tasks
		pos = len(tasks)
		if in.Position != nil {
			if *in.Position < 0 || *in.Position > len(tasks) {
				return &doc.FieldError{Field: "position", Problem: fmt.Sprintf("must be from 0 to %d", len(tasks))}, nil
			}
			pos = *in.Position
		}
		tasks = append(tasks[:pos], append([]doc.Task{in.Task}, tasks[pos:]...)...)
		d.Appendices[in.Appendix].Tasks = tasks
		return nil, nil
	})
	if err != nil {
		return err
	}
	t := d.Appendices[in.Appendix].Tasks[pos]
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/plans/%s/tasks/%d", c.Param("id"), t.ID))
	return c.JSON(http.StatusCreated, map[string]any{"plan_version": pv, "task": taskJSON{Appendix: in.Appendix, Position: pos, Task: t}})
}

// taskTexts cleans a task's texts and refuses one the font cannot draw,
// naming the field of the body ("content", "lead[0]").
func (s *Server) taskTexts(t *doc.Task) error {
	t.Normalize()
	if errs := t.Undrawable(s.cfg.Fonts); len(errs) > 0 {
		return validation(errs...)
	}
	return nil
}

// findTask locates a task by id in a document.
func findTask(d *doc.Document, id int64) (ai, ti int, ok bool) {
	for ai := range d.Appendices {
		for ti := range d.Appendices[ai].Tasks {
			if d.Appendices[ai].Tasks[ti].ID == id {
				return ai, ti, true
			}
		}
	}
	return 0, 0, false
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
	if in.ID != 0 && in.ID != tid {
		return validation(doc.FieldError{Field: "id", Problem: "differs from the task in the path"})
	}
	if in.Position != nil || in.Appendix != 0 {
		return validation(doc.FieldError{Field: "position", Problem: "move tasks with PUT …/tasks/order"})
	}
	if err := s.taskTexts(&in.Task); err != nil {
		return err
	}
	var ai, ti int
	pv, d, err := s.editPlan(c, in.Version, func(d *doc.Document) (*doc.FieldError, error) {
		var ok bool
		if ai, ti, ok = findTask(d, tid); !ok {
			return nil, notFound(fmt.Sprintf("task %d of this plan", tid))
		}
		in.Task.ID = tid
		d.Appendices[ai].Tasks[ti] = in.Task
		return nil, nil
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"plan_version": pv, "task": taskJSON{Appendix: ai, Position: ti, Task: d.Appendices[ai].Tasks[ti]}})
}

func (s *Server) deleteTask(c echo.Context) error {
	tid, err := pathID(c, "task")
	if err != nil {
		return err
	}
	_, _, err = s.editPlan(c, 0, func(d *doc.Document) (*doc.FieldError, error) {
		ai, ti, ok := findTask(d, tid)
		if !ok {
			return nil, notFound(fmt.Sprintf("task %d of this plan", tid))
		}
		t := d.Appendices[ai].Tasks
		d.Appendices[ai].Tasks = append(t[:ti:ti], t[ti+1:]...)
		return nil, nil
	})
	if err != nil {
		return err
	}
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
	pv, d, err := s.editPlan(c, in.Version, func(d *doc.Document) (*doc.FieldError, error) {
		if in.Appendix < 0 || in.Appendix >= len(d.Appendices) {
			return &doc.FieldError{Field: "appendix", Problem: fmt.Sprintf("the plan has %d appendices", len(d.Appendices))}, nil
		}
		tasks := d.Appendices[in.Appendix].Tasks
		byID := map[int64]doc.Task{}
		for _, t := range tasks {
			byID[t.ID] = t
		}
		if len(in.Order) != len(tasks) {
			return &doc.FieldError{Field: "order", Problem: fmt.Sprintf("must list each of the appendix's %d tasks once", len(tasks))}, nil
		}
		seen := map[int64]bool{}
		var out []doc.Task
		for i, id := range in.Order {
			t, ok := byID[id]
			if !ok || seen[id] {
				return &doc.FieldError{Field: fmt.Sprintf("order[%d]", i), Problem: fmt.Sprintf("task %d is not in the appendix or is listed twice", id)}, nil
			}
			seen[id] = true
			out = append(out, t)
		}
		d.Appendices[in.Appendix].Tasks = out
		return nil, nil
	})
	if err != nil {
		return err
	}
	items := []taskJSON{}
	for ti, t := range d.Appendices[in.Appendix].Tasks {
		items = append(items, taskJSON{Appendix: in.Appendix, Position: ti, Task: t})
	}
	return c.JSON(http.StatusOK, map[string]any{"plan_version": pv, "items": items})
}
