package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ncruces/go-sqlite3"
	"gorm.io/gorm"
)

// Unavailable reports whether err says that the database cannot be
// reached or did not answer in time, rather than that the request was
// wrong: a refused or reset connection, PostgreSQL shutting down or
// starting up (57P01 admin_shutdown, 57P02, 57P03 cannot_connect_now) or
// out of connections (53300), a connection exception (class 08), a call
// past its deadline (see WithTimeout), SQLite busy or locked. The API
// answers these with 503 and Retry-After.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || pe.Code == "53300" ||
			strings.HasPrefix(pe.Code, "08") || pe.Code == "57014" && errors.Is(err, context.DeadlineExceeded)
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	case errors.As(err, &ce):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ENOENT) && strings.Contains(err.Error(), ".s.PGSQL."): // the socket is gone
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &ne):
		return true
	case errors.Is(err, sqlite3.BUSY), errors.Is(err, sqlite3.LOCKED):
		return true
	}
	// pgx's own words for a connection that died under a query.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "failed to connect") ||
		strings.Contains(msg, "database is locked") || strings.Contains(msg, "the database system is")
}

type ctxKey int

const (
	timeoutKey ctxKey = iota
	commitsKey
)

// WithTimeout returns a context under which every database call of the
// store (one statement, or one transaction as a whole) must end within d:
// a database that is frozen or unreachable then fails the call with
// context.DeadlineExceeded (Unavailable) instead of holding the request.
// The server sets it on every request (--db-timeout).
func WithTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, timeoutKey, d)
}

// Commits tells whether a request changed the database: whether one of
// its transactions (or statements outside one) committed.
type Commits struct{ n atomic.Int64 }

// Any reports whether something was committed.
func (c *Commits) Any() bool { return c != nil && c.n.Load() > 0 }

func (c *Commits) add() {
	if c != nil {
		c.n.Add(1)
	}
}

// TrackCommits returns a context whose commits c counts.
func TrackCommits(ctx context.Context) (context.Context, *Commits) {
	c := &Commits{}
	return context.WithValue(ctx, commitsKey, c), c
}

func commitsOf(ctx context.Context) *Commits {
	c, _ := ctx.Value(commitsKey).(*Commits)
	return c
}

// bound gives ctx the deadline of WithTimeout, if it has one.
func bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Value(timeoutKey).(time.Duration); ok && d > 0 {
		return context.WithTimeout(ctx, d)
	}
	return ctx, func() {}
}

// pool is GORM's connection pool: the sql.DB with the deadline of
// WithTimeout on every call and the commits counted (TrackCommits).
type pool struct{ db *sql.DB }

var (
	_ gorm.ConnPool         = (*pool)(nil)
	_ gorm.ConnPoolBeginner = (*pool)(nil)
	_ gorm.TxCommitter      = (*tx)(nil)
)

func (p *pool) GetDBConn() (*sql.DB, error) { return p.db, nil }

func (p *pool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	ctx, cancel := bound(ctx)
	defer cancel()
	return p.db.PrepareContext(ctx, query)
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	bctx, cancel := bound(ctx)
	defer cancel()
	res, err := p.db.ExecContext(bctx, query, args...)
	if err == nil && !isRead(query) {
		commitsOf(ctx).add() // outside a transaction a statement commits itself
	}
	return res, err
}

// QueryContext and QueryRowContext return rows read after they return:
// the deadline's timer (or the request's end) ends their context.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, cancel := bound(ctx)
	afterRows(ctx, cancel)
	return p.db.QueryContext(ctx, query, args...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, cancel := bound(ctx)
	afterRows(ctx, cancel)
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	bctx, cancel := bound(ctx)
	t, err := p.db.BeginTx(bctx, opts)
	if err != nil {
		cancel()
		return nil, err
	}
	deadline, _ := bctx.Deadline()
	return &tx{Tx: t, deadline: deadline, cancel: cancel, commits: commitsOf(ctx)}, nil
}

// afterRows leaves the deadline of rows read after the query returned to
// its own timer (or the request's end): database/sql has no hook at
// rows.Close to cancel it then.
func afterRows(ctx context.Context, cancel context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		context.AfterFunc(ctx, cancel)
	}
}

// tx is a transaction whose deadline ends with it and holds for its
// statements too (database/sql rolls back a transaction whose context
// ends only once its statement in flight returns).
type tx struct {
	*sql.Tx
	deadline time.Time
	cancel   context.CancelFunc
	commits  *Commits
	// wrote is set by a statement that is not a plain read: committing a
	// transaction that only read (GetPlan's snapshot) changes nothing.
	wrote bool
}

// isRead tells a statement that only reads (SELECT, PRAGMA, SHOW).
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	end := strings.IndexAny(q, " \t\r\n")
	if end < 0 {
		end = len(q)
	}
	switch strings.ToUpper(q[:end]) {
	case "SELECT", "PRAGMA", "SHOW":
		return true
	}
	return false
}

func (t *tx) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if t.deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, t.deadline)
}

func (t *tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	ctx, cancel := t.bound(ctx)
	defer cancel()
	return t.Tx.PrepareContext(ctx, query)
}

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.wrote = t.wrote || !isRead(query)
	ctx, cancel := t.bound(ctx)
	defer cancel()
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.wrote = t.wrote || !isRead(query) // INSERT … RETURNING
	ctx, cancel := t.bound(ctx)
	afterRows(ctx, cancel)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.wrote = t.wrote || !isRead(query)
	ctx, cancel := t.bound(ctx)
	afterRows(ctx, cancel)
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *tx) Commit() error {
	defer t.cancel()
	err := t.Tx.Commit()
	if err == nil && t.wrote {
		t.commits.add()
	}
	return err
}

func (t *tx) Rollback() error {
	defer t.cancel()
	return t.Tx.Rollback()
}
