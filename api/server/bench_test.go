package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/pdf"
)

// BenchmarkRenderEndpoint posts a seed plan (Thanh Trị) to the stateless
// render endpoint for its appendix PDF from 16 concurrent clients, and
// reports renders per second and the 99th-percentile latency. "warm": the
// same document again and again, so its font subsets are deflated once
// (as for repeated downloads); "cold": every client drops that cache before
// each request, so most renders deflate their subsets anew.
func BenchmarkRenderEndpoint(b *testing.B) {
	for _, cold := range []bool{false, true} {
		name := "warm"
		if cold {
			name = "cold"
		}
		b.Run(name, func(b *testing.B) { benchRenderEndpoint(b, cold) })
	}
}

func benchRenderEndpoint(b *testing.B, cold bool) {
	st := storetest.SQLite(b)
	s, err := New(Config{MaxRenders: 4}, st)
	if err != nil {
		b.Fatal(err)
	}
	_, key, err := st.CreateKey(context.Background(), domain.KeyInput{Name: "bench", Scope: auth.ScopeRender})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	body := fixtureJSON(b, "thanh-tri-2022")
	// Clients keep their connections, as an application's HTTP pool does
	// (the default transport keeps only 2 idle connections per host).
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	post := func() (time.Duration, int) {
		if cold {
			pdf.DropCaches()
		}
		start := time.Now()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/render?doc=appendix&format=pdf", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, res.Body) // the whole PDF, as a client would read it
		res.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start), res.StatusCode
	}
	post() // warm up: the font repertoire
	var mu sync.Mutex
	var lat []time.Duration
	busy := 0
	b.SetParallelism(8) // 8 × GOMAXPROCS(2) = 16 clients
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d, code := post()
			mu.Lock()
			if code == http.StatusOK {
				lat = append(lat, d)
			} else {
				busy++
			}
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "renders/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
		b.ReportMetric(float64(busy), "503s")
	}
}
