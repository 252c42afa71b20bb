package server

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/sample"
)

// TestPostgresRestart: PostgreSQL restarts (a fast stop, which ends every
// session, then a start) while clients create plans. Every answer is a
// success or a 503 (unavailable with Retry-After, or stored), never a
// 500; /readyz says 503 while it is down; every plan answered as created
// or stored is in the database afterwards.
func TestPostgresRestart(t *testing.T) {
	cl := storetest.OwnCluster(t)
	st := cl.Store(t)
	c := newClient(t, st, Config{DBTimeout: 2 * time.Second})
	c.expect(c.do("GET", "/readyz", nil), 200)
	// The plans' agency exists before they are created at once.
	c.expect(c.do("POST", "/api/v1/plans", sample.Plan(2)), 201)

	var (
		mu      sync.Mutex
		stored  = map[string]bool{} // titles answered 201 or stored
		counts  = map[string]int{}
		stop    = make(chan struct{})
		wg      sync.WaitGroup
		problem []string
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				d := sample.Plan(2)
				d.Title = fmt.Sprintf("Kế hoạch thử %d-%d", w, i)
				r := c.do("POST", "/api/v1/plans", d)
				kind := fmt.Sprint(r.status)
				switch r.status {
				case 201:
				case 503:
					var p Problem
					r.json(t, &p)
					kind = p.Type[len(problemBase):]
					if p.Type == problemBase+"unavailable" && r.header.Get("Retry-After") == "" {
						mu.Lock()
						problem = append(problem, "503 without Retry-After")
						mu.Unlock()
					}
					if p.Type != problemBase+"unavailable" && p.Type != problemBase+"stored" {
						mu.Lock()
						problem = append(problem, fmt.Sprintf("503 %s", r.body))
						mu.Unlock()
					}
				default:
					mu.Lock()
					problem = append(problem, fmt.Sprintf("%d %s", r.status, r.body))
					mu.Unlock()
				}
				mu.Lock()
				counts[kind]++
				if r.status == 201 || kind == "stored" {
					stored[d.Title] = true
				}
				mu.Unlock()
				if r.status == 503 {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	if err := cl.Stop("fast"); err != nil {
		t.Fatal(err)
	}
	r := c.do("GET", "/readyz", nil)
	if r.status != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("readyz while down: %d %v", r.status, r.header)
	}
	time.Sleep(500 * time.Millisecond)
	if err := cl.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("answers: %v", counts)
	for _, p := range problem {
		t.Error(p)
	}
	if counts["unavailable"] == 0 {
		t.Error("no 503 while the database was down")
	}
	c.expect(c.do("GET", "/readyz", nil), 200)
	var list struct {
		Items []struct{ Title string }
		Total int
	}
	have := map[string]bool{}
	for page := 1; ; page++ {
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans?per_page=100&page=%d", page), nil), 200).json(t, &list)
		for _, it := range list.Items {
			have[it.Title] = true
		}
		if len(list.Items) < 100 {
			break
		}
	}
	for title := range stored {
		if !have[title] {
			t.Errorf("%q was answered as stored but is not in the database", title)
		}
	}
	if extra := len(have) - 1 - len(stored); extra != 0 {
		t.Logf("%d plan(s) stored whose answer said otherwise (the commit's acknowledgement lost in the restart)", extra)
	}
}

// TestFrozenDatabase: a table held by another session's ACCESS EXCLUSIVE
// lock (a database that does not answer): reads and writes that need it
// get 503 with Retry-After within the database timeout, not a request
// that hangs as long as the client waits; the lock gone, they succeed.
func TestFrozenDatabase(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	st, err := store.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	const timeout = 500 * time.Millisecond
	c := newClient(t, st, Config{DBTimeout: timeout})
	c.expect(c.do("GET", "/api/v1/agencies", nil), 200)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE agencies IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/agencies", nil},
		{"POST", "/api/v1/agencies", map[string]any{"name": "Sở Thử nghiệm"}},
	} {
		start := time.Now()
		r := c.do(req.method, req.path, req.body)
		took := time.Since(start)
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || r.problem(t).Type != problemBase+"unavailable" {
			t.Errorf("%s %s while locked: %d %v %s", req.method, req.path, r.status, r.header, r.body)
		}
		if took > timeout+5*time.Second {
			t.Errorf("%s %s answered after %v with a timeout of %v", req.method, req.path, took, timeout)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	c.expect(c.do("GET", "/api/v1/agencies", nil), 200)
	c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Thử nghiệm"}), 201)
}

// TestSQLiteLocked: another process holds the embedded database's write
// lock: a write waits at most the database timeout, then 503.
func TestSQLiteLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baocao.db")
	st, err := store.Open(store.Config{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, st, Config{DBTimeout: 300 * time.Millisecond})
	other, err := store.Open(store.Config{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// Its one connection stays inside the transaction, holding the lock.
	if err := other.Exec(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	r := c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Thử nghiệm"})
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("write while locked: %d %s", r.status, r.body)
	}
	if err := other.Exec(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Thử nghiệm"}), 201)
}
