// Package demo loads the five seed plans and the recorded progress of the
// Lai Châu plan (embedded in the binary by the root package) into an empty
// database, so that a first start shows real data.
package demo

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"

	"baocao"
	"baocao/api/store"
	"baocao/reports/doc"
	"baocao/reports/progress"
)

// Load loads the seed plans and their recorded progress into an empty
// database; a database with any plan or agency is left alone.
func Load(ctx context.Context, st *store.Store) error {
	_, total, err := st.ListPlans(ctx, store.PlanFilter{Limit: 1})
	if err != nil {
		return err
	}
	agencies, err := st.ListAgencies(ctx)
	if err != nil || total > 0 || len(agencies) > 0 {
		return err
	}
	names, err := fs.Glob(baocao.SeedPlans, "testdata/plans/*.json")
	if err != nil {
		return err
	}
	sort.Strings(names)
	plans := map[string]store.Plan{}
	for _, n := range names {
		f, err := baocao.SeedPlans.Open(n)
		if err != nil {
			return err
		}
		d, err := doc.Decode(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("demo plan %s: %w", n, err)
		}
		p, err := st.CreatePlan(ctx, d)
		if err != nil {
			return fmt.Errorf("demo plan %s: %w", n, err)
		}
		plans[strings.TrimSuffix(path.Base(n), ".json")] = p
		slog.Info("demo plan loaded", "id", p.ID, "title", d.Title)
	}
	progressFiles, err := fs.Glob(baocao.SeedPlans, "testdata/progress/*.json")
	if err != nil {
		return err
	}
	sort.Strings(progressFiles)
	for _, n := range progressFiles {
		if err := loadProgress(ctx, st, plans, n); err != nil {
			return fmt.Errorf("demo progress %s: %w", n, err)
		}
	}
	return nil
}

// loadDemoProgress stores a progress file's submissions with their
// recorded times.
func loadProgress(ctx context.Context, st *store.Store, plans map[string]store.Plan, name string) error {
	f, err := baocao.SeedPlans.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	pf, err := progress.ReadFile(f)
	if err != nil {
		return err
	}
	plan, ok := plans[pf.Plan]
	if !ok {
		return fmt.Errorf("no demo plan %q", pf.Plan)
	}
	if _, err := pf.Resolve(plan.Doc); err != nil {
		return err
	}
	var tasks []doc.Task
	for _, a := range plan.Doc.Appendices {
		tasks = append(tasks, a.Tasks...)
	}
	for _, r := range pf.Submissions {
		in := store.SubmitInput{TaskID: tasks[r.Task-1].ID, Report: r.Report}
		if _, err := st.SubmitAt(ctx, plan.ID, in, plan.Doc.ReportDueDay, r.SubmittedAt.UTC()); err != nil {
			return err
		}
	}
	slog.Info("demo progress loaded", "plan", plan.ID, "submissions", len(pf.Submissions))
	return nil
}
