package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"baocao/api/store"
	"baocao/api/store/storetest"
)

// countArgs is a test job: its worker records each run.
type countArgs struct {
	N int `json:"n"`
}

func (countArgs) Kind() string { return "test_count" }

type countWorker struct {
	river.WorkerDefaults[countArgs]
	name string
	mu   *sync.Mutex
	runs map[int][]string
}

func (w *countWorker) Work(ctx context.Context, job *river.Job[countArgs]) error {
	w.mu.Lock()
	w.runs[job.Args.N] = append(w.runs[job.Args.N], w.name)
	w.mu.Unlock()
	return nil
}

// TestOnceAcrossInstances: jobs inserted by one instance, with two
// instances (two stores on one database, as two processes have) working
// the queue, each run exactly once.
func TestOnceAcrossInstances(t *testing.T) {
	cfgs := map[string]func(t testing.TB) store.Config{"sqlite": storetest.SQLiteConfig, "postgres": storetest.PostgresConfig}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			cfg := cfgs[name](t)
			var mu sync.Mutex
			runs := map[int][]string{}
			var services []*Service
			for _, inst := range []string{"a", "b"} {
				st := storetest.Open(t, cfg)
				services = append(services, newService(t, st, Config{ID: inst, extra: func(w *river.Workers) {
					river.AddWorker(w, &countWorker{name: inst, mu: &mu, runs: runs})
				}}))
			}
			const n = 40
			ctx := context.Background()
			for i := range n {
				if _, err := services[0].q.Insert(ctx, countArgs{N: i}, nil); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, "every job completed", func() bool {
				list, err := services[1].List(ctx, Filter{Kind: "test_count", State: "completed", Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				return len(list) == n
			})
			mu.Lock()
			defer mu.Unlock()
			by := map[string]int{}
			for i := range n {
				if len(runs[i]) != 1 {
					t.Errorf("job %d ran %d times (%v)", i, len(runs[i]), runs[i])
				}
				for _, who := range runs[i] {
					by[who]++
				}
			}
			t.Logf("runs by instance: %v", by)
		})
	}
}

// hangArgs is a job whose worker signals that it started, then never
// ends: the process is killed in the middle of it.
type hangArgs struct {
	Signal string `json:"signal"`
}

func (hangArgs) Kind() string { return "test_hang" }

type hangWorker struct {
	river.WorkerDefaults[hangArgs]
	ran chan int
}

func (w *hangWorker) Work(ctx context.Context, job *river.Job[hangArgs]) error {
	if job.Attempt == 1 {
		// The first attempt, in the child: say so and hang.
		_ = os.WriteFile(job.Args.Signal, []byte("started"), 0o644)
		select {}
	}
	w.ran <- job.Attempt
	return nil
}

// child is the worker process TestKilledWorker kills: it works the queue
// of the database named in its environment.
func child() int {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	cfg := store.Config{DatabaseURL: os.Getenv("BAOCAO_JOBS_TEST_URL"), SQLitePath: os.Getenv("BAOCAO_JOBS_TEST_DB")}
	st, err := store.Open(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s, err := New(ctx, st, Config{Work: true, ID: "child", PollInterval: 100 * time.Millisecond,
		extra: func(w *river.Workers) { river.AddWorker(w, &hangWorker{}) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := s.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	select {}
}

// TestKilledWorker: a process killed (SIGKILL) in the middle of a job
// leaves it to be taken again by another instance once it is overdue
// (RescueAfter), and run to the end there.
func TestKilledWorker(t *testing.T) {
	cfgs := map[string]func(t testing.TB) store.Config{"sqlite": storetest.SQLiteConfig, "postgres": storetest.PostgresConfig}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			cfg := cfgs[name](t)
			st := storetest.Open(t, cfg)
			ctx := context.Background()
			if err := Migrate(ctx, st); err != nil {
				t.Fatal(err)
			}
			signal := filepath.Join(t.TempDir(), "started")
			// The job is inserted before any worker runs.
			ins, err := New(ctx, st, Config{extra: func(w *river.Workers) { river.AddWorker(w, &hangWorker{}) }})
			if err != nil {
				t.Fatal(err)
			}
			defer ins.Close()
			res, err := ins.q.Insert(ctx, hangArgs{Signal: signal}, &river.InsertOpts{MaxAttempts: 3})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"=1", "BAOCAO_JOBS_TEST_URL="+cfg.DatabaseURL, "BAOCAO_JOBS_TEST_DB="+cfg.SQLitePath)
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			waitFor(t, "the child to start the job", func() bool { _, err := os.Stat(signal); return err == nil })
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			row, err := ins.q.JobGet(ctx, res.Job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if row.State != "running" || row.Attempt != 1 {
				t.Fatalf("after the kill: %s attempt %d", row.State, row.Attempt)
			}
			// Another instance takes the job once it has run for longer
			// than RescueAfter (its rescuer looks when it starts, then
			// every 30 s).
			waitFor(t, "the job to be overdue", func() bool { return time.Since(*row.AttemptedAt) > 1500*time.Millisecond })
			hw := &hangWorker{ran: make(chan int, 1)}
			s := newService(t, st, Config{ID: "rescuer", JobTimeout: 500 * time.Millisecond, RescueAfter: time.Second,
				extra: func(w *river.Workers) { river.AddWorker(w, hw) }})
			select {
			case attempt := <-hw.ran:
				if attempt != 2 {
					t.Errorf("rerun as attempt %d", attempt)
				}
			case <-time.After(90 * time.Second):
				t.Fatal("the job of the killed worker was not run again")
			}
			j := waitJob(t, s, res.Job.ID, "completed")
			if j.Attempt != 2 {
				t.Errorf("completed at attempt %d", j.Attempt)
			}
		})
	}
}

// TestCheckSchema: River's tables missing are a schema behind (serve
// refuses PostgreSQL then); migrated, they pass.
func TestCheckSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := CheckSchema(ctx, st); !errors.Is(err, store.ErrBehind) {
			t.Errorf("before River's migrations: %v", err)
		}
		if err := Migrate(ctx, st); err != nil {
			t.Fatal(err)
		}
		if err := Migrate(ctx, st); err != nil {
			t.Fatalf("migrating again: %v", err)
		}
		if err := CheckSchema(ctx, st); err != nil {
			t.Errorf("after: %v", err)
		}
	})
}
