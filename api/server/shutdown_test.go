package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store/storetest"
	"baocao/domain"
)

// TestGracefulShutdown: a request in flight when shutdown starts is
// finished, and new connections are refused afterwards.
func TestGracefulShutdown(t *testing.T) {
	st := storetest.SQLite(t)
	s, err := New(Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := st.CreateKey(context.Background(), domain.KeyInput{Name: "admin", Scope: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	addr, cancel, done := serveLoopback(t, s)

	// A body that arrives slowly: the request is in flight at shutdown.
	pr, pw := io.Pipe()
	url := fmt.Sprintf("http://%s/api/v1/agencies", addr)
	res := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", url, pr)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- 0
			return
		}
		r.Body.Close()
		res <- r.StatusCode
	}()
	io.WriteString(pw, `{"name": "Sở `)
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
	io.WriteString(pw, `Nội vụ"}`)
	pw.Close()
	if code := <-res; code != http.StatusCreated {
		t.Errorf("the request in flight got %d, want 201", code)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(strings.Replace(url, "/agencies", "/openapi.json", 1)); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// serveLoopback runs s.Serve on a loopback port: its address, the cancel
// that starts the shutdown, and where Serve's result arrives.
func serveLoopback(t *testing.T, s *Server) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, s.httpServer()) }()
	return ln.Addr().String(), cancel, done
}
