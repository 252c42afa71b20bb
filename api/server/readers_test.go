package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
)

// TestSlowExportHoldsNoConnection: an export downloaded one byte a second
// holds no database connection, so that the readiness check, a page (web
// and API, with a session check) and a write are answered meanwhile, on
// both databases. The export is larger than what the sockets buffer, so
// that its handler is still sending while the others run.
func TestSlowExportHoldsNoConnection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newPeopleFixture(t, st, Config{})
		task := f.plan.Document.Appendices[0].Tasks[0]
		const rows = 60000
		late := "0"
		if !st.Embedded() {
			late = "FALSE"
		}
		if err := st.Exec(ctx, fmt.Sprintf(`INSERT INTO progress (plan_id, task_id, agency_id, period, revision, status, result, figures, submitted_by, submitted_at, late)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			SELECT %d, %d, %d, '2024-Q1', i, 'in_progress', 'Đã đăng tin, bài về cải cách hành chính trên Cổng thông tin điện tử tỉnh, lần ' || i,
			'[{"name":"tin bài","value":24,"unit":"bài"}]', 'Nguyễn Thị Hoa', '2024-03-10 08:00:00+00:00', %s FROM n`,
			rows, f.plan.ID, task.ID, f.agency, late)); err != nil {
			t.Fatal(err)
		}
		web := newWebClient(t, f.admin.base)
		if r := web.login("kiemtra", testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("login: %d", r.status)
		}
		aud := f.admin.as(auth.RoleAuditor, 0)

		// The slow client: a small receive buffer, one byte a second.
		slow := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
				var err error
				_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
				return err
			}}
			return d.DialContext(ctx, network, addr)
		}}}
		req, _ := http.NewRequest("GET", aud.base+"/api/v1/exports/progress.csv", nil)
		req.Header.Set("Authorization", aud.auth)
		res, err := slow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		size, _ := strconv.Atoi(res.Header.Get("Content-Length"))
		if res.StatusCode != 200 || size < 8<<20 {
			t.Fatalf("export: %d, %d bytes", res.StatusCode, size)
		}
		body := bufio.NewReaderSize(res.Body, 1)
		first := make([]byte, 1)
		if _, err := io.ReadFull(body, first); err != nil {
			t.Fatal(err)
		}
		// The export's connection is back in its pool while it is sent.
		deadline := time.Now().Add(3 * time.Second)
		for {
			ps := st.Stats()
			if ps.Readers.InUse == 0 && ps.Writer.InUse == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a slow download holds database connections: %+v", ps)
			}
			time.Sleep(20 * time.Millisecond)
		}
		got := 1
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; i < 3; i++ {
				<-tick.C
				if _, err := io.ReadFull(body, first); err != nil {
					t.Error(err)
					return
				}
				got++
			}
		}()
		quick := &http.Client{Timeout: 2 * time.Second, Jar: web.hc.Jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		call := func(method, path, auth, body string, want int) {
			t.Helper()
			var rd io.Reader
			if body != "" {
				rd = strings.NewReader(body)
			}
			req, _ := http.NewRequest(method, f.admin.base+path, rd)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			start := time.Now()
			res, err := quick.Do(req)
			if err != nil {
				t.Fatalf("%s %s while an export is downloaded slowly: %v", method, path, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%s %s: %d, want %d", method, path, res.StatusCode, want)
			}
			t.Logf("%s %s: %d in %v", method, path, res.StatusCode, time.Since(start).Round(time.Millisecond))
		}
		for i := 0; i < 2; i++ {
			call("GET", "/readyz", "", "", 200)
			call("GET", "/plans", "", "", 200) // a page, with its session check
			call("GET", "/api/v1/plans?per_page=5", f.admin.auth, "", 200)
			call("POST", fmt.Sprintf("/api/v1/plans/%d/progress", f.plan.ID), f.admin.auth,
				fmt.Sprintf(`{"task_id": %d, "period": "2024-Q2", "agency": %q, "status": "in_progress", "result": "Đang làm %d"}`, task.ID, task.Lead[0], i), 201)
		}
		<-done
		if got != 4 {
			t.Fatalf("the slow client read %d bytes", got)
		}
		// The whole file arrives, every row in it.
		rest, err := io.ReadAll(body)
		if err != nil || got+len(rest) != size {
			t.Fatalf("export: %d of %d bytes, %v", got+len(rest), size, err)
		}
		if n := strings.Count(string(rest), "\n"); n != rows+1 {
			t.Errorf("export: %d lines, want %d", n, rows+1)
		}
	})
}
