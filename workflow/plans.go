package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"baocao/domain"
	"baocao/reports/doc"
)

// Plans and their tasks as the secretariat edits them, through the API,
// the web pages and the command line alike. Tasks are parts of their
// plan's document: every change of a task is a change of the plan,
// guarded by the plan's version, so two editors never overwrite each
// other; a change that leaves out a task with progress is refused
// (*domain.ProgressError) unless Archive says to archive it ("Nothing
// lost" in the README).

// PlanWriter creates and deletes plans.
type PlanWriter interface {
	CreatePlan(ctx context.Context, d *doc.Document) (domain.Plan, error)
	DeletePlan(ctx context.Context, id, version int64) error
}

// CheckDocument normalises a document in place (the text rule at the
// door, NFC) and refuses it, naming every field, when it is invalid or
// holds a character the font cannot draw.
func (w *Service) CheckDocument(d *doc.Document) error {
	d.Normalize()
	var errs []doc.FieldError
	var ve *doc.ValidationError
	if err := d.Validate(); errors.As(err, &ve) {
		errs = ve.Fields
	} else if err != nil {
		return err
	}
	errs = append(errs, d.Undrawable(w.Fonts)...)
	if len(errs) > 0 {
		return invalid(errs...)
	}
	return nil
}

// CreatePlan stores a new plan with its appendices and tasks. The editors
// create; the ids of tasks are the store's to give.
func (w *Service) CreatePlan(ctx context.Context, actor Actor, d *doc.Document) (domain.Plan, error) {
	if err := actor.may("create plans", editors...); err != nil {
		return domain.Plan{}, err
	}
	if err := w.CheckDocument(d); err != nil {
		return domain.Plan{}, err
	}
	for i, a := range d.Appendices {
		for j, t := range a.Tasks {
			if t.ID != 0 {
				return domain.Plan{}, invalid(doc.FieldError{Field: fmt.Sprintf("appendices[%d].tasks[%d].id", i, j), Problem: "is set by the server; leave it out when creating"})
			}
		}
	}
	return w.Store.CreatePlan(ctx, d)
}

// PlanChange is a plan as a change left it, with the tasks archived on
// the way (with their progress).
type PlanChange struct {
	Plan     domain.Plan
	Archived []domain.TaskRef
}

// UpdatePlan replaces a plan's document, if version is current; tasks
// keep their identity by id.
func (w *Service) UpdatePlan(ctx context.Context, actor Actor, id, version int64, d *doc.Document, opt domain.UpdateOptions) (PlanChange, error) {
	if err := actor.may("change plans", editors...); err != nil {
		return PlanChange{}, err
	}
	if err := w.CheckDocument(d); err != nil {
		return PlanChange{}, err
	}
	p, archived, err := w.Store.UpdatePlanWith(ctx, id, version, d, opt)
	return PlanChange{Plan: p, Archived: archived}, err
}

// DeletePlan deletes a plan of the version given; one with progress is
// refused (domain.ErrHasProgress).
func (w *Service) DeletePlan(ctx context.Context, actor Actor, id, version int64) error {
	if err := actor.may("delete plans", editors...); err != nil {
		return err
	}
	return w.Store.DeletePlan(ctx, id, version)
}

// EditPlan applies change to the plan's document and stores it if
// version is current (domain.ErrStale otherwise). A change that refuses
// returns a field error (422) or an error.
func (w *Service) EditPlan(ctx context.Context, actor Actor, id, version int64, opt domain.UpdateOptions,
	change func(d *doc.Document) (*doc.FieldError, error)) (PlanChange, error) {
	if err := actor.may("change plans", editors...); err != nil {
		return PlanChange{}, err
	}
	p, err := w.Store.GetPlan(ctx, id)
	if err != nil {
		return PlanChange{}, err
	}
	if p.Version != version {
		return PlanChange{}, domain.ErrStale
	}
	fe, err := change(p.Doc)
	if err != nil {
		return PlanChange{}, err
	}
	if fe != nil {
		return PlanChange{}, invalid(*fe)
	}
	p.Doc.Normalize()
	if err := p.Doc.Validate(); err != nil {
		return PlanChange{}, err
	}
	np, archived, err := w.Store.UpdatePlanWith(ctx, id, version, p.Doc, opt)
	return PlanChange{Plan: np, Archived: archived}, err
}

