// Package store keeps agencies, plans and their tasks in a database through
// GORM: PostgreSQL in production, or an embedded SQLite file (pure Go, no
// server) by default. The schema is versioned with goose migrations.
package store

import (
	"cmp"
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
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

//go:embed migrations
var migrations embed.FS

// ErrBehind: the database schema is older than this program.
var ErrBehind = errors.New("database schema is behind")

// Config says which database to open.
type Config struct {
	// DatabaseURL is a PostgreSQL URL or DSN; empty means SQLite.
	DatabaseURL string
	// SQLitePath is the embedded database file (default ./baocao.db).
	SQLitePath string

	// PostgreSQL pool (zero: the default). MaxIdleConns defaults to
	// MaxOpenConns, so that a busy pool keeps its sessions instead of
	// opening new ones.
	MaxOpenConns    int           // default 20
	MaxIdleConns    int           // default MaxOpenConns
	ConnMaxLifetime time.Duration // default 30 minutes
	ConnMaxIdleTime time.Duration // default 5 minutes
	// Readers is the number of read-only connections to the embedded
	// database beside its one writer (default 8).
	Readers int
}

// Pool defaults (see Config).
const (
	DefaultMaxOpenConns    = 20
	DefaultConnMaxLifetime = 30 * time.Minute
	DefaultConnMaxIdleTime = 5 * time.Minute
	DefaultReaders         = 8
)

// Store is the database.
//
// It has two pools. db is the writer: every transaction and every
// statement that writes. rdb is the readers: statements outside a
// transaction that only read, and read-only transactions (readTx). On
// SQLite the writer is one connection (SQLite has one writer; one
// connection queues writes here instead of failing them with "database is
// locked") and the readers are query_only connections to the same file,
// which WAL lets read beside the writer. On PostgreSQL both are the same
// pool.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	rdb     *gorm.DB
	rsqlDB  *sql.DB
	dialect goose.Dialect
	url     string // the PostgreSQL URL; "" for SQLite
	// numbering serialises issuing per numbering key (see Issue).
	numbering keyLocks
	now       func() time.Time
	// idemSweep is when expired idempotency keys were last deleted (Unix s).
	idemSweep atomic.Int64
	// limitSweep is when full login buckets were last deleted (Unix s).
	limitSweep atomic.Int64
}

// Open connects to the database; it does not migrate. An embedded
// database file is created (in WAL mode) at once.
func Open(cfg Config) (*Store, error) {
	gcfg := func() *gorm.Config {
		return &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }}
	}
	if cfg.DatabaseURL != "" {
		db, err := gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg())
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		open := cmp.Or(cfg.MaxOpenConns, DefaultMaxOpenConns)
		sqlDB.SetMaxOpenConns(open)
		// Idle connections are kept up to the pool's size: with Go's
		// default of 2, a busy pool closes and reopens PostgreSQL sessions
		// (a fork each) all the time.
		sqlDB.SetMaxIdleConns(min(cmp.Or(cfg.MaxIdleConns, open), open))
		sqlDB.SetConnMaxLifetime(cmp.Or(cfg.ConnMaxLifetime, DefaultConnMaxLifetime))
		sqlDB.SetConnMaxIdleTime(cmp.Or(cfg.ConnMaxIdleTime, DefaultConnMaxIdleTime))
		wrapPool(db, sqlDB)
		st := &Store{db: db, sqlDB: sqlDB, rdb: db, rsqlDB: sqlDB, dialect: goose.DialectPostgres, url: cfg.DatabaseURL}
		st.SetClock(time.Now)
		return st, nil
	}
	path := cfg.SQLitePath
	if path == "" {
		path = "baocao.db"
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database file: %w", err)
	}
	file := "file:" + (&url.URL{Path: abs}).EscapedPath()
	// The writer: WAL lets readers run beside it; the busy timeout makes
	// another process's writer wait instead of failing; foreign keys are
	// enforced; a transaction takes the write lock when it begins
	// (immediate), so that two never deadlock upgrading a read lock.
	db, err := gorm.Open(gormlite.Open(file+
		"?_pragma=journal_mode(wal)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(full)&_txlock=immediate"), gcfg())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	// Connect now: the writer creates the file and puts it in WAL mode
	// before a reader opens it.
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	// The readers: query_only, so that nothing routed to them can write.
	rdb, err := gorm.Open(gormlite.Open(file+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"), gcfg())
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	rsqlDB, err := rdb.DB()
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	n := cmp.Or(cfg.Readers, DefaultReaders)
	rsqlDB.SetMaxOpenConns(n)
	rsqlDB.SetMaxIdleConns(n)
	// Every call through GORM gets the request's deadline (WithTimeout)
	// and counts its commits (TrackCommits).
	wrapPool(db, sqlDB)
	wrapPool(rdb, rsqlDB)
	st := &Store{db: db, sqlDB: sqlDB, rdb: rdb, rsqlDB: rsqlDB, dialect: goose.DialectSQLite3}
	st.SetClock(time.Now)
	return st, nil
}

// wrapPool gives every call of db's pool the deadline of WithTimeout and
// counts its commits (TrackCommits).
func wrapPool(db *gorm.DB, sqlDB *sql.DB) {
	p := &pool{db: sqlDB}
	db.ConnPool, db.Statement.ConnPool = p, p
}

// read is the handle of a statement that only reads, outside a
// transaction.
func (s *Store) read(ctx context.Context) *gorm.DB { return s.rdb.WithContext(ctx) }

// readTx runs fn in a read-only transaction on the readers: its
// statements see one snapshot (SQLite: a deferred transaction on a WAL
// reader, which never waits for the writer).
func (s *Store) readTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.rdb.WithContext(ctx).Transaction(fn, &sql.TxOptions{ReadOnly: true})
}

// PoolStats are the connection pools' figures: Writer and Readers are the
// same pool on PostgreSQL.
type PoolStats struct{ Writer, Readers sql.DBStats }

// Stats returns the connection pools' figures.
func (s *Store) Stats() PoolStats {
	return PoolStats{Writer: s.sqlDB.Stats(), Readers: s.rsqlDB.Stats()}
}

// Embedded reports whether the store is the embedded SQLite database.
func (s *Store) Embedded() bool { return s.dialect == goose.DialectSQLite3 }

// Close closes the connections.
func (s *Store) Close() error {
	err := s.sqlDB.Close()
	if s.rsqlDB != s.sqlDB {
		err = errors.Join(err, s.rsqlDB.Close())
	}
	return err
}

// Ping checks that the database answers, on a reader: it does not wait
// for a write in progress.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := bound(ctx)
	defer cancel()
	return s.rsqlDB.PingContext(ctx)
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
	var opts []goose.ProviderOption
	if s.dialect == goose.DialectPostgres {
		// Several instances (or "baocao migrate" run twice) migrate one
		// after the other: goose holds a session-level advisory lock while
		// it applies migrations, and the others find nothing left to do.
		// The lock is tried every second for up to ten minutes; it goes
		// with its connection, should the process die.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(s.dialect, s.sqlDB, sub, opts...)
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
