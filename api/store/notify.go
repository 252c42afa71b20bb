package store

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// keysChannel is the PostgreSQL notification channel on which a revoked
// key's id (or "0": every key, after a merge moved keys between agencies)
// is announced to every instance (WatchKeys).
const keysChannel = "baocao_keys"

// notifyKeys announces, on PostgreSQL, a change of key id (0: all keys)
// to every instance; the notification is sent when tx commits, and not at
// all if it rolls back.
func (s *Store) notifyKeys(tx *gorm.DB, id int64) error {
	if s.Embedded() {
		return nil
	}
	if err := tx.Exec("SELECT pg_notify(?, ?)", keysChannel, strconv.FormatInt(id, 10)).Error; err != nil {
		return fmt.Errorf("notify key change: %w", err)
	}
	return nil
}

// WatchKeys listens, on PostgreSQL, for keys revoked through any instance
// (the API or "baocao key revoke") and calls changed with each one's id;
// with 0 every key is to be forgotten. It holds a connection of its own,
// outside the pool, and calls changed(0) each time it has (re)connected
// and listens, since notifications sent meanwhile were lost; then ready,
// if not nil. A lost connection is retried, after 1 s and then up to
// every 30 s. WatchKeys returns when ctx ends, and at once on the
// embedded database (there, ready is called and there is nothing to
// listen to: another process's revocation is bounded by the caches'
// lifetime).
func (s *Store) WatchKeys(ctx context.Context, changed func(id int64), ready func()) {
	if s.Embedded() {
		if ready != nil {
			ready()
		}
		return
	}
	backoff := time.Second
	lost := false
	for ctx.Err() == nil {
		err := s.listen(ctx, changed, func() {
			if lost {
				slog.Info("key revocations: listening again")
			}
			backoff, lost = time.Second, false
			if ready != nil {
				ready()
			}
		})
		lost = true
		if ctx.Err() != nil {
			return
		}
		slog.Warn("key revocations: listening stopped; retrying (keys are remembered for their cache time meanwhile)", "error", err, "retry", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// listen connects, listens and relays notifications until the connection
// fails or ctx ends.
func (s *Store) listen(ctx context.Context, changed func(int64), ready func()) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, s.url)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+keysChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	changed(0)
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		id, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			id = 0 // not ours to read: forget everything rather than guess
		}
		changed(id)
	}
}
