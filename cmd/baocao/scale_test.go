package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
)

// TestMigrateOnceUnderLock: three "baocao migrate" at once on one empty
// PostgreSQL database (three instances upgraded together) all succeed,
// one after the other under goose's advisory lock (without it, two would
// create the same tables); "serve --migrate" migrates a database that is
// behind before serving.
func TestMigrateOnceUnderLock(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if code, _, stderr := runCLI(t, "", "migrate", "--database-url", cfg.DatabaseURL); code != 0 || !strings.Contains(stderr, "up to date") {
				t.Errorf("migrate at once with two others: exit %d, %s", code, stderr)
			}
		})
	}
	wg.Wait()
	st, err := store.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CheckSchema(context.Background()); err != nil {
		t.Fatal(err)
	}

	// serve --migrate on a database that is behind: it migrates, then
	// goes on to listen (here on an address that cannot be, so that it
	// stops there).
	cfg = storetest.PostgresConfig(t)
	code, _, stderr := runCLI(t, "", "serve", "--database-url", cfg.DatabaseURL, "--migrate", "--addr", "192.0.2.1:1")
	if code != 1 || !strings.Contains(stderr, "listen on 192.0.2.1:1") {
		t.Fatalf("serve --migrate: exit %d, %s", code, stderr)
	}
	st2, err := store.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := st2.CheckSchema(context.Background()); err != nil {
		t.Errorf("after serve --migrate: %v", err)
	}
}
