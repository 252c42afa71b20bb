//go:build !renderonly

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"baocao/api/store"
	"baocao/fonts"
	"baocao/jobs"
)

// jobFlags configure the background jobs (README: "Background jobs"),
// shared by serve and worker.
type jobFlags struct {
	work                          *bool
	renderWorkers, attempts, port *int
	maxQueued                     *int
	resultTTL, backoff, before    *time.Duration
	baseURL, secret, allow        *string
	smtpHost, smtpTLS, smtpUser   *string
	from, notify, smtpCA          *string
}

func addJobFlags(fs *flag.FlagSet, ev *envReader, serve bool) jobFlags {
	f := jobFlags{
		renderWorkers: fs.Int("render-workers", int(ev.Int("BAOCAO_RENDER_WORKERS", 2)), "background renders at once (env BAOCAO_RENDER_WORKERS)"),
		maxQueued:     fs.Int("max-queued-renders", int(ev.Int("BAOCAO_MAX_QUEUED_RENDERS", 100)), "background renders waiting or running at once, all instances; more get 503 (env BAOCAO_MAX_QUEUED_RENDERS)"),
		resultTTL:     fs.Duration("result-ttl", ev.Duration("BAOCAO_RESULT_TTL", 24*time.Hour), "how long a background render's file is kept (env BAOCAO_RESULT_TTL)"),
		baseURL:       fs.String("base-url", env("BAOCAO_BASE_URL", ""), "the service's public address, for links in webhooks and e-mails (env BAOCAO_BASE_URL); default http://ADDR"),
		secret:        fs.String("webhook-secret", env("BAOCAO_WEBHOOK_SECRET", ""), "key of the webhooks' HMAC-SHA256 signature (env BAOCAO_WEBHOOK_SECRET); none: webhooks are refused"),
		allow:         fs.String("webhook-allow", env("BAOCAO_WEBHOOK_ALLOW", ""), "comma-separated CIDRs of non-public addresses webhooks may reach (env BAOCAO_WEBHOOK_ALLOW)"),
		attempts:      fs.Int("webhook-attempts", int(ev.Int("BAOCAO_WEBHOOK_ATTEMPTS", 8)), "tries of a webhook before it is given up (env BAOCAO_WEBHOOK_ATTEMPTS)"),
		backoff:       fs.Duration("webhook-backoff", ev.Duration("BAOCAO_WEBHOOK_BACKOFF", 30*time.Second), "first wait before a webhook is tried again, doubled each time up to 1h (env BAOCAO_WEBHOOK_BACKOFF)"),
		smtpHost:      fs.String("smtp-host", env("BAOCAO_SMTP_HOST", ""), "SMTP server for reminders and notices (env BAOCAO_SMTP_HOST); none: no e-mail"),
		port:          fs.Int("smtp-port", int(ev.Int("BAOCAO_SMTP_PORT", 0)), "SMTP port (env BAOCAO_SMTP_PORT); default 587, 465 with --smtp-tls tls, 25 with none"),
		smtpTLS:       fs.String("smtp-tls", env("BAOCAO_SMTP_TLS", "starttls"), "starttls (required), tls (SMTPS) or none (env BAOCAO_SMTP_TLS)"),
		smtpCA:        fs.String("smtp-ca", env("BAOCAO_SMTP_CA", ""), "PEM file of the authorities the SMTP server's certificate is checked against (env BAOCAO_SMTP_CA); default: the system's"),
		smtpUser:      fs.String("smtp-user", env("BAOCAO_SMTP_USER", ""), "SMTP user (env BAOCAO_SMTP_USER); the password only from the environment: BAOCAO_SMTP_PASSWORD"),
		from:          fs.String("mail-from", env("BAOCAO_MAIL_FROM", ""), "the sender, e.g. \"Văn phòng UBND tỉnh <baocao@laichau.gov.vn>\" (env BAOCAO_MAIL_FROM)"),
		notify:        fs.String("notify", env("BAOCAO_NOTIFY", ""), "comma-separated addresses told of the period's drafts besides the secretariat's accounts (env BAOCAO_NOTIFY)"),
		before:        fs.Duration("remind-before", ev.Duration("BAOCAO_REMIND_BEFORE", 72*time.Hour), "how long before a period's due date reporters are reminded (env BAOCAO_REMIND_BEFORE)"),
	}
	if serve {
		f.work = fs.Bool("workers", ev.Bool("BAOCAO_WORKERS", true), "work background jobs in this process (env BAOCAO_WORKERS); false: only enqueue them, for \"baocao worker\"")
	}
	return f
}

