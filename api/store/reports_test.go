package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/sample"
)

// TestIssueNumbers: many reports issued at once get the numbers 1…N of
// their agency, kind and year, with no duplicate and no gap; a render
// that fails uses no number; an issued report is frozen.
func TestIssueNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 48
		var plans []store.Plan
		for i := 0; i < n/4; i++ {
			p, err := s.CreatePlan(ctx, sample.Plan(2))
			if err != nil {
				t.Fatal(err)
			}
			plans = append(plans, p)
			for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"} {
				if _, err := s.SaveDraft(ctx, p.ID, q, "", "{}", 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		issue := func(p store.Plan, period string, fail bool) (store.Report, error) {
			return s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: period, Version: 1, AgencyID: p.AgencyID, Kind: "BC",
				Date: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
				Render: func(number int) ([]byte, []byte, error) {
					if fail {
						return nil, nil, errors.New("render failed")
					}
					return []byte(fmt.Sprintf("pdf %d", number)), []byte(fmt.Sprintf("xlsx %d", number)), nil
				}})
		}
		// A failed render first: it must not consume a number.
		if _, err := issue(plans[0], "2024-Q1", true); err == nil {
			t.Fatal("a failed render issued the report")
		}
		var mu sync.Mutex
		var numbers []int
		var wg sync.WaitGroup
		for _, p := range plans {
			for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"} {
				wg.Add(1)
				go func(p store.Plan, q string) {
					defer wg.Done()
					r, err := issue(p, q, false)
					if err != nil {
						t.Errorf("issue %d %s: %v", p.ID, q, err)
						return
					}
					mu.Lock()
					numbers = append(numbers, r.Number)
					mu.Unlock()
				}(p, q)
			}
		}
		wg.Wait()
		sort.Ints(numbers)
		for i, num := range numbers {
			if num != i+1 {
				t.Fatalf("numbers %v: want 1…%d without gaps or duplicates", numbers, n)
			}
		}
		// Frozen: the bytes stay, edits and a second issue are refused.
		r, _ := s.GetReport(ctx, plans[0].ID, "2024-Q1")
		data, err := s.ReportFile(ctx, plans[0].ID, "2024-Q1", "pdf")
		if err != nil || string(data) != fmt.Sprintf("pdf %d", r.Number) || r.PDFSHA256 == "" {
			t.Errorf("frozen file %q %v", data, err)
		}
		if _, err := s.SaveDraft(ctx, plans[0].ID, "2024-Q1", "x", "{}", r.Version); !errors.Is(err, store.ErrIssued) {
			t.Errorf("edit of an issued report: %v", err)
		}
		if _, err := issue(plans[0], "2024-Q1", false); !errors.Is(err, store.ErrIssued) {
			t.Errorf("second issue: %v", err)
		}
		// A new year starts again at 01.
		p := plans[0]
		if _, err := s.SaveDraft(ctx, p.ID, "2025-Q1", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		r2, err := s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: "2025-Q1", Version: 1, AgencyID: p.AgencyID, Kind: "BC",
			Date: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Render: func(int) ([]byte, []byte, error) { return []byte("a"), []byte("b"), nil }})
		if err != nil || r2.Number != 1 {
			t.Errorf("first number of 2025: %d %v", r2.Number, err)
		}
	})
}
