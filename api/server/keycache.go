package server

import (
	"sync"
	"time"

	"baocao/api/store"
)

// keyCache remembers keys that were found valid, for a few seconds, so
// that an application calling many times a second does not queue on the
// database for every call (the embedded SQLite has one connection). A key
// revoked through the API is forgotten at once; one revoked from the
// command line (another process) stops working within keyCacheTTL. The
// expiry date is checked on every use.
type keyCache struct {
	mu      sync.Mutex
	entries map[string]cachedKey // by the hash of the secret
	// revoked holds keys revoked lately, so that a request that read a key
	// just before it was revoked cannot put it back.
	revoked map[int64]time.Time
}

type cachedKey struct {
	key   store.APIKey
	until time.Time
}

const (
	keyCacheTTL  = 10 * time.Second
	keyCacheSize = 1024
)

func (kc *keyCache) get(hash string, now time.Time) (store.APIKey, bool) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	e, ok := kc.entries[hash]
	if !ok || now.After(e.until) || (e.key.ExpiresAt != nil && !now.Before(*e.key.ExpiresAt)) {
		return store.APIKey{}, false
	}
	return e.key, true
}

func (kc *keyCache) put(hash string, k store.APIKey, now time.Time) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if at, ok := kc.revoked[k.ID]; ok && now.Sub(at) < time.Minute {
		return
	}
	if kc.entries == nil || len(kc.entries) >= keyCacheSize {
		kc.entries = map[string]cachedKey{} // rarely full: start again rather than track ages
	}
	kc.entries[hash] = cachedKey{key: k, until: now.Add(keyCacheTTL)}
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