// config checks the flags and makes the jobs' configuration; the base
// URL defaults to the listen address (https with tls).
func (f jobFlags) config(addr string, tls bool) (jobs.Config, error) {
	c := jobs.Config{Work: f.work == nil || *f.work, RenderWorkers: *f.renderWorkers, ResultTTL: *f.resultTTL, MaxQueued: *f.maxQueued,
		BaseURL: strings.TrimRight(*f.baseURL, "/"), WebhookSecret: *f.secret, WebhookAttempts: *f.attempts, WebhookBackoff: *f.backoff,
		RemindBefore: *f.before,
		Mail: jobs.MailConfig{Host: *f.smtpHost, Port: *f.port, TLS: *f.smtpTLS, Username: *f.smtpUser,
			Password: os.Getenv("BAOCAO_SMTP_PASSWORD"), From: *f.from}}
	switch {
	case c.BaseURL != "":
	case tls:
		c.BaseURL = "https://" + addr
	default:
		c.BaseURL = "http://" + addr
	}
	if *f.renderWorkers <= 0 || *f.maxQueued <= 0 || *f.resultTTL <= 0 || *f.attempts <= 0 || *f.backoff <= 0 || *f.before <= 0 || *f.port < 0 {
		return c, usageError{"--render-workers, --max-queued-renders, --result-ttl, --webhook-attempts, --webhook-backoff and --remind-before must be positive"}
	}
	for _, p := range strings.Split(*f.allow, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			return c, usageError{fmt.Sprintf("--webhook-allow: %q is not a CIDR such as 10.0.0.0/8", p)}
		}
		c.WebhookAllow = append(c.WebhookAllow, pre.Masked())
	}
	for _, a := range strings.Split(*f.notify, ",") {
		if a = strings.TrimSpace(a); a != "" {
			if err := store.ValidEmail(a); err != nil {
				return c, usageError{fmt.Sprintf("--notify: %q %v", a, err)}
			}
			c.NotifyTo = append(c.NotifyTo, a)
		}
	}
	if *f.smtpCA != "" {
		pool, err := jobs.LoadCAs(*f.smtpCA)
		if err != nil {
			return c, usageError{"--smtp-ca: " + err.Error()}
		}
		c.Mail.RootCAs = pool
	}
	if err := jobs.CheckMail(c.Mail); err != nil {
		return c, usageError{"--smtp-…: " + err.Error()}
	}
	return c, nil
}

// startJobs makes the job service over st and starts its workers; stop
// stops them (jobs in progress get 30 s to finish) and closes it.
func startJobs(ctx context.Context, st *store.Store, cfg jobs.Config, fam *fonts.Family, tplDir string) (svc *jobs.Service, stop func(), err error) {
	cfg.Fonts, cfg.TemplatesDir = fam, tplDir
	if svc, err = jobs.New(ctx, st, cfg); err != nil {
		return nil, nil, err
	}
	if err := svc.Start(ctx); err != nil {
		svc.Close()
		return nil, nil, err
	}
	return svc, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.Stop(sctx); err != nil {
			slog.Warn("stopping the background workers", "error", err)
		}
		svc.Close()
	}, nil
}

// prepareSchema migrates the embedded database, or any when told to
// (serve --migrate) — baocao's tables, then River's — and else refuses a
// PostgreSQL schema that is behind.
func prepareSchema(ctx context.Context, st *store.Store, migrate bool) error {
	if st.Embedded() || migrate {
		if err := st.Migrate(ctx); err != nil {
			return err
		}
	} else if err := st.CheckSchema(ctx); err != nil {
		return behind(err)
	}
	return riverSchema(ctx, st, migrate)
}

// riverSchema applies River's migrations (after baocao's) to the embedded
// database, or when told to migrate (serve --migrate), and else refuses
// PostgreSQL tables of River's that are behind.
func riverSchema(ctx context.Context, st *store.Store, migrate bool) error {
	if st.Embedded() || migrate {
		return jobs.Migrate(ctx, st)
	}
	return behind(jobs.CheckSchema(ctx, st))
}

func behind(err error) error {
	if errors.Is(err, store.ErrBehind) {
		return fmt.Errorf("%w; run \"baocao migrate\" (with the same DATABASE_URL) first", err)
	}
	return err
}

// cmdWorker works the background jobs without serving HTTP: beside
// instances started with --workers=false, or to add workers.
func cmdWorker(args []string, stderr io.Writer) error {
	ev := &envReader{}
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := addDBFlags(fs)
	jf := addJobFlags(fs, ev, false)
	fontDir := fs.String("fonts", env("BAOCAO_FONTS", ""), "directory with another TrueType family (env BAOCAO_FONTS)")
	tplDir := fs.String("templates", env("BAOCAO_TEMPLATES", ""), "directory overriding the document templates (env BAOCAO_TEMPLATES)")
	metricsAddr := fs.String("metrics-addr", env("BAOCAO_METRICS_ADDR", ""), "serve the jobs' Prometheus metrics on this address at /metrics (env BAOCAO_METRICS_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(ev.errs) > 0 {
		return usageError{"worker: " + strings.Join(ev.errs, "; ")}
	}
	cfg, err := jf.config("127.0.0.1:8080", false)
	if err != nil {
		return usageError{"worker: " + err.Error()}
	}
	var fam *fonts.Family
	if *fontDir != "" {
		if fam, err = fonts.LoadDir(*fontDir); err != nil {
			return err
		}
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	st, err := db.open()
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	if err := prepareSchema(ctx, st, false); err != nil {
		return err
	}
	svc, stop, err := startJobs(ctx, st, cfg, fam, *tplDir)
	if err != nil {
		return err
	}
	defer stop()
	if *metricsAddr != "" {
		reg := prometheus.NewRegistry()
		reg.MustRegister(svc.Metrics())
		ln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		slog.Info("metrics listening", "addr", "http://"+ln.Addr().String()+"/metrics")
	}
	<-ctx.Done()
	slog.Info("stopping: finishing the jobs in progress")
	return nil
}
