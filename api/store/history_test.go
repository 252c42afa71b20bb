package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/doc"
	"baocao/reports/export"
	"baocao/reports/sample"
)

// twoAppendices is a sample plan of six tasks in two appendices.
func twoAppendices() *doc.Document {
	d := sample.Plan(6)
	a := d.Appendices[0]
	second := doc.Appendix{Title: "Phụ lục II", Columns: a.Columns, Tasks: append([]doc.Task(nil), a.Tasks[3:]...)}
	d.Appendices[0].Tasks = a.Tasks[:3]
	d.Appendices = append(d.Appendices, second)
	return d
}

func taskIDs(d *doc.Document) []int64 {
	var ids []int64
	for _, a := range d.Appendices {
		for _, t := range a.Tasks {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// TestArchiveTasks: a task with progress is never deleted. Left out of a
// plan update, it refuses the update (naming it) unless archiving is
// asked for; archived, it leaves the plan, its leads and new submissions,
// but its submissions stay, exported and marked, and the appendices it
// stood in may go. A plan with progress is not deleted; the database
// itself refuses to delete a task with progress.
func TestArchiveTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, twoAppendices())
		if err != nil {
			t.Fatal(err)
		}
		reported := p.Doc.Appendices[1].Tasks[1] // appendix 1, STT 2
		for _, period := range []string{"2024-Q1", "2024-Q2"} {
			if _, err := submit(t, s, p, reported.ID, period, reported.Lead[0], time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		// The fixture sent again, without ids: refused, naming the task.
		_, err = s.UpdatePlan(ctx, p.ID, p.Version, twoAppendices())
		var pe *store.ProgressError
		if !errors.As(err, &pe) || !errors.Is(err, store.ErrHasProgress) {
			t.Fatalf("update without ids: %v", err)
		}
		if len(pe.Tasks) != 1 || pe.Tasks[0].ID != reported.ID || pe.Tasks[0].Appendix != 1 || pe.Tasks[0].Number != 2 || pe.Tasks[0].Submissions != 2 {
			t.Errorf("refusal names %+v", pe.Tasks)
		}
		same, err := s.GetPlan(ctx, p.ID)
		if err != nil || same.Version != p.Version || fmt.Sprint(taskIDs(same.Doc)) != fmt.Sprint(taskIDs(p.Doc)) {
			t.Fatalf("a refused update changed the plan: %v %v", taskIDs(same.Doc), err)
		}

		// A task without progress left out is deleted as before.
		d := same.Doc
		gone := d.Appendices[0].Tasks[0].ID
		d.Appendices[0].Tasks = d.Appendices[0].Tasks[1:]
		p, err = s.UpdatePlan(ctx, p.ID, same.Version, d)
		if err != nil {
			t.Fatal(err)
		}

		// Archived: the task's appendix is dropped altogether, the rest
		// is sent without ids.
		d = twoAppendices()
		d.Appendices = d.Appendices[:1]
		p2, archived, err := s.UpdatePlanWith(ctx, p.ID, p.Version, d, store.UpdateOptions{ArchiveTasks: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(archived) != 1 || archived[0].ID != reported.ID {
			t.Errorf("archived %+v", archived)
		}
		if len(p2.Doc.Appendices) != 1 || len(p2.Doc.Appendices[0].Tasks) != 3 {
			t.Fatalf("plan after archiving: %d appendices", len(p2.Doc.Appendices))
		}
		for _, id := range taskIDs(p2.Doc) {
			if id == reported.ID || id == gone {
				t.Errorf("task %d still in the plan", id)
			}
		}
		subs, err := s.Submissions(ctx, p.ID)
		if err != nil || len(subs) != 2 || subs[0].TaskID != reported.ID {
			t.Fatalf("submissions of the archived task: %+v %v", subs, err)
		}
		leads, err := s.LeadAgencies(ctx, p.ID)
		if err != nil || leads[reported.ID] != nil {
			t.Errorf("lead agencies of an archived task: %v %v", leads[reported.ID], err)
		}
		if _, err := submit(t, s, p2, reported.ID, "2024-Q3", reported.Lead[0], time.Now()); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "not a task of plan") {
			t.Errorf("submission on an archived task: %v", err)
		}
		withOld := p2.Doc
		withOld.Appendices[0].Tasks = append(withOld.Appendices[0].Tasks, reported)
		if _, err := s.UpdatePlan(ctx, p.ID, p2.Version, withOld); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("an archived task's id in an update: %v", err)
		}
		list, _, err := s.ListPlans(ctx, store.PlanFilter{Limit: 10})
		if err != nil || list[0].Tasks != 3 {
			t.Errorf("task count %+v %v", list, err)
		}
		var rows []export.Row
		for r, err := range s.ExportRows(ctx, store.ExportFilter{PlanID: p.ID}) {
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		if len(rows) != 2 || rows[0].Task != "[Nhiệm vụ đã lưu trữ] "+reported.Content || rows[0].TaskNumber != 2 {
			t.Errorf("export of an archived task's submissions: %+v", rows)
		}
		// Further updates keep it archived, whatever the appendices do.
		d = twoAppendices()
		d.Appendices = nil
		p3, err := s.UpdatePlan(ctx, p.ID, p2.Version, d)
		if err != nil || len(p3.Doc.Appendices) != 0 {
			t.Fatalf("plan without appendices: %+v %v", p3.Doc.Appendices, err)
		}
		if subs, err := s.Submissions(ctx, p.ID); err != nil || len(subs) != 2 {
			t.Errorf("submissions after the appendices went: %d %v", len(subs), err)
		}

		// A plan with progress is not deleted, not even its archived tasks'.
		if err := s.DeletePlan(ctx, p.ID, p3.Version); !errors.Is(err, store.ErrHasProgress) {
			t.Errorf("delete a plan with progress: %v", err)
		}
		if err := s.Exec(ctx, fmt.Sprintf("DELETE FROM tasks WHERE id = %d", reported.ID)); err == nil {
			t.Error("the database deleted a task with progress")
		}
		if subs, err := s.Submissions(ctx, p.ID); err != nil || len(subs) != 2 {
			t.Errorf("submissions after the refusals: %d %v", len(subs), err)
		}
		// A plan without progress still goes.
		q, err := s.CreatePlan(ctx, sample.Plan(2))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePlan(ctx, q.ID, q.Version); err != nil {
			t.Errorf("delete a plan without progress: %v", err)
		}
	})
}

// TestConcurrentRevisions: 16 submissions at once for one task, agency
// and period all succeed, with revisions 1 to 16.
func TestConcurrentRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(2))
		if err != nil {
			t.Fatal(err)
		}
		task := p.Doc.Appendices[0].Tasks[0]
		const n = 16
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = submit(t, s, p, task.ID, "2024-Q2", task.Lead[0], time.Now())
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("submission %d: %v", i, err)
			}
		}
		subs, err := s.Submissions(ctx, p.ID, "2024-Q2")
		if err != nil {
			t.Fatal(err)
		}
		var revs []int
		for _, sb := range subs {
			revs = append(revs, sb.Revision)
		}
		sort.Ints(revs)
		if len(revs) != n || revs[0] != 1 || revs[n-1] != n {
			t.Fatalf("revisions %v", revs)
		}
		for i, r := range revs {
			if r != i+1 {
				t.Fatalf("revisions %v", revs)
			}
		}
	})
}

