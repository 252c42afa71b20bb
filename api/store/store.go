// Package store keeps agencies, plans and their tasks in a database through
// GORM: PostgreSQL in production, or an embedded SQLite file (pure Go, no
// server) by default. The schema is versioned with goose migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ncruces/go-sqlite3/gormlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

//go:embed migrations
var migrations embed.FS

// Errors the API maps to status codes.
var (
	ErrNotFound = errors.New("not found")
	// ErrStale: the version given is not the stored one (someone else
	// changed the resource first).
	ErrStale = errors.New("stale version")
	// ErrInUse: the resource is referenced and cannot be deleted.
	ErrInUse = errors.New("in use")
	// ErrBehind: the database schema is older than this program.
	ErrBehind = errors.New("database schema is behind")
)

// Config says which database to open.
type Config struct {
	// DatabaseURL is a PostgreSQL URL or DSN; empty means SQLite.
	DatabaseURL string
	// SQLitePath is the embedded database file (default ./baocao.db).
	SQLitePath string
}

// Store is the database.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect goose.Dialect
	now     func() time.Time
	// idemSweep is when expired idempotency keys were last deleted (Unix s).
	idemSweep atomic.Int64
}

// Open connects to the database; it does not migrate.
func Open(cfg Config) (*Store, error) {
	gcfg := &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }}
	var (
		db      *gorm.DB
		err     error
		dialect goose.Dialect
	)
	if cfg.DatabaseURL != "" {
		db, err = gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
		dialect = goose.DialectPostgres
	} else {
		path := cfg.SQLitePath
		if path == "" {
			path = "baocao.db"
		}
		abs, aerr := filepath.Abs(path)
		if aerr != nil {
			return nil, fmt.Errorf("database file: %w", aerr)
		}
		// WAL lets readers run beside the writer; the busy timeout makes a
		// second writer wait instead of failing; foreign keys are enforced.
		dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() +
			"?_pragma=journal_mode(wal)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(full)&_txlock=immediate"
		db, err = gorm.Open(gormlite.Open(dsn), gcfg)
		dialect = goose.DialectSQLite3
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Every call through GORM gets the request's deadline (WithTimeout)
	// and counts its commits (TrackCommits).
	p := &pool{db: sqlDB}
	db.ConnPool, db.Statement.ConnPool = p, p
	if dialect == goose.DialectSQLite3 {
		// SQLite has one writer: one connection serialises writes here
		// rather than as "database is locked" errors.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	st := &Store{db: db, sqlDB: sqlDB, dialect: dialect}
	st.SetClock(time.Now)
	return st, nil
}

// Embedded reports whether the store is the embedded SQLite database.
func (s *Store) Embedded() bool { return s.dialect == goose.DialectSQLite3 }

// Close closes the connections.
func (s *Store) Close() error { return s.sqlDB.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := bound(ctx)
	defer cancel()
	return s.sqlDB.PingContext(ctx)
}

func (s *Store) provider() (*goose.Provider, error) {
	dir := "migrations/sqlite"
	if s.dialect == goose.DialectPostgres {
		dir = "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(s.dialect, s.sqlDB, sub)
}

// Migrate applies the pending migrations.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// MigrateTo applies the pending migrations up to version (tests of a
// database made by an older baocao, and tooling).
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate to %d: %w", version, err)
	}
	return nil
}

// MigrateDownTo undoes the applied migrations above version (tests of
// the down migrations, and tooling).
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// CheckSchema returns an error wrapping ErrBehind when migrations are
// pending, saying which versions.
func (s *Store) CheckSchema(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	cur, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if cur < target {
		return fmt.Errorf("%w: at version %d, this program needs %d", ErrBehind, cur, target)
	}
	return nil
}

// Exec runs a statement outside any transaction (tests and tooling).
func (s *Store) Exec(ctx context.Context, query string) error {
	_, err := s.sqlDB.ExecContext(ctx, query)
	return err
}

// SetClock makes the store read the time from now (tests that move time
// instead of sleeping; tooling replaying recorded data). Set it before the
// store is used by several goroutines.
func (s *Store) SetClock(now func() time.Time) {
	s.now = func() time.Time { return now().UTC() }
}
