package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/period"
	"baocao/reports/sample"
)

// TestReadsBesideAWrite: while a write transaction is open (on SQLite it
// holds the one writer connection and the write lock), plans, lists,
// reports, their frozen files, exports, sessions, keys and the readiness
// ping are all read, on both databases.
func TestReadsBesideAWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(3))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveDraft(ctx, p.ID, "2024-Q1", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: "2024-Q1", Version: 1, AgencyID: p.AgencyID, Kind: "BC",
			Date:   time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
			Render: func(int) ([]byte, []byte, error) { return []byte("pdf"), []byte("xlsx"), nil }}); err != nil {
			t.Fatal(err)
		}
		u, err := s.CreateUser(ctx, store.UserInput{Username: "kiemtra", Role: "auditor", Password: "một mật khẩu dài"})
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := s.CreateSession(ctx, u.ID, "127.0.0.1", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := s.CreateKey(ctx, store.KeyInput{Name: "k", Scope: "auditor"})
		if err != nil {
			t.Fatal(err)
		}

		release, err := store.HoldWrite(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		check := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Errorf("%s while a write is in progress: %v", what, err)
			}
		}
		check("ping", s.Ping(rctx))
		_, err = s.GetSession(rctx, tok)
		check("session", err)
		_, _, err = s.KeyByToken(rctx, secret)
		check("key", err)
		_, err = s.GetPlan(rctx, p.ID)
		check("plan", err)
		_, _, err = s.ListPlans(rctx, store.PlanFilter{Limit: 10})
		check("plan list", err)
		_, err = s.GetReport(rctx, p.ID, "2024-Q1")
		check("report", err)
		_, err = s.ReportFile(rctx, p.ID, "2024-Q1", "pdf")
		check("frozen file", err)
		q1, _ := period.Parse("2024-Q1")
		_, err = s.PeriodLock(rctx, p.ID, q1)
		check("period lock", err)
		for _, err := range s.ExportRows(rctx, store.ExportFilter{}) {
			check("export", err)
		}
		_, _, err = s.AuditLog(rctx, store.AuditFilter{Limit: 10})
		check("audit log", err)
		if t.Failed() {
			return
		}
		// Writes wait for the writer (SQLite) and go on once it is free.
		if s.Embedded() {
			wctx, wcancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer wcancel()
			if _, err := s.SaveDraft(wctx, p.ID, "2024-Q2", "", "{}", 0); err == nil {
				t.Error("a second write ran beside the writer")
			}
		}
		release()
		if _, err := s.SaveDraft(ctx, p.ID, "2024-Q2", "", "{}", 0); err != nil {
			t.Errorf("write after the writer is free: %v", err)
		}
	})
}

// TestIssueRendersOutsideTheWriter: while an issue renders, the writer is
// free (other writes go on, another numbering's issue completes), an
// issue in the same numbering waits for it, and an edit of the draft made
// during the render makes the issue stale without using its number.
func TestIssueRendersOutsideTheWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(2))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3"} {
			if _, err := s.SaveDraft(ctx, p.ID, q, "", "{}", 0); err != nil {
				t.Fatal(err)
			}
		}
		files := func(n int) ([]byte, []byte, error) {
			return []byte(fmt.Sprintf("pdf %d", n)), []byte(fmt.Sprintf("xlsx %d", n)), nil
		}
		req := func(q string, year int, render func(int) ([]byte, []byte, error)) store.IssueRequest {
			return store.IssueRequest{PlanID: p.ID, Period: q, Version: 1, AgencyID: p.AgencyID, Kind: "BC",
				Date: time.Date(year, 4, 1, 0, 0, 0, 0, time.UTC), Render: render}
		}
		inRender, finish := make(chan int), make(chan struct{})
		type result struct {
			r   store.Report
			err error
		}
		first := make(chan result)
		go func() {
			r, err := s.Issue(ctx, req("2024-Q1", 2024, func(n int) ([]byte, []byte, error) {
				inRender <- n
				<-finish
				return files(n)
			}))
			first <- result{r, err}
		}()
		if n := <-inRender; n != 1 {
			t.Fatalf("first number %d", n)
		}
		// The writer is free: a write, and an issue in another numbering
		// (another year) complete during the render.
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := s.SaveDraft(wctx, p.ID, "2025-Q1", "", "{}", 0); err != nil {
			t.Fatalf("a write during a render: %v", err)
		}
		if r, err := s.Issue(wctx, store.IssueRequest{PlanID: p.ID, Period: "2025-Q1", Version: 1, AgencyID: p.AgencyID, Kind: "BC",
			Date: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Render: files}); err != nil || r.Number != 1 {
			t.Fatalf("an issue in another numbering during a render: %+v %v", r, err)
		}
		// The same numbering waits.
		var secondRendered atomic.Bool
		second := make(chan result)
		go func() {
			r, err := s.Issue(ctx, req("2024-Q2", 2024, func(n int) ([]byte, []byte, error) {
				secondRendered.Store(true)
				return files(n)
			}))
			second <- result{r, err}
		}()
		time.Sleep(200 * time.Millisecond)
		if secondRendered.Load() {
			t.Fatal("two issues of one numbering rendered at once")
		}
		close(finish)
		if r := <-first; r.err != nil || r.r.Number != 1 {
			t.Fatalf("first issue %+v %v", r.r, r.err)
		}
		if r := <-second; r.err != nil || r.r.Number != 2 {
			t.Fatalf("second issue %+v %v", r.r, r.err)
		}
		// An edit during the render: stale, and the number stays free.
		edited := make(chan struct{})
		_, err = s.Issue(ctx, req("2024-Q3", 2024, func(n int) ([]byte, []byte, error) {
			if n != 3 {
				t.Errorf("number %d, want 3", n)
			}
			if _, err := s.SaveDraft(ctx, p.ID, "2024-Q3", "sửa", "{}", 1); err != nil {
				t.Errorf("edit during the render: %v", err)
			}
			close(edited)
			return files(n)
		}))
		<-edited
		if !errors.Is(err, store.ErrStale) {
			t.Fatalf("issue of a draft edited during its render: %v", err)
		}
		r, err := s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: "2024-Q3", Version: 2, AgencyID: p.AgencyID, Kind: "BC",
			Date: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Render: files})
		if err != nil || r.Number != 3 {
			t.Fatalf("issue after the edit: %+v %v", r, err)
		}
		if data, _ := s.ReportFile(ctx, p.ID, "2024-Q3", "pdf"); string(data) != "pdf 3" {
			t.Errorf("frozen file %q", data)
		}
	})
}

