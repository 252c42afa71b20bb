//go:build !renderonly

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"baocao/api/demo"
	"baocao/api/server"
	"baocao/api/store"
	"baocao/fonts"
	"baocao/jobs"
)

// dbFlags are the flags that choose the database, shared by serve and
// migrate.
type dbFlags struct{ url, path *string }

func addDBFlags(fs *flag.FlagSet) dbFlags {
	return dbFlags{
		url:  fs.String("database-url", env("DATABASE_URL", ""), "PostgreSQL URL (env DATABASE_URL); empty: the embedded SQLite database"),
		path: fs.String("db", env("BAOCAO_DB", "baocao.db"), "embedded SQLite database file (env BAOCAO_DB)"),
	}
}

func (f dbFlags) open() (*store.Store, error) {
	return store.Open(store.Config{DatabaseURL: *f.url, SQLitePath: *f.path})
}

// poolFlags size the connection pools of serve.
type poolFlags struct {
	maxOpen, maxIdle, readers *int
	lifetime, idleTime        *time.Duration
}

func addPoolFlags(fs *flag.FlagSet, ev *envReader) poolFlags {
	return poolFlags{
		maxOpen: fs.Int("db-max-open", int(ev.Int("BAOCAO_DB_MAX_OPEN", store.DefaultMaxOpenConns)),
			"PostgreSQL: most connections open at once (env BAOCAO_DB_MAX_OPEN)"),
		maxIdle: fs.Int("db-max-idle", int(ev.Int("BAOCAO_DB_MAX_IDLE", 0)),
			"PostgreSQL: idle connections kept (env BAOCAO_DB_MAX_IDLE); 0: as many as --db-max-open"),
		lifetime: fs.Duration("db-conn-max-lifetime", ev.Duration("BAOCAO_DB_CONN_MAX_LIFETIME", store.DefaultConnMaxLifetime),
			"PostgreSQL: a connection is replaced after this long (env BAOCAO_DB_CONN_MAX_LIFETIME)"),
		idleTime: fs.Duration("db-conn-max-idle-time", ev.Duration("BAOCAO_DB_CONN_MAX_IDLE_TIME", store.DefaultConnMaxIdleTime),
			"PostgreSQL: an idle connection is closed after this long (env BAOCAO_DB_CONN_MAX_IDLE_TIME)"),
		readers: fs.Int("db-readers", int(ev.Int("BAOCAO_DB_READERS", store.DefaultReaders)),
			"embedded SQLite: read-only connections beside the one writer (env BAOCAO_DB_READERS)"),
	}
}

// check refuses values that make no pool.
func (p poolFlags) check() error {
	if *p.maxOpen <= 0 || *p.maxIdle < 0 || *p.readers <= 0 || *p.lifetime <= 0 || *p.idleTime <= 0 {
		return usageError{"serve: --db-max-open, --db-readers, --db-conn-max-lifetime and --db-conn-max-idle-time must be positive, --db-max-idle not negative"}
	}
	if *p.maxIdle > *p.maxOpen {
		return usageError{"serve: --db-max-idle must not exceed --db-max-open"}
	}
	return nil
}

// openPool opens the database with the pools sized by p.
func (f dbFlags) openPool(p poolFlags) (*store.Store, error) {
	return store.Open(store.Config{DatabaseURL: *f.url, SQLitePath: *f.path, MaxOpenConns: *p.maxOpen, MaxIdleConns: *p.maxIdle,
		ConnMaxLifetime: *p.lifetime, ConnMaxIdleTime: *p.idleTime, Readers: *p.readers})
}

func cmdMigrate(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := addDBFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := db.open()
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, st); err != nil { // River's tables
		return err
	}
	fmt.Fprintln(stderr, "baocao: the database schema is up to date")
	return nil
}

