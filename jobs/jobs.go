// Package jobs is baocao's background work on River
// (github.com/riverqueue/river): asynchronous renders with their webhooks,
// the reminders before and after a reporting period's due date, the
// period's draft reports and the secretariat's notice, and the periodic
// clean-up. Jobs live in the database (PostgreSQL through riverpgxv5, the
// embedded SQLite file through riversqlite), so that each runs once
// across every instance working the queue and survives a restart.
//
// The domain rules stay where they are: reports are drafted through
// workflow.Service, boards come from workflow (reports/progress), periods
// and due dates from reports/period. This package only decides when, and
// delivers (webhooks, e-mail).
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"baocao/api/store"
	"baocao/fonts"
	"baocao/reports/pdf"
	"baocao/workflow"
)

// Config holds the background work's settings (README: "Background
// jobs"). Zero values take the defaults.
type Config struct {
	// Work makes this process work jobs; false: it only enqueues them
	// (another process, "baocao worker", works them).
	Work bool
	// RenderWorkers is the number of renders run at once (default 2).
	RenderWorkers int
	// RenderTimeout bounds one background render (default 2 minutes).
	RenderTimeout time.Duration
	// ResultTTL is how long a rendered result can be downloaded
	// (default 24 hours).
	ResultTTL time.Duration
	// MaxQueued is the most renders waiting or running at once, across
	// instances (default 100); more are refused (ErrQueueFull).
	MaxQueued int
	// BaseURL is the service's public address, for the links in
	// webhooks and e-mails ("https://baocao.laichau.gov.vn"); default
	// "http://127.0.0.1:8080".
	BaseURL string

	// WebhookSecret signs webhook bodies (HMAC-SHA256); without it, a
	// render with a webhook is refused.
	WebhookSecret string
	// WebhookAllow are the non-public ranges webhooks may still reach
	// (an intranet receiver); by default only public addresses.
	WebhookAllow []netip.Prefix
	// WebhookAttempts is how often a delivery is tried before it is
	// given up (default 8); WebhookBackoff the first wait between two
	// tries, doubled each time up to an hour (default 30 s).
	WebhookAttempts int
	WebhookBackoff  time.Duration
	// WebhookTimeout bounds one delivery (default 10 s).
	WebhookTimeout time.Duration

	// Mail is the SMTP server reminders and notices are sent through;
	// without a host, none are sent (and the log says so).
	Mail MailConfig
	// RemindBefore is how long before a period's due date the reporters
	// are reminded (default 3 days).
	RemindBefore time.Duration
	// CatchUp is how long after its moment a reminder or a period's
	// draft is still done when no worker ran then (default 7 days): a
	// new installation does not mail about years past.
	CatchUp time.Duration
	// NotifyTo are addresses told about the period's drafts besides the
	// secretariat's accounts that have an e-mail address.
	NotifyTo []string
	// ScanInterval is how often due dates are looked at (default 1 hour);
	// CleanupInterval how often expired data is removed (default 1 hour).
	ScanInterval, CleanupInterval time.Duration
	// TempDir holds baocao's temporary files (default os.TempDir());
	// those older than TempMaxAge (default 24 hours) are removed.
	TempDir    string
	TempMaxAge time.Duration

	// PollInterval is how often an idle worker looks for jobs (default
	// 1 s; PostgreSQL also wakes workers at once through LISTEN/NOTIFY).
	PollInterval time.Duration
	// JobTimeout bounds any other job (default 5 minutes); a job running
	// for longer than RescueAfter (default JobTimeout + 5 minutes) is
	// taken for the work of a dead process and tried again.
	JobTimeout, RescueAfter time.Duration
	// Now is the clock deciding what is due; nil: time.Now.
	Now func() time.Time
	// ID names this process among River's clients (default host-pid).
	ID string
	// Fonts are the documents' type family (nil: the embedded one);
	// TemplatesDir overrides the report templates ("": the embedded ones).
	Fonts        *fonts.Family
	TemplatesDir string

	// extra registers more workers (tests).
	extra func(*river.Workers)
}

