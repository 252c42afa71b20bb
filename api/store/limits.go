package store

import (
	"context"
	"fmt"
	"time"
)

// LimitRule is a token bucket: Burst attempts at once, then one every
// Every.
type LimitRule struct {
	Burst int
	Every time.Duration
}

// Limits are token buckets kept in the database (login_limits,
// migration 00014), so that every instance on one database counts the
// same failures: a failed login on one instance uses up the bucket on
// all of them. Each change is one atomic UPSERT that computes the
// bucket's refill in the database, so two instances failing at once
// both count. Times are the callers' clocks in Unix milliseconds; a
// bucket never refills backwards (a clock behind another instance's).
type Limits struct {
	s    *Store
	rule LimitRule
}

// Limits returns the buckets of rule on this database.
func (s *Store) Limits(rule LimitRule) *Limits { return &Limits{s: s, rule: rule} }

// available is the SQL of the attempts a stored bucket has at the time of
// the row being inserted (excluded.at_ms).
func (l *Limits) available() string {
	least, greatest := "LEAST", "GREATEST"
	if l.s.Embedded() {
		least, greatest = "MIN", "MAX"
	}
	return fmt.Sprintf("%s(CAST(%d AS DOUBLE PRECISION), login_limits.tokens + %s(excluded.at_ms - login_limits.at_ms, 0) * 1.0 / %d)",
		least, l.rule.Burst, greatest, l.rule.Every.Milliseconds())
}

// Blocked reports whether any of the buckets keys has less than one
// attempt left at now, and how long until it has one again.
func (l *Limits) Blocked(ctx context.Context, now time.Time, keys ...string) (bool, time.Duration, error) {
	var rows []struct {
		Bucket string
		Tokens float64
		AtMs   int64
	}
	err := l.s.read(ctx).Raw("SELECT bucket, tokens, at_ms FROM login_limits WHERE bucket IN ?", escapeAll(keys)).Scan(&rows).Error
	if err != nil {
		return false, 0, fmt.Errorf("login limits: %w", err)
	}
	var wait time.Duration
	every := float64(l.rule.Every)
	for _, r := range rows {
		tokens := min(float64(l.rule.Burst), r.Tokens+float64(max(now.UnixMilli()-r.AtMs, 0))*float64(time.Millisecond)/every)
		if tokens < 1 {
			wait = max(wait, time.Duration((1-tokens)*every))
		}
	}
	return wait > 0, wait, nil
}

// Fail takes one attempt from every bucket of keys, whatever is left (a
// failed login); a bucket with none left stays empty.
func (l *Limits) Fail(ctx context.Context, now time.Time, keys ...string) error {
	avail := l.available()
	q := "INSERT INTO login_limits (bucket, tokens, at_ms) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET " +
		"tokens = CASE WHEN " + avail + " >= 1 THEN " + avail + " - 1 ELSE " + avail + " END, " +
		"at_ms = CASE WHEN excluded.at_ms > login_limits.at_ms THEN excluded.at_ms ELSE login_limits.at_ms END"
	for _, k := range escapeAll(keys) {
		if err := l.s.db.WithContext(ctx).Exec(q, k, float64(l.rule.Burst-1), now.UnixMilli()).Error; err != nil {
			return fmt.Errorf("login limits: %w", err)
		}
	}
	l.sweep(ctx, now)
	return nil
}

// Reset forgets a bucket (a user who logged in).
func (l *Limits) Reset(ctx context.Context, key string) error {
	if err := l.s.db.WithContext(ctx).Exec("DELETE FROM login_limits WHERE bucket = ?", EscapeControls(key)).Error; err != nil {
		return fmt.Errorf("login limits: %w", err)
	}
	return nil
}

// sweep deletes the buckets that are full again, at most once a minute
// per process.
func (l *Limits) sweep(ctx context.Context, now time.Time) {
	last := l.s.limitSweep.Load()
	if now.Unix()-last < 60 || !l.s.limitSweep.CompareAndSwap(last, now.Unix()) {
		return
	}
	full := now.Add(-time.Duration(l.rule.Burst) * l.rule.Every).UnixMilli()
	_ = l.s.db.WithContext(ctx).Exec("DELETE FROM login_limits WHERE at_ms < ?", full).Error // retried at the next sweep
}

// escapeAll escapes the control characters of bucket names (a user name
// typed with a NUL), which PostgreSQL would refuse, as the audit trail
// does (EscapeControls).
func escapeAll(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = EscapeControls(k)
	}
	return out
}
