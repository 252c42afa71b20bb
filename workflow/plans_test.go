package workflow

import (
	"context"
	"errors"
	"testing"

	"baocao/domain"
	"baocao/reports/doc"
)

// planStore keeps one plan in memory for the plan and task workflows.
type planStore struct {
	fakeStore
	updates int
}

func (f *planStore) GetPlan(context.Context, int64) (domain.Plan, error) {
	d := *f.plan.Doc
	d.Appendices = append([]doc.Appendix(nil), d.Appendices...)
	for i := range d.Appendices {
		d.Appendices[i].Tasks = append([]doc.Task(nil), d.Appendices[i].Tasks...)
	}
	p := f.plan
	p.Doc = &d
	return p, nil
}

func (f *planStore) UpdatePlanWith(_ context.Context, _, version int64, d *doc.Document, _ domain.UpdateOptions) (domain.Plan, []domain.TaskRef, error) {
	if version != f.plan.Version {
		return domain.Plan{}, nil, domain.ErrStale
	}
	f.updates++
	f.plan.Doc, f.plan.Version = d, f.plan.Version+1
	return f.plan, nil, nil
}

func TestTaskWorkflows(t *testing.T) {
	w, fs := service(t)
	ps := &planStore{fakeStore: *fs}
	ps.plan.Version = 3
	w.Store = ps
	ctx := context.Background()
	sec := Actor{Kind: ActorUser, Name: "vanphong", Role: RoleSecretariat}
	tasks := ps.plan.Doc.Appendices[0].Tasks
	first, second := tasks[0].ID, tasks[1].ID

	if _, err := w.MoveTask(ctx, Actor{Role: RoleReporter}, 2, 3, second, -1); !errors.As(err, new(*ForbiddenError)) {
		t.Errorf("a reporter moves a task: %v", err)
	}
	if _, err := w.MoveTask(ctx, sec, 2, 2, second, -1); !errors.Is(err, domain.ErrStale) {
		t.Errorf("a stale move: %v", err)
	}
	if _, err := w.MoveTask(ctx, sec, 2, 3, second, -1); err != nil {
		t.Fatal(err)
	}
	if got := ps.plan.Doc.Appendices[0].Tasks; got[0].ID != second || got[1].ID != first {
		t.Errorf("after moving up: %d, %d", got[0].ID, got[1].ID)
	}
	// The first task moved up stays where it is.
	if _, err := w.MoveTask(ctx, sec, 2, 4, second, -1); err != nil || ps.plan.Doc.Appendices[0].Tasks[0].ID != second {
		t.Errorf("moving the first task up: %v", err)
	}
	// A task with an emoji or without a lead agency: refused, nothing stored.
	n := ps.updates
	_, err := w.AddTask(ctx, sec, 2, ps.plan.Version, 0, nil, doc.Task{Content: "Việc mới 👍", Lead: []string{"Sở Nội vụ"}})
	var ve *doc.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "content" {
		t.Errorf("an emoji: %v", err)
	}
	if _, err := w.AddTask(ctx, sec, 2, ps.plan.Version, 0, nil, doc.Task{Content: "Việc mới"}); !errors.As(err, &ve) {
		t.Errorf("no lead: %v", err)
	}
	if ps.updates != n {
		t.Error("refused tasks were stored")
	}
	tc, err := w.AddTask(ctx, sec, 2, ps.plan.Version, 0, new(int), doc.Task{Content: "Việc mới\r\nhai dòng", Lead: []string{"Sở Nội vụ"}})
	if err != nil || tc.Position != 0 || ps.plan.Doc.Appendices[0].Tasks[0].Content != "Việc mới\nhai dòng" {
		t.Errorf("add at the top: %v %+v", err, tc.TaskAt)
	}
	if _, err := w.ReorderTasks(ctx, sec, 2, ps.plan.Version, 0, []int64{first}); !errors.As(err, &ve) || ve.Fields[0].Field != "order" {
		t.Errorf("an order listing one task: %v", err)
	}
}

func TestFirstAppendix(t *testing.T) {
	for title, want := range map[string]string{
		"Kế hoạch chuyển đổi số năm 2024":  "Các nhiệm vụ triển khai thực hiện Kế hoạch chuyển đổi số năm 2024",
		"Tuyên truyền cải cách hành chính": "Các nhiệm vụ triển khai thực hiện Kế hoạch Tuyên truyền cải cách hành chính",
	} {
		if got := FirstAppendix(&doc.Document{Kind: "KH", Title: title}).Title; got != want {
			t.Errorf("%q: %q", title, got)
		}
	}
}

// peopleStore answers the people workflows.
type peopleStore struct {
	fakeStore
	disabled map[string]bool
	password map[string]string
}

func (f *peopleStore) SetDisabled(_ context.Context, u string, d bool) error {
	f.disabled[u] = d
	return nil
}
func (f *peopleStore) SetPassword(_ context.Context, u, p string) error {
	f.password[u] = p
	return nil
}
func (f *peopleStore) Authenticate(_ context.Context, u, p string) (domain.User, error) {
	if f.password[u] != p {
		return domain.User{}, domain.ErrBadCredentials
	}
	return domain.User{Username: u}, nil
}

func TestPeopleWorkflows(t *testing.T) {
	w, _ := service(t)
	ps := &peopleStore{disabled: map[string]bool{}, password: map[string]string{"hoa": "mật khẩu cũ 2024"}}
	w.Store = ps
	ctx := context.Background()
	admin := Actor{Kind: ActorUser, Username: "quantri", Role: RoleAdmin}
	if err := w.SetDisabled(ctx, Actor{Kind: ActorUser, Username: "hoa", Role: RoleSecretariat}, "lan", true); !errors.As(err, new(*ForbiddenError)) {
		t.Errorf("a secretariat disables a user: %v", err)
	}
	if err := w.SetDisabled(ctx, admin, "quantri", true); err == nil || ps.disabled["quantri"] {
		t.Errorf("an administrator disables itself: %v", err)
	}
	if err := w.SetDisabled(ctx, CLI, "quantri", true); err != nil || !ps.disabled["quantri"] {
		t.Errorf("the command line disables an administrator: %v", err)
	}
	hoa := Actor{Kind: ActorUser, Username: "hoa", Role: RoleSecretariat}
	var ve *doc.ValidationError
	if err := w.ChangeOwnPassword(ctx, hoa, "sai", "mật khẩu mới 2024", "mật khẩu mới 2024"); !errors.As(err, &ve) || ve.Fields[0].Field != "current" {
		t.Errorf("a wrong current password: %v", err)
	}
	if err := w.ChangeOwnPassword(ctx, hoa, "mật khẩu cũ 2024", "mật khẩu mới 2024", "khác"); !errors.As(err, &ve) || ve.Fields[0].Field != "again" {
		t.Errorf("two different new passwords: %v", err)
	}
	if err := w.ChangeOwnPassword(ctx, Actor{Kind: ActorKey, Role: RoleSecretariat}, "", "x", "x"); err == nil {
		t.Error("a key changes a password")
	}
	if err := w.ChangeOwnPassword(ctx, hoa, "mật khẩu cũ 2024", "mật khẩu mới 2024", "mật khẩu mới 2024"); err != nil || ps.password["hoa"] != "mật khẩu mới 2024" {
		t.Errorf("change: %v", err)
	}
}
