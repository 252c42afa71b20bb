package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdempotencyTTL is how long a stored answer to an Idempotency-Key is
// kept; after that the key may be used again.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyAbandoned is how long a first request may run without
// finishing before its key is taken as abandoned (the server stopped
// mid-request) and a retry runs it again.
const IdempotencyAbandoned = 10 * time.Minute

var (
	// ErrIdempotencyMismatch: the key was used for another request
	// (another method, path, query or body).
	ErrIdempotencyMismatch = errors.New("idempotency key used for another request")
	// ErrIdempotencyRunning: the first request with the key still runs.
	ErrIdempotencyRunning = errors.New("idempotency key in use by a request still running")
)

// IdempotentAnswer is the stored answer to a request with an
// Idempotency-Key.
type IdempotentAnswer struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

type idempotencyRow struct {
	Principal   string
	IdemKey     string
	RequestHash string
	Method      string
	Path        string
	Status      int
	Headers     string
	Body        []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// ClaimIdempotencyKey takes a principal's key for a request (hash: of its
// method, path, query and body). claimed: the caller runs the request,
// then FinishIdempotencyKey or ReleaseIdempotencyKey. Otherwise the
// answer stored for the same request is returned, or
// ErrIdempotencyMismatch (another request) or ErrIdempotencyRunning (the
// first still runs). Expired and abandoned keys are free again.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, principal, key, hash, method, path string) (claimed bool, ans IdempotentAnswer, err error) {
	now := s.now()
	s.sweepIdempotency(ctx, now)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("principal = ? AND idem_key = ? AND (expires_at <= ? OR (status = 0 AND created_at <= ?))",
			principal, key, now, now.Add(-IdempotencyAbandoned)).Delete(&idempotencyRow{}).Error; err != nil {
			return err
		}
		row := idempotencyRow{Principal: principal, IdemKey: key, RequestHash: hash, Method: method, Path: path,
			Headers: "{}", CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			claimed = true
			return nil
		}
		var cur idempotencyRow
		if err := tx.Where("principal = ? AND idem_key = ?", principal, key).Take(&cur).Error; err != nil {
			return err
		}
		switch {
		case cur.RequestHash != hash:
			return fmt.Errorf("%w: it was first sent with %s %s", ErrIdempotencyMismatch, cur.Method, cur.Path)
		case cur.Status == 0:
			return ErrIdempotencyRunning
		}
		ans = IdempotentAnswer{Status: cur.Status, Body: cur.Body}
		return json.Unmarshal([]byte(cur.Headers), &ans.Headers)
	})
	return claimed, ans, err
}

// FinishIdempotencyKey stores the answer to a claimed key's request.
func (s *Store) FinishIdempotencyKey(ctx context.Context, principal, key string, ans IdempotentAnswer) error {
	body := ans.Body
	if body == nil {
		body = []byte{}
	}
	err := s.db.WithContext(ctx).Model(&idempotencyRow{}).Where("principal = ? AND idem_key = ? AND status = 0", principal, key).
		Updates(map[string]any{"status": ans.Status, "headers": mustJSON(ans.Headers), "body": body}).Error
	if err != nil {
		return fmt.Errorf("store idempotent answer: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey frees a claimed key whose request stored no
// answer (it failed with a 5xx): the client may retry.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, principal, key string) error {
	err := s.db.WithContext(ctx).Where("principal = ? AND idem_key = ? AND status = 0", principal, key).Delete(&idempotencyRow{}).Error
	if err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// sweepIdempotency deletes expired keys, at most every ten minutes.
func (s *Store) sweepIdempotency(ctx context.Context, now time.Time) {
	last := s.idemSweep.Load()
	if now.Unix()-last < 600 || !s.idemSweep.CompareAndSwap(last, now.Unix()) {
		return
	}
	_ = s.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&idempotencyRow{}).Error // retried at the next sweep
}
