// Package demo loads the five seed plans and the recorded progress of the
// Lai Châu plan (embedded in the binary by the root package) into an empty
// database, so that a first start shows real data. A seed plan that spells
// an agency several ways has a file in testdata/agencies naming the
// agency and its aliases, declared before the plan is loaded, so that the
// spellings are one agency.
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
	"baocao/domain"
	"baocao/reports/agency"
	"baocao/reports/doc"
	"baocao/reports/progress"
)

// Load loads the seed plans and their recorded progress into an empty
// database; a database with any plan or agency is left alone.
func Load(ctx context.Context, st *store.Store) error {
	_, total, err := st.ListPlans(ctx, domain.PlanFilter{Limit: 1})
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
	aliases, err := readAgencies()
	if err != nil {
		return err
	}
	plans := map[string]domain.Plan{}
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
		key := strings.TrimSuffix(path.Base(n), ".json")
		if entries := aliases[key]; len(entries) > 0 {
			if err := st.DeclareAgencies(ctx, d.Agency, entries); err != nil {
				return fmt.Errorf("demo agencies of %s: %w", key, err)
			}
		}
		p, err := st.CreatePlan(ctx, d)
		if err != nil {
			return fmt.Errorf("demo plan %s: %w", n, err)
		}
		plans[key] = p
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

// AgencyFile names the agencies a seed plan spells several ways, with
// their aliases (testdata/agencies/*.json).
type AgencyFile struct {
	Plan     string         `json:"plan"`
	Agencies []agency.Entry `json:"agencies"`
}

// readAgencies reads the embedded agency files, by plan.
func readAgencies() (map[string][]agency.Entry, error) {
	files, err := fs.Glob(baocao.SeedPlans, "testdata/agencies/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string][]agency.Entry{}
	for _, n := range files {
		data, err := fs.ReadFile(baocao.SeedPlans, n)
		if err != nil {
			return nil, err
		}
		var f AgencyFile
		if err := doc.DecodeJSON(data, &f); err != nil {
			return nil, fmt.Errorf("demo agencies %s: %w", n, err)
		}
		if _, err := agency.NewDirectory(f.Agencies); err != nil {
			return nil, fmt.Errorf("demo agencies %s: %w", n, err)
		}
		out[f.Plan] = append(out[f.Plan], f.Agencies...)
	}
	return out, nil
}

// loadProgress stores a progress file's submissions with their
// recorded times.
func loadProgress(ctx context.Context, st *store.Store, plans map[string]domain.Plan, name string) error {
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
		in := domain.SubmitInput{TaskID: tasks[r.Task-1].ID, Report: r.Report}
		if _, err := st.SubmitAt(ctx, plan.ID, in, plan.Doc.ReportDueDay, r.SubmittedAt.UTC()); err != nil {
			return err
		}
	}
	slog.Info("demo progress loaded", "plan", plan.ID, "submissions", len(pf.Submissions))
	return nil
}