func cmdServe(args []string, stderr io.Writer) error {
	ev := &envReader{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := addDBFlags(fs)
	addr := fs.String("addr", env("BAOCAO_ADDR", "127.0.0.1:8080"), "listen address (env BAOCAO_ADDR)")
	fontDir := fs.String("fonts", env("BAOCAO_FONTS", ""), "directory with another TrueType family (env BAOCAO_FONTS); default: embedded Liberation Serif")
	maxBody := fs.Int64("max-body-bytes", ev.Int("BAOCAO_MAX_BODY_BYTES", 8<<20), "largest request body in bytes (env BAOCAO_MAX_BODY_BYTES)")
	maxRenders := fs.Int("max-renders", int(ev.Int("BAOCAO_MAX_RENDERS", 4)), "documents rendered at once; more get 503 (env BAOCAO_MAX_RENDERS)")
	maxImports := fs.Int("max-imports", int(ev.Int("BAOCAO_MAX_IMPORTS", 2)), "XLSX imports read at once; more get 503 (env BAOCAO_MAX_IMPORTS)")
	timeout := fs.Duration("render-timeout", ev.Duration("BAOCAO_RENDER_TIMEOUT", 30*time.Second), "longest a render may take (env BAOCAO_RENDER_TIMEOUT)")
	dbTimeout := fs.Duration("db-timeout", ev.Duration("BAOCAO_DB_TIMEOUT", 5*time.Second), "longest a database call (a statement or a transaction) may take; then 503 (env BAOCAO_DB_TIMEOUT)")
	proxies := fs.String("trusted-proxies", env("BAOCAO_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (env BAOCAO_TRUSTED_PROXIES)")
	tplDir := fs.String("templates", env("BAOCAO_TEMPLATES", ""), "directory overriding the document templates (env BAOCAO_TEMPLATES); default: the embedded ones")
	withDemo := fs.Bool("demo", ev.Bool("BAOCAO_DEMO", true), "load the seed plans into an empty embedded database (env BAOCAO_DEMO)")
	secure := fs.Bool("secure-cookies", ev.Bool("BAOCAO_SECURE_COOKIES", false), "mark the session cookie Secure even over plain HTTP: TLS ends at a proxy in front (env BAOCAO_SECURE_COOKIES)")
	tlsCert := fs.String("tls-cert", env("BAOCAO_TLS_CERT", ""), "PEM certificate: serve HTTPS (env BAOCAO_TLS_CERT); with --tls-key")
	tlsKey := fs.String("tls-key", env("BAOCAO_TLS_KEY", ""), "PEM private key of --tls-cert (env BAOCAO_TLS_KEY)")
	sessionTTL := fs.Duration("session-ttl", ev.Duration("BAOCAO_SESSION_TTL", 12*time.Hour), "how long a login lasts (env BAOCAO_SESSION_TTL)")
	logFormat := fs.String("log-format", env("BAOCAO_LOG_FORMAT", "text"), "text or json (env BAOCAO_LOG_FORMAT)")
	pool := addPoolFlags(fs, ev)
	migrate := fs.Bool("migrate", ev.Bool("BAOCAO_MIGRATE", false), "PostgreSQL: apply pending migrations before serving, under goose's lock (env BAOCAO_MIGRATE); the embedded database is always migrated")
	sign := addSignFlags(fs, ev)
	jf := addJobFlags(fs, ev, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(ev.errs) > 0 {
		return usageError{"serve: " + strings.Join(ev.errs, "; ")}
	}
	if *maxBody <= 0 || *maxRenders <= 0 || *timeout <= 0 || *sessionTTL <= 0 || *dbTimeout <= 0 {
		return usageError{"serve: --max-body-bytes, --max-renders, --render-timeout, --db-timeout and --session-ttl must be positive"}
	}
	if *maxImports <= 0 {
		return usageError{"serve: --max-imports must be positive"}
	}
	if err := pool.check(); err != nil {
		return err
	}
	jcfg, err := jf.config(*addr, *tlsCert != "")
	if err != nil {
		return usageError{"serve: " + err.Error()}
	}
	switch *logFormat {
	case "json":
		slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, nil)))
	case "text":
		slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	default:
		return usageError{fmt.Sprintf("serve: --log-format must be text or json, not %q", *logFormat)}
	}
	cfg := server.Config{Addr: *addr, MaxBodyBytes: *maxBody, MaxRenders: *maxRenders, RenderTimeout: *timeout, DBTimeout: *dbTimeout, TemplatesDir: *tplDir,
		SecureCookies: *secure, SessionTTL: *sessionTTL, TLSCert: *tlsCert, TLSKey: *tlsKey}
	cfg.MaxImports = *maxImports
	if (*tlsCert == "") != (*tlsKey == "") {
		return usageError{"serve: --tls-cert and --tls-key go together"}
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	signCfg, err := sign.config()
	if err != nil {
		return err
	}
	cfg.Signing = signCfg
	if *fontDir != "" {
		fam, err := fonts.LoadDir(*fontDir)
		if err != nil {
			return err
		}
		cfg.Fonts = fam
	}

	st, err := db.openPool(pool)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := prepareSchema(ctx, st, *migrate); err != nil {
		if errors.Is(err, store.ErrBehind) {
			return fmt.Errorf("%w, or start serve with --migrate", err)
		}
		return err
	}
	if st.Embedded() && *withDemo {
		if err := demo.Load(ctx, st); err != nil {
			return err
		}
	}
	base := "http://" + *addr
	if *tlsCert != "" {
		base = "https://" + *addr
	}
	if err := firstAccounts(ctx, st, *withDemo && st.Embedded(), base, stderr); err != nil {
		return err
	}
	svc, stopJobs, err := startJobs(ctx, st, jcfg, cfg.Fonts, *tplDir)
	if err != nil {
		return err
	}
	defer stopJobs()
	cfg.Jobs = svc
	srv, err := server.New(cfg, st)
	if err != nil {
		return err
	}
	return srv.Run(ctx)
}
