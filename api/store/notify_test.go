package store_test

import (
	"context"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
)

// TestWatchKeys: a key revoked through another store (another instance)
// is announced to a watcher; after PostgreSQL restarts, the watcher
// reconnects, says to forget every key (what was sent meanwhile is lost),
// and hears the next revocation.
func TestWatchKeys(t *testing.T) {
	c := storetest.OwnCluster(t)
	a := c.Store(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan int64, 16)
	ready := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		a.WatchKeys(ctx, func(id int64) { changed <- id }, func() { ready <- struct{}{} })
		close(done)
	}()
	wait := func(what string) int64 {
		t.Helper()
		select {
		case id := <-changed:
			return id
		case <-time.After(30 * time.Second):
			t.Fatalf("no notification: %s", what)
			return 0
		}
	}
	<-ready
	if id := wait("on listening"); id != 0 {
		t.Errorf("on listening: %d, want 0 (forget every key)", id)
	}
	revoke := func() int64 {
		t.Helper()
		k, _, err := a.CreateKey(context.Background(), store.KeyInput{Name: "k", Scope: auth.RoleAuditor})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.RevokeKey(context.Background(), k.ID); err != nil {
			t.Fatal(err)
		}
		return k.ID
	}
	if id, got := revoke(), wait("revoked"); got != id {
		t.Errorf("revoked %d, heard %d", id, got)
	}
	if err := c.Stop("fast"); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("not listening again after PostgreSQL restarted")
	}
	if id := wait("listening again"); id != 0 {
		t.Errorf("listening again: %d, want 0 (forget every key)", id)
	}
	if id, got := revoke(), wait("revoked after the restart"); got != id {
		t.Errorf("revoked %d after the restart, heard %d", id, got)
	}
	cancel()
	<-done
}
