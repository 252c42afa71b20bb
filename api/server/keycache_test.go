package server

import (
	"baocao/domain"
	"testing"
	"time"
)

// TestKeyCacheBound: a key is remembered for the cache's lifetime and no
// longer (the bound on a revocation no notification told of), forgotten at
// once by id, and not put back by a request that read it just before.
func TestKeyCacheBound(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, ttl := range []time.Duration{0, time.Hour} {
		kc := keyCache{ttl: ttl}
		want := keyCacheTTL
		if ttl > 0 {
			want = ttl
		}
		kc.put("h", domain.APIKey{ID: 7}, now)
		if _, ok := kc.get("h", now.Add(want)); !ok {
			t.Errorf("ttl %v: forgotten before %v", ttl, want)
		}
		if _, ok := kc.get("h", now.Add(want+time.Millisecond)); ok {
			t.Errorf("ttl %v: remembered after %v", ttl, want)
		}
		kc.put("h", domain.APIKey{ID: 7}, now)
		kc.forget(7)
		if _, ok := kc.get("h", now); ok {
			t.Errorf("ttl %v: remembered after forget", ttl)
		}
		kc.put("h", domain.APIKey{ID: 7}, time.Now())
		if _, ok := kc.get("h", time.Now()); ok {
			t.Errorf("ttl %v: put back just after it was forgotten", ttl)
		}
	}
}
