package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

// The secretariat's task pages: the tasks of a plan with buttons to edit,
// move up or down and delete each, and the form to add or edit one. Every
// change goes through workflow.Service (AddTask, UpdateTask, MoveTask,
// DeleteTask) with the plan's version the page was made from. A task
// with progress is never deleted: the page asks to archive it with its
// reports instead ("Nothing lost").

// taskRow is a task as the task page lists it.
type taskRow struct {
	ID                         int64
	Appendix, Position, Number int
	Content, Lead, Cooperating string
	Deadline, Output, Note     string
	First, Last                bool
}

// archiveAsk is the confirmation the page asks before archiving a task
// that has progress reports.
type archiveAsk struct {
	ID          int64
	Number      int
	Content     string
	Submissions int64
}

func (s *Server) tasksPage(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	return s.showTasks(c, http.StatusOK, p, nil, "")
}

func (s *Server) showTasks(c echo.Context, status int, p domain.Plan, ask *archiveAsk, alert string) error {
	type appendixView struct {
		Index     int
		Heading   string
		TrackOnly bool
		Tasks     []taskRow
	}
	var apps []appendixView
	for ai, a := range p.Doc.Appendices {
		av := appendixView{Index: ai, Heading: a.Title, TrackOnly: a.TrackOnly}
		for ti, t := range a.Tasks {
			av.Tasks = append(av.Tasks, taskRow{ID: t.ID, Appendix: ai, Position: ti, Number: ti + 1, Content: t.Content,
				Lead: strings.Join(t.Lead, "; "), Cooperating: strings.Join(t.Cooperating, "; "), Deadline: t.Deadline.Text,
				Output: t.Output, Note: t.Note, First: ti == 0, Last: ti == len(a.Tasks)-1})
		}
		apps = append(apps, av)
	}
	data := map[string]any{"PlanID": p.ID, "PlanRef": reference(p), "Version": p.Version, "Appendices": apps, "Ask": ask}
	return s.page(c, status, "tasks_edit", "Nhiệm vụ của kế hoạch", view{Alert: alert, Data: data})
}

// taskForm is the task form as typed.
type taskForm struct {
	Content, Lead, Cooperating, Output, Deadline, Note, Position string
	Appendix                                                     int
}

var taskFormFields = []string{"content", "lead", "cooperating", "output", "deadline", "note", "position", "appendix"}

func taskFormOf(t doc.Task) taskForm {
	return taskForm{Content: t.Content, Lead: strings.Join(t.Lead, "\n"), Cooperating: strings.Join(t.Cooperating, "\n"),
		Output: t.Output, Deadline: t.Deadline.Text, Note: t.Note}
}

func taskFormFrom(c echo.Context) taskForm {
	v := c.FormValue
	f := taskForm{Content: v("content"), Lead: v("lead"), Cooperating: v("cooperating"), Output: v("output"),
		Deadline: v("deadline"), Note: v("note"), Position: v("position")}
	f.Appendix, _ = formInt(c, "appendix")
	return f
}

func (f taskForm) task() doc.Task {
	return doc.Task{Content: f.Content, Lead: lines(f.Lead), Cooperating: lines(f.Cooperating), Output: f.Output,
		Deadline: doc.Deadline{Text: f.Deadline}, Note: f.Note}
}

// showTaskForm renders the form of a new task (id 0) or of task id.
func (s *Server) showTaskForm(c echo.Context, status int, p domain.Plan, id int64, version int64, number int, f taskForm, errs formErrs, alert string) error {
	var apps []string
	for _, a := range p.Doc.Appendices {
		apps = append(apps, a.Title)
	}
	data := map[string]any{"PlanID": p.ID, "PlanRef": reference(p), "Version": version, "ID": id, "Number": number,
		"Form": f, "Errors": errs, "Appendices": apps}
	title := "Thêm nhiệm vụ"
	if id != 0 {
		title = "Sửa nhiệm vụ"
	}
	return s.page(c, status, "task_edit", title, view{Alert: alert, Data: data})
}

func (s *Server) taskNewPage(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	f := taskForm{}
	f.Appendix, _ = formInt(c, "appendix")
	return s.showTaskForm(c, http.StatusOK, p, 0, p.Version, 0, f, nil, "")
}

// planTask reads the plan and the task the path names.
func (s *Server) planTask(c echo.Context) (domain.Plan, int64, int, doc.Task, error) {
	p, err := s.planFromPath(c)
	if err != nil {
		return p, 0, 0, doc.Task{}, err
	}
	tid, err := pathID(c, "task")
	if err != nil {
		return p, 0, 0, doc.Task{}, err
	}
	ai, ti, ok := workflow.FindTask(p.Doc, tid)
	if !ok {
		return p, tid, 0, doc.Task{}, notFound(fmt.Sprintf("task %d of plan %d", tid, p.ID))
	}
	return p, tid, ti + 1, p.Doc.Appendices[ai].Tasks[ti], nil
}

