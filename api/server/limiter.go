package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter bounds events per key in this process's memory: a burst, then
// one per interval. Idle entries are forgotten. It bounds the refusals
// recorded in the audit trail (auditNoise), per instance; failed logins
// are counted in the database instead (store.Limits), across instances.
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