func (c *Config) defaults() {
	c.RenderWorkers = cmp.Or(c.RenderWorkers, 2)
	c.RenderTimeout = cmp.Or(c.RenderTimeout, 2*time.Minute)
	c.ResultTTL = cmp.Or(c.ResultTTL, 24*time.Hour)
	c.MaxQueued = cmp.Or(c.MaxQueued, 100)
	c.BaseURL = cmp.Or(c.BaseURL, "http://127.0.0.1:8080")
	c.WebhookAttempts = cmp.Or(c.WebhookAttempts, 8)
	c.WebhookBackoff = cmp.Or(c.WebhookBackoff, 30*time.Second)
	c.WebhookTimeout = cmp.Or(c.WebhookTimeout, 10*time.Second)
	c.RemindBefore = cmp.Or(c.RemindBefore, 3*24*time.Hour)
	c.CatchUp = cmp.Or(c.CatchUp, 7*24*time.Hour)
	c.ScanInterval = cmp.Or(c.ScanInterval, time.Hour)
	c.CleanupInterval = cmp.Or(c.CleanupInterval, time.Hour)
	c.TempDir = cmp.Or(c.TempDir, os.TempDir())
	c.TempMaxAge = cmp.Or(c.TempMaxAge, 24*time.Hour)
	c.PollInterval = cmp.Or(c.PollInterval, time.Second)
	c.JobTimeout = cmp.Or(c.JobTimeout, 5*time.Minute)
	c.RescueAfter = cmp.Or(c.RescueAfter, max(c.JobTimeout, c.RenderTimeout)+5*time.Minute)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ID == "" {
		host, _ := os.Hostname()
		c.ID = fmt.Sprintf("%s-%d", cmp.Or(host, "baocao"), os.Getpid())
	}
}

// queue is what baocao uses of a River client; *river.Client[pgx.Tx]
// and *river.Client[*sql.Tx] both are one.
type queue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Service runs and enqueues baocao's jobs.
type Service struct {
	cfg     Config
	st      *store.Store
	wf      *workflow.Service
	render  workflow.Renderers
	q       queue
	pool    *pgxpool.Pool // PostgreSQL only
	mail    Mailer
	metrics *Metrics
	log     *slog.Logger
	started bool
}

// backend is River's driver on the store's database.
type backend struct {
	pool     *pgxpool.Pool
	client   func(*river.Config) (queue, error)
	migrate  func(context.Context) error
	validate func(context.Context) error
}

func newBackend(ctx context.Context, st *store.Store) (*backend, error) {
	if url := st.DatabaseURL(); url != "" {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("jobs: connect to PostgreSQL: %w", err)
		}
		b := backendOf(riverpgxv5.New(pool))
		b.pool = pool
		return b, nil
	}
	// SQLite: River shares the store's one writing connection (see
	// store.Writer).
	return backendOf(riversqlite.New(st.Writer())), nil
}

func backendOf[TTx any](drv riverdriver.Driver[TTx]) *backend {
	migrator := func() (*rivermigrate.Migrator[TTx], error) {
		return rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	}
	return &backend{
		client: func(c *river.Config) (queue, error) { return river.NewClient(drv, c) },
		migrate: func(ctx context.Context) error {
			m, err := migrator()
			if err != nil {
				return err
			}
			res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
			if err != nil {
				return err
			}
			for _, v := range res.Versions {
				slog.Info("River migration applied", "version", v.Version, "name", v.Name)
			}
			return nil
		},
		validate: func(ctx context.Context) error {
			m, err := migrator()
			if err != nil {
				return err
			}
			res, err := m.Validate(ctx, nil)
			if err != nil {
				return err
			}
			if !res.OK {
				return fmt.Errorf("%w: River's tables: %v", store.ErrBehind, res.Messages)
			}
			return nil
		},
	}
}

func (b *backend) close() {
	if b.pool != nil {
		b.pool.Close()
	}
}

