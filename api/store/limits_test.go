package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
)

// TestLimits: the database's token buckets behave as golang.org/x/time/rate
// did in memory (a burst, then one an interval), and count failures of
// two stores (two instances) on one database together.
func TestLimits(t *testing.T) {
	run := func(t *testing.T, cfg store.Config) {
		a := storetest.Open(t, cfg)
		ctx := context.Background()
		rule := store.LimitRule{Burst: 3, Every: time.Minute}
		la := a.Limits(rule)
		now := time.Unix(1700000000, 0)
		blocked := func(l *store.Limits, at time.Time, keys ...string) (bool, time.Duration) {
			t.Helper()
			b, wait, err := l.Blocked(ctx, at, keys...)
			if err != nil {
				t.Fatal(err)
			}
			return b, wait
		}
		fail := func(l *store.Limits, at time.Time, keys ...string) {
			t.Helper()
			if err := l.Fail(ctx, at, keys...); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 2; i++ {
			fail(la, now, "ip:a", "user:x")
		}
		if b, _ := blocked(la, now, "ip:a", "user:x"); b {
			t.Fatal("blocked after 2 of 3")
		}
		fail(la, now, "ip:a", "user:x")
		b, wait := blocked(la, now, "ip:b", "user:x")
		if !b || wait != time.Minute {
			t.Fatalf("after 3 failures: blocked %v, wait %v; want a minute", b, wait)
		}
		// Failing more leaves the bucket empty, not below.
		fail(la, now, "user:x")
		if _, wait := blocked(la, now.Add(30*time.Second), "user:x"); wait != 30*time.Second {
			t.Errorf("half a minute later: wait %v, want 30s", wait)
		}
		if b, _ := blocked(la, now.Add(time.Minute), "user:x"); b {
			t.Error("still blocked a minute later")
		}
		// A clock behind the last failure neither refills nor moves it back.
		fail(la, now.Add(-time.Hour), "ip:a")
		if _, wait := blocked(la, now, "ip:a"); wait != time.Minute {
			t.Errorf("after a failure from a clock behind: wait %v, want a minute", wait)
		}
		// A user name with a control character (PostgreSQL refuses NUL in
		// text) is counted all the same.
		for range 3 {
			fail(la, now, "user:a\x00b")
		}
		if b, _ := blocked(la, now, "user:a\x00b"); !b {
			t.Error("a user name with NUL: not blocked after 3 failures")
		}
		if err := la.Reset(ctx, "user:a\x00b"); err != nil {
			t.Fatal(err)
		}
		if err := la.Reset(ctx, "user:x"); err != nil {
			t.Fatal(err)
		}
		if b, _ := blocked(la, now, "user:x"); b {
			t.Error("blocked after reset")
		}

		// Another store on the database (another instance) sees the same
		// buckets, and failures at once from both all count: three
		// failures on each of ten buckets, spread over the two stores,
		// leave every bucket empty.
		lb := storetest.Open(t, cfg).Limits(rule)
		if b, _ := blocked(lb, now, "ip:a"); !b {
			t.Error("the other store does not see ip:a blocked")
		}
		var wg sync.WaitGroup
		for k := range 10 {
			key := fmt.Sprint("user:y", k)
			for i := range 3 {
				l := []*store.Limits{la, lb}[(i+k)%2]
				wg.Go(func() {
					if err := l.Fail(ctx, now, key); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		for k := range 10 {
			if b, wait := blocked(la, now, fmt.Sprint("user:y", k)); !b || wait != time.Minute {
				t.Errorf("user:y%d after 3 failures at once on two stores: blocked %v, wait %v", k, b, wait)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, storetest.SQLiteConfig(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresConfig(t)) })
}
