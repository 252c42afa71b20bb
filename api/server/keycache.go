package server

import (
	"baocao/domain"
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"
)

// keyCache remembers keys that were found valid, for a few seconds, so
// that an application calling many times a second does not queue on the
// database for every call (the embedded SQLite has one connection). A key
// revoked through this instance's API is forgotten at once; on
// PostgreSQL, one revoked through another instance or the command line is
// forgotten when its notification arrives (watchKeys: milliseconds);
// otherwise (the embedded database, or the notifications' connection
// lost) it stops working within the cache's lifetime, keyCacheTTL. The
// expiry date is checked on every use.
type keyCache struct {
	// ttl is how long a key is remembered (0: keyCacheTTL).
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cachedKey // by the hash of the secret
	// revoked holds keys revoked lately, so that a request that read a key
	// just before it was revoked cannot put it back.
	revoked map[int64]time.Time
}

type cachedKey struct {
	key   domain.APIKey
	until time.Time
}

const (
	keyCacheTTL  = 10 * time.Second
	keyCacheSize = 1024
)

func (kc *keyCache) get(hash string, now time.Time) (domain.APIKey, bool) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	e, ok := kc.entries[hash]
	if !ok || now.After(e.until) || (e.key.ExpiresAt != nil && !now.Before(*e.key.ExpiresAt)) {
		return domain.APIKey{}, false
	}
	return e.key, true
}

func (kc *keyCache) put(hash string, k domain.APIKey, now time.Time) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if at, ok := kc.revoked[k.ID]; ok && now.Sub(at) < time.Minute {
		return
	}
	if kc.entries == nil || len(kc.entries) >= keyCacheSize {
		kc.entries = map[string]cachedKey{} // rarely full: start again rather than track ages
	}
	kc.entries[hash] = cachedKey{key: k, until: now.Add(cmp.Or(kc.ttl, keyCacheTTL))}
}

// forget drops a key (revoked) by its id.
func (kc *keyCache) forget(id int64) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	now := time.Now()
	if kc.revoked == nil {
		kc.revoked = map[int64]time.Time{}
	}
	for rid, at := range kc.revoked {
		if now.Sub(at) > time.Minute {
			delete(kc.revoked, rid)
		}
	}
	kc.revoked[id] = now
	for h, e := range kc.entries {
		if e.key.ID == id {
			delete(kc.entries, h)
		}
	}
}

// clear forgets every key (their agencies changed: a merge).
func (kc *keyCache) clear() {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	kc.entries = nil
}

// watchKeys forgets the keys revoked through other instances as their
// notifications arrive (PostgreSQL LISTEN/NOTIFY, store.WatchKeys), until
// ctx ends. It returns once listening, or after five seconds trying (it
// goes on trying; meanwhile keys are remembered for keyCacheTTL at most).
func (s *Server) watchKeys(ctx context.Context) {
	ready := make(chan struct{})
	var once sync.Once
	go s.store.WatchKeys(ctx, func(id int64) {
		if id == 0 {
			s.keys.clear()
		} else {
			s.keys.forget(id)
		}
	}, func() { once.Do(func() { close(ready) }) })
	select {
	case <-ready:
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		slog.Warn("key revocations: not listening yet; keys revoked elsewhere stop working within the key cache time", "ttl", cmp.Or(s.keys.ttl, keyCacheTTL))
	}
}