// TestHistoryMigrationDown: undoing migration 00008 keeps every
// submission and shows an archived task again, in a last appendix.
func TestHistoryMigrationDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, twoAppendices())
		if err != nil {
			t.Fatal(err)
		}
		task := p.Doc.Appendices[0].Tasks[0]
		if _, err := submit(t, s, p, task.ID, "2024-Q1", task.Lead[0], time.Now()); err != nil {
			t.Fatal(err)
		}
		d := p.Doc
		d.Appendices[0].Tasks = d.Appendices[0].Tasks[1:]
		if _, _, err := s.UpdatePlanWith(ctx, p.ID, p.Version, d, store.UpdateOptions{ArchiveTasks: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.MigrateDownTo(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		back, err := s.GetPlan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := back.Doc.Appendices[len(back.Doc.Appendices)-1]
		if len(back.Doc.Appendices) != 3 || last.Title != "Nhiệm vụ đã lưu trữ" || len(last.Tasks) != 1 || last.Tasks[0].ID != task.ID {
			t.Errorf("appendices after down and up: %d, last %q %+v", len(back.Doc.Appendices), last.Title, last.Tasks)
		}
		if subs, err := s.Submissions(ctx, p.ID); err != nil || len(subs) != 1 {
			t.Errorf("submissions after down and up: %d %v", len(subs), err)
		}
	})
}