func (s *Server) taskEditPage(c echo.Context) error {
	p, tid, n, t, err := s.planTask(c)
	if err != nil {
		return err
	}
	return s.showTaskForm(c, http.StatusOK, p, tid, p.Version, n, taskFormOf(t), nil, "")
}

func (s *Server) taskNewPost(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	f := taskFormFrom(c)
	version := formVersion(c)
	var pos *int
	if v := strings.TrimSpace(f.Position); v != "" {
		n, err := formInt(c, "position")
		if err != nil || n < 1 {
			return s.showTaskForm(c, http.StatusUnprocessableEntity, p, 0, version, 0, f,
				formErrs{"position": "Vị trí là số thứ tự của nhiệm vụ, từ 1; để trống: cuối danh sách."}, "Chưa lưu: hãy sửa các ô được đánh dấu.")
		}
		n--
		pos = &n
	}
	tc, err := s.wf.AddTask(c.Request().Context(), actorOf(c), p.ID, version, f.Appendix, pos, f.task())
	if err != nil {
		return s.taskRefused(c, err, p, 0, version, 0, f)
	}
	c.Set(auditDetailKey, fmt.Sprintf("task %d added at STT %d", tc.Task.ID, tc.Position+1))
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks#task-%d", p.ID, tc.Task.ID), fmt.Sprintf("Đã thêm nhiệm vụ %d.", tc.Position+1))
}

func (s *Server) taskEditPost(c echo.Context) error {
	p, tid, n, _, err := s.planTask(c)
	if err != nil {
		return err
	}
	f := taskFormFrom(c)
	version := formVersion(c)
	tc, err := s.wf.UpdateTask(c.Request().Context(), actorOf(c), p.ID, version, tid, f.task())
	if err != nil {
		return s.taskRefused(c, err, p, tid, version, n, f)
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks#task-%d", p.ID, tid), fmt.Sprintf("Đã lưu nhiệm vụ %d.", tc.Position+1))
}

// taskRefused shows the task form again with what was typed, and why.
func (s *Server) taskRefused(c echo.Context, err error, p domain.Plan, id, version int64, n int, f taskForm) error {
	errs, alert, ok := refusal(err, taskFormFields...)
	if !ok {
		return err
	}
	status := refusedStatus(err)
	return s.showTaskForm(c, status, p, id, version, n, f, errs, alert)
}

// taskMovePost moves a task one place up or down.
func (s *Server) taskMovePost(c echo.Context) error {
	p, tid, _, _, err := s.planTask(c)
	if err != nil {
		return err
	}
	by := 1
	if c.FormValue("dir") == "up" {
		by = -1
	}
	if _, err := s.wf.MoveTask(c.Request().Context(), actorOf(c), p.ID, formVersion(c), tid, by); err != nil {
		return s.tasksRefused(c, err, p)
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks#task-%d", p.ID, tid), "Đã chuyển vị trí nhiệm vụ.")
}

// taskDeletePost deletes a task; one with progress is archived with its
// reports once the user confirms (archive=1).
func (s *Server) taskDeletePost(c echo.Context) error {
	p, tid, n, t, err := s.planTask(c)
	if err != nil {
		return err
	}
	opt := domain.UpdateOptions{ArchiveTasks: c.FormValue("archive") == "1"}
	pc, err := s.wf.DeleteTask(c.Request().Context(), actorOf(c), p.ID, formVersion(c), tid, opt)
	var pe *domain.ProgressError
	if errors.As(err, &pe) && len(pe.Tasks) > 0 {
		ask := &archiveAsk{ID: tid, Number: n, Content: t.Content, Submissions: pe.Tasks[0].Submissions}
		return s.showTasks(c, http.StatusConflict, p, ask, fmt.Sprintf("Nhiệm vụ %d đã có %d báo cáo tiến độ nên không xóa được. "+
			"Bạn có thể lưu trữ nhiệm vụ: nhiệm vụ rời khỏi kế hoạch, các báo cáo của nó vẫn được giữ.", n, pe.Tasks[0].Submissions))
	}
	if err != nil {
		return s.tasksRefused(c, err, p)
	}
	noteArchived(c, pc.Archived)
	msg := fmt.Sprintf("Đã xóa nhiệm vụ %d.", n)
	if len(pc.Archived) > 0 {
		msg = fmt.Sprintf("Đã lưu trữ nhiệm vụ %d cùng %d báo cáo tiến độ của nó.", n, pc.Archived[0].Submissions)
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks", p.ID), msg)
}

// tasksRefused shows the task list with why a change was not made.
func (s *Server) tasksRefused(c echo.Context, err error, p domain.Plan) error {
	_, alert, ok := refusal(err)
	if !ok {
		return err
	}
	status := http.StatusConflict
	if pe := answerOf(err); pe != nil {
		status = pe.Status
	}
	if errors.Is(err, domain.ErrStale) {
		alert = "Kế hoạch vừa được người khác sửa nên thay đổi chưa được thực hiện. Danh sách dưới đây là bản mới nhất; hãy làm lại."
	}
	return s.showTasks(c, status, p, nil, alert)
}