// TaskAt is a task and where it stands: its appendix and position (from 0).
type TaskAt struct {
	Appendix, Position int
	Task               doc.Task
}

// TaskChange is a plan after a change of its tasks, and the task changed.
type TaskChange struct {
	PlanChange
	TaskAt
}

// CheckTask cleans a task's texts (the text rule at the door) and refuses
// one the font cannot draw, naming its field ("content", "lead[0]").
func (w *Service) CheckTask(t *doc.Task) error {
	t.Normalize()
	if errs := t.Undrawable(w.Fonts); len(errs) > 0 {
		return invalid(errs...)
	}
	return nil
}

// AddTask puts a task into appendix n of the plan, at position pos (nil:
// at the end); a plan without appendices gets its first one.
func (w *Service) AddTask(ctx context.Context, actor Actor, planID, version int64, n int, pos *int, t doc.Task) (TaskChange, error) {
	if t.ID != 0 {
		return TaskChange{}, invalid(doc.FieldError{Field: "id", Problem: "is set by the server; leave it out"})
	}
	if err := w.CheckTask(&t); err != nil {
		return TaskChange{}, err
	}
	at := 0
	pc, err := w.EditPlan(ctx, actor, planID, version, domain.UpdateOptions{}, func(d *doc.Document) (*doc.FieldError, error) {
		if n < 0 || n > len(d.Appendices) || (n == len(d.Appendices) && n > 0) {
			return &doc.FieldError{Field: "appendix", Problem: fmt.Sprintf("the plan has %d appendices", len(d.Appendices))}, nil
		}
		if len(d.Appendices) == 0 {
			d.Appendices = []doc.Appendix{FirstAppendix(d)}
		}
		tasks := d.Appendices[n].Tasks
		at = len(tasks)
		if pos != nil {
			if *pos < 0 || *pos > len(tasks) {
				return &doc.FieldError{Field: "position", Problem: fmt.Sprintf("must be from 0 to %d", len(tasks))}, nil
			}
			at = *pos
		}
		d.Appendices[n].Tasks = append(tasks[:at], append([]doc.Task{t}, tasks[at:]...)...)
		return nil, nil
	})
	if err != nil {
		return TaskChange{}, err
	}
	return TaskChange{PlanChange: pc, TaskAt: TaskAt{Appendix: n, Position: at, Task: pc.Plan.Doc.Appendices[n].Tasks[at]}}, nil
}

// FirstAppendix is the appendix a plan without one gets for its first
// tasks: "Các nhiệm vụ triển khai thực hiện Kế hoạch …", the kind not
// written twice when the title starts with it.
func FirstAppendix(d *doc.Document) doc.Appendix {
	title := d.Title
	if kind := d.KindName(); !strings.HasPrefix(strings.ToLower(title), strings.ToLower(kind)) {
		title = kind + " " + title
	}
	return doc.Appendix{Title: "Các nhiệm vụ triển khai thực hiện " + title}
}

// FindTask locates a task by id in a document.
func FindTask(d *doc.Document, id int64) (ai, ti int, ok bool) {
	for ai := range d.Appendices {
		for ti := range d.Appendices[ai].Tasks {
			if d.Appendices[ai].Tasks[ti].ID == id {
				return ai, ti, true
			}
		}
	}
	return 0, 0, false
}

// taskNotFound names a task the plan does not have.
func taskNotFound(id int64) error {
	return &NotFoundError{What: fmt.Sprintf("task %d of this plan", id)}
}

// UpdateTask replaces a task of the plan, where it stands.
func (w *Service) UpdateTask(ctx context.Context, actor Actor, planID, version, taskID int64, t doc.Task) (TaskChange, error) {
	if t.ID != 0 && t.ID != taskID {
		return TaskChange{}, invalid(doc.FieldError{Field: "id", Problem: "differs from the task in the path"})
	}
	if err := w.CheckTask(&t); err != nil {
		return TaskChange{}, err
	}
	var ai, ti int
	pc, err := w.EditPlan(ctx, actor, planID, version, domain.UpdateOptions{}, func(d *doc.Document) (*doc.FieldError, error) {
		var ok bool
		if ai, ti, ok = FindTask(d, taskID); !ok {
			return nil, taskNotFound(taskID)
		}
		t.ID = taskID
		d.Appendices[ai].Tasks[ti] = t
		return nil, nil
	})
	if err != nil {
		return TaskChange{}, err
	}
	return TaskChange{PlanChange: pc, TaskAt: TaskAt{Appendix: ai, Position: ti, Task: pc.Plan.Doc.Appendices[ai].Tasks[ti]}}, nil
}

