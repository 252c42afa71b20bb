package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"sync"
)

// keyLocks are in-process locks by name that a waiter can give up on
// (its request's context ends).
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	ch    chan struct{} // holds a token while the lock is held
	users int           // holders and waiters; the entry goes at 0
}

// lock takes the lock of key, or fails when ctx ends first.
func (k *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

// lockNumbering serialises issuing in one numbering (agency, kind,
// year) from the reading of its last number to the storing of the issued
// files, the render included, without holding the SQLite writer: an
// in-process lock, and on PostgreSQL a transaction-level advisory lock
// too (other baocao processes on the same database), held by a
// transaction of its own that does nothing else and ends, releasing it,
// with unlock — or with its connection, should the process die.
func (s *Store) lockNumbering(ctx context.Context, agencyID int64, kind string, year int) (unlock func(), err error) {
	key := fmt.Sprintf("doc_numbers %d %s %d", agencyID, kind, year)
	unlockLocal, err := s.numbering.lock(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("wait to number: %w", err)
	}
	if s.Embedded() {
		return unlockLocal, nil
	}
	tx, err := s.sqlDB.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		unlockLocal()
		return nil, fmt.Errorf("number lock: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("baocao " + key))
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64())); err != nil {
		_ = tx.Rollback()
		unlockLocal()
		return nil, fmt.Errorf("number lock: %w", err)
	}
	return func() { _ = tx.Rollback(); unlockLocal() }, nil
}
