package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store/storetest"
	"baocao/reports/sample"
)

// heavyBody is a plan whose body is about a million characters of
// emphasised words: far more than the tests' render timeouts to set.
func heavyBody(t *testing.T) []byte {
	d := sample.Plan(1)
	d.Appendices = nil
	var b strings.Builder
	for i := 0; b.Len() < 1_000_000; i++ {
		if i%2 == 1 {
			fmt.Fprintf(&b, "*nhiệm vụ %d* ", i)
		} else {
			fmt.Fprintf(&b, "**cải cách** hành chính %d ", i)
		}
	}
	d.Body = b.String()
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRenderTimeoutFreesSlot: with one render slot, a render that runs
// out of time answers 503 and frees its slot at once, so that a small
// render straight after succeeds; a client that gives up frees it too.
func TestRenderTimeoutFreesSlot(t *testing.T) {
	st := storetest.SQLite(t)
	c := newClient(t, st, Config{MaxRenders: 1, RenderTimeout: 50 * time.Millisecond})
	heavy := heavyBody(t)
	small := fixtureJSON(t, "thanh-tri-2022")
	r := c.expect(c.do("POST", "/api/v1/render", heavy), 503)
	if p := r.problem(t); p.Type != problemBase+"render-timeout" {
		t.Errorf("heavy render: %+v", p)
	}
	if n := len(c.srv.renders); n != 0 {
		t.Errorf("%d slot(s) still taken after the timeout", n)
	}
	// The small render has all the time it needs (the race detector
	// slows it down many times).
	c.srv.cfg.RenderTimeout = time.Minute
	c.expect(c.do("POST", "/api/v1/render", small), 200)

	// A client that disconnects: its render stops and its slot is free.
	c = newClient(t, st, Config{MaxRenders: 1, RenderTimeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/render", bytes.NewReader(heavy))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", c.auth)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the heavy render answered %d within 100 ms", res.StatusCode)
	}
	for end := time.Now().Add(5 * time.Second); len(c.srv.renders) != 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the slot of a client that left is still taken")
		}
	}
	c.expect(c.do("POST", "/api/v1/render", small), 200)
}

// countingBody counts what the handler reads of a request body.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// TestBusyRenderReadsNothing: with every render slot taken, concurrent
// big bodies from a render-only key are refused (503 busy) without the
// server reading them.
func TestBusyRenderReadsNothing(t *testing.T) {
	st := storetest.SQLite(t)
	s, err := New(Config{MaxRenders: 2}, st)
	if err != nil {
		t.Fatal(err)
	}
	var read atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = countingBody{r.Body, &read}
		s.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := (&client{t: t, base: ts.URL, srv: s, store: st}).as(auth.ScopeRender, 0)
	for i := 0; i < cap(s.renders); i++ {
		s.renders <- struct{}{}
	}
	defer func() {
		for i := 0; i < cap(s.renders); i++ {
			<-s.renders
		}
	}()
	// 7 MB of JSON (the limit is 8 MiB): a body of the maximal length
	// padded with spaces, shared by every request.
	d := sample.Plan(1)
	d.Body = strings.Repeat("Nhiệm vụ ", 100_000)
	data, _ := json.Marshal(d)
	body := append(data[:len(data)-1:len(data)-1], bytes.Repeat([]byte(" "), 7<<20-len(data))...)
	body = append(body, '}')

	const clients = 24
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make([]int, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", c.base+"/api/v1/render", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", c.auth)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				// The server may close the connection while the client
				// still sends the body it did not read: refused all the same.
				statuses[i] = -1
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	for i, st := range statuses {
		if st != http.StatusServiceUnavailable && st != -1 {
			t.Errorf("client %d: status %d, want 503", i, st)
		}
	}
	if n := read.Load(); n != 0 {
		t.Errorf("the server read %d bytes of bodies it refused", n)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d refused bodies of %d MB: %.1f MB allocated in all (client side included)", clients, len(body)>>20, float64(alloc)/(1<<20))
	if alloc > uint64(len(body))*clients/4 {
		t.Errorf("%d MB allocated for refused requests", alloc>>20)
	}
}
