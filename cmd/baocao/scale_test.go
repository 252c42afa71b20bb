package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
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

// TestHealth: health exits 0 when the instance answers /readyz with 200,
// 1 with the answer otherwise, and finds the address in BAOCAO_ADDR.
func TestHealth(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		fmt.Fprint(w, `{"status":"database down"}`)
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	t.Setenv("BAOCAO_ADDR", "0.0.0.0:"+port)
	if code, out, stderr := runCLI(t, "", "health"); code != 0 || !strings.Contains(out, "127.0.0.1:"+port+"/readyz: ready") {
		t.Errorf("health of a ready instance: %d %q %q", code, out, stderr)
	}
	status = http.StatusServiceUnavailable
	if code, _, stderr := runCLI(t, "", "health", "--url", ts.URL+"/readyz"); code != 1 || !strings.Contains(stderr, "503") || !strings.Contains(stderr, "database down") {
		t.Errorf("health of an instance that is not ready: %d %q", code, stderr)
	}
	ts.Close()
	if code, _, _ := runCLI(t, "", "health", "--url", ts.URL+"/readyz", "--timeout", "2s"); code != 1 {
		t.Errorf("health of no instance: %d", code)
	}
}