// DeleteTask takes a task out of the plan: deleted when nobody reported
// on it, else refused (*domain.ProgressError) unless opt archives it.
func (w *Service) DeleteTask(ctx context.Context, actor Actor, planID, version, taskID int64, opt domain.UpdateOptions) (PlanChange, error) {
	return w.EditPlan(ctx, actor, planID, version, opt, func(d *doc.Document) (*doc.FieldError, error) {
		ai, ti, ok := FindTask(d, taskID)
		if !ok {
			return nil, taskNotFound(taskID)
		}
		t := d.Appendices[ai].Tasks
		d.Appendices[ai].Tasks = append(t[:ti:ti], t[ti+1:]...)
		return nil, nil
	})
}

// ReorderTasks puts the tasks of appendix n in the order of their ids,
// which must list each of them once.
func (w *Service) ReorderTasks(ctx context.Context, actor Actor, planID, version int64, n int, order []int64) (PlanChange, error) {
	return w.EditPlan(ctx, actor, planID, version, domain.UpdateOptions{}, func(d *doc.Document) (*doc.FieldError, error) {
		if n < 0 || n >= len(d.Appendices) {
			return &doc.FieldError{Field: "appendix", Problem: fmt.Sprintf("the plan has %d appendices", len(d.Appendices))}, nil
		}
		tasks := d.Appendices[n].Tasks
		byID := map[int64]doc.Task{}
		for _, t := range tasks {
			byID[t.ID] = t
		}
		if len(order) != len(tasks) {
			return &doc.FieldError{Field: "order", Problem: fmt.Sprintf("must list each of the appendix's %d tasks once", len(tasks))}, nil
		}
		seen := map[int64]bool{}
		var out []doc.Task
		for i, id := range order {
			t, ok := byID[id]
			if !ok || seen[id] {
				return &doc.FieldError{Field: fmt.Sprintf("order[%d]", i), Problem: fmt.Sprintf("task %d is not in the appendix or is listed twice", id)}, nil
			}
			seen[id] = true
			out = append(out, t)
		}
		d.Appendices[n].Tasks = out
		return nil, nil
	})
}

// MoveTask moves a task one place up (by -1) or down (by 1) within its
// appendix; at either end it stays.
func (w *Service) MoveTask(ctx context.Context, actor Actor, planID, version, taskID int64, by int) (PlanChange, error) {
	return w.EditPlan(ctx, actor, planID, version, domain.UpdateOptions{}, func(d *doc.Document) (*doc.FieldError, error) {
		ai, ti, ok := FindTask(d, taskID)
		if !ok {
			return nil, taskNotFound(taskID)
		}
		tasks := d.Appendices[ai].Tasks
		if to := ti + by; to >= 0 && to < len(tasks) {
			tasks[ti], tasks[to] = tasks[to], tasks[ti]
		}
		return nil, nil
	})
}

// Imported is a plan after an import, and the tasks put into it.
type Imported struct {
	PlanChange
	Tasks []doc.Task
}

// ImportTasks stores tasks read from a spreadsheet (checked with
// CheckImport) into appendix n of the plan, appended or replacing its
// tasks; replacing tasks with progress is refused unless opt archives
// them.
func (w *Service) ImportTasks(ctx context.Context, actor Actor, planID, version int64, n int, mode ImportMode, tasks []doc.Task, opt domain.UpdateOptions) (Imported, error) {
	if err := actor.may("import tasks", editors...); err != nil {
		return Imported{}, err
	}
	var from int
	pc, err := w.EditPlan(ctx, actor, planID, version, opt, func(d *doc.Document) (fe *doc.FieldError, err error) {
		from, fe = ImportInto(d, n, mode, tasks)
		return fe, nil
	})
	if err != nil {
		return Imported{}, err
	}
	return Imported{PlanChange: pc, Tasks: pc.Plan.Doc.Appendices[n].Tasks[from:]}, nil
}
