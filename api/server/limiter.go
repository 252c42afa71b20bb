package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter bounds login attempts per key (client address, user name):
// a burst, then one attempt per interval. Idle entries are forgotten.
type limiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	entries map[string]*limitEntry
	swept   time.Time
}

type limitEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(burst int, every time.Duration) *limiter {
	return &limiter{every: every, burst: burst, entries: map[string]*limitEntry{}}
}

// allow takes one attempt for every key, in order; when one is exhausted
// it takes none and says how long to wait. Keys after an exhausted one are
// not even looked up, so a client over its limit cannot grow the table.
func (l *limiter) allow(now time.Time, keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, e := range l.entries {
			if now.Sub(e.seen) > time.Duration(l.burst)*l.every {
				delete(l.entries, k)
			}
		}
		l.swept = now
	}
	rs := make([]*rate.Reservation, 0, len(keys))
	var wait time.Duration
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			e = &limitEntry{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
			l.entries[k] = e
		}
		e.seen = now
		r := e.lim.ReserveN(now, 1)
		rs = append(rs, r)
		if wait = r.DelayFrom(now); wait > 0 {
			break
		}
	}
	if wait > 0 {
		for _, r := range rs {
			r.CancelAt(now)
		}
		return false, wait
	}
	return true, 0
}

// blocked reports, without taking anything, whether any key has used up
// its burst, and how long until it may try again. The login counts only
// failures: it asks blocked first, then fail on a wrong password.
func (l *limiter) blocked(now time.Time, keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			continue
		}
		if tokens := e.lim.TokensAt(now); tokens < 1 {
			return true, time.Duration((1 - tokens) * float64(l.every))
		}
	}
	return false, 0
}

// fail takes one attempt from every key, whatever is left (a failed login).
func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			e = &limitEntry{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
			l.entries[k] = e
		}
		e.seen = now
		e.lim.AllowN(now, 1)
	}
}

// reset forgets a key's attempts (a user who logged in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}