// TestIssueNumbersWithFailures: concurrent issues, one in three failing
// its render, in two stores on one database (two processes): the issued
// ones get 1…N with no gap and no duplicate, the failed ones use none and
// stay drafts.
func TestIssueNumbersWithFailures(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			cfg := storetest.SQLiteConfig(t)
			if db == "postgres" {
				cfg = storetest.PostgresConfig(t)
			}
			a, b := storetest.Open(t, cfg), storetest.Open(t, cfg)
			ctx := context.Background()
			var plans []store.Plan
			for i := 0; i < 6; i++ {
				p, err := a.CreatePlan(ctx, sample.Plan(2))
				if err != nil {
					t.Fatal(err)
				}
				plans = append(plans, p)
				for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"} {
					if _, err := a.SaveDraft(ctx, p.ID, q, "", "{}", 0); err != nil {
						t.Fatal(err)
					}
				}
			}
			var (
				mu      sync.Mutex
				numbers []int
				failed  int
				wg      sync.WaitGroup
			)
			i := 0
			for _, p := range plans {
				for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"} {
					st, fail := a, i%3 == 1
					if i%2 == 1 {
						st = b
					}
					i++
					wg.Add(1)
					go func() {
						defer wg.Done()
						r, err := st.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: q, Version: 1, AgencyID: p.AgencyID, Kind: "BC",
							Date: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC),
							Render: func(n int) ([]byte, []byte, error) {
								time.Sleep(2 * time.Millisecond)
								if fail {
									return nil, nil, errors.New("render failed")
								}
								return []byte(fmt.Sprint(n)), []byte(fmt.Sprint(n)), nil
							}})
						mu.Lock()
						defer mu.Unlock()
						if fail {
							if err == nil {
								t.Errorf("a failed render issued %d %s", p.ID, q)
							}
							failed++
							return
						}
						if err != nil {
							t.Errorf("issue %d %s: %v", p.ID, q, err)
							return
						}
						numbers = append(numbers, r.Number)
					}()
				}
			}
			wg.Wait()
			sort.Ints(numbers)
			if len(numbers) != 24-failed {
				t.Fatalf("%d issued, %d failed", len(numbers), failed)
			}
			for i, n := range numbers {
				if n != i+1 {
					t.Fatalf("numbers %v: want 1…%d without gaps or duplicates", numbers, len(numbers))
				}
			}
			// The failed ones are drafts still; the next issue takes the next number.
			r, err := a.Issue(ctx, store.IssueRequest{PlanID: plans[0].ID, Period: "2024-Q2", Version: 1, AgencyID: plans[0].AgencyID, Kind: "BC",
				Date: time.Date(2024, 12, 2, 0, 0, 0, 0, time.UTC), Render: func(int) ([]byte, []byte, error) { return []byte("a"), []byte("b"), nil }})
			if err != nil || r.Number != len(numbers)+1 {
				t.Errorf("issue after the failures: %+v %v", r, err)
			}
		})
	}
}

// TestPoolsSizedAndWarm: the pools take their sizes from the
// configuration, and PostgreSQL keeps as many idle connections as it may
// open (Go's default of 2 made a busy pool reopen sessions all the time).
func TestPoolsSizedAndWarm(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		cfg := storetest.SQLiteConfig(t)
		cfg.Readers = 3
		s := storetest.Open(t, cfg)
		if ps := s.Stats(); ps.Writer.MaxOpenConnections != 1 || ps.Readers.MaxOpenConnections != 3 {
			t.Errorf("pools %+v", ps)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		cfg := storetest.PostgresConfig(t)
		cfg.MaxOpenConns = 7
		s := storetest.Open(t, cfg)
		ctx := context.Background()
		var wg sync.WaitGroup
		for i := 0; i < 7; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Exec(ctx, "SELECT pg_sleep(0.2)"); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		ps := s.Stats()
		if ps.Writer.MaxOpenConnections != 7 || ps.Writer.Idle != 7 || ps.Writer.MaxIdleClosed != 0 {
			t.Errorf("pool after 7 at once: %+v", ps.Writer)
		}
	})
}