// Migrate applies River's own migrations (rivermigrate) to the store's
// database; "baocao migrate" runs it after baocao's.
func Migrate(ctx context.Context, st *store.Store) error {
	b, err := newBackend(ctx, st)
	if err != nil {
		return err
	}
	defer b.close()
	if b.pool != nil {
		// Several "baocao migrate" at once (instances upgraded together):
		// River's migrations one process at a time, under a session
		// advisory lock held on a connection of its own, which goes with
		// the connection should the process die.
		conn, err := b.pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("River migrations: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", riverMigrateLock); err != nil {
			return fmt.Errorf("River migrations: lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverMigrateLock)
	}
	if err := b.migrate(ctx); err != nil {
		return fmt.Errorf("River migrations: %w", err)
	}
	return nil
}

// riverMigrateLock is the advisory lock key of River's migrations
// ("baocao river" as bytes, beside goose's own key).
const riverMigrateLock int64 = 0x62616f63616f7276

// CheckSchema returns an error wrapping store.ErrBehind when River's
// tables are missing or behind.
func CheckSchema(ctx context.Context, st *store.Store) error {
	b, err := newBackend(ctx, st)
	if err != nil {
		return err
	}
	defer b.close()
	return b.validate(ctx)
}

// New makes the job service over st, with the workflows and renderers
// of its jobs; Start starts its workers (when cfg.Work). Close it when
// done.
func New(ctx context.Context, st *store.Store, cfg Config) (*Service, error) {
	cfg.defaults()
	wf, err := workflow.NewService(st, cfg.Fonts, cfg.TemplatesDir)
	if err != nil {
		return nil, err
	}
	wf.Now = cfg.Now
	b, err := newBackend(ctx, st)
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, st: st, pool: b.pool, metrics: newMetrics(st, b.pool), log: slog.Default().With("component", "jobs"),
		wf: wf, render: workflow.Renderers{PDF: pdf.New(wf.Fonts), Fonts: wf.Fonts}}
	s.mail = newSMTP(cfg.Mail)
	workers := river.NewWorkers()
	river.AddWorker(workers, &renderWorker{s: s})
	river.AddWorker(workers, &webhookWorker{s: s, client: webhookClient(cfg.WebhookAllow, cfg.WebhookTimeout)})
	river.AddWorker(workers, &worker[ScanArgs]{s: s, fn: func(ctx context.Context, _ ScanArgs) error { _, err := s.Scan(ctx); return err }})
	river.AddWorker(workers, &worker[RemindArgs]{s: s, fn: s.Remind})
	river.AddWorker(workers, &worker[PrepareArgs]{s: s, fn: s.Prepare})
	river.AddWorker(workers, &worker[CleanupArgs]{s: s, fn: func(ctx context.Context, _ CleanupArgs) error { _, err := s.Cleanup(ctx); return err }})
	if cfg.extra != nil {
		cfg.extra(workers)
	}
	rc := &river.Config{
		ID:                          cfg.ID,
		Workers:                     workers,
		Logger:                      slog.New(warnings{slog.Default().Handler()}).With("component", "river"),
		FetchPollInterval:           cfg.PollInterval,
		FetchCooldown:               min(cfg.PollInterval, river.FetchCooldownDefault),
		JobTimeout:                  cfg.JobTimeout,
		RescueStuckJobsAfter:        cfg.RescueAfter,
		CompletedJobRetentionPeriod: max(cfg.ResultTTL, 24*time.Hour),
		CancelledJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
	}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 4},
			queueRender:        {MaxWorkers: cfg.RenderWorkers},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.ScanInterval),
				func() (river.JobArgs, *river.InsertOpts) { return ScanArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cfg.CleanupInterval),
				func() (river.JobArgs, *river.InsertOpts) { return CleanupArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		}
	}
	q, err := b.client(rc)
	if err != nil {
		b.close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	s.q = q
	return s, nil
}

// Start starts working jobs (a no-op when the service only enqueues).
func (s *Service) Start(ctx context.Context) error {
	if !s.cfg.Work {
		return nil
	}
	if err := s.q.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start workers: %w", err)
	}
	s.started = true
	s.log.Info("background workers started", "id", s.cfg.ID, "render_workers", s.cfg.RenderWorkers)
	return nil
}

// Stop stops the workers, letting jobs in progress finish (until ctx
// ends; then they are cancelled and will be tried again).
func (s *Service) Stop(ctx context.Context) error {
	if !s.started {
		return nil
	}
	s.started = false
	if err := s.q.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: stop workers: %w", err)
	}
	return nil
}

// Close releases the connections of the service (after Stop).
func (s *Service) Close() {
	if s.pool != nil {
		s.pool.Close()
	}
}

// Metrics are the jobs' Prometheus collectors.
func (s *Service) Metrics() *Metrics { return s.metrics }

func (s *Service) now() time.Time { return s.cfg.Now() }

// outcome names how a job's attempt ended, for the metrics and the log.
func outcome(job *rivertype.JobRow, err error) string {
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return "completed"
	case errors.As(err, &cancel):
		return "cancelled"
	case job.Attempt >= job.MaxAttempts:
		return "discarded"
	}
	return "retried"
}

// worker runs fn for a job, counted and logged (see worked).
type worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	s  *Service
	fn func(context.Context, T) error
}

func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	start := time.Now()
	return w.s.worked(job.JobRow, start, w.fn(ctx, job.Args))
}

// worked counts and logs one attempt of a job.
func (s *Service) worked(job *rivertype.JobRow, start time.Time, err error) error {
	out := outcome(job, err)
	s.metrics.observe(job.Kind, out, time.Since(start))
	switch out {
	case "completed":
		s.log.Info("job done", "id", job.ID, "kind", job.Kind, "attempt", job.Attempt)
	case "retried":
		s.log.Warn("job failed, will be tried again", "id", job.ID, "kind", job.Kind, "attempt", job.Attempt, "error", err)
	default:
		s.log.Error("job given up", "id", job.ID, "kind", job.Kind, "attempt", job.Attempt, "outcome", out, "error", err)
	}
	return err
}

// warnings passes River's warnings and errors to the log, not its
// periodic information (queue counts every few seconds).
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(a []slog.Attr) slog.Handler { return warnings{w.Handler.WithAttrs(a)} }

func (w warnings) WithGroup(name string) slog.Handler { return warnings{w.Handler.WithGroup(name)} }
